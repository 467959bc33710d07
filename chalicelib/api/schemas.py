"""Request bodies at the API edge: pydantic models with ``extra="forbid"``."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from chalicelib.core.times import parse_datetime
from chalicelib.links.domain import REASON_MAX

# Only strings are date-times (pydantic would take 0 as 1970), parsed by the domain's
# rules before pydantic sees them; the window against "now" is the service's check.
UtcDateTime = Annotated[datetime, BeforeValidator(parse_datetime)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    """The strict config plus request examples for the OpenAPI document (and for the
    schemathesis run in ``make test``, whose examples phase sends them)."""
    return ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": list(examples)}
    )


class CreatePost(Strict):
    model_config = _examples(
        {"text": "Our winter blend is back.", "scheduled_at": "2026-12-01T09:00:00+01:00"},
        {"text": "New menu", "links": ["https://acme.example/menu"]},
    )

    text: str = Field(min_length=1, max_length=10_000)
    links: list[str] = Field(default_factory=list, max_length=10)
    scheduled_at: UtcDateTime | None = None


class EditPost(Strict):
    model_config = _examples(
        {"text": "Our winter blend is back, now in oat."},
        {"scheduled_at": "2026-12-02T09:00:00+01:00"},
        {"clear_schedule": True},
    )

    text: str | None = Field(default=None, min_length=1, max_length=10_000)
    links: list[str] | None = Field(default=None, max_length=10)
    scheduled_at: UtcDateTime | None = None
    clear_schedule: bool = False

    @model_validator(mode="after")
    def _not_empty(self) -> EditPost:
        # An empty edit would still void every approval: refuse it.
        unchanged = self.text is None and self.links is None and self.scheduled_at is None
        if unchanged and not self.clear_schedule:
            raise ValueError("send at least one of text, links, scheduled_at")
        return self


class Reject(Strict):
    model_config = _examples(
        {"reason": "Too salesy for a Monday."},
    )

    reason: str = Field(min_length=1, max_length=REASON_MAX)


class Hours(Strict):
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class PolicyBody(Strict):
    model_config = _examples(
        {
            "forbidden_phrases": ["guaranteed results"],
            "forbidden_topics": {"politics": ["election"]},
            "allowed_hours": {"start": "08:00", "end": "20:00"},
            "allowed_link_domains": ["acme.example"],
        },
    )

    forbidden_phrases: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    forbidden_topics: dict[str, list[Annotated[str, Field(min_length=1)]]] = Field(
        default_factory=dict
    )
    allowed_hours: Hours | None = None
    allowed_link_domains: list[str] | None = None

    @field_validator("allowed_link_domains")
    @classmethod
    def _domains(cls, value: list[str] | None) -> list[str] | None:
        for domain in value or ():
            if not re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", domain.lower()):
                raise ValueError(f"{domain!r} is not a domain name")
        return value


class RuleBody(Strict):
    approvals: int = Field(ge=1, le=10)
    required_roles: list[Literal["approver", "brand_owner", "admin"]] = Field(default_factory=list)


class ApprovalRulesBody(Strict):
    model_config = _examples(
        {"staff": {"approvals": 1}, "agency": {"approvals": 2, "required_roles": ["brand_owner"]}},
    )

    staff: RuleBody
    agency: RuleBody


class FreezeBody(Strict):
    model_config = _examples(
        {"scope": "acct_demo", "reason": "Quiet day of mourning"},
    )

    scope: str = Field(
        min_length=1,
        max_length=100,
        description='an account id, or "all" for every account of your brand',
    )
    reason: str = Field(min_length=1, max_length=2000)


class OpenIncident(Strict):
    model_config = _examples(
        {"account_id": "acct_demo", "post": "https://x.com/acme_demo/status/1234567890"},
    )

    account_id: str = Field(min_length=1, max_length=100)
    post: str = Field(
        min_length=1,
        max_length=500,
        description=(
            "a post id or its URL on the account's network (x.com, a Mastodon status, bsky.app)"
        ),
    )
    severity: Literal["low", "medium", "high", "critical"] | None = None
    note: str | None = Field(default=None, max_length=2000)


class FollowUpIn(Strict):
    what: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=1, max_length=100, description="a user id of the brand")
    due: str | None = Field(default=None, max_length=10, description="a date, 2026-12-31")
    done: StrictBool = False


class PostmortemNotesIn(Strict):
    model_config = _examples(
        {
            "summary": "A scheduled joke read as mocking a disaster; deleted in 19 minutes.",
            "cause": "The post was approved before the news broke and nobody rechecked it.",
            "lessons": ["Recheck the calendar when news breaks"],
            "follow_ups": [{"what": "Add a news-check step", "owner": "u_olivia"}],
        },
    )

    summary: str = Field(default="", max_length=4000)
    cause: str = Field(default="", max_length=4000)
    lessons: list[Annotated[str, Field(max_length=1000)]] = Field(
        default_factory=list, max_length=20
    )
    follow_ups: list[FollowUpIn] = Field(default_factory=list, max_length=30)


class DecideIncident(Strict):
    model_config = _examples(
        {"decision": "delete", "hack": False},
        {"decision": "keep"},
    )

    decision: Literal["delete", "keep"]
    # "Was this a hack?": true confirms, false rejects, omitted or null leaves it open.
    hack: StrictBool | None = None


class AssignRoles(Strict):
    model_config = _examples(
        {"commander": "u_olivia", "approvers": ["u_adam"], "spokesperson": "u_olivia"},
    )

    commander: str | None = None
    approvers: list[str] | None = None
    spokesperson: str | None = None


class ApologyText(Strict):
    model_config = _examples(
        {"text": "We got this wrong and we are sorry. — Olivia"},
    )

    text: str = Field(min_length=1, max_length=2000)


class StatusUpdate(Strict):
    model_config = _examples(
        {"message": "The post is down; we are talking to the people it hurt."},
    )

    message: str = Field(min_length=1, max_length=2000)


class MentionSettingsBody(Strict):
    """Any subset of an account's listening settings (the rest stay as they are)."""

    model_config = _examples(
        {"min_count": 10, "cooldown_s": 1800},
        {"monthly_read_budget": 100000, "budget_warn_share": 0.9},
        {"enabled": False},
    )

    enabled: StrictBool | None = None
    monthly_read_budget: int | None = Field(default=None, ge=0, le=100_000_000)
    budget_warn_share: float | None = Field(default=None, ge=0, le=1)
    max_posts_per_poll: int | None = Field(default=None, ge=1, le=800)
    gap_fill_posts: int | None = Field(default=None, ge=0, le=10_000)
    alert_surprise: float | None = Field(default=None, ge=0, le=100)
    min_count: int | None = Field(default=None, ge=1, le=1_000_000)
    min_ratio: float | None = Field(default=None, ge=0, le=1000)
    min_window_ratio: float | None = Field(default=None, ge=0, le=1000)
    record_margin: float | None = Field(default=None, ge=0, le=100)
    cooldown_s: int | None = Field(default=None, ge=0, le=7 * 86400)
    calm_s: int | None = Field(default=None, ge=0, le=7 * 86400)
    warmup_s: int | None = Field(default=None, ge=0, le=30 * 86400)
    negative_share: float | None = Field(default=None, ge=0, le=1)
    negative_share_lift: float | None = Field(default=None, ge=0, le=1)
    negative_min_count: int | None = Field(default=None, ge=0, le=1_000_000)
    negative_window_buckets: int | None = Field(default=None, ge=1, le=60)
    incident_share: float | None = Field(default=None, gt=0, le=1)
    samples: int | None = Field(default=None, ge=1, le=20)
    escalate_after_s: int | None = Field(default=None, ge=0, le=7 * 86400)
    urgent_urgency: float | None = Field(default=None, ge=0, le=1)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class AssignMention(Strict):
    model_config = _examples({"assignee": "u_alice"})

    assignee: str = Field(min_length=1, max_length=100)


class ReplyBody(Strict):
    """A reply: its own text, or a template and the values of its placeholders."""

    model_config = _examples(
        {"text": "Sorry about this. We have taken the post down and are looking into it."},
        {"template_id": "sorry-en", "values": {"order": "A-1234"}},
    )

    text: str | None = Field(default=None, min_length=1, max_length=10_000)
    template_id: str | None = Field(default=None, min_length=1, max_length=40)
    values: dict[str, Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=20
    )


class TemplateBody(Strict):
    model_config = _examples(
        {
            "lang": "en",
            "name": "Apology, pile-on",
            "text": "{author} you are right, and we are sorry. We have taken the post down.",
        }
    )

    lang: Literal["en", "de"]
    name: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=1000)
