"""Mention volumes: a streaming surge detector for counts per time bucket.

``SurgeDetector.observe(timestamp, count)`` scores one bucket at a time, with no
look-ahead, against the series' own history (time of day, day of week) under an
overdispersed count model. Its state fits in a small dict (``to_state`` /
``from_state``) so that a Lambda can keep it between invocations. Pure Python.
"""

from chalicelib.mentions.detector import Decision, SurgeDetector, SurgeSettings

__all__ = ["Decision", "SurgeDetector", "SurgeSettings"]
