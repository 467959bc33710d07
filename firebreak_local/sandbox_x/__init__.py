"""Sandbox X: a local, in-memory stand-in for the part of X API v2 Firebreak uses.

Firebreak's X adapter (``chalicelib.networks.x.XClient``, built on tweepy) is
pointed at this server when running locally, in drills and in tests, so that
nothing ever reaches the real X. Responses follow X API v2 as described by the
official OpenAPI spec vendored in ``firebreak_local/specs/`` (the tests
validate every body with ``firebreak_local.sandbox_x.spec``).

Start it with ``start_sandbox_x()`` (binds 127.0.0.1 only, port 0 = any free
port) or ``python -m firebreak_local.sandbox_x --port 8765``.

Each module documents its part of the API:

- ``users``: ``GET /2/users/me``, accounts (with their ``public_metrics``), tokens and
  authentication;
- ``posts``: ``POST /2/tweets``, ``DELETE /2/tweets/{id}``, ``GET /2/tweets/{id}``,
  ``GET /2/tweets?ids=``, t.co link wrapping, known differences from X;
- ``timelines``: ``GET /2/users/{id}/tweets`` and ``GET /2/users/{id}/mentions``;
- ``search``: ``GET /2/tweets/search/recent``, with the query language in ``query``;
- ``surge``: scripted pile-ons of mentions (``inject_surge``, ``POST /_sandbox/surge``),
  with the texts and names they use in ``surge_texts``;
- ``render``: ``tweet.fields``/``user.fields``/``expansions`` and the field names
  returned in both the live API's and the spec's spelling;
- ``faults``: rate limits (``RATE_LIMITS``) and injected faults;
- ``wire``: error bodies and query-parameter validation;
- ``control``: the ``/_sandbox/...`` control endpoints and their Python twins;
- ``state``: the shared in-memory state; ``server``: ``SandboxX`` and serving it;
- ``spec``: the OpenAPI validator the tests hold the sandbox to.
"""

from __future__ import annotations

from firebreak_local.sandbox_x.faults import RATE_LIMITS
from firebreak_local.sandbox_x.server import RunningSandboxX, SandboxX, main, start_sandbox_x
from firebreak_local.sandbox_x.wire import SandboxError

__all__ = [
    "RATE_LIMITS",
    "RunningSandboxX",
    "SandboxError",
    "SandboxX",
    "main",
    "start_sandbox_x",
]
