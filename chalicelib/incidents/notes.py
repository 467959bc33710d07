"""What the team writes into a postmortem (R2): its summary and cause in their own
words, the lessons, and follow-up actions each with an owner. Pure: parsing and checks,
no I/O. Kept beside the incident (``INCIDENT#{id}`` / ``NOTES``), revisioned, and each
edit goes on the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.core.errors import ValidationFailed

MAX_TEXT = 4000
MAX_LESSONS = 20
MAX_LESSON = 1000
MAX_FOLLOW_UPS = 30
MAX_WHAT = 300


@dataclass(frozen=True)
class FollowUp:
    what: str
    owner: str  # a user id of the brand
    due: date | None = None
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "done": self.done,
        }


@dataclass(frozen=True)
class PostmortemNotes:
    summary: str = ""
    cause: str = ""
    lessons: tuple[str, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    edited_by: str | None = None
    edited_at: datetime | None = None
    revision: int = 0  # 0: never written

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "cause": self.cause,
            "lessons": list(self.lessons),
            "follow_ups": [f.to_dict() for f in self.follow_ups],
            "edited_by": self.edited_by,
            "edited_at": self.edited_at.isoformat() if self.edited_at else None,
            "revision": self.revision,
        }

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> PostmortemNotes:
        """From what the store kept (already checked when it was written)."""
        return PostmortemNotes(
            summary=raw.get("summary", ""),
            cause=raw.get("cause", ""),
            lessons=tuple(raw.get("lessons", ())),
            follow_ups=tuple(
                FollowUp(
                    f["what"],
                    f["owner"],
                    date.fromisoformat(f["due"]) if f.get("due") else None,
                    bool(f.get("done")),
                )
                for f in raw.get("follow_ups", ())
            ),
            edited_by=raw.get("edited_by"),
            edited_at=datetime.fromisoformat(raw["edited_at"]) if raw.get("edited_at") else None,
            revision=int(raw.get("revision", 0)),
        )


def _text(raw: Any, name: str, limit: int) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationFailed("must be text", field=name)
    text = raw.strip()
    if len(text) > limit:
        raise ValidationFailed(f"is {len(text)} characters; at most {limit}", field=name)
    return text


def parse_notes(body: Any, people: set[str]) -> PostmortemNotes:
    """The notes a person sent, checked: every follow-up names one of ``people`` (the
    brand's user ids) as its owner; a ``ValidationFailed`` names the field otherwise."""
    if not isinstance(body, dict):
        raise ValidationFailed("must be an object", field="body")
    unknown = sorted(set(body) - {"summary", "cause", "lessons", "follow_ups"})
    if unknown:
        raise ValidationFailed("is not a known field", field=unknown[0])
    lessons_raw = body.get("lessons") or []
    if not isinstance(lessons_raw, list) or len(lessons_raw) > MAX_LESSONS:
        raise ValidationFailed(f"must be a list of at most {MAX_LESSONS}", field="lessons")
    lessons = tuple(
        t for i, item in enumerate(lessons_raw) if (t := _text(item, f"lessons.{i}", MAX_LESSON))
    )
    ups_raw = body.get("follow_ups") or []
    if not isinstance(ups_raw, list) or len(ups_raw) > MAX_FOLLOW_UPS:
        raise ValidationFailed(f"must be a list of at most {MAX_FOLLOW_UPS}", field="follow_ups")
    return PostmortemNotes(
        summary=_text(body.get("summary"), "summary", MAX_TEXT),
        cause=_text(body.get("cause"), "cause", MAX_TEXT),
        lessons=lessons,
        follow_ups=tuple(
            up
            for i, item in enumerate(ups_raw)
            if (up := _follow_up(item, f"follow_ups.{i}", people)) is not None
        ),
    )


def _follow_up(raw: Any, name: str, people: set[str]) -> FollowUp | None:
    if not isinstance(raw, dict):
        raise ValidationFailed("must be an object", field=name)
    unknown = sorted(set(raw) - {"what", "owner", "due", "done"})
    if unknown:
        raise ValidationFailed("is not a known field", field=f"{name}.{unknown[0]}")
    what = _text(raw.get("what"), f"{name}.what", MAX_WHAT)
    owner = raw.get("owner")
    if not what and not owner:
        return None  # an empty row of a form
    if not what:
        raise ValidationFailed("says what is to be done", field=f"{name}.what")
    if not isinstance(owner, str) or owner not in people:
        raise ValidationFailed("must be a person of the brand", field=f"{name}.owner")
    due_raw = raw.get("due")
    due = None
    if due_raw not in (None, ""):
        try:
            due = date.fromisoformat(str(due_raw))
        except ValueError:
            raise ValidationFailed("must be a date like 2026-12-31", field=f"{name}.due") from None
    done = raw.get("done", False)
    if not isinstance(done, bool):
        raise ValidationFailed("must be true or false", field=f"{name}.done")
    return FollowUp(what, owner, due, done)
