"""Reading mentions from X for the mention poller (M1): pages with ``since_id`` kept
fixed, the authors' follower counts from ``includes.users``, and whether X's window
(the newest 800 mentions) ended before the checkpoint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.networks.social import MentionBatch, RemotePost
from chalicelib.networks.x import (
    MENTION_EXPANSIONS,
    POST_FIELDS,
    XClient,
    _partial_error,
    to_remote_post,
)


def read_mention_pages(
    client: XClient,
    operation: str,
    fetch: Callable[..., Any],
    params: dict[str, Any],
    token_param: str,
    max_posts: int,
    *,
    page_size: int,
    wall: int | None,
) -> MentionBatch:
    posts: list[RemotePost] = []
    newest: str | None = None
    calls = 0
    more = False
    while len(posts) < max_posts:
        first = params.pop("id", None)
        args = (first,) if first is not None else ()
        response = client._call(
            operation,
            fetch,
            *args,
            # X bills each post read: ask for no more than is wanted (5/10 at least).
            max_results=min(page_size, max(5 if wall else 10, max_posts - len(posts))),
            tweet_fields=list(POST_FIELDS),
            expansions=list(MENTION_EXPANSIONS),
            user_fields=["username", "public_metrics"],
            user_auth=True,
            **params,
        )
        if first is not None:
            params["id"] = first
        calls += 1
        if response.data is None and response.errors and "result_count" not in response.meta:
            raise _partial_error(operation, response.errors, client._secrets)
        if newest is None:
            newest = response.meta.get("newest_id")
        authors = _authors(response.includes)
        referenced = _referenced_authors(response.includes)
        for tweet in response.data or []:
            post = to_remote_post(tweet.data, usernames={k: v[0] for k, v in authors.items()})
            author = authors.get(post.author_id)
            if author is not None:
                post.raw["author"] = {"username": author[0], "followers": author[1]}
            refs = [r.get("id") for r in post.raw.get("referenced_tweets") or () if r]
            post.raw["referenced_authors"] = {
                str(r): referenced[str(r)] for r in refs if str(r) in referenced
            }
            posts.append(post)
        token = response.meta.get("next_token")
        more = bool(token)
        if not token:
            break
        params[token_param] = token
    cut = len(posts) > max_posts
    posts = posts[:max_posts]
    truncated = more or cut or (wall is not None and len(posts) >= wall)
    return MentionBatch(
        posts=posts,
        newest_id=newest,
        oldest_id=posts[-1].id if posts else None,
        truncated=truncated,
        requests=calls,
    )


def _authors(includes: Mapping[str, Any] | None) -> dict[str, tuple[str, int | None]]:
    """User id → (username, followers) from a tweepy response's ``includes``."""
    result: dict[str, tuple[str, int | None]] = {}
    for user in (includes or {}).get("users", []):
        data = getattr(user, "data", user)
        if isinstance(data, Mapping) and "id" in data and "username" in data:
            followers = (data.get("public_metrics") or {}).get("followers_count")
            result[str(data["id"])] = (
                str(data["username"]),
                followers if isinstance(followers, int) else None,
            )
    return result


def _referenced_authors(includes: Mapping[str, Any] | None) -> dict[str, str]:
    """Referenced post id → its author's id, from ``includes.tweets``."""
    result: dict[str, str] = {}
    for tweet in (includes or {}).get("tweets", []):
        data = getattr(tweet, "data", tweet)
        if isinstance(data, Mapping) and data.get("id") and data.get("author_id"):
            result[str(data["id"])] = str(data["author_id"])
    return result
