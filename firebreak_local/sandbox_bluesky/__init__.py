"""Sandbox Bluesky: a local, in-memory AT Protocol server (PDS and AppView in one) for
the part of Bluesky Firebreak uses, at ``/xrpc/<nsid>``.

Firebreak's Bluesky adapter (``chalicelib.networks.bluesky.BlueskyClient``, built on
the ``atproto`` SDK) is pointed at it (``service_url``) locally, in drills and in
tests, so that nothing reaches Bluesky. Answers have the shapes the SDK's models
parse (``atproto_client.models``); errors are XRPC's ``{"error", "message"}``.

Start it with ``start_sandbox_bluesky()`` (binds 127.0.0.1 only, port 0 = any free
port) or ``python -m firebreak_local.sandbox_bluesky --port 8767``.

It serves:

- ``com.atproto.server.createSession`` (handle or DID + app password; 30 per 5
  minutes and 300 a day per account), ``refreshSession``, ``getSession``,
  ``describeServer``: real HS256 JWTs whose access tokens expire (``sessions``);
- ``com.atproto.repo.createRecord`` (posts validated: 300 graphemes, 3,000 bytes,
  facet ranges), ``deleteRecord``, ``getRecord``; TID record keys, ``bafyrei`` CIDs
  (``repo``);
- ``app.bsky.feed.getPosts``, ``getAuthorFeed``, ``searchPosts``,
  ``app.bsky.notification.listNotifications`` (mentions, replies, quotes),
  ``app.bsky.actor.getProfile`` / ``getProfiles`` (``followersCount``),
  ``com.atproto.identity.resolveHandle`` (``appview``);
- ``ratelimit-*`` headers on every answer and injected faults (``server``).

Control is by Python methods on the app object (``running.app``): ``add_account``,
``inject_post``, ``inject_mention``, ``inject_repost``, ``inject_surge``, ``post``,
``posts``, ``set_metrics``, ``fail_next``, ``clear_faults``, ``create_session_calls``,
``expire_tokens``, ``requests_log``, ``configure``, ``reset`` (``control``,
``surge``, ``sessions``, ``state``). There are no HTTP control endpoints.
"""

from __future__ import annotations

from firebreak_local.sandbox_bluesky.server import (
    ROUTES,
    RunningSandboxBluesky,
    SandboxBluesky,
    main,
    start_sandbox_bluesky,
)
from firebreak_local.sandbox_bluesky.wire import SandboxError

__all__ = [
    "ROUTES",
    "RunningSandboxBluesky",
    "SandboxBluesky",
    "SandboxError",
    "main",
    "start_sandbox_bluesky",
]
