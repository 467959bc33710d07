"""Bluesky adapter: ``SocialNetwork`` over the AT Protocol, built on the ``atproto`` SDK.

Logs in with the account's app password only when there is no usable session:
``createSession`` is limited to 30 calls per 5 minutes and 300 a day per account, so
the session (atproto's session string) is kept in a ``SessionStore`` (Secrets
Manager in Firebreak) and a cold Lambda resumes it; the SDK refreshes the access
token before it expires (on our clock) and this adapter refreshes it when the
server says ``ExpiredToken`` anyway, logging in again only when the refresh token
is spent too. Every new session is saved back to the store.

atproto is imported only when a ``BlueskyClient`` first talks to the network, so that
importing this module stays cheap on a Lambda cold start (atproto costs ~0.8 s).
Ids: a post's Firebreak id is the integer behind its record key (a TID, see
``bluesky_text``); another account's post is addressed by its ``at://`` URI (the
``RemotePost.ref``). A mention checkpoint is the notification's ``indexedAt`` in
microseconds (``bluesky_mentions``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from chalicelib.networks.bluesky_credentials import (
    DEFAULT_SERVICE_URL,
    BlueskyCredentials,
    BlueskyCredentialsError,
    MemorySessionStore,
    SessionStore,
)
from chalicelib.networks.bluesky_posts import AtUri, checkpoint, datetime_text, view_to_post
from chalicelib.networks.bluesky_text import (
    BLUESKY_MAX_BYTES,
    BLUESKY_MAX_GRAPHEMES,
    bluesky_length,
    facets,
    id_to_tid,
)
from chalicelib.networks.social import (
    MentionBatch,
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    RemotePost,
    SocialNetworkError,
    scrub_secrets,
)

__all__ = [
    "DEFAULT_SERVICE_URL",
    "DEFAULT_TIMEOUT_S",
    "BlueskyClient",
    "BlueskyCredentials",
    "BlueskyCredentialsError",
    "MemorySessionStore",
    "SessionStore",
    "map_bluesky_error",
]

DEFAULT_TIMEOUT_S = 10.0
# When a 429 carries no usable ratelimit-reset header: the PDS's windows are 5 minutes.
RATE_LIMIT_FALLBACK = timedelta(minutes=5)
# Errors after which the session is renewed (refreshed, else logged in) and the call retried.
RENEW_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
NOT_FOUND_ERRORS = frozenset({"NotFound", "RecordNotFound"})
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")

T = TypeVar("T")


# ------------------------------------------------------------------------ errors


def scrub(text: str, secrets: Sequence[str]) -> str:
    """``text`` on one line with the secrets and anything shaped like a JWT masked."""
    return _JWT.sub("***", " ".join(scrub_secrets(text, secrets).split()))


def xrpc_error(exc: BaseException) -> str | None:
    """The XRPC error name (``ExpiredToken``...) of an SDK request error, if any."""
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    error = getattr(content, "error", None)
    if error is None and isinstance(content, Mapping):
        error = content.get("error")
    return str(error) if error else None


def _status(exc: BaseException) -> int | None:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def map_bluesky_error(
    exc: BaseException,
    operation: str,
    *,
    now: datetime | None = None,
    secrets: Sequence[str] = (),
) -> SocialNetworkError:
    """Translate an atproto/httpx failure into the domain's error types.

    * 429 → ``RateLimited`` (reset from ``ratelimit-reset``, else now + 5 minutes)
    * 5xx, timeouts, connection and transport errors, unparsable answers →
      ``NetworkUnavailable``
    * 404, or the error ``NotFound`` / ``RecordNotFound`` → ``PostNotFound``
    * any other 4xx (wrong app password, expired session, invalid record) →
      ``PostRejected``
    * anything else → ``SocialNetworkError``

    Messages are one line, with ``secrets`` and JWTs masked."""
    import httpx
    from atproto_client import exceptions

    now = now or datetime.now(UTC)
    status, error = _status(exc), xrpc_error(exc)
    detail = scrub(str(exc) or type(exc).__name__, secrets)
    message = f"Bluesky {operation} failed: {detail}"
    if isinstance(exc, exceptions.RateLimitExceededError) or status == 429:
        reset = getattr(exc, "reset_at", None)
        return RateLimited(reset if isinstance(reset, datetime) else now + RATE_LIMIT_FALLBACK)
    if status is not None and status >= 500:
        return NetworkUnavailable(message)
    if status == 404 or error in NOT_FOUND_ERRORS:
        return PostNotFound(message)
    if status is not None and 400 <= status < 500:
        return PostRejected(message)
    if isinstance(exc, exceptions.NetworkError | httpx.TransportError | exceptions.ModelError):
        # Transport failures, no answer in time, or an answer that is not the API's
        # (a proxy's error page): another try may do.
        return NetworkUnavailable(message)
    if isinstance(exc, exceptions.LoginRequiredError):
        return PostRejected(message)
    return SocialNetworkError(message)


def _sdk_client(service_url: str, timeout_s: float, clock: Callable[[], float]) -> Any:
    """An atproto ``Client`` whose idea of now is ``clock`` and whose requests time out."""
    from atproto_client import Client
    from atproto_client.request import Request

    class _ClockedClient(Client):
        # The SDK refreshes a session 15 minutes before its access token expires, by
        # its own clock; ours is the one the rest of Firebreak (and tests) run on.
        def get_current_time(self) -> datetime:
            return datetime.fromtimestamp(clock(), tz=UTC)

    return _ClockedClient(service_url, request=Request(timeout=timeout_s))


def _length_problem(text: str) -> str | None:
    graphemes = bluesky_length(text)
    if graphemes > BLUESKY_MAX_GRAPHEMES:
        return f"is {graphemes} graphemes, Bluesky allows {BLUESKY_MAX_GRAPHEMES}"
    size = len(text.encode("utf-8"))
    if size > BLUESKY_MAX_BYTES:
        return f"is {size} bytes in UTF-8, Bluesky allows {BLUESKY_MAX_BYTES}"
    return None


def dump(model: Any) -> dict[str, Any]:
    """An SDK model as the JSON the server sent (camelCase keys, ``$type`` kept)."""

    def fallback(value: Any) -> Any:
        to_dict = getattr(value, "to_dict", None)  # the SDK's DotDict (unknown types)
        return to_dict() if callable(to_dict) else str(value)

    data: dict[str, Any] = model.model_dump(
        mode="json", by_alias=True, exclude_none=True, fallback=fallback
    )
    return data


class BlueskyClient:
    """``SocialNetwork`` for one Bluesky account.

    ``session_store``: where the session is resumed from and saved to (None: log in
    once per client). ``timeout_s``: per-request timeout. ``clock``: epoch seconds,
    for ``createdAt`` and for when the SDK refreshes the session. ``timeline()`` and
    ``mentions()`` read at most ``max_pages`` pages of ``page_size`` (1-100).
    """

    def __init__(
        self,
        credentials: BlueskyCredentials,
        *,
        session_store: SessionStore | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        clock: Callable[[], float] = time.time,
        page_size: int = 50,
        max_pages: int = 5,
    ) -> None:
        if not 1 <= page_size <= 100:
            raise ValueError("page_size must be between 1 and 100 (Bluesky's limits)")
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self._credentials = credentials
        self._store = session_store
        self._timeout_s = timeout_s
        self._clock = clock
        self.page_size = page_size
        self.max_pages = max_pages
        self._sdk: Any = None
        self._did: str | None = None
        self._handle: str | None = None
        self.logins = 0  # createSession calls this client made

    def __repr__(self) -> str:
        return f"BlueskyClient(did={self._did!r}, credentials={self._credentials!r})"

    # ------------------------------------------------------------------ session

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def _session_changed(self, event: Any, session: Any) -> None:
        self._did, self._handle = session.did, session.handle
        if self._store is not None and getattr(event, "value", event) in ("create", "refresh"):
            self._store.save(session.export())

    def _stored_session(self) -> str | None:
        """The stored session string, if it is this account's and can still be refreshed."""
        from atproto_client import Session
        from atproto_core.exceptions import AtProtocolError
        from atproto_server.auth.jwt import get_jwt_payload

        stored = self._store.load() if self._store is not None else None
        if not stored:
            return None
        try:
            session = Session.decode(stored)
            refresh_exp = get_jwt_payload(session.refresh_jwt).exp
            # A broken access token would fail every call without ever renewing.
            access_exp = get_jwt_payload(session.access_jwt).exp
        except (ValueError, TypeError, AtProtocolError):  # not a session, or not JWTs in it
            return None
        if not isinstance(access_exp, int):
            return None
        wanted = self._credentials.handle.lower()
        if wanted not in (str(session.handle).lower(), str(session.did).lower()):
            return None  # another account's (a secret was swapped)
        if not isinstance(refresh_exp, int) or refresh_exp <= self._clock():
            return None
        return stored

    def _log_in(self, sdk: Any) -> None:
        # createSession goes to the service the account was given, not to a PDS that
        # an old session named.
        sdk.update_base_url(self._credentials.service_url)
        self.logins += 1
        sdk.login(
            self._credentials.handle, self._credentials.app_password, fetch_bsky_profile=False
        )

    def _renew(self, sdk: Any) -> None:
        """After ``ExpiredToken``: refresh the session, else (refresh token spent) log in."""
        from atproto_client.exceptions import BadRequestError, UnauthorizedError

        try:
            with sdk._refresh_lock:
                # The SDK refreshes only ahead of time, by its clock; there is no public
                # call for a token the server says has expired.
                sdk._refresh_and_set_session()
        except (BadRequestError, UnauthorizedError) as exc:
            if xrpc_error(exc) not in RENEW_ERRORS | {"AuthenticationRequired", "AuthMissing"}:
                raise
            self._log_in(sdk)

    def _client(self) -> Any:
        if self._sdk is None:
            sdk = _sdk_client(self._credentials.service_url, self._timeout_s, self._clock)
            sdk.on_session_change(self._session_changed)
            stored = self._stored_session()
            if stored is not None:
                sdk.login(session_string=stored, fetch_bsky_profile=False)  # no request
            else:
                self._log_in(sdk)
            self._sdk = sdk
        return self._sdk

    def _secrets(self) -> tuple[str, ...]:
        return self._credentials.secret_values()

    def call(self, operation: str, fn: Callable[[Any], T]) -> T:
        """``fn(sdk)`` with the session renewed once when the server says it expired,
        and atproto's errors turned into the domain's."""
        import httpx
        from atproto_client.exceptions import BadRequestError, UnauthorizedError
        from atproto_core.exceptions import AtProtocolError

        try:
            sdk = self._client()
            try:
                return fn(sdk)
            except (BadRequestError, UnauthorizedError) as exc:
                if xrpc_error(exc) not in RENEW_ERRORS:
                    raise
            self._renew(sdk)
            return fn(sdk)
        except (AtProtocolError, httpx.HTTPError) as exc:
            raise map_bluesky_error(
                exc, operation, now=self.now(), secrets=self._secrets()
            ) from exc

    def query(self, operation: str, method: str, params: Mapping[str, Any]) -> Any:
        """``call`` of the SDK's ``method`` (its dotted path on the client, e.g.
        ``app.bsky.feed.get_posts``) with ``params``."""

        def invoke(sdk: Any) -> Any:
            target = sdk
            for name in method.split("."):
                target = getattr(target, name)
            return target(dict(params))

        return self.call(operation, invoke)

    def own_id(self) -> str:
        """The account's DID (logs in, or resumes the stored session, on first use)."""
        self.call("login", lambda sdk: None)
        assert self._did is not None
        return self._did

    def own_handle(self) -> str:
        self.own_id()
        assert self._handle is not None
        return self._handle

    # ------------------------------------------------------------------ references

    def _uri(self, post_id_or_ref: str) -> AtUri:
        """An at:// URI as given, or a Firebreak id of one of the account's posts."""
        if post_id_or_ref.startswith("at://"):
            try:
                uri = AtUri.parse(post_id_or_ref)
            except ValueError as exc:
                raise PostRejected(f"Bluesky post reference is malformed: {exc}") from None
            if uri.collection != "app.bsky.feed.post":
                raise PostRejected("Bluesky post reference is not a post (app.bsky.feed.post)")
            return uri
        try:
            rkey = id_to_tid(post_id_or_ref)
        except ValueError as exc:
            raise PostNotFound(f"Bluesky post id {post_id_or_ref!r} is not one: {exc}") from None
        return AtUri.post(self.own_id(), rkey)

    def _record(self, operation: str, uri: AtUri) -> dict[str, Any]:
        """``{"uri", "cid", "value"}`` of a record (``PostNotFound`` when it is gone)."""
        params = {"repo": uri.repo, "collection": uri.collection, "rkey": uri.rkey}
        response = self.query(operation, "com.atproto.repo.get_record", params)
        return dump(response)

    def _resolve(self, handle: str) -> str | None:
        from atproto_client.exceptions import BadRequestError

        def resolve(sdk: Any) -> str | None:
            try:
                return str(sdk.com.atproto.identity.resolve_handle({"handle": handle}).did)
            except BadRequestError as exc:
                # No such handle: the text keeps it, unlinked. A token problem (an
                # ExpiredToken is a 400 too) goes up, to be renewed by ``call``.
                content = getattr(getattr(exc, "response", None), "content", None)
                if getattr(content, "error", None) in ("ExpiredToken", "InvalidToken"):
                    raise
                return None

        return self.call("resolve_handle", resolve)

    def _facets(self, text: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        dids: dict[str, str | None] = {}
        for facet in facets(text):
            if facet.kind == "link":
                found.append(facet.as_record())
                continue
            handle = facet.value.lower()
            if handle not in dids:
                dids[handle] = self._resolve(handle)
            did = dids[handle]
            if did is not None:
                found.append(facet.as_record(did))
        return found

    # ------------------------------------------------------------------ SocialNetwork

    def publish(
        self, text: str, *, reply_to: str | None = None, quote_of: str | None = None
    ) -> RemotePost:
        """Post ``text`` (optionally replying to and/or quoting a post, by Firebreak id
        of one of ours or by at:// URI), with its links and resolvable mentions."""
        problem = _length_problem(text)
        if problem:
            raise PostRejected(f"Bluesky publish refused: the text {problem}")
        did = self.own_id()
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": datetime_text(self.now()),
        }
        found = self._facets(text)
        if found:
            record["facets"] = found
        if reply_to is not None:
            parent = self._record("publish", self._uri(reply_to))
            parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
            parent_reply = (parent.get("value") or {}).get("reply")
            root = parent_reply.get("root") if isinstance(parent_reply, Mapping) else None
            root_ref = {"uri": root["uri"], "cid": root["cid"]} if root else parent_ref
            record["reply"] = {"root": root_ref, "parent": parent_ref}
        if quote_of is not None:
            quoted = self._record("publish", self._uri(quote_of))
            record["embed"] = {
                "$type": "app.bsky.embed.record",
                "record": {"uri": quoted["uri"], "cid": quoted["cid"]},
            }
        data = {"repo": did, "collection": "app.bsky.feed.post", "record": record}
        created = self.query("publish", "com.atproto.repo.create_record", data)
        view = {
            "uri": created.uri,
            "cid": created.cid,
            "author": {"did": did, "handle": self._handle},
            "record": record,
            "indexedAt": record["createdAt"],
            "likeCount": 0,
            "repostCount": 0,
            "replyCount": 0,
            "quoteCount": 0,
        }
        return view_to_post(view, did)

    def delete(self, post_id: str) -> None:
        """Delete one of the account's posts; ``PostNotFound`` if it is already gone
        (the PDS itself answers success for a missing record, so it is looked up first)."""
        uri = self._uri(post_id)
        if uri.repo not in (self.own_id(), self.own_handle()):
            raise PostRejected("Bluesky delete refused: only the account's own posts")
        self._record("delete", uri)
        data = {"repo": self.own_id(), "collection": uri.collection, "rkey": uri.rkey}
        self.query("delete", "com.atproto.repo.delete_record", data)

    def get_post(self, post_id: str) -> RemotePost:
        """One post by Firebreak id (ours) or at:// URI; ``PostNotFound`` when gone."""
        uri = self._uri(post_id)
        did = self.own_id()
        response = self.query("get_post", "app.bsky.feed.get_posts", {"uris": [str(uri)]})
        if not response.posts:
            raise PostNotFound(f"Bluesky get_post failed: no post at {uri}")
        return view_to_post(dump(response.posts[0]), did)

    def timeline(self, *, since_id: str | None = None) -> list[RemotePost]:
        """The account's own posts and replies (not its reposts) newer than
        ``since_id``, newest first."""
        did = self.own_id()
        since = checkpoint(since_id, "since_id")
        found: dict[str, RemotePost] = {}
        cursor: str | None = None
        for _ in range(self.max_pages):
            params: dict[str, Any] = {
                "actor": did,
                "filter": "posts_with_replies",
                "limit": self.page_size,
            }
            if cursor:
                params["cursor"] = cursor
            page = self.query("timeline", "app.bsky.feed.get_author_feed", params)
            reached = False
            for item in page.feed:
                if item.reason is not None:  # a repost (or a pin): not a post of ours now
                    continue
                try:
                    post = view_to_post(dump(item.post), did)
                except ValueError:  # a record key that is not a TID
                    continue
                if post.author_id != did:
                    continue
                if since is not None and int(post.id) <= since:
                    reached = True
                    continue
                found[post.id] = post
            cursor = page.cursor
            if reached or not cursor or not page.feed:
                break
        return sorted(found.values(), key=lambda p: int(p.id), reverse=True)

    def mentions(self, *, since_id: str | None = None) -> list[RemotePost]:
        """Mentions, replies and quotes of the account newer than the checkpoint
        ``since_id``, newest first."""
        batch = self.mention_batch(since_id=since_id, max_posts=self.page_size * self.max_pages)
        return batch.posts

    def mention_batch(self, *, since_id: str | None, max_posts: int) -> MentionBatch:
        """Mentions, replies and quotes newer than the checkpoint ``since_id`` (a
        notification's ``indexedAt`` in microseconds), at most ``max_posts``, newest
        first, with their authors' follower counts."""
        from chalicelib.networks.bluesky_mentions import read_notifications

        return read_notifications(self, since_id=since_id, max_posts=max_posts)

    def search_mentions(
        self,
        *,
        since_id: str | None,
        until_id: str,
        max_posts: int,
        start_time: datetime | None = None,
    ) -> MentionBatch:
        """Posts mentioning the account between two checkpoints (or from
        ``start_time``), from ``app.bsky.feed.searchPosts``: what fills a gap. Search
        finds facet mentions only, not replies or quotes that do not name the account."""
        from chalicelib.networks.bluesky_mentions import search_mentions

        return search_mentions(
            self, since_id=since_id, until_id=until_id, max_posts=max_posts, start_time=start_time
        )
