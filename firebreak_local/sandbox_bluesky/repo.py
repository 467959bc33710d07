"""The sandbox Bluesky's repositories: ``com.atproto.repo.createRecord``,
``deleteRecord`` and ``getRecord`` for posts (``app.bsky.feed.post``) and reposts
(``app.bsky.feed.repost``).

Record keys are TIDs from the sandbox clock; CIDs are CIDv1 (dag-cbor, sha2-256,
``bafyrei...``). A post is validated as the PDS does for the parts Firebreak
writes: text at most 300 graphemes and 3,000 UTF-8 bytes, ``createdAt`` a datetime,
facets' byte ranges inside the text, reply and quote references to records that are
strong refs (``uri`` + ``cid``); anything else answers 400 ``InvalidRequest``.
Differences from the PDS: deleting a missing record succeeds (as there), but getting
one answers 400 ``RecordNotFound``; the repo's commit ``rev`` is a TID.

Writing a post notifies whom it concerns (see ``_notify``): the authors of the posts
it replies to (parent and thread root) or quotes, and the accounts it mentions by
facet or by ``@handle`` in its text, one notification per account (reply before
quote before mention), never the author.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Request

from chalicelib.networks.bluesky_text import (
    BLUESKY_MAX_BYTES,
    BLUESKY_MAX_GRAPHEMES,
    bluesky_length,
)
from firebreak_local.sandbox_bluesky.sessions import SessionsMixin
from firebreak_local.sandbox_bluesky.state import (
    POST,
    REPOST,
    Account,
    Notice,
    Record,
    make_cid,
    parse_datetime,
)
from firebreak_local.sandbox_bluesky.wire import XrpcError, invalid, json_body, required

_FEATURES = (
    "app.bsky.richtext.facet#link",
    "app.bsky.richtext.facet#mention",
    "app.bsky.richtext.facet#tag",
)
_QUOTE_EMBEDS = ("app.bsky.embed.record", "app.bsky.embed.recordWithMedia")
_MENTION_TEXT = re.compile(r"(?:^|[\s(])@([a-zA-Z0-9.-]+[a-zA-Z0-9])")


def _bad(message: str) -> XrpcError:
    return invalid(f"Invalid app.bsky.feed.post record: {message}")


def _strong_ref(value: Any, where: str) -> str:
    if not isinstance(value, dict):
        raise _bad(f"{where} must be an object")
    uri, cid = value.get("uri"), value.get("cid")
    if not isinstance(uri, str) or not uri.startswith("at://"):
        raise _bad(f"{where}/uri must be a valid at-uri")
    if not isinstance(cid, str) or not cid:
        raise _bad(f"{where}/cid must be a cid string")
    return uri


def validate_post(record: dict[str, Any]) -> None:
    """The PDS's checks of a post record, for what Firebreak writes."""
    text = record.get("text")
    if not isinstance(text, str):
        raise _bad("Record/text must be a string")
    if bluesky_length(text) > BLUESKY_MAX_GRAPHEMES:
        raise _bad(f"Record/text must not be longer than {BLUESKY_MAX_GRAPHEMES} graphemes")
    size = len(text.encode("utf-8"))
    if size > BLUESKY_MAX_BYTES:
        raise _bad(f"Record/text must not be longer than {BLUESKY_MAX_BYTES} characters")
    if parse_datetime(record.get("createdAt")) is None:
        raise _bad(
            "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
        )
    for n, facet in enumerate(record.get("facets") or []):
        where = f"Record/facets/{n}"
        index = facet.get("index") if isinstance(facet, dict) else None
        if not isinstance(index, dict):
            raise _bad(f"{where} must have the property index")
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end < 0:
            raise _bad(f"{where}/index/byteStart and byteEnd must be non-negative integers")
        if not start <= end <= size:
            raise _bad(
                f"{where}/index byte range {start}..{end} is outside the text ({size} bytes)"
            )
        features = facet.get("features")
        if not isinstance(features, list) or not features:
            raise _bad(f"{where}/features must be a non-empty array")
        for feature in features:
            kind = feature.get("$type") if isinstance(feature, dict) else None
            if kind not in _FEATURES:
                raise _bad(f"{where}/features has an unknown feature {kind!r}")
            if kind.endswith("#mention") and not str(feature.get("did", "")).startswith("did:"):
                raise _bad(f"{where}/features/did must be a valid did")
            if kind.endswith("#link") and not isinstance(feature.get("uri"), str):
                raise _bad(f"{where}/features/uri must be a uri")
    reply = record.get("reply")
    if reply is not None:
        if not isinstance(reply, dict):
            raise _bad("Record/reply must be an object")
        _strong_ref(reply.get("root"), "Record/reply/root")
        _strong_ref(reply.get("parent"), "Record/reply/parent")
    embed = record.get("embed")
    if embed is not None:
        if not isinstance(embed, dict) or embed.get("$type") not in _QUOTE_EMBEDS:
            raise _bad("Record/embed must be app.bsky.embed.record (the sandbox has no media)")
        inner = embed.get("record")
        if embed["$type"] == "app.bsky.embed.recordWithMedia" and isinstance(inner, dict):
            inner = inner.get("record")
        _strong_ref(inner, "Record/embed/record")
    langs = record.get("langs")
    if langs is not None and (not isinstance(langs, list) or len(langs) > 3):
        raise _bad("Record/langs must be an array of at most 3 language codes")


