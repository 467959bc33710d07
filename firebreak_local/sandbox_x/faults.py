"""Sandbox X faults and rate limits: what makes X misbehave, on purpose or by quota.

Every authenticated response carries ``x-rate-limit-limit``,
``x-rate-limit-remaining`` and ``x-rate-limit-reset`` (epoch seconds) for a
15-minute window per token and endpoint, with X's published per-user limits
(``RATE_LIMITS``); running out gives a 429. Enforcement can be switched off
through ``/_sandbox/config``.

Injected faults make the next ``count`` API requests matching a method (``"*"``
for any) and an fnmatch glob on the path fail with a status (a 429 carries
rate-limit headers with the fault's ``reset``) and/or stall for ``delay_s``.
Faults are tried in the order added; the first match consumes one use. They
apply before authentication.
"""

from __future__ import annotations

import fnmatch
from http import HTTPStatus
from typing import Any

from firebreak_local.sandbox_x.state import Caller, Fault, SandboxState, Window
from firebreak_local.sandbox_x.wire import ApiError, SandboxError

_WINDOW_S = 15 * 60

# Endpoint key -> (user-context limit, app-only limit) per 15-minute window,
# from X's published v2 rate limits. None: app-only auth is not accepted.
RATE_LIMITS: dict[str, tuple[int, int | None]] = {
    "GET /2/users/me": (75, None),
    "POST /2/tweets": (100, None),
    "DELETE /2/tweets/{id}": (50, None),
    "GET /2/tweets/{id}": (900, 450),
    "GET /2/tweets": (900, 3500),
    "GET /2/users/{id}/tweets": (900, 1500),
    "GET /2/users/{id}/mentions": (300, 450),
    "GET /2/tweets/search/recent": (300, 450),
}


class FaultsMixin(SandboxState):
    """Injected faults (control) and the per-token rate-limit windows (API)."""

    def add_fault(
        self,
        *,
        method: str = "*",
        path: str = "*",
        count: int = 1,
        status: int | None = None,
        reset: int | None = None,
        delay_s: float = 0.0,
    ) -> dict[str, Any]:
        """Make the next ``count`` matching API requests fail and/or stall."""
        if not isinstance(count, int) or count < 1:
            raise SandboxError(400, "count must be a positive integer")
        if status is not None and not (isinstance(status, int) and 400 <= status <= 599):
            raise SandboxError(400, "status must be an HTTP error status (400-599)")
        if not isinstance(delay_s, int | float) or delay_s < 0:
            raise SandboxError(400, "delay_s must be a non-negative number")
        if status is None and delay_s == 0:
            raise SandboxError(400, "a fault needs a status, a delay_s, or both")
        if reset is not None and not isinstance(reset, int):
            raise SandboxError(400, "reset must be epoch seconds (an integer)")
        with self._lock:
            fault = Fault(
                id=next(self._fault_ids),
                method=method.upper(),
                path=path,
                remaining=count,
                status=status,
                reset=reset,
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

    def _apply_faults(self, method: str, path: str, key: str | None) -> None:
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
            reset = fault.reset if fault.reset is not None else int(self._clock()) + _WINDOW_S
            limit = RATE_LIMITS[key][0] if key else 0
            raise ApiError(
                429,
                "Too Many Requests",
                "Too Many Requests",
                headers={
                    "x-rate-limit-limit": str(limit),
                    "x-rate-limit-remaining": "0",
                    "x-rate-limit-reset": str(reset),
                },
            )
        try:
            reason = HTTPStatus(fault.status).phrase
        except ValueError:
            reason = "Error"
        raise ApiError(fault.status, reason, reason)

    def _take_rate_limit(self, caller: Caller, key: str, limit: int) -> dict[str, str]:
        now = int(self._clock())
        with self._lock:
            window = self._windows.get((caller.token, key))
            if window is None or now >= window.reset:
                window = Window(reset=now + _WINDOW_S)
                self._windows[(caller.token, key)] = window
            if self.enforce_rate_limits and window.used >= limit:
                raise ApiError(
                    429,
                    "Too Many Requests",
                    "Too Many Requests",
                    headers={
                        "x-rate-limit-limit": str(limit),
                        "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": str(window.reset),
                    },
                )
            window.used += 1
            return {
                "x-rate-limit-limit": str(limit),
                "x-rate-limit-remaining": str(max(limit - window.used, 0)),
                "x-rate-limit-reset": str(window.reset),
            }
