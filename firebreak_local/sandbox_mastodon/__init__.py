"""Sandbox Mastodon: a local, in-memory stand-in for the part of Mastodon's REST API
Firebreak uses.

Firebreak's Mastodon adapter (``chalicelib.networks.mastodon.MastodonClient``, built
on Mastodon.py) is pointed at this server locally, in drills and in tests, so that
nothing reaches a real instance. Answers follow Mastodon 4.3's JSON entities and
headers (``Link`` paging, ``X-RateLimit-*`` with an ISO 8601 reset, ``Date``).

Start it with ``start_sandbox_mastodon()`` (binds 127.0.0.1 only, port 0 = any free
port; ``clock=`` for a fixed time) or ``python -m firebreak_local.sandbox_mastodon
--port 8766``.

It serves:

- ``GET /api/v1/instance`` and ``GET /api/v2/instance`` (``configuration.statuses``:
  ``max_characters``, default 500, see ``set_max_characters``;
  ``characters_reserved_per_url`` 23; version 4.3.0);
- ``GET /api/v1/accounts/verify_credentials`` and ``GET /api/v1/accounts/:id``;
- ``POST /api/v1/statuses`` (length by ``mastodon_length``, HTML content as Mastodon
  renders it, ``Idempotency-Key``), ``GET`` and ``DELETE /api/v1/statuses/:id``;
- ``GET /api/v1/accounts/:id/statuses`` and ``GET /api/v1/notifications`` with
  ``since_id``/``max_id``/``min_id``/``limit`` and ``Link`` headers;
- bearer-token auth (401 ``The access token is invalid``), 300 requests per token per
  five minutes (429 ``Too many requests``), injected faults (``fail_next``);
- ``/_sandbox/...`` control endpoints (``control``).

Modules: ``state`` (records, ids, the shared state), ``render`` (HTML and JSON),
``accounts`` (accounts, tokens), ``statuses`` (statuses, notifications, the drill's
view), ``api`` (the REST routes), ``faults`` (rate limits, faults), ``surge``
(pile-ons), ``control`` (``/_sandbox``), ``server`` (WSGI app and serving).

Python control methods on ``SandboxMastodon`` (``RunningSandboxMastodon.app``):
``add_account``, ``add_token``, ``revoke_token``, ``accounts``, ``set_max_characters``,
``configure``, ``inject_post``, ``inject_mention``, ``inject_favourite``,
``inject_surge``, ``delete_post``, ``post``, ``posts``, ``notifications``,
``fail_next``, ``faults``, ``clear_faults``, ``requests_log``, ``reset``.
"""

from __future__ import annotations

from firebreak_local.sandbox_mastodon.server import (
    RunningSandboxMastodon,
    SandboxMastodon,
    main,
    start_sandbox_mastodon,
)
from firebreak_local.sandbox_mastodon.state import SandboxError

__all__ = [
    "RunningSandboxMastodon",
    "SandboxError",
    "SandboxMastodon",
    "main",
    "start_sandbox_mastodon",
]
