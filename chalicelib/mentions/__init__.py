"""Mention volumes: a streaming surge detector for counts per time bucket.

``SurgeDetector.observe(timestamp, count)`` scores one bucket at a time, with no
look-ahead, against the series' own history (time of day, day of week) under an
overdispersed count model. Its state fits in a small dict (``to_state`` /
``from_state``) so that a Lambda can keep it between invocations. Pure Python.

The names load on first use: importing the package (every Lambda imports the routes
under it) does not build the detector's classes.
"""

from typing import Any

__all__ = ["Decision", "SurgeDetector", "SurgeSettings"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from chalicelib.mentions import detector

        return getattr(detector, name)
    raise AttributeError(f"module 'chalicelib.mentions' has no attribute {name!r}")
