"""Sandbox Mastodon statuses and notifications: creating and deleting them (for the API
and for the drill), and the drill's view of a status.

A status that mentions an account (``@username`` in its text) or replies to one of
its statuses gives that account a ``mention`` notification. Mastodon itself
notifies only for the ``@mention`` (its clients put one at the start of every
reply), so the sandbox is a little more generous with replies. A boost gives a
``reblog`` notification and a favourite a ``favourite`` one. Deleting a status
deletes its notifications and its boosts, as Mastodon does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from firebreak_local.sandbox_mastodon.accounts import AccountsMixin
from firebreak_local.sandbox_mastodon.state import Notification, SandboxError, Status, iso

# Ruby's String#strip, which Mastodon applies to a status's text before validating it.
RUBY_WHITESPACE = "\x00\t\n\v\f\r "


class StatusesMixin(AccountsMixin):
    """Statuses, boosts, favourites and the notifications they cause."""

    def _create_status(
        self,
        *,
        account_id: str,
        text: str,
        application: str | None,
        origin: str,
        created_at: datetime | None = None,
        in_reply_to_id: str | None = None,
        reblog_of: str | None = None,
        visibility: str = "public",
        language: str | None = "en",
    ) -> Status:
        """A new status (the caller holds the lock and has checked the ids)."""
        account = self._accounts[account_id]
        when = created_at or self._now()
        parent = self._statuses[in_reply_to_id] if in_reply_to_id else None
        original = self._statuses[reblog_of] if reblog_of else None
        sent = "" if original is not None else text
        text = sent.strip(RUBY_WHITESPACE)
        content, mentioned, tags = self._render_content(text)
        status = Status(
            id=self._next_status_id(when),
            account_id=account_id,
            text=text,
            sent_text=sent,
            content=content,
            created_at=when,
            application=application,
            origin=origin,
            visibility=visibility,
            language=language,
            in_reply_to_id=parent.id if parent else None,
            in_reply_to_account_id=parent.account_id if parent else None,
            reblog_of=original.id if original else None,
            mentions=mentioned,
            tags=tags,
        )
        self._statuses[status.id] = status
        account.statuses_count += 1
        account.last_status_at = max(when, account.last_status_at or when)
        if parent is not None:
            parent.replies_count += 1
        notified = {account_id}
        for target in [*mentioned, *([parent.account_id] if parent else [])]:
            if target not in notified:
                notified.add(target)
                self._notify("mention", target, account_id, status.id, when)
        if original is not None:
            original.reblogs_count += 1
            if original.account_id != account_id:
                self._notify("reblog", original.account_id, account_id, original.id, when)
        return status

    def _notify(
        self, kind: str, account_id: str, from_id: str, status_id: str | None, when: datetime
    ) -> None:
        notification_id = str(next(self._notification_ids))
        self._notifications[notification_id] = Notification(
            id=notification_id,
            type=kind,
            account_id=account_id,
            from_account_id=from_id,
            status_id=status_id,
            created_at=when,
        )

    def _delete_status(self, status: Status) -> None:
        """Discard a status, its notifications and its boosts (the lock is held)."""
        status.deleted_at = self._now()
        self._accounts[status.account_id].statuses_count -= 1
        if status.in_reply_to_id and status.in_reply_to_id in self._statuses:
            self._statuses[status.in_reply_to_id].replies_count -= 1
        if status.reblog_of and status.reblog_of in self._statuses:
            self._statuses[status.reblog_of].reblogs_count -= 1
        # Notifications about a boosted status point at the original: drop only this
        # status's own (mentions, or the boost notification it caused).
        for key in [
            k
            for k, n in self._notifications.items()
            if n.status_id == status.id
            or (
                status.reblog_of
                and n.type == "reblog"
                and n.from_account_id == status.account_id
                and n.status_id == status.reblog_of
            )
        ]:
            del self._notifications[key]
        for boost in [s for s in self._statuses.values() if s.reblog_of == status.id]:
            if not boost.deleted:
                self._delete_status(boost)

    # ------------------------------------------------------------------ drill

    def post(self, post_id: str) -> dict[str, Any]:
        """The drill's view of a status by id, deleted ones too: ``{"id", "text" (as
        sent), "author_id", "deleted", "referenced_tweets", "created_at", ...}``."""
        with self._lock:
            status = self._statuses.get(str(post_id))
            if status is None:
                raise SandboxError(404, f"no status {post_id}")
            return self._drill_view(status)

    def posts(
        self,
        *,
        account_id: str | None = None,
        author_id: str | None = None,
        include_deleted: bool = True,
    ) -> list[dict[str, Any]]:
        """Drill views of every status (of one account; ``author_id`` as the sandbox X
        calls it), oldest first."""
        account_id = account_id if account_id is not None else author_id
        with self._lock:
            return [
                self._drill_view(s)
                for s in sorted(self._statuses.values(), key=lambda s: int(s.id))
                if (account_id is None or s.account_id == str(account_id))
                and (include_deleted or not s.deleted)
            ]

    def _drill_view(self, status: Status) -> dict[str, Any]:
        account = self._accounts[status.account_id]
        return {
            "id": status.id,
            "text": status.sent_text,
            "stored_text": status.text,
            "author_id": status.account_id,
            "author_acct": account.acct,
            "deleted": status.deleted,
            "deleted_at": iso(status.deleted_at) if status.deleted_at else None,
            "referenced_tweets": (
                [{"type": "replied_to", "id": status.in_reply_to_id}]
                if status.in_reply_to_id
                else []
            ),
            "in_reply_to_account_id": status.in_reply_to_account_id,
            "reblog_of": status.reblog_of,
            "created_at": iso(status.created_at),
            "source": status.application,
            "origin": status.origin,
            "url": self._status_url(status)[0],
            "content": status.content,
            "mentions": list(status.mentions),
            "favourites_count": status.favourites_count,
            "reblogs_count": status.reblogs_count,
            "replies_count": status.replies_count,
        }

    def _check_parent(self, reply_to: str | None) -> None:
        if reply_to is not None and self._live_status(str(reply_to)) is None:
            raise SandboxError(404, f"no status {reply_to} to reply to")

    def inject_post(
        self,
        user_id: str,
        text: str,
        *,
        source: str | None = None,
        reply_to: str | None = None,
        reblog_of: str | None = None,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        """A status on ``user_id``'s timeline made outside Firebreak (a rogue or hacked
        post). ``source``: the application's name (``None``: no application, as for
        statuses from other servers). ``reblog_of``: a boost of that status instead."""
        with self._lock:
            self._account(user_id)
            self._check_parent(reply_to)
            if reblog_of is not None and self._live_status(str(reblog_of)) is None:
                raise SandboxError(404, f"no status {reblog_of} to boost")
            status = self._create_status(
                account_id=str(user_id),
                text=text,
                application=source,
                origin="injected",
                created_at=created_at,
                in_reply_to_id=str(reply_to) if reply_to else None,
                reblog_of=str(reblog_of) if reblog_of else None,
            )
            return self._drill_view(status)

    def inject_mention(
        self,
        from_user_id: str,
        to_user_id: str,
        text: str,
        *,
        reply_to: str | None = None,
        source: str | None = None,
        created_at: datetime | None = None,
        visibility: str = "public",
    ) -> dict[str, Any]:
        """A status by ``from_user_id`` mentioning ``to_user_id`` (``@username `` is put in
        front when the text does not mention it), optionally a reply; ``visibility``
        ``private`` or ``direct`` for a followers-only post or a direct message."""
        with self._lock:
            self._account(from_user_id)
            target = self._account(to_user_id)
            self._check_parent(reply_to)
            if str(to_user_id) not in self._render_content(text)[1]:
                text = f"@{target.acct} {text}"
            status = self._create_status(
                account_id=str(from_user_id),
                text=text,
                application=source,
                origin="injected",
                created_at=created_at,
                in_reply_to_id=str(reply_to) if reply_to else None,
                visibility=visibility,
            )
            return self._drill_view(status)

    def inject_favourite(self, from_user_id: str, post_id: str) -> dict[str, Any]:
        """``from_user_id`` favourites a status (its author gets a notification)."""
        with self._lock:
            self._account(from_user_id)
            status = self._live_status(str(post_id))
            if status is None:
                raise SandboxError(404, f"no status {post_id}")
            status.favourites_count += 1
            if status.account_id != str(from_user_id):
                self._notify(
                    "favourite", status.account_id, str(from_user_id), status.id, self._now()
                )
            return self._drill_view(status)

    def delete_post(self, post_id: str) -> dict[str, Any]:
        """Delete a status as its author would (for drills)."""
        with self._lock:
            status = self._live_status(str(post_id))
            if status is None:
                raise SandboxError(404, f"no status {post_id}")
            self._delete_status(status)
            return self._drill_view(status)

    def notifications(self, account_id: str) -> list[dict[str, Any]]:
        """The account's notifications, newest first (``id``, ``type``, ``status_id``)."""
        with self._lock:
            return [
                {
                    "id": n.id,
                    "type": n.type,
                    "from_account_id": n.from_account_id,
                    "status_id": n.status_id,
                    "created_at": iso(n.created_at),
                }
                for n in sorted(self._notifications.values(), key=lambda n: -int(n.id))
                if n.account_id == str(account_id)
            ]