def quoted_uri(record: dict[str, Any]) -> str | None:
    embed = record.get("embed")
    if not isinstance(embed, dict) or embed.get("$type") not in _QUOTE_EMBEDS:
        return None
    inner = embed.get("record")
    if embed["$type"] == "app.bsky.embed.recordWithMedia" and isinstance(inner, dict):
        inner = inner.get("record")
    uri = inner.get("uri") if isinstance(inner, dict) else None
    return uri if isinstance(uri, str) else None


class RepoMixin(SessionsMixin):
    """Records in repositories, and the notifications writing them makes."""

    def _write(
        self, account: Account, collection: str, value: dict[str, Any], *, at: int | None = None
    ) -> Record:
        """Store a new record (already validated) with a fresh TID key."""
        with self._lock:
            rkey, indexed = self._stamp(at)
            uri = f"at://{account.did}/{collection}/{rkey}"
            record = Record(
                uri=uri,
                did=account.did,
                collection=collection,
                rkey=rkey,
                cid=make_cid({**value, "_uri": uri}),
                value=value,
                indexed_at=indexed,
            )
            self._records[uri] = record
            if collection == POST:
                self._post_ids[self._post_id(record)] = uri
                reply = value.get("reply")
                if isinstance(reply, dict):
                    parent = self._find(str(reply["parent"]["uri"]))
                    if parent is not None:
                        self._replies.setdefault(parent.uri, []).append(uri)
                quoted = quoted_uri(value)
                target = self._find(quoted) if quoted else None
                if target is not None:
                    self._quotes.setdefault(target.uri, []).append(uri)
                self._notify(record)
            elif collection == REPOST:
                subject = self._find(str(value["subject"]["uri"]))
                if subject is not None:
                    self._reposts.setdefault(subject.uri, []).append(uri)
            return record

    def _notify(self, record: Record) -> None:
        value = record.value
        reasons: dict[str, tuple[str, str | None]] = {}

        def add(did: str | None, reason: str, subject: str | None) -> None:
            if did and did != record.did and did in self._accounts and did not in reasons:
                reasons[did] = (reason, subject)

        reply = value.get("reply")
        if isinstance(reply, dict):
            for key in ("parent", "root"):
                target = self._find(str(reply[key]["uri"]))
                if target is not None:
                    add(target.did, "reply", target.uri)
        quoted = quoted_uri(value)
        target = self._find(quoted) if quoted else None
        if target is not None:
            add(target.did, "quote", target.uri)
        for facet in value.get("facets") or []:
            for feature in facet.get("features") or []:
                if str(feature.get("$type", "")).endswith("#mention"):
                    add(str(feature.get("did")), "mention", None)
        for handle in _MENTION_TEXT.findall(str(value.get("text", ""))):
            account = self._account(handle)
            add(account.did if account else None, "mention", None)
        for did, (reason, subject) in reasons.items():
            self._notices.append(Notice(did, record.uri, reason, subject, record.indexed_at))

    def _new_post(
        self, account: Account, value: dict[str, Any], *, at: int | None = None
    ) -> Record:
        validate_post(value)
        return self._write(account, POST, value, at=at)

    # ------------------------------------------------------------------ XRPC methods

    def _own_repo(self, body: dict[str, Any], caller: Account) -> None:
        repo = required(body, "repo")
        if self._account(repo) is not caller:
            raise XrpcError(401, "AuthenticationRequired", "Authentication Required")

    def _create_record(self, request: Request, caller: Account) -> dict[str, Any]:
        body = json_body(request)
        self._own_repo(body, caller)
        collection = required(body, "collection")
        value = body.get("record")
        if not isinstance(value, dict):
            raise invalid('Input must have the property "record"')
        if value.get("$type") != collection:
            raise invalid(f"Invalid $type: expected {collection}, got {value.get('$type')}")
        if body.get("rkey") is not None:
            raise invalid("The sandbox Bluesky makes every record key itself (rkey not served)")
        if collection == POST:
            record = self._new_post(caller, value)
        elif collection == REPOST:
            _strong_ref(value.get("subject"), "Record/subject")
            if parse_datetime(value.get("createdAt")) is None:
                raise invalid("Invalid app.bsky.feed.repost record: Record/createdAt is invalid")
            record = self._write(caller, REPOST, value)
        else:
            raise invalid(f"The sandbox Bluesky does not store {collection} records")
        return {
            "uri": record.uri,
            "cid": record.cid,
            "commit": {"cid": make_cid({"commit": record.uri}), "rev": record.rkey},
            "validationStatus": "valid",
        }

    def _delete_record(self, request: Request, caller: Account) -> dict[str, Any]:
        body = json_body(request)
        self._own_repo(body, caller)
        collection = required(body, "collection")
        rkey = required(body, "rkey")
        with self._lock:
            record = self._records.get(f"at://{caller.did}/{collection}/{rkey}")
            if record is not None and not record.deleted:
                record.deleted_at = self._now_micros()
            rev, _ = self._stamp()
        # The PDS answers success for a record that is not there, too.
        return {"commit": {"cid": make_cid({"delete": rev}), "rev": rev}}

    def _get_record(self, request: Request) -> dict[str, Any]:
        repo = required(request.args, "repo")
        collection = required(request.args, "collection")
        rkey = required(request.args, "rkey")
        with self._lock:
            account = self._account(repo)
            if account is None:
                raise invalid(f"Could not find repo: {repo}")
            uri = f"at://{account.did}/{collection}/{rkey}"
            record = self._records.get(uri)
            if record is None or record.deleted:
                raise XrpcError(400, "RecordNotFound", f"Could not locate record: {uri}")
            wanted = request.args.get("cid")
            if wanted and wanted != record.cid:
                raise XrpcError(400, "RecordNotFound", f"Could not locate record: {uri}")
            return {"uri": uri, "cid": record.cid, "value": record.value}
