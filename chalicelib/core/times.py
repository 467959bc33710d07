"""Date-times at Firebreak's edges: only ISO-8601 strings with an offset, and only
within windows where every later step (sorting, the iCalendar feed, DynamoDB keys,
time-zone conversion) works. A schedule goes at most five years ahead; a query may
reach from 2000 to ten years ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.core.errors import ValidationFailed

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
SCHEDULE_AHEAD = timedelta(days=5 * 365 + 1)  # five years, leap day included
QUERY_AHEAD = timedelta(days=10 * 365 + 3)  # ten years
# Years outside these cannot be converted between offsets (datetime overflows at 1 and
# 9999) and are nowhere near a sane window: refused before any arithmetic.
_MIN_YEAR, _MAX_YEAR = 1970, 2200
EXAMPLE = "2026-12-01T09:00:00+01:00"


def parse_datetime(value: object) -> datetime:
    """An aware UTC datetime from an ISO-8601 string with an offset; ``ValueError``
    (with a message for people) for anything else, numbers included."""
    if not isinstance(value, str):
        raise ValueError(f"must be an ISO-8601 date-time string with an offset, e.g. {EXAMPLE}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"must be an ISO-8601 date-time with an offset, e.g. {EXAMPLE}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"must carry a time zone offset, e.g. {EXAMPLE}")
    if not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        raise ValueError(f"year {parsed.year} is out of range")
    return parsed.astimezone(UTC)


def parse_query_time(value: str | None, field: str, now: datetime) -> datetime | None:
    """A ``from``/``to`` query value: None when absent, else within the query window."""
    if value is None or value == "":
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field=field) from None
    check_window(parsed, field, latest=now + QUERY_AHEAD, ahead="ten years")
    return parsed


def check_schedule(at: datetime, now: datetime, field: str = "scheduled_at") -> None:
    """A schedule goes out at most five years from now (it may be in the past while a
    draft: submitting refuses that with its own message)."""
    check_window(at, field, latest=now + SCHEDULE_AHEAD, ahead="five years")


def check_window(at: datetime, field: str, *, latest: datetime, ahead: str) -> None:
    if at < EARLIEST:
        raise ValidationFailed(f"must not be before {EARLIEST:%Y-%m-%d}", field=field)
    if at > latest:
        raise ValidationFailed(
            f"must not be after {latest:%Y-%m-%d} ({ahead} from now)", field=field
        )


def human_time(at: datetime | None, zone: str = "UTC", *, date_only: bool = False) -> str:
    """A time as a person reads it in mails and pages: in the account's zone, with the
    zone named, to the minute (``Mon 2 Mar 2026, 03:30 CET``); never raw UTC ISO."""
    if at is None:
        return "not scheduled"
    from zoneinfo import ZoneInfo

    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    local = at.astimezone(ZoneInfo(zone))
    day = f"{local:%a} {local.day} {local:%b %Y}"
    return day if date_only else f"{day}, {local:%H:%M} {local.tzname()}"
