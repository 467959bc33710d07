"""Reads a page view shares: within one view the brand's accounts and people, an
account and a user are read from the table once, however many use cases ask; and the
brand's directory (its accounts and people) is kept for a few seconds in a warm Lambda,
so a person clicking through pages does not read it on every click.

Only reads of a safe (GET) request run inside a view (``PageRoutes``). Anywhere else,
scheduled jobs and every write included, ``memoised`` reads through every time, so no
decision or mail ever rests on a kept value."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from threading import Lock
from typing import Any, TypeVar

T = TypeVar("T")
WARM_S = 10.0  # how long a page view may reuse the brand's directory read by another
_memo: ContextVar[dict[Any, Any] | None] = ContextVar("firebreak_read_memo", default=None)
_warm: dict[Any, tuple[float, Any]] = {}
_warm_lock = Lock()


@contextmanager
def read_memo() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key: Any, load: Callable[[], T], *, warm: bool = False) -> T:
    """``load()``, or inside a page view what it gave before in this view (or, with
    ``warm``, in any view of the last ``WARM_S`` seconds)."""
    cache = _memo.get()
    if cache is None:
        return load()
    if key in cache:
        value: T = cache[key]
        return value
    if warm:
        with _warm_lock:
            kept = _warm.get(key)
        if kept is not None and time.monotonic() - kept[0] < WARM_S:
            cache[key] = kept[1]
            found: T = kept[1]
            return found
    loaded = load()
    cache[key] = loaded
    if warm:
        with _warm_lock:
            _warm[key] = (time.monotonic(), loaded)
    return loaded


def forget() -> None:
    """Drop what is kept warm (tests that change the directory under a running view)."""
    with _warm_lock:
        _warm.clear()
