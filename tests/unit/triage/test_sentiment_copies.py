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
