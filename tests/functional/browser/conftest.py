"""Browser tests: Playwright driving Debian's chromium (``executable_path``; Playwright
cannot download its own browser here) against the functional tests' local stack.

With ``CI=true`` a missing browser fails these tests, never skips them (``.ci/run``
installs ``chromium`` with apt). Elsewhere they skip with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from firebreak_local.stack import LocalStack

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The binary itself: /usr/bin/chromium is a wrapper script Playwright cannot drive.
CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser")
# Without these, chromium reaches for Google's hosts at start, refused on a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str | None:
    configured = os.environ.get("FIREBREAK_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    return found if found and not _is_script(found) else None


def _is_script(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"#!"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        message = "no chromium found (apt install chromium, or set FIREBREAK_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield launched
        launched.close()


def session_cookie(user_id: str) -> str:
    """A signed-in session for ``user_id``, made the way the sign-in link's POST makes
    it (the mailed-link flow itself is tested on its own: the per-address hourly limit
    would stop a suite that signed in through the mail for every test)."""
    from chalicelib.web.domain import SignInLink
    from chalicelib.wiring import get_web

    web = get_web()
    token, link = SignInLink.issue(user_id, web._clock.now())
    web._web.put_signin_link(link)
    raw, _ = web.sign_in(token)
    return raw


@pytest.fixture
def as_user(browser: Any, stack: LocalStack) -> Iterator[Any]:
    """``as_user("u_bob")`` -> a new page signed in as Bob; each in its own context."""
    contexts: list[Any] = []

    def open_as(user_id: str) -> Any:
        # bypass_csp: axe-core is injected as a script the page's CSP would refuse.
        context = browser.new_context(base_url=stack.api_url, bypass_csp=True)
        context.set_default_timeout(10_000)
        context.add_cookies(
            [{"name": "firebreak_session", "value": session_cookie(user_id), "url": stack.api_url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def anonymous(browser: Any, stack: LocalStack) -> Iterator[Any]:
    context = browser.new_context(base_url=stack.api_url, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def assert_accessible(page: Any) -> None:
    """axe-core (vendored from npm, package.json) finds no WCAG 2.1 A/AA violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
    ]
    assert problems == [], "\n".join(problems)


def signin_link(stack: LocalStack, email: str) -> str:
    """The newest sign-in link the outbox holds for ``email``."""
    for message in reversed(stack.mail()):
        if email in message.get("destinations", {}).get("ToAddresses", []):
            found = re.search(r"https?://[^\s\"<]+/app/signin/[A-Za-z0-9_-]+", message["body"])
            if found:
                return found.group(0)
    raise AssertionError(f"no sign-in link mailed to {email}")
