"""Sandbox X recent search: ``GET /2/tweets/search/recent``.

``query`` (required, 1-512 characters; the language of ``query``: ``@handle``,
words, ``"phrases"``, ``#tags``, ``from:``, ``to:``, ``is:retweet|reply|quote``,
``lang:``, ``conversation_id:``, ``-`` negation, ``OR``, parentheses; any other
operator is refused with X's invalid-request problem), ``since_id``,
``until_id``, ``start_time`` (not before 7 days ago on the sandbox clock),
``end_time`` (at least 10 seconds before now, as X requires), ``max_results``
(10-100, default 10), ``next_token`` (or ``pagination_token``), ``sort_order``
(``recency``; ``relevancy`` is accepted and also sorts newest first), and the
same ``tweet.fields``/``post.fields``, ``expansions`` and ``user.fields`` as
mentions. As the spec says, at most one of ``start_time``/``since_id``, of
``end_time``/``until_id`` and of ``next_token``/``pagination_token``.

Only posts of the last 7 days (by ``created_at``) are searched, newest first.
Rate limit: 300 per 15 minutes per user, 450 per app (X's published limits).
Known difference: a post is searchable at once (on X, ``end_time`` defaults to
30 seconds ago, so the newest posts show up a little later).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_x.query import Node, PostFacts, QueryError, matches, parse_query
from firebreak_local.sandbox_x.state import Post
from firebreak_local.sandbox_x.timelines import TimelinesMixin, decode_token
from firebreak_local.sandbox_x.wire import ApiError, id_param, invalid_param, time_param

_MAX_QUERY = 512
_WINDOW = timedelta(days=7)
_END_TIME_LAG = timedelta(seconds=10)


def _minutes(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def _exclusive(request: Request, first: str, second: str) -> None:
    if first in request.args and second in request.args:
        message = f"At most one of `{first}`, `{second}` may be provided"
        raise ApiError(
            400,
            "Invalid Request",
            "One or more parameters to your request was invalid.",
            problem_type="https://api.x.com/2/problems/invalid-request",
            errors=[
                {
                    "type": "https://api.x.com/2/problems/invalid-request",
                    "title": "Invalid Request",
                    "detail": message,
                    "parameters": {
                        first: [request.args[first]],
                        second: [request.args[second]],
                    },
                    "message": message,
                }
            ],
        )


class SearchMixin(TimelinesMixin):
    """``GET /2/tweets/search/recent`` over the posts of the last 7 days."""

    def _search_recent(self, request: Request) -> tuple[int, dict[str, Any]]:
        query = request.args.get("query", "")
        if not query.strip():
            raise invalid_param("query", query, "The `query` query parameter can not be empty")
        if len(query) > _MAX_QUERY:
            raise invalid_param(
                "query",
                query,
                f"There were errors processing your request: Query length {len(query)} "
                f"exceeds the maximum of {_MAX_QUERY} characters",
            )
        try:
            tree = parse_query(query)
        except QueryError as error:
            raise invalid_param("query", query, str(error)) from None
        for first, second in (
            ("start_time", "since_id"),
            ("end_time", "until_id"),
            ("next_token", "pagination_token"),
        ):
            _exclusive(request, first, second)
        since_id = id_param("since_id", request.args.get("since_id"))
        until_id = id_param("until_id", request.args.get("until_id"))
        start_time, end_time = self._search_window(request)
        raw_max = request.args.get("max_results", "10")
        if not raw_max.isdigit() or not 10 <= int(raw_max) <= 100:
            raise invalid_param(
                "max_results",
                raw_max,
                f"The `max_results` query parameter value [{raw_max}] is not between 10 and 100",
            )
        max_results = int(raw_max)
        upper = self._search_token(request)
        sort_order = request.args.get("sort_order", "recency")
        if sort_order not in ("recency", "relevancy"):
            raise invalid_param(
                "sort_order",
                sort_order,
                f"The `sort_order` query parameter value [{sort_order}] is not one of "
                "[recency,relevancy]",
            )
        fields = self._post_fields(request)
        user_fields = self._user_fields(request)
        expansions = self._expansions(request)
        with self._lock:
            selected = [
                post
                for post in self._posts.values()
                if not post.deleted
                and start_time <= post.created_at
                and (end_time is None or post.created_at <= end_time)
                and (since_id is None or int(post.id) > int(since_id))
                and (until_id is None or int(post.id) < int(until_id))
                and (upper is None or int(post.id) < upper)
                and self._query_matches(tree, post)
            ]
            selected.sort(key=lambda p: int(p.id), reverse=True)
            return 200, self._page(selected, max_results, fields, expansions, user_fields)

    def _search_window(self, request: Request) -> tuple[datetime, datetime | None]:
        now = self._now()
        oldest = now - _WINDOW
        start_time = time_param(request, "start_time")
        end_time = time_param(request, "end_time")
        if start_time is not None and start_time < oldest:
            value = request.args["start_time"]
            raise invalid_param(
                "start_time",
                value,
                f"Invalid 'start_time':'{value}'. 'start_time' must be on or after "
                f"{_minutes(oldest)}",
            )
        if end_time is not None and end_time > now - _END_TIME_LAG:
            value = request.args["end_time"]
            raise invalid_param(
                "end_time",
                value,
                f"Invalid 'end_time':'{value}'. 'end_time' must be a minimum of 10 seconds "
                "prior to the request time.",
            )
        if start_time is not None and end_time is not None and start_time >= end_time:
            value = request.args["start_time"]
            raise invalid_param(
                "start_time",
                value,
                f"Invalid 'start_time':'{value}'. 'start_time' must be before 'end_time'",
            )
        return (start_time or oldest), end_time

    @staticmethod
    def _search_token(request: Request) -> int | None:
        name = "next_token" if "next_token" in request.args else "pagination_token"
        token = request.args.get(name)
        if token is None:
            return None
        decoded = decode_token(token)
        if decoded is None:
            raise invalid_param(
                name, token, f"The `{name}` query parameter value [{token}] is not valid"
            )
        return int(decoded)

    def _query_matches(self, tree: Node, post: Post) -> bool:
        author = self._users.get(post.author_id)
        reply_to = self._users.get(post.in_reply_to_user_id or "")
        facts = PostFacts(
            text=post.text,
            author_username=author.username.lower() if author else "",
            author_id=post.author_id,
            reply_to_username=reply_to.username.lower() if reply_to else None,
            reply_to_id=post.in_reply_to_user_id,
            referenced_types=frozenset(kind for kind, _ in post.referenced),
            lang=post.lang,
            conversation_id=post.conversation_id,
        )
        return matches(tree, facts)
