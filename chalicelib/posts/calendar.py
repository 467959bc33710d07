"""The editorial calendar's iCalendar feed (P7), RFC 5545 through the icalendar package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from chalicelib.posts.domain import Post, PostStatus

_EVENT_STATUS = {
    PostStatus.APPROVED: "CONFIRMED",
    PostStatus.PUBLISHING: "CONFIRMED",
    PostStatus.PUBLISHED: "CONFIRMED",
    PostStatus.CANCELLED: "CANCELLED",
    PostStatus.EXPIRED: "CANCELLED",
    PostStatus.REJECTED: "CANCELLED",
    PostStatus.FAILED: "CANCELLED",
}


def _summary(post: Post) -> str:
    text = " ".join(post.text.split())
    short = text if len(text) <= 60 else text[:59] + "…"
    return f"[{post.status.value}] {short}"


def render_ics(account_id: str, account_name: str, posts: Iterable[Post], now: datetime) -> bytes:
    # icalendar costs ~100 ms to import: only the feed route pays for it.
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Firebreak//Editorial calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Firebreak: {account_name}")
    for post in posts:
        if post.scheduled_at is None:
            continue
        event = Event()
        event.add("uid", f"{post.id}@firebreak")
        event.add("dtstamp", now)
        event.add("dtstart", post.scheduled_at)
        event.add("dtend", _end(post.scheduled_at))
        event.add("summary", _summary(post))
        event.add(
            "description", f"{post.text}\n\nstatus: {post.status.value}\nauthor: {post.author_id}"
        )
        event.add("last-modified", post.updated_at)
        # SEQUENCE must grow with every change so clients replace their copy.
        event.add("sequence", _sequence(post))
        event.add("status", _EVENT_STATUS.get(post.status, "TENTATIVE"))
        event.add("categories", [post.status.value])
        cal.add_component(event)
    return bytes(cal.to_ical())


def _end(start: datetime) -> datetime:
    # A post stored before schedules had a window may sit at the end of time: the feed
    # still serves it (a zero-length event) rather than fail for every post.
    try:
        return start + EVENT_LENGTH
    except OverflowError:
        return start


EVENT_LENGTH = timedelta(minutes=15)


def _sequence(post: Post) -> int:
    # Every change (edit or status move) bumps the revision, so SEQUENCE only grows.
    return post.revision
