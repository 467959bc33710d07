"""Serving a sandbox (X, Mastodon, Bluesky) on a loopback port from a daemon thread,
and stopping it: what the three sandboxes share."""

from __future__ import annotations

import threading
import time
from typing import Any, Generic, TypeVar

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

A = TypeVar("A")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class RunningSandbox(Generic[A]):
    """A sandbox served on a loopback port by a daemon thread: ``app`` (its control
    methods), ``url``, ``stop()``; a context manager too."""

    def __init__(self, app: A, server: BaseWSGIServer, thread: threading.Thread) -> None:
        self.app = app
        self._server = server
        self._thread = thread
        self.url = f"http://127.0.0.1:{server.server_port}"

    def stop(self) -> None:
        """Stop serving and release the port (pending delays are cut short)."""
        stopping: Any = getattr(self.app, "stopping", None)
        if stopping is not None:
            stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSandbox[A]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_on_loopback(
    name: str,
    app: A,
    host: str,
    port: int,
    handler: type[WSGIRequestHandler],
    *,
    poll_interval: float = 0.5,
) -> RunningSandbox[A]:
    """Serve ``app`` on ``http://127.0.0.1:<port>`` (``port=0``: any free port). Only the
    loopback interface is ever bound: a sandbox's control endpoints have no auth.
    ``poll_interval``: how long ``stop()`` may wait for the serving loop."""
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"the sandbox {name} only binds 127.0.0.1, not {host!r}")
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=handler)  # type: ignore[arg-type]
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": poll_interval},
        name=f"sandbox-{name.lower()}",
        daemon=True,
    )
    thread.start()
    return RunningSandbox(app, server, thread)


def serve_until_interrupted(running: RunningSandbox[Any], name: str) -> None:
    """``python -m firebreak_local.sandbox_…``: serve in the foreground until Ctrl-C."""
    print(f"sandbox {name} listening on {running.url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
