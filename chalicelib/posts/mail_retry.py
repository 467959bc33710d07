"""Mails that could not be sent, waiting to be tried again (bounded, with backoff).

What waits is how to make the mail again, never the mail itself: an approval request
carries a link token, which is stored nowhere but in the mail, so a retry issues a new
link. After the last attempt the mail is given up and recorded on the post's audit
trail, where the API shows it (``GET /posts/{id}/audit``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# Minutes to wait after the 1st, 2nd, ... failed send; one more failure gives up.
RETRY_DELAYS_MIN = (1, 2, 4, 8, 16)


@dataclass(frozen=True)
class PendingMail:
    key: str  # the mail's once-key: it stays claimed, so nothing else sends it
    kind: str  # "approval_request", or the outcome told to the author ("held", ...)
    post_id: str
    recipient_id: str
    next_attempt_at: datetime
    attempts: int = 1  # failed sends so far
    detail: str = ""  # outcome mails: the sentence the author is told
    last_error: str = ""

    @property
    def gives_up(self) -> bool:
        """True when this many failures leave no retry."""
        return self.attempts > len(RETRY_DELAYS_MIN)

    def failed_again(self, now: datetime, error: str) -> PendingMail:
        """The next state after another failed send (see ``gives_up``)."""
        attempts = self.attempts + 1
        delay = RETRY_DELAYS_MIN[min(attempts, len(RETRY_DELAYS_MIN)) - 1]
        return replace(
            self,
            attempts=attempts,
            next_attempt_at=now + timedelta(minutes=delay),
            last_error=error,
        )


def first_failure(
    *,
    key: str,
    kind: str,
    post_id: str,
    recipient_id: str,
    now: datetime,
    error: str,
    detail: str = "",
) -> PendingMail:
    return PendingMail(
        key=key,
        kind=kind,
        post_id=post_id,
        recipient_id=recipient_id,
        next_attempt_at=now + timedelta(minutes=RETRY_DELAYS_MIN[0]),
        detail=detail,
        last_error=error,
    )
