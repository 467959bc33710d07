"""``python -m chalicelib.triage score|recommend`` end to end, through a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCORE_INPUT = "\n".join(
    [
        json.dumps({"id": "ok-1", "text": "Thanks everyone, have a lovely weekend!"}),
        "this is not json",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": 7, "text": "You are a fucking idiot"}),
        json.dumps({"id": True, "text": "bool id"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": "de", "text": "Du bist so ein dummer Hurensohn"}),
    ]
)

ACCOUNT = {
    "lang": "en",
    "timezone": "Europe/Berlin",
    "usual_source_apps": ["Firebreak", "Twitter for iPhone"],
    "link_domains": ["brand.example"],
}


def run(command: str, stdin: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chalicelib.triage", command, *flags],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_score_answers_good_lines_and_reports_bad_ones() -> None:
    out = run("score", SCORE_INPUT)
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["ok-1", 7, "de"]
    for r in rows:
        assert set(r) == {"id", "lang", "offensive", "hate", "sexual", "violence", "sentiment"}
        for cat in ("offensive", "hate", "sexual", "violence"):
            assert set(r[cat]) == {"score", "flag"}
            assert 0.0 <= r[cat]["score"] <= 1.0
        assert r["sentiment"]["label"] in ("negative", "neutral", "positive")
    assert rows[0]["offensive"]["flag"] is False
    assert rows[1]["offensive"]["flag"] is True
    assert rows[2]["lang"] == "de"
    err = out.stderr
    assert "line 2: invalid JSON" in err
    assert "line 3: missing field 'text'" in err
    assert "line 5: field 'id' must be str or int, got bool" in err
    assert "line 6: expected a JSON object, got list" in err
    assert "4 line(s) failed" in err


def test_score_all_good_exits_zero() -> None:
    out = run("score", json.dumps({"id": "x", "text": "hello"}) + "\n")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert json.loads(out.stdout)["id"] == "x"


def test_score_output_is_stable() -> None:
    assert run("score", SCORE_INPUT).stdout == run("score", SCORE_INPUT).stdout


def test_recommend() -> None:
    lines = [
        {  # an obvious hack: scam text, strange app, unknown link, 04:00 in Berlin
            "id": "hack",
            "text": "Free BTC giveaway! Send 0.1 BTC and get 0.2 back",
            "published_by_firebreak": False,
            "source_app": "Botomatic",
            "posted_at": "2026-01-01T03:00:00Z",
            "links": ["https://claim.example/now"],
            "account": ACCOUNT,
        },
        {  # clumsy but harmless, from the phone: a process problem, keep
            "id": "phone",
            "text": "Oops, our prices page had the wrong numbers today, sorry!",
            "published_by_firebreak": False,
            "source_app": "Twitter for iPhone",
            "posted_at": "2026-01-01T12:00:00+01:00",
            "links": [],
            "account": ACCOUNT,
        },
        {  # strong profanity through Firebreak: delete, no hack
            "id": "swear",
            "text": "What a fucking disaster, you idiots",
            "published_by_firebreak": True,
            "source_app": "Firebreak",
            "posted_at": None,
            "links": [],
            "account": ACCOUNT,
        },
        {
            "id": "bad-tz",
            "text": "x",
            "published_by_firebreak": True,
            "account": {"timezone": "Nope/Nope"},
        },
        {"id": "bad-flag", "text": "x", "published_by_firebreak": "no"},
        {"id": "bad-time", "text": "x", "published_by_firebreak": True, "posted_at": "yesterday"},
        {"id": "bad-links", "text": "x", "published_by_firebreak": True, "links": [1, 2]},
    ]
    out = run("recommend", "\n".join(json.dumps(x) for x in lines))
    assert out.returncode == 1
    rows = {r["id"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert set(rows) == {"hack", "phone", "swear"}
    assert rows["hack"]["recommendation"] == "delete" and rows["hack"]["hack_suspected"] is True
    assert rows["phone"]["recommendation"] == "keep" and rows["phone"]["hack_suspected"] is False
    assert any("not a hack" in r for r in rows["phone"]["reasons"])
    assert rows["swear"]["recommendation"] == "delete" and rows["swear"]["hack_suspected"] is False
    for r in rows.values():
        assert set(r) == {"id", "recommendation", "hack_suspected", "reasons"}
        assert r["reasons"] and all(isinstance(x, str) for x in r["reasons"])
    err = out.stderr
    assert "line 4: account: unknown timezone 'Nope/Nope'" in err
    assert "line 5: field 'published_by_firebreak' must be bool, got str" in err
    assert "line 6: field 'posted_at' is not an ISO 8601 time" in err
    assert "line 7: field 'links' must be a list of strings" in err


def test_unknown_command_is_a_usage_error() -> None:
    out = run("explode", "")
    assert out.returncode == 2
    assert "invalid choice" in out.stderr


def test_encoder_modes_answer_every_line_in_the_same_shape() -> None:
    lines = [
        json.dumps({"id": str(i), "text": t})
        for i, t in enumerate(["you absolute clown", "lovely weather", "Halt die Klappe, du Idiot"])
    ]
    answers = {}
    for mode in ("on", "cascade", "off"):
        out = run("score", "\n".join(lines) + "\n", "--encoder", mode)
        assert out.returncode == 0, out.stderr
        answers[mode] = [json.loads(x) for x in out.stdout.splitlines()]
        assert [a["id"] for a in answers[mode]] == ["0", "1", "2"]
        for a in answers[mode]:
            assert set(a) == {"id", "lang", "offensive", "hate", "sexual", "violence", "sentiment"}
            assert set(a["offensive"]) >= {"score", "flag"}
            assert set(a["sentiment"]) == {"label", "scores"}
    # German never goes through the English encoder.
    assert answers["on"][2] == answers["off"][2]


def test_unknown_encoder_mode_is_a_usage_error() -> None:
    out = run("score", "", "--encoder", "turbo")
    assert out.returncode == 2
    assert "invalid choice: 'turbo'" in out.stderr
