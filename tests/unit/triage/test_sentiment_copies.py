"""TweetEval sentiment val's tweets that SemEval 2017's copy holds under another link or
handle (``bench/triage/data.py``) are left out of the sentiment figures: the readers
trained on most of them."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

DATA = Path(__file__).resolve().parents[3] / "bench" / "triage" / "data.py"


@pytest.fixture(scope="module")
def data() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("bench_triage_data", DATA)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_copies_under_another_link_or_handle_share_a_key(data: ModuleType) -> None:
    # As found (2026-12-03): val lost the t.co link, SemEval kept it.
    assert data.tweet_key(
        "Here's your starting TUESDAY MORNING Line up at  Gentle Yoga with Laura 9:30 am"
    ) == data.tweet_key(
        "Here's your starting TUESDAY MORNING Line up at http://t.co/rSUj9jsLbW Gentle Yoga "
        "with Laura 9:30 am"
    )
    assert data.tweet_key("@user enjoy the vibes #MotoBffRevealed URL") == data.tweet_key(
        "@moto_fan enjoy the vibes MotoBffRevealed https://t.co/zjeNPFx1Sw"
    )
    assert data.tweet_key("enjoy the vibes") != data.tweet_key("enjoy the vibe")
    assert data.tweet_key("https://t.co/x @user") == ""


def test_val_tweets_in_semeval_are_found(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("tweeteval", "germeval2018", "semeval2017"):
        (tmp_path / folder).mkdir()
    (tmp_path / "semeval2017" / "train.tsv").write_text(
        "text\tlabel\nC'mon, you guys can do better than this https://t.co/vWXgsZc72n\t0\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FIREBREAK_DATA_DIR", str(tmp_path))
    found = data.in_semeval2017(
        ["\"C'mon, you guys can do better than this.  ", "A tweet of its own", "URL"]
    )
    assert found.tolist() == [True, False, False]
    assert found.dtype == np.bool_


def test_the_readers_learn_from_no_copy_of_val(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("tweeteval/sentiment", "germeval2018", "semeval2017"):
        (tmp_path / folder).mkdir(parents=True)
    copy = "Gentle Yoga with Laura at 9:30"
    rows = [f"tweet number {i} about coffee\t{i % 3}" for i in range(20)]
    rows.append(f"{copy} http://t.co/rSUj9jsLbW\t1")
    (tmp_path / "semeval2017" / "train.tsv").write_text(
        "text\tlabel\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    val = tmp_path / "tweeteval" / "sentiment"
    (val / "val_text.txt").write_text(f"{copy} \nsomething else\n", encoding="utf-8")
    (val / "val_labels.txt").write_text("1\n2\n", encoding="utf-8")
    monkeypatch.setenv("FIREBREAK_DATA_DIR", str(tmp_path))
    train, dev = data.semeval2017_parts()
    texts = train.texts + dev.texts
    assert len(texts) == 20 and not any(copy in t for t in texts)
    assert len(train.labels) == len(train.texts) and len(dev.labels) == len(dev.texts)
    assert dev.texts  # the dev split is still drawn
