"""The local server's access log never prints a credential a path carries."""

from __future__ import annotations

from firebreak_local.api_server import redact

TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"


def test_tokens_in_paths_are_redacted() -> None:
    for path in (f"/app/signin/{TOKEN}", f"/links/{TOKEN}", f"/feeds/acct_demo/{TOKEN}"):
        line = redact(f'"GET {path} HTTP/1.1" 200 -')
        assert TOKEN not in line and "[redacted]" in line, line
    assert redact('"GET /app/signin HTTP/1.1" 200 -') == '"GET /app/signin HTTP/1.1" 200 -'
