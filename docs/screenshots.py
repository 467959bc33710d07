"""Screenshots of the web app for the README: ``python docs/screenshots.py``.

Starts a local stack playing from Monday 2 March 2026, 02:30 UTC (03:30 in the demo
account's Berlin), fills it with a few weeks of Acme Coffee posts, an hour of
mentions and an incident that waits for a decision, signs Olivia Owner (brand owner)
in and saves ``docs/img/home.png``, ``docs/img/calendar.png`` and
``docs/img/incident-room.png`` with Playwright driving Debian's chromium
(``FIREBREAK_CHROMIUM`` to use another binary). Nothing leaves the machine.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from firebreak_local.drill import app_logs_to, incident_for_post, quiet_logs  # noqa: E402
from firebreak_local.stack import LocalStack, StackOptions  # noqa: E402
from tests.functional.browser.conftest import ARGS, session_cookie  # noqa: E402
from tests.functional.conftest import Api  # noqa: E402
from tests.functional.incidents.test_playbook import wait_for  # noqa: E402

T = TypeVar("T")

AT = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # Monday, 03:30 in Berlin
ACCOUNT = "acct_demo"
OUT = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("FIREBREAK_CHROMIUM", "/usr/lib/chromium/chromium")
WIDTH, HEIGHT = 1280, 900  # the browser window
# Each picture is the page from its top, at most this tall (the PNGs stay small).
PAGE_HEIGHT = 1400
ROOM_HEIGHT = 2400  # the incident room down to its mention chart and timeline

# (days ahead, Berlin hour:minute, text, what happens to it: draft, submitted, approved)
POSTS: tuple[tuple[int, str, str, str], ...] = (
    (
        0,
        "08:00",
        "Monday starts at 7 in all our shops. The first flat white is on us "
        "until 9 ☕ https://acme.example/monday",
        "approved",
    ),
    (
        2,
        "11:30",
        "New in the grinder: a washed Ethiopian Yirgacheffe with notes of "
        "jasmine and lemon. Ask for it as a pour-over.",
        "approved",
    ),
    (
        3,
        "16:00",
        "Oat, almond or whole milk? Tell us how you take your cappuccino "
        "and we will tell you what to pair it with.",
        "approved",
    ),
    (
        5,
        "09:00",
        "Weekend brunch is back at Acme Coffee Hamburg: sourdough, eggs your "
        "way and bottomless filter coffee.",
        "submitted",
    ),
    (
        8,
        "07:30",
        "Our spring blend lands today: Brazilian body, Kenyan brightness. "
        "250 g bags in every shop https://acme.example/spring",
        "approved",
    ),
    (
        10,
        "12:00",
        "Meet Lena, our head roaster, on Thursday at the Altona roastery. "
        "Free tasting, no sign-up needed.",
        "submitted",
    ),
    (
        12,
        "15:00",
        "Reusable cup? 30 cents off every drink, every day. Small habit, "
        "big pile of paper cups saved.",
        "draft",
    ),
    (
        15,
        "10:00",
        "Latte art throwdown this Sunday! Baristas from five cafés, one milk jug each. Come cheer.",
        "submitted",
    ),
    (
        17,
        "08:30",
        "Cold brew season starts early this year: steeped 18 hours, served over one big ice cube.",
        "draft",
    ),
    (
        19,
        "13:00",
        "Thank you for 10 years of Acme Coffee! Anniversary beans in "
        "limited tins from Friday https://acme.example/ten",
        "approved",
    ),
)
# The post that goes wrong: on the account from the phone app, outside Firebreak.
BAD_POST = "Stuck at home in the floods? Perfect weather for our new cold brew! ☕"
ORDINARY = (
    "Morning coffee with @{h}, as every day",
    "Is the Hamburg shop of @{h} open on Sunday?",
    "Thanks @{h}, the beans arrived today",
    "@{h} any oat milk in the new menu?",
    "Great service at the station kiosk, @{h}",
    "@{h} the night shift runs on your espresso, thank you",
    "Which grind for a moka pot, @{h}?",
)


def ok(response: Any) -> dict[str, Any]:
    if response.status_code >= 300:
        raise SystemExit(
            f"{response.request.method} {response.url}: {response.status_code} {response.text}"
        )
    body: dict[str, Any] = response.json() if response.content else {}
    return body


def berlin(day: int, hhmm: str) -> str:
    """``day`` days after the play date at ``hhmm`` in Berlin (CET in March), ISO 8601."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    local = (AT + timedelta(hours=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return (local + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:00+01:00")


def fill_posts(alice: Api, bob: Api) -> None:
    for day, hhmm, text, fate in POSTS:
        post = ok(
            alice.post(
                f"/accounts/{ACCOUNT}/posts", {"text": text, "scheduled_at": berlin(day, hhmm)}
            )
        )
        if fate == "draft":
            continue
        ok(alice.post(f"/posts/{post['id']}/submit"))
        if fate == "approved":
            ok(bob.post(f"/posts/{post['id']}/approve"))


