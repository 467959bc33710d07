"""Shared test settings: no test may reach a real AWS account by accident; the suite's
split into two halves for ``make test``'s two workers."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def pytest_sessionfinish(session: object, exitstatus: int) -> None:
    """The suite leaves a heap of several GB (the embedded AWS keeps everything every test
    wrote); the interpreter's last garbage collection walked it for two minutes after the
    last test. Frozen objects are skipped by that collection: the process ends at once."""
    import gc

    gc.freeze()


# ``make test`` runs the suite on two workers (pytest-xdist, ``--dist loadgroup``), each
# with a stack of its own. Each half runs whole on one worker in collection order, so a
# run's order is the same every time (a subsequence of the serial order), not the order
# xdist's balancing happens to pick. The halves take about the same time: the unit tests,
# the pages, the fuzzing and the untested paths; and the other functional tests.
_FIRST_HALF = (
    "unit",
    "layout",
    "functional/browser",
    "functional/test_fuzz.py",
    "functional/test_untested_paths.py",
)
_TESTS = Path(__file__).resolve().parent


def half(path: Path) -> str:
    """A new folder joins the second half unless named here: check the halves' times
    (``--durations``) when one grows."""
    try:
        where = path.resolve().relative_to(_TESTS).as_posix()
    except ValueError:  # a test file outside tests/, named on the command line
        return "second"
    first = any(where == p or where.startswith(p + "/") for p in _FIRST_HALF)
    return "first" if first else "second"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(half(item.path)))
