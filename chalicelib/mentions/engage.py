"""The engagement queue (M4), pure: a mention's place in the queue, its states, the
reply held for a second person's approval, and reply templates.

States: ``new`` → ``assigned`` → ``replied`` or ``dismissed`` (``new`` may be replied
to or dismissed directly). A reply is ``held`` for approval by someone other than its
author while an incident is open on the account or the risk scan flags it; then it is
``posted`` or ``rejected`` (the item keeps its state and may be answered again).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.core.errors import IllegalTransition, ValidationFailed
from chalicelib.mentions.domain import iso, parse_iso


class QueueState(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    DISMISSED = "dismissed"


OPEN_STATES = (QueueState.NEW, QueueState.ASSIGNED)


class ReplyStatus(StrEnum):
    HELD = "held"  # waits for a second person's approval
    POSTING = "posting"  # approved (or needing none): on its way to X
    POSTED = "posted"
    REJECTED = "rejected"  # by the approver; the item may be answered again
    FAILED = "failed"  # X refused it for good; the item may be answered again


_PENDING = (ReplyStatus.HELD, ReplyStatus.POSTING)


@dataclass(frozen=True)
class Reply:
    id: str
    text: str
    author_id: str
    status: ReplyStatus
    created_at: datetime
    version: int = 1  # which draft of the reply to this mention; links are bound to it
    held_because: tuple[str, ...] = ()
    decided_by: str | None = None
    reason: str | None = None
    network_post_id: str | None = None
    posted_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["status"] = self.status.value
        out["created_at"] = iso(self.created_at)
        out["posted_at"] = iso(self.posted_at) if self.posted_at else None
        out["held_because"] = list(self.held_because)
        return out

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> Reply:
        return Reply(
            id=str(raw["id"]),
            text=str(raw["text"]),
            author_id=str(raw["author_id"]),
            status=ReplyStatus(raw["status"]),
            created_at=parse_iso(str(raw["created_at"])),
            version=int(raw.get("version", 1)),
            held_because=tuple(raw.get("held_because") or ()),
            decided_by=raw.get("decided_by"),
            reason=raw.get("reason"),
            network_post_id=raw.get("network_post_id"),
            posted_at=parse_iso(raw["posted_at"]) if raw.get("posted_at") else None,
        )


@dataclass(frozen=True)
class QueueItem:
    """A mention's place in the engagement queue (stored with the mention)."""

    account_id: str
    mention_id: str
    state: QueueState = QueueState.NEW
    assignee: str | None = None
    assigned_at: datetime | None = None
    dismissed_by: str | None = None
    escalated_at: datetime | None = None
    reply: Reply | None = None
    replies: int = 0  # drafts so far (the next reply's version is replies + 1)
    revision: int = 0

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def held(self) -> bool:
        return self.reply is not None and self.reply.status is ReplyStatus.HELD

    @property
    def posting(self) -> bool:
        return self.reply is not None and self.reply.status is ReplyStatus.POSTING

    @property
    def pending(self) -> bool:
        """A reply is waiting for approval or on its way out."""
        return self.reply is not None and self.reply.status in _PENDING

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "assignee": self.assignee,
            "assigned_at": iso(self.assigned_at) if self.assigned_at else None,
            "dismissed_by": self.dismissed_by,
            "escalated_at": iso(self.escalated_at) if self.escalated_at else None,
            "reply": self.reply.to_dict() if self.reply else None,
            "replies": self.replies,
        }

    @staticmethod
    def from_dict(
        account_id: str, mention_id: str, raw: Mapping[str, Any], revision: int
    ) -> QueueItem:
        return QueueItem(
            account_id=account_id,
            mention_id=mention_id,
            state=QueueState(raw.get("state", "new")),
            assignee=raw.get("assignee"),
            assigned_at=parse_iso(raw["assigned_at"]) if raw.get("assigned_at") else None,
            dismissed_by=raw.get("dismissed_by"),
            escalated_at=parse_iso(raw["escalated_at"]) if raw.get("escalated_at") else None,
            reply=Reply.from_dict(raw["reply"]) if raw.get("reply") else None,
            replies=int(raw.get("replies", 0)),
            revision=revision,
        )

    # -- transitions
    def assign(self, assignee: str, now: datetime) -> QueueItem:
        self._require_open("assign")
        return replace(self, state=QueueState.ASSIGNED, assignee=assignee, assigned_at=now)

    def dismiss(self, by: str) -> QueueItem:
        self._require_open("dismiss")
        if self.pending:
            raise IllegalTransition("a reply is waiting: approve or reject it first")
        return replace(self, state=QueueState.DISMISSED, dismissed_by=by)

    def draft_reply(
        self, reply_id: str, text: str, author: str, now: datetime, held_because: tuple[str, ...]
    ) -> QueueItem:
        """A new reply: held for approval when there are reasons, else on its way out."""
        self._require_open("reply to")
        if self.pending:
            raise IllegalTransition("a reply is already waiting for approval or going out")
        reply = Reply(
            id=reply_id,
            text=text,
            author_id=author,
            status=ReplyStatus.HELD if held_because else ReplyStatus.POSTING,
            created_at=now,
            version=self.replies + 1,
            held_because=held_because,
        )
        return replace(self, reply=reply, replies=self.replies + 1)

    def approved(self, by: str) -> QueueItem:
        if not self.held or self.reply is None:
            raise IllegalTransition("no reply is waiting for approval")
        reply = replace(self.reply, status=ReplyStatus.POSTING, decided_by=by)
        return replace(self, reply=reply)

    def posted(self, network_post_id: str, now: datetime) -> QueueItem:
        if not self.posting or self.reply is None:
            raise IllegalTransition("no reply is going out")
        reply = replace(
            self.reply, status=ReplyStatus.POSTED, network_post_id=network_post_id, posted_at=now
        )
        return replace(self, state=QueueState.REPLIED, reply=reply)

    def failed(self, reason: str) -> QueueItem:
        if not self.posting or self.reply is None:
            raise IllegalTransition("no reply is going out")
        reply = replace(self.reply, status=ReplyStatus.FAILED, reason=reason[:500])
        return replace(self, reply=reply)

    def rejected(self, by: str, reason: str) -> QueueItem:
        if not self.held or self.reply is None:
            raise IllegalTransition("no reply is waiting for approval")
        reply = replace(self.reply, status=ReplyStatus.REJECTED, decided_by=by, reason=reason)
        return replace(self, reply=reply)

    def escalated(self, now: datetime) -> QueueItem:
        return replace(self, escalated_at=now)

    def _require_open(self, what: str) -> None:
        if not self.open:
            raise IllegalTransition(f"cannot {what} a mention that is {self.state.value}")