def poll_mentions(stack: LocalStack) -> int:
    """Mention polls now until nothing new is read, each drained into the scorer."""
    assert stack.queues is not None
    total = 0
    while True:
        report = stack.tick("mention_poller")
        stack.queues.drain(timeout_s=120)
        read = int(report.get("queued", {}).get(ACCOUNT, 0))
        total += read
        if not read:
            return total


def fill_mentions_and_incident(stack: LocalStack, alice: Api, olivia: Api) -> str:
    """An hour of ordinary mentions, then the bad post from the phone app and the
    pile-on it sets off; the watcher opens the incident. Returns its id."""
    assert stack.seed is not None
    sandbox, x_user, handle = stack.x.app, stack.seed.x_user_id, stack.seed.x_username
    stack.tick("watcher")  # the watcher's checkpoint: only what appears later is new
    poll_mentions(stack)  # the poller's first sight of the account: its checkpoint
    now = stack.clock.now()
    bad_at = now - timedelta(minutes=14)
    for minute in range(58, 14, -1):
        for k in range(1 + (minute * 7) % 3):
            n = minute * 3 + k
            sandbox.inject_mention(
                x_user,
                ORDINARY[n % len(ORDINARY)].format(h=handle),
                author_username=f"regular_{n % 11}",
                created_at=now - timedelta(minutes=minute, seconds=-(7 + 17 * k)),
            )
    post = sandbox.inject_post(x_user, BAD_POST, source="Twitter for iPhone", created_at=bad_at)
    sandbox.inject_surge(
        x_user, about=post["id"], count=260, over_s=13 * 60, negative_share=0.78, seed=7
    )
    read = poll_mentions(stack)
    print(f"  {read} mentions read and scored", flush=True)
    stack.tick("watcher")
    incident_id = wait_for(lambda: incident_for_post(ACCOUNT, post["id"]), timeout=60)

    def waiting() -> bool:
        status = ok(olivia.get(f"/incidents/{incident_id}"))["status"]
        if status == "failed":
            raise SystemExit(f"the playbook failed for {incident_id}")
        return status == "awaiting_decision"

    wait_for(waiting, timeout=60)
    # Two urgent mentions for Olivia, so her home page shows them.
    queue = ok(alice.get(f"/accounts/{ACCOUNT}/queue", limit=5))
    for item in queue["items"][:2]:
        ok(
            alice.post(
                f"/accounts/{ACCOUNT}/queue/{item['mention']['id']}/assign",
                {"assignee": "u_olivia"},
            )
        )
    return incident_id


def capture(page: Any, name: str, max_height: int) -> None:
    """The page from its top, as tall as it is but at most ``max_height``."""
    height = min(max_height, int(page.evaluate("document.documentElement.scrollHeight")))
    page.screenshot(
        path=str(OUT / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": WIDTH, "height": height},
    )


def shoot(stack: LocalStack, incident_id: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            base_url=stack.api_url,
            viewport={"width": WIDTH, "height": HEIGHT},
            timezone_id="Europe/Berlin",
            locale="en-GB",
        )
        context.set_default_timeout(20_000)
        context.add_cookies(
            [
                {
                    "name": "firebreak_session",
                    "value": session_cookie("u_olivia"),
                    "url": stack.api_url,
                }
            ]
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda m: (
                errors.append(f"console {m.type}: {m.text[:200]}") if m.type == "error" else None
            ),
        )
        page.on(
            "response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )

        page.goto("/app")
        page.wait_for_load_state("networkidle")
        capture(page, "home", PAGE_HEIGHT)

        page.goto("/app/calendar")
        page.wait_for_selector(".fc-event")
        page.wait_for_load_state("networkidle")
        capture(page, "calendar", PAGE_HEIGHT)

        page.goto(f"/app/incidents/{incident_id}")
        page.wait_for_selector("#mention-chart .uplot")
        page.wait_for_load_state("networkidle")
        capture(page, "incident-room", ROOM_HEIGHT)
        context.close()
        browser.close()
    if errors:
        print("What the browser reported:", flush=True)
    for line in errors:
        print(f"  {line}", flush=True)


def main() -> int:
    quiet_logs()
    with (
        open(os.devnull, "w", encoding="utf-8") as logs,
        app_logs_to(logs),
        LocalStack(StackOptions(scheduler=False, at=AT)) as stack,
    ):
        quiet_logs()
        assert stack.seed is not None
        alice, bob, olivia = (
            Api(stack.api_url, stack.seed.key(u)) for u in ("u_alice", "u_bob", "u_olivia")
        )
        print("Posts for the next three weeks…", flush=True)
        fill_posts(alice, bob)
        print("An hour of mentions and an incident…", flush=True)
        incident_id = fill_mentions_and_incident(stack, alice, olivia)
        print(f"Screenshots of {stack.api_url}/app as Olivia Owner…", flush=True)
        shoot(stack, incident_id)
    for name in ("home", "calendar", "incident-room"):
        path = OUT / f"{name}.png"
        print(f"  {path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
