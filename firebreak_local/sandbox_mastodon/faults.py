"""Sandbox Mastodon rate limits and injected faults.

Every API answer carries Mastodon's ``X-RateLimit-Limit`` (300),
``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (an ISO 8601 time, as Mastodon
sends it) for a five-minute window per token (per client address without one),
aligned to the clock as Rack::Attack aligns it; running out answers 429
``{"error": "Too many requests"}``. Answers also carry a ``Date`` header from the
sandbox's clock, which Mastodon.py compares with its own clock.

``fail_next(n, status)`` makes the next ``n`` API requests (matching a method and
an fnmatch glob on the path) answer ``status`` (a 429 with rate-limit headers for
the current window) and/or stall for ``delay_s`` first. Faults are tried in the
order added; the first match consumes one use; they apply before authentication.
"""

from __future__ import annotations

import fnmatch
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from firebreak_local.sandbox_mastodon.state import (
    ApiError,
    Fault,
    SandboxError,
    SandboxState,
    Window,
)

WINDOW_S = 5 * 60
TOO_MANY = "Too many requests"


def reset_header(reset: int) -> str:
    """``X-RateLimit-Reset`` as Mastodon writes it: ``2026-12-01T06:05:00.000000Z``."""
    return datetime.fromtimestamp(reset, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


class FaultsMixin(SandboxState):
    """Injected faults (control) and the per-token rate-limit windows (API)."""

    def fail_next(
        self,
        n: int = 1,
        status: int | None = 503,
        *,
        method: str = "*",
        path: str = "*",
        delay_s: float = 0.0,
    ) -> dict[str, Any]:
        """Make the next ``n`` matching API requests answer ``status`` (429, 500, 503, ...)
        and/or stall ``delay_s`` seconds first (``status=None``: stall, then answer)."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise SandboxError(400, "n must be a positive integer")
        if status is not None and not (isinstance(status, int) and 400 <= status <= 599):
            raise SandboxError(400, "status must be an HTTP error status (400-599)")
        if not isinstance(delay_s, int | float) or delay_s < 0:
            raise SandboxError(400, "delay_s must be a non-negative number")
        if status is None and not delay_s:
            raise SandboxError(400, "a fault needs a status, a delay_s, or both")
        with self._lock:
            fault = Fault(
                id=next(self._fault_ids),
                method=method.upper(),
                path=path,
                remaining=n,
                status=status,
                delay_s=float(delay_s),
            )
            self._faults.append(fault)
            return fault.to_json()

    def faults(self) -> list[dict[str, Any]]:
        """Pending faults, in the order they will be tried."""
        with self._lock:
            return [fault.to_json() for fault in self._faults]

    def clear_faults(self) -> None:
        """Drop all pending faults."""
        with self._lock:
            self._faults.clear()

    def _apply_faults(self, method: str, path: str, rate_key: str) -> None:
        with self._lock:
            fault = next(
                (
                    f
                    for f in self._faults
                    if f.method in ("*", method) and fnmatch.fnmatchcase(path, f.path)
                ),
                None,
            )
            if fault is None:
                return
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
        if fault.delay_s:
            # Interruptible, so that stopping the server does not wait out a long delay.
            self.stopping.wait(fault.delay_s)
        if fault.status is None:
            return
        if fault.status == 429:
            window = self._window(rate_key)
            raise ApiError(429, TOO_MANY, self._rate_headers(window, remaining=0))
        try:
            reason = HTTPStatus(fault.status).phrase
        except ValueError:
            reason = "Error"
        raise ApiError(fault.status, reason)

    def _window(self, rate_key: str) -> Window:
        now = int(self._clock())
        with self._lock:
            window = self._windows.get(rate_key)
            if window is None or now >= window.reset:
                window = Window(reset=(now // WINDOW_S + 1) * WINDOW_S)
                self._windows[rate_key] = window
            return window

    def _rate_headers(self, window: Window, *, remaining: int) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-RateLimit-Reset": reset_header(window.reset),
        }

    def _take_rate_limit(self, rate_key: str) -> dict[str, str]:
        with self._lock:
            window = self._window(rate_key)
            if window.used >= self.rate_limit:
                raise ApiError(429, TOO_MANY, self._rate_headers(window, remaining=0))
            window.used += 1
            return self._rate_headers(window, remaining=self.rate_limit - window.used)
