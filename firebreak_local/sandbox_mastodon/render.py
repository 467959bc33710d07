"""How the sandbox Mastodon renders what it serves: a status's text as Mastodon's HTML
``content``, and accounts, statuses, notifications and the instance as the JSON of
Mastodon 4.3's REST API (the entities Mastodon.py parses).

Rendering follows Mastodon's ``TextFormatter``: the text is HTML-escaped; URLs
(with a scheme) become links whose scheme (and ``www.``) and whatever follows the
first 30 characters sit in ``invisible`` spans; a mention of a known account
becomes an ``h-card`` link reading ``@username``, an unknown one stays text;
hashtags link to the tag; paragraphs split at blank lines become ``<p>`` and single
newlines ``<br />``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import quote

from chalicelib.networks.mastodon import URL_LENGTH, status_entities
from firebreak_local.sandbox_mastodon.state import (
    Account,
    Notification,
    SandboxState,
    Status,
    iso,
)

VERSION = "4.3.0"
_URL_PREFIX = re.compile(r"\A(https?://(www\.)?|xmpp:)")


def _link(url: str) -> str:
    prefix = _URL_PREFIX.match(url)
    head = prefix.group(0) if prefix else ""
    rest = url[len(head) :]
    shown, hidden = rest[:30], rest[30:]
    ellipsis = "ellipsis" if hidden else ""
    return (
        f'<a href="{escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{escape(head)}</span>'
        f'<span class="{ellipsis}">{escape(shown)}</span>'
        f'<span class="invisible">{escape(hidden)}</span></a>'
    )


def _paragraphs(html: str) -> str:
    """Rails' ``simple_format`` with its newlines deleted, as Mastodon uses it."""
    paragraphs = re.split(r"\n\n+", html.replace("\r\n", "\n").replace("\r", "\n"))
    parts = [re.sub(r"([^\n])\n(?=[^\n])", r"\1<br />", p).replace("\n", "") for p in paragraphs]
    return "".join(f"<p>{p}</p>" for p in parts)


