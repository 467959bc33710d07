"""The read memo of a page view: one read per key inside it, every read outside it."""

from __future__ import annotations

import pytest

from chalicelib.core.memo import memoised, read_memo


def test_inside_a_view_each_key_is_read_once_and_outside_every_time() -> None:
    reads: list[str] = []

    def load(key: str) -> str:
        reads.append(key)
        return key.upper()

    assert memoised("a", lambda: load("a")) == "A"
    assert memoised("a", lambda: load("a")) == "A"
    assert reads == ["a", "a"]  # no view: no memo
    with read_memo():
        for _ in range(3):
            assert memoised("a", lambda: load("a")) == "A"
        assert memoised("b", lambda: load("b")) == "B"
    assert reads == ["a", "a", "a", "b"]
    with read_memo():  # a new view starts empty
        memoised("a", lambda: load("a"))
    assert reads == ["a", "a", "a", "b", "a"]


def test_the_brand_directory_is_kept_warm_for_page_views_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chalicelib.core import memo

    clock = [100.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    memo.forget()
    reads: list[int] = []

    def load() -> int:
        reads.append(1)
        return len(reads)

    with read_memo():
        assert memoised("dir", load, warm=True) == 1
    with read_memo():
        clock[0] += memo.WARM_S - 1
        assert memoised("dir", load, warm=True) == 1  # another view, a moment later
    assert memoised("dir", load, warm=True) == 2  # outside a view: always read
    with read_memo():
        clock[0] += 2
        assert memoised("dir", load, warm=True) == 3  # kept too long: read again
