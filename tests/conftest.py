"""Shared test settings: no test may reach a real AWS account by accident."""

import os

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def pytest_sessionfinish(session: object, exitstatus: int) -> None:
    """The suite leaves a heap of several GB (the embedded AWS keeps everything every test
    wrote); the interpreter's last garbage collection walked it for two minutes after the
    last test. Frozen objects are skipped by that collection: the process ends at once."""
    import gc

    gc.freeze()