def check_four_eyes(reply: Reply, approver_id: str) -> None:
    """Nobody approves their own reply."""
    if reply.author_id == approver_id:
        from chalicelib.core.errors import SelfApprovalForbidden

        raise SelfApprovalForbidden("a reply is approved by someone other than its author")


# ------------------------------------------------------------------ templates
_TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
LANGS = ("en", "de")
PLACEHOLDERS = ("author", "account")  # filled from the mention; others come with the reply


@dataclass(frozen=True)
class ReplyTemplate:
    id: str
    account_id: str
    lang: str
    name: str
    text: str
    placeholders: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not _TEMPLATE_ID.fullmatch(self.id):
            raise ValidationFailed("must be 1-40 of a-z, 0-9, _ and -", field="template_id")
        if self.lang not in LANGS:
            raise ValidationFailed(f"must be one of {', '.join(LANGS)}", field="lang")
        if not self.name.strip():
            raise ValidationFailed("must not be empty", field="name")
        if not self.text.strip():
            raise ValidationFailed("must not be empty", field="text")
        object.__setattr__(self, "placeholders", template_fields(self.text))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["placeholders"] = list(self.placeholders)
        return out


def template_fields(text: str) -> tuple[str, ...]:
    """The ``{name}`` placeholders of a template, in order; refuses broken braces."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValidationFailed(f"broken placeholder: {exc}", field="text") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not re.fullmatch(r"[a-z_]{1,30}", name) or spec or conversion:
            raise ValidationFailed(
                f"placeholder {{{name}}} must be a plain lower-case name", field="text"
            )
        if name not in names:
            names.append(name)
    return tuple(names)


def render(template: ReplyTemplate, values: Mapping[str, str]) -> str:
    """The template with every placeholder filled; a missing value is named."""
    missing = [n for n in template.placeholders if not str(values.get(n, "")).strip()]
    if missing:
        raise ValidationFailed(f"no value for {{{missing[0]}}}", field=f"values.{missing[0]}")
    return template.text.format(**{n: str(values[n]) for n in template.placeholders})
