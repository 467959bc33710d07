"""Named domain errors. ``chalicelib.api.errors`` maps each to an HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    code = "validation_failed"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class TooManyRequests(DomainError):
    """A rate limit was reached; nothing was done."""

    code = "rate_limited"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class Conflict(DomainError):
    """Someone else changed the thing first (a lost conditional write)."""

    code = "conflict"


class IncidentExists(Conflict):
    """An incident for this post is already open; ``incident_id`` names it."""

    code = "incident_exists"

    def __init__(self, incident_id: str) -> None:
        super().__init__(f"incident {incident_id} already covers this post")
        self.incident_id = incident_id


class PolicyViolation(DomainError):
    """A draft breaks hard rules and cannot be submitted."""

    code = "policy_violation"

    def __init__(self, message: str, *, rules: list[str]) -> None:
        super().__init__(message)
        self.rules = rules


class SelfApprovalForbidden(DomainError):
    code = "self_approval_forbidden"


class AlreadyDecided(DomainError):
    code = "already_decided"


class LinkInvalid(DomainError):
    """An approval link that is unknown, tampered with, used, stale or someone else's."""

    code = "link_invalid"


class LinkUnknown(LinkInvalid):
    """No such link: a typo, a truncated URL, a token that was never issued (404)."""

    code = "link_unknown"


class LinkMisused(LinkInvalid):
    """The form does not fit the link (another subject, an action it does not offer):
    nothing was decided and the link still works (400)."""

    code = "link_misused"


class LinkNotYours(LinkInvalid):
    """Someone else's link, sent with your API key: it still works for its owner (403)."""

    code = "link_not_yours"


class LinkExpired(LinkInvalid):
    code = "link_expired"


class LinkUsed(LinkInvalid):
    code = "link_used"


class LinkStale(LinkInvalid):
    """The post changed after the link was sent."""

    code = "link_stale"


class FreezeLiftPending(DomainError):
    """The first admin asked to lift; a second, different admin must confirm."""

    code = "freeze_lift_pending"


class VersionChanged(DomainError):
    """A decision names the version its person saw, and the subject changed since: the
    decision is refused rather than applied to words nobody saw (409)."""

    code = "version_changed"
