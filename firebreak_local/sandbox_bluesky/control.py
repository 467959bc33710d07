"""The sandbox Bluesky's control methods: what tests and drills call on ``.app``.

- ``inject_post(user_id, text, ...)``: a post on that account's own timeline made
  outside Firebreak (as a drill's rogue post is); ``inject_mention(from, to, text,
  ...)``: a post by another account mentioning, replying to or quoting the account;
  ``inject_repost(user_id, post)``; ``set_metrics(post, like_count=, repost_count=)``.
  Their text gets the facets the Bluesky app would write (links, and mentions of
  handles the sandbox knows).
- ``post(post_id_or_uri)`` / ``posts(did)``: the *drill view* of posts, deleted ones
  included (``deleted: True``): ``{"id", "uri", "cid", "text", "author_id", "handle",
  "deleted", "referenced_tweets", "created_at", "indexed_at", "record"}``.
- ``fail_next(n, status, nsid=None, reset=None, delay_s=0)``: the next ``n`` XRPC
  calls (of ``nsid``, or any) stall ``delay_s`` and/or answer ``status`` (a 429
  carries ``ratelimit-*`` headers with ``reset``, default now + 5 minutes);
  ``clear_faults()``.

Accounts and sessions (``add_account``, ``create_session_calls``, ``expire_tokens``)
are in ``sessions``; ``inject_surge`` in ``surge``; ``requests_log``, ``reset`` and
``configure`` in ``state``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.networks.bluesky_text import facets, tid_to_id
from firebreak_local.sandbox_bluesky.appview import AppViewMixin
from firebreak_local.sandbox_bluesky.repo import quoted_uri
from firebreak_local.sandbox_bluesky.state import (
    REPOST,
    Account,
    Fault,
    Record,
    iso,
    micros_of,
)
from firebreak_local.sandbox_bluesky.wire import SandboxError, XrpcError


class ControlMixin(AppViewMixin):
    """Python control methods over the shared state."""

    # ------------------------------------------------------------------ helpers

    def _who(self, user: str, *, register: bool = False) -> Account:
        account = self._account(user)
        if account is None and register and not user.startswith("did:"):
            self.add_account(user)
            account = self._account(user)
        if account is None:
            raise SandboxError(f"no account {user}")
        return account

    def _target(self, ref: str) -> Record:
        record = self._post_by_ref(ref)
        if record is None or record.deleted:
            raise SandboxError(f"no post {ref}")
        return record

    def _facets_of(self, text: str) -> list[dict[str, Any]]:
        found = []
        for facet in facets(text):
            if facet.kind == "link":
                found.append(facet.as_record())
                continue
            account = self._account(facet.value)
            if account is not None:
                found.append(facet.as_record(account.did))
        return found

    def _value(
        self,
        text: str,
        created: int,
        *,
        reply_to: str | None = None,
        quote_of: str | None = None,
    ) -> dict[str, Any]:
        value: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": iso(created),
            "langs": ["en"],
        }
        found = self._facets_of(text)
        if found:
            value["facets"] = found
        if reply_to is not None:
            parent = self._target(reply_to)
            parent_ref = {"uri": parent.uri, "cid": parent.cid}
            parent_reply = parent.value.get("reply")
            root = parent_reply["root"] if isinstance(parent_reply, dict) else parent_ref
            value["reply"] = {"root": dict(root), "parent": parent_ref}
        if quote_of is not None:
            quoted = self._target(quote_of)
            value["embed"] = {
                "$type": "app.bsky.embed.record",
                "record": {"uri": quoted.uri, "cid": quoted.cid},
            }
        return value

    def _inject(
        self,
        account: Account,
        text: str,
        *,
        created_at: datetime | None,
        reply_to: str | None,
        quote_of: str | None,
    ) -> Record:
        created = micros_of(created_at) if created_at else self._now_micros()
        with self._lock:
            value = self._value(text, created, reply_to=reply_to, quote_of=quote_of)
            try:
                return self._new_post(account, value, at=created)
            except XrpcError as exc:
                raise SandboxError(exc.message) from None

    def _drill_view(self, record: Record) -> dict[str, Any]:
        value = record.value
        referenced = []
        reply = value.get("reply")
        if isinstance(reply, dict):
            parent = self._find(str(reply["parent"]["uri"]))
            if parent is not None:
                referenced.append({"type": "replied_to", "id": self._post_id(parent)})
        quoted = quoted_uri(value)
        target = self._find(quoted) if quoted else None
        if target is not None:
            referenced.append({"type": "quoted", "id": self._post_id(target)})
        return {
            "id": self._post_id(record),
            "uri": record.uri,
            "cid": record.cid,
            "text": value.get("text", ""),
            "author_id": record.did,
            "handle": self._accounts[record.did].handle,
            "deleted": record.deleted,
            "referenced_tweets": referenced,
            "created_at": value.get("createdAt"),
            "indexed_at": iso(record.indexed_at),
            "record": value,
        }

    # ------------------------------------------------------------------ posts

    def inject_post(
        self,
        user_id: str,
        text: str,
        *,
        source: str | None = None,
        created_at: datetime | None = None,
        reply_to: str | None = None,
        quote_of: str | None = None,
    ) -> dict[str, Any]:
        """A post on ``user_id``'s (a DID or handle) own timeline, made outside Firebreak.

        ``source`` is accepted for the drills' sake and ignored: Bluesky reports no
        client. ``reply_to`` / ``quote_of``: a Firebreak id or at:// URI."""
        del source
        with self._lock:
            account = self._who(user_id)
            record = self._inject(
                account, text, created_at=created_at, reply_to=reply_to, quote_of=quote_of
            )
            return self._drill_view(record)

    def inject_mention(
        self,
        from_user_id: str,
        to_user_id: str,
        text: str,
        *,
        reply_to: str | None = None,
        quote_of: str | None = None,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        """A post by ``from_user_id`` (a DID, or a handle: registered when new) that
        mentions ``to_user_id``; ``@handle `` is put first when the text does not name
        it. With ``reply_to``/``quote_of`` it replies to or quotes that post."""
        with self._lock:
            author = self._who(from_user_id, register=True)
            target = self._who(to_user_id)
            if f"@{target.handle}" not in text.lower():
                text = f"@{target.handle} {text}"
            record = self._inject(
                author, text, created_at=created_at, reply_to=reply_to, quote_of=quote_of
            )
            return self._drill_view(record)

    def inject_repost(self, user_id: str, post_id_or_uri: str) -> dict[str, Any]:
        """``user_id`` reposts a post: it shows in their author feed with a reason."""
        with self._lock:
            account = self._who(user_id)
            subject = self._target(post_id_or_uri)
            value = {
                "$type": REPOST,
                "subject": {"uri": subject.uri, "cid": subject.cid},
                "createdAt": iso(self._now_micros()),
            }
            record = self._write(account, REPOST, value)
            return {"uri": record.uri, "cid": record.cid}

    def post(self, post_id_or_uri: str) -> dict[str, Any]:
        """The drill view of any post by Firebreak id or at:// URI (deleted ones too)."""
        with self._lock:
            record = self._post_by_ref(post_id_or_uri)
            if record is None:
                raise SandboxError(f"no post {post_id_or_uri}")
            return self._drill_view(record)

    def posts(
        self, did: str | None = None, *, include_deleted: bool = True
    ) -> list[dict[str, Any]]:
        """Drill views of every post (of ``did``), oldest first."""
        with self._lock:
            found = [
                r
                for r in self._records.values()
                if r.collection == "app.bsky.feed.post"
                and (did is None or r.did == did)
                and (include_deleted or not r.deleted)
            ]
            found.sort(key=lambda r: r.indexed_at)
            return [self._drill_view(r) for r in found]

    def post_id(self, uri: str) -> str:
        """The Firebreak id of the post at ``uri``."""
        return tid_to_id(uri.rsplit("/", 1)[-1])

    def set_metrics(
        self, post_id_or_uri: str, *, like_count: int | None = None, repost_count: int | None = None
    ) -> dict[str, Any]:
        """Set a post's likes, and reposts beyond those made as records."""
        with self._lock:
            record = self._target(post_id_or_uri)
            if like_count is not None:
                record.likes = int(like_count)
            if repost_count is not None:
                record.reposts_extra = int(repost_count)
            return self._drill_view(record)

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        n: int,
        status: int | None,
        *,
        nsid: str | None = None,
        reset: int | None = None,
        delay_s: float = 0.0,
    ) -> None:
        """The next ``n`` XRPC calls (of ``nsid``, else any) stall ``delay_s`` seconds
        and/or answer ``status``; a 429's ``ratelimit-reset`` is ``reset`` (epoch seconds)
        or the sandbox clock's now + 5 minutes."""
        if not isinstance(n, int) or n < 1:
            raise SandboxError("n must be a positive integer")
        if status is not None and not 400 <= status <= 599:
            raise SandboxError("status must be an HTTP error status (400-599)")
        if status is None and delay_s <= 0:
            raise SandboxError("a fault needs a status, a delay_s, or both")
        with self._lock:
            self._faults.append(Fault(n, status, nsid, reset, float(delay_s)))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
