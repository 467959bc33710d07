"""What a crisis drill raises when a step did not happen as a person would expect."""

from __future__ import annotations


class DrillFailed(Exception):
    """A step of the drill did not happen as a person would expect."""