class RenderMixin(SandboxState):
    """Turns the sandbox's records into Mastodon's HTML and JSON."""

    def _render_content(self, text: str) -> tuple[str, list[str], list[str]]:
        """``(content HTML, mentioned account ids, hashtags)`` for a status's text."""
        if not text:
            return "", [], []
        out: list[str] = []
        mentioned: list[str] = []
        tags: list[str] = []
        last = 0
        for start, end, kind, value in status_entities(text, hashtags=True):
            out.append(escape(text[last:start]))
            last = end
            if kind == "url":
                out.append(_link(value))
            elif kind == "hashtag":
                tags.append(value.lower())
                url = f"{self.base_url}/tags/{quote(value.lower())}"
                out.append(
                    f'<a href="{escape(url)}" class="mention hashtag" rel="tag">'
                    f"#<span>{escape(value)}</span></a>"
                )
            else:
                username, _, domain = value.partition("@")
                account = self._find_acct(username, domain or None)
                if account is None:
                    out.append(escape("@" + value))
                    continue
                if account.id not in mentioned:
                    mentioned.append(account.id)
                href = escape(self._account_url(account))
                out.append(
                    f'<span class="h-card" translate="no"><a href="{href}" class="u-url mention">'
                    f"@<span>{escape(account.username)}</span></a></span>"
                )
        out.append(escape(text[last:]))
        return _paragraphs("".join(out)), mentioned, tags

    def _account_url(self, account: Account) -> str:
        host = self.base_url if account.domain is None else f"https://{account.domain}"
        return f"{host}/@{account.username}"

    def _account_json(self, account: Account, *, with_source: bool = False) -> dict[str, Any]:
        last = account.last_status_at
        avatar = f"{self.base_url}/avatars/original/missing.png"
        body: dict[str, Any] = {
            "id": account.id,
            "username": account.username,
            "acct": account.acct,
            "display_name": account.display_name,
            "locked": False,
            "bot": False,
            "discoverable": True,
            "indexable": True,
            "group": False,
            "created_at": iso(
                account.created_at.replace(hour=0, minute=0, second=0, microsecond=0)
            ),
            "note": f"<p>{escape(account.note)}</p>" if account.note else "",
            "url": self._account_url(account),
            "uri": (
                f"{self.base_url}/users/{account.username}"
                if account.domain is None
                else f"https://{account.domain}/users/{account.username}"
            ),
            "avatar": avatar,
            "avatar_static": avatar,
            "header": f"{self.base_url}/headers/original/missing.png",
            "header_static": f"{self.base_url}/headers/original/missing.png",
            "followers_count": account.followers_count,
            "following_count": account.following_count,
            "statuses_count": account.statuses_count,
            "last_status_at": last.strftime("%Y-%m-%d") if last else None,
            "hide_collections": False,
            "noindex": False,
            "emojis": [],
            "roles": [],
            "fields": [],
        }
        if with_source:
            body["source"] = {
                "privacy": "public",
                "sensitive": False,
                "language": None,
                "note": account.note,
                "fields": [],
                "follow_requests_count": 0,
                "hide_collections": False,
                "discoverable": True,
                "indexable": True,
            }
            body["role"] = {
                "id": "-99",
                "name": "",
                "permissions": "0",
                "color": "",
                "highlighted": False,
            }
        return body

    def _status_url(self, status: Status) -> tuple[str, str]:
        account = self._accounts[status.account_id]
        if account.domain is None:
            return (
                f"{self.base_url}/@{account.username}/{status.id}",
                f"{self.base_url}/users/{account.username}/statuses/{status.id}",
            )
        remote = f"https://{account.domain}"
        return (
            f"{remote}/@{account.username}/{status.id}",
            f"{remote}/users/{account.username}/statuses/{status.id}",
        )

    def _status_json(
        self, status: Status, *, viewer_id: str | None = None, with_source: bool = False
    ) -> dict[str, Any]:
        account = self._accounts[status.account_id]
        url, uri = self._status_url(status)
        reblog = self._statuses.get(status.reblog_of) if status.reblog_of else None
        mentions = [self._accounts[a] for a in status.mentions if a in self._accounts]
        body: dict[str, Any] = {
            "id": status.id,
            "created_at": iso(status.created_at),
            "in_reply_to_id": status.in_reply_to_id,
            "in_reply_to_account_id": status.in_reply_to_account_id,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": status.visibility,
            "language": status.language,
            "uri": uri,
            "url": url if reblog is None else None,
            "replies_count": status.replies_count,
            "reblogs_count": status.reblogs_count,
            "favourites_count": status.favourites_count,
            "quotes_count": 0,
            "edited_at": None,
            "favourited": False,
            "reblogged": False,
            "muted": False,
            "bookmarked": False,
            "content": status.content,
            "filtered": [],
            "reblog": None if reblog is None else self._status_json(reblog, viewer_id=viewer_id),
            "account": self._account_json(account),
            "media_attachments": [],
            "mentions": [
                {"id": m.id, "username": m.username, "url": self._account_url(m), "acct": m.acct}
                for m in mentions
            ],
            "tags": [{"name": t, "url": f"{self.base_url}/tags/{quote(t)}"} for t in status.tags],
            "emojis": [],
            "card": None,
            "poll": None,
        }
        if status.application is not None:
            body["application"] = {"name": status.application, "website": None}
        if viewer_id == status.account_id:
            body["pinned"] = False
        if with_source:
            body["text"] = status.text
        return body

    def _notification_json(self, notification: Notification, viewer_id: str) -> dict[str, Any]:
        status = self._statuses.get(notification.status_id or "")
        return {
            "id": notification.id,
            "type": notification.type,
            "created_at": iso(notification.created_at),
            "group_key": f"ungrouped-{notification.id}",
            "account": self._account_json(self._accounts[notification.from_account_id]),
            "status": None if status is None else self._status_json(status, viewer_id=viewer_id),
        }

    def _instance_statuses(self) -> dict[str, int]:
        return {
            "max_characters": self.max_characters,
            "max_media_attachments": 4,
            "characters_reserved_per_url": URL_LENGTH,
        }

    def _instance_v2_json(self) -> dict[str, Any]:
        users = sum(1 for a in self._accounts.values() if a.domain is None)
        return {
            "domain": self.domain,
            "title": "Sandbox Mastodon",
            "version": VERSION,
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "A local stand-in for a Mastodon instance (Firebreak's tests).",
            "usage": {"users": {"active_month": users}},
            "thumbnail": {"url": f"{self.base_url}/packs/media/images/preview.png"},
            "icon": [],
            "languages": ["en", "de"],
            "configuration": {
                "urls": {"streaming": self.base_url.replace("http", "ws", 1)},
                "vapid": {"public_key": ""},
                "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
                "statuses": self._instance_statuses(),
                "media_attachments": {
                    "supported_mime_types": ["image/jpeg", "image/png"],
                    "image_size_limit": 16777216,
                    "image_matrix_limit": 33177600,
                    "video_size_limit": 103809024,
                    "video_frame_rate_limit": 120,
                    "video_matrix_limit": 8294400,
                },
                "polls": {
                    "max_options": 4,
                    "max_characters_per_option": 50,
                    "min_expiration": 300,
                    "max_expiration": 2629746,
                },
                "translation": {"enabled": False},
            },
            "registrations": {
                "enabled": False,
                "approval_required": False,
                "message": None,
                "url": None,
            },
            "api_versions": {"mastodon": 2},
            "contact": {"email": "", "account": None},
            "rules": [],
        }

    def _instance_v1_json(self) -> dict[str, Any]:
        v2 = self._instance_v2_json()
        return {
            "uri": self.domain,
            "title": v2["title"],
            "short_description": v2["description"],
            "description": v2["description"],
            "email": "",
            "version": VERSION,
            "urls": {"streaming_api": v2["configuration"]["urls"]["streaming"]},
            "stats": {
                "user_count": v2["usage"]["users"]["active_month"],
                "status_count": sum(1 for s in self._statuses.values() if not s.deleted),
                "domain_count": len({a.domain for a in self._accounts.values() if a.domain}),
            },
            "thumbnail": v2["thumbnail"]["url"],
            "languages": v2["languages"],
            "registrations": False,
            "approval_required": False,
            "invites_enabled": False,
            "configuration": {
                "accounts": v2["configuration"]["accounts"],
                "statuses": self._instance_statuses(),
                "media_attachments": v2["configuration"]["media_attachments"],
                "polls": v2["configuration"]["polls"],
            },
            "contact_account": None,
            "rules": [],
        }
