"""How the sandbox X renders posts and users as X API v2 does.

All reads take ``tweet.fields`` (or ``post.fields``, the spec's name) and
``expansions`` (``author_id``, ``in_reply_to_user_id``, ``referenced_tweets.id``).
Posts always have ``id``, ``text`` and ``edit_history_tweet_ids``; other fields
only when asked: created_at, author_id, conversation_id, in_reply_to_user_id,
referenced_tweets, public_metrics, source, lang, entities (mentions, hashtags,
cashtags, urls), possibly_sensitive, reply_settings, edit_controls. Users:
``user.fields`` created_at, description, protected, verified, public_metrics
(followers, following, listed as registered; tweet_count as registered plus the
user's posts in the sandbox), profile_image_url, url, location.

Where this spec renames a field of the live API (tweet → post), both spellings
are returned so that tweepy and the spec are both satisfied:
``edit_history_tweet_ids``/``edit_history_post_ids``,
``referenced_tweets``/``referenced_posts``, ``retweet_count``/``repost_count``,
user ``tweet_count``/``post_count``, includes ``tweets``/``posts``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_x.state import Post, SandboxState, User, iso
from firebreak_local.sandbox_x.wire import enum_param

URL_RE = re.compile(r"https?://[^\s]+", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})")
_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
_CASHTAG_RE = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6})\b")

# Post fields as tweepy/the live API name them, plus the spec's spellings.
_TWEET_FIELDS = frozenset(
    {
        "article",
        "article_title",
        "attachments",
        "author_id",
        "card_uri",
        "community_id",
        "context_annotations",
        "conversation_id",
        "created_at",
        "display_text_range",
        "edit_controls",
        "edit_history_tweet_ids",
        "edit_history_post_ids",
        "entities",
        "geo",
        "id",
        "in_reply_to_user_id",
        "lang",
        "matched_media_notes",
        "media_metadata",
        "non_public_metrics",
        "note_post",
        "note_tweet",
        "note_request_suggestions",
        "organic_metrics",
        "paid_partnership",
        "possibly_sensitive",
        "promoted_metrics",
        "public_metrics",
        "referenced_tweets",
        "referenced_posts",
        "reply_settings",
        "scopes",
        "source",
        "suggested_source_links",
        "suggested_source_links_with_counts",
        "text",
        "withheld",
    }
)
_USER_FIELDS = frozenset(
    {
        "affiliation",
        "confirmed_email",
        "connection_status",
        "created_at",
        "description",
        "entities",
        "id",
        "is_identity_verified",
        "location",
        "most_recent_tweet_id",
        "name",
        "parody",
        "pinned_tweet_id",
        "profile_banner_url",
        "profile_image_url",
        "protected",
        "public_metrics",
        "receives_your_dm",
        "subscribes_to_you",
        "subscription",
        "subscription_type",
        "url",
        "username",
        "verified",
        "verified_followers_count",
        "verified_type",
        "withheld",
    }
)
_EXPANSIONS = frozenset(
    {
        "article.cover_media",
        "article.media_entities",
        "attachments.media_keys",
        "attachments.media_source_tweet",
        "attachments.poll_ids",
        "author_id",
        "edit_history_tweet_ids",
        "edit_history_post_ids",
        "entities.mentions.username",
        "geo.place_id",
        "in_reply_to_user_id",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
        "referenced_posts",
        "username",
        "pinned_tweet_id",
        "most_recent_tweet_id",
    }
)


class RenderMixin(SandboxState):
    """Field selection, entities and expansions of X API v2 reads."""

    def _post_fields(self, request: Request) -> set[str]:
        return enum_param(request, ("tweet.fields", "post.fields"), _TWEET_FIELDS)

    def _user_fields(self, request: Request) -> set[str]:
        return enum_param(request, ("user.fields",), _USER_FIELDS)

    def _expansions(self, request: Request) -> set[str]:
        return enum_param(request, ("expansions",), _EXPANSIONS)

    def _entities(self, text: str, links: dict[str, str] | None = None) -> dict[str, Any]:
        entities: dict[str, Any] = {}
        mentions = []
        for match in MENTION_RE.finditer(text):
            mention: dict[str, Any] = {
                "start": match.start(),
                "end": match.end(),
                "username": match.group(1),
            }
            user = self._find_username(match.group(1))
            if user is not None:
                mention["id"] = user.id
            mentions.append(mention)
        if mentions:
            entities["mentions"] = mentions
        hashtags = [
            {"start": m.start(), "end": m.end(), "tag": m.group(1)}
            for m in _HASHTAG_RE.finditer(text)
        ]
        if hashtags:
            entities["hashtags"] = hashtags
        cashtags = [
            {"start": m.start(), "end": m.end(), "tag": m.group(1)}
            for m in _CASHTAG_RE.finditer(text)
        ]
        if cashtags:
            entities["cashtags"] = cashtags
        urls = []
        for match in URL_RE.finditer(text):
            url = match.group(0).rstrip(".,;:!?)")
            expanded = (links or {}).get(url, url)
            display = re.sub(r"^https?://(www\.)?", "", expanded, flags=re.IGNORECASE)
            urls.append(
                {
                    "start": match.start(),
                    "end": match.start() + len(url),
                    "url": url,
                    "expanded_url": expanded,
                    "display_url": display if len(display) <= 26 else display[:25] + "…",
                }
            )
        if urls:
            entities["urls"] = urls
        return entities

    def _post_counts(self) -> Counter[str]:
        return Counter(p.author_id for p in self._posts.values() if not p.deleted)

    def _render_post(self, post: Post, fields: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": post.id,
            "text": post.text,
            "edit_history_tweet_ids": [post.id],
            "edit_history_post_ids": [post.id],
        }
        if "created_at" in fields:
            data["created_at"] = iso(post.created_at)
        if "author_id" in fields:
            data["author_id"] = post.author_id
        if "conversation_id" in fields:
            data["conversation_id"] = post.conversation_id
        if "in_reply_to_user_id" in fields and post.in_reply_to_user_id:
            data["in_reply_to_user_id"] = post.in_reply_to_user_id
        if fields & {"referenced_tweets", "referenced_posts"} and post.referenced:
            refs = [{"type": kind, "id": ref_id} for kind, ref_id in post.referenced]
            data["referenced_tweets"] = refs
            data["referenced_posts"] = [dict(ref) for ref in refs]
        if "public_metrics" in fields:
            metrics = dict(post.metrics)
            metrics["repost_count"] = metrics["retweet_count"]
            data["public_metrics"] = metrics
        if "source" in fields:
            data["source"] = post.source
        if "lang" in fields:
            data["lang"] = post.lang
        if "entities" in fields:
            entities = self._entities(post.text, post.links)
            if entities:
                data["entities"] = entities
        if "possibly_sensitive" in fields:
            data["possibly_sensitive"] = False
        if "reply_settings" in fields:
            data["reply_settings"] = "everyone"
        if "edit_controls" in fields:
            data["edit_controls"] = {
                "edits_remaining": 5,
                "is_edit_eligible": not post.referenced,
                "editable_until": iso(post.created_at + timedelta(hours=1)),
            }
        return data

    def _render_user(
        self, user: User, fields: set[str], post_counts: Counter[str] | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        if "created_at" in fields:
            data["created_at"] = iso(user.created_at)
        if "description" in fields:
            data["description"] = user.description
        if "protected" in fields:
            data["protected"] = user.protected
        if "verified" in fields:
            data["verified"] = user.verified
        if "profile_image_url" in fields:
            data["profile_image_url"] = (
                "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
            )
        if "url" in fields:
            data["url"] = ""
        if "location" in fields:
            data["location"] = ""
        if "public_metrics" in fields:
            if post_counts is None:
                post_counts = self._post_counts()
            count = user.tweet_count + post_counts[user.id]
            data["public_metrics"] = {
                "followers_count": user.followers_count,
                "following_count": user.following_count,
                "tweet_count": count,
                "post_count": count,
                "listed_count": user.listed_count,
                "like_count": 0,
                "media_count": 0,
            }
        return data

    def _includes(
        self, posts: Iterable[Post], expansions: set[str], user_fields: set[str]
    ) -> dict[str, Any]:
        user_ids: list[str] = []
        referenced: list[Post] = []
        for post in posts:
            if "author_id" in expansions:
                user_ids.append(post.author_id)
            if "in_reply_to_user_id" in expansions and post.in_reply_to_user_id:
                user_ids.append(post.in_reply_to_user_id)
            if expansions & {"referenced_tweets.id", "referenced_posts"}:
                for _, ref_id in post.referenced:
                    ref = self._posts.get(ref_id)
                    if ref is not None and not ref.deleted:
                        referenced.append(ref)
        includes: dict[str, Any] = {}
        users = [self._users[uid] for uid in dict.fromkeys(user_ids) if uid in self._users]
        if users:
            # One pass over the posts for every author's tweet_count (surges hold thousands).
            counts = self._post_counts() if "public_metrics" in user_fields else None
            includes["users"] = [self._render_user(user, user_fields, counts) for user in users]
        if referenced:
            unique = {post.id: post for post in referenced}.values()
            rendered = [self._render_post(post, {"author_id", "created_at"}) for post in unique]
            includes["tweets"] = rendered
            includes["posts"] = [dict(item) for item in rendered]
        return includes
