"""``make run``: start the whole system locally and print where everything is."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from datetime import timedelta

from firebreak_local.stack import LocalStack, StackOptions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m firebreak_local", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("FIREBREAK_PORT", "8000")))
    parser.add_argument(
        "--outbox-port", type=int, default=int(os.environ.get("FIREBREAK_OUTBOX_PORT", "8025"))
    )
    parser.add_argument(
        "--aws-port", type=int, default=int(os.environ.get("FIREBREAK_AWS_PORT", "0"))
    )
    parser.add_argument("--x-port", type=int, default=int(os.environ.get("FIREBREAK_X_PORT", "0")))
    parser.add_argument(
        "--mastodon-port", type=int, default=int(os.environ.get("FIREBREAK_MASTODON_PORT", "0"))
    )
    parser.add_argument(
        "--bluesky-port", type=int, default=int(os.environ.get("FIREBREAK_BLUESKY_PORT", "0"))
    )
    parser.add_argument(
        "--mention-poll-s",
        type=float,
        default=float(os.environ.get("FIREBREAK_MENTION_POLL_S", "60")),
        help="seconds between mention polls (deployed: 60)",
    )
    parser.add_argument(
        "--at",
        help="play the stack from this moment (e.g. 2026-12-01T02:30:00Z) instead of now",
    )
    args = parser.parse_args(argv)
    from chalicelib.core.clock import parse_play_at
    from chalicelib.networks.rules import network_name

    try:
        at = parse_play_at(args.at) if args.at else None
    except ValueError as exc:
        parser.error(f"--at: {exc}")
    if not 1 <= args.mention_poll_s <= 3600:
        parser.error("--mention-poll-s must be 1..3600 seconds")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from chalicelib.platform import telemetry

    # The app's own lines, as JSON (what CloudWatch gets when deployed), on the console.
    telemetry.configure_logging(stream=sys.stderr)
    telemetry.metrics_stream[0] = sys.stderr

    stack = LocalStack(
        StackOptions(
            api_port=args.port,
            outbox_port=args.outbox_port,
            aws_port=args.aws_port,
            x_port=args.x_port,
            mastodon_port=args.mastodon_port,
            bluesky_port=args.bluesky_port,
            at=at,
            intervals={"mention_poller": args.mention_poll_s},
        )
    ).start()
    assert stack.seed is not None and stack.aws is not None
    accounts = "\n                 ".join(
        f"{a.account_id:<22} {a.handle} on the sandbox {network_name(a.network)}"
        for a in stack.seed.accounts.values()
    )
    print(
        f"""
Firebreak is running locally. Nothing leaves this machine.

  Web app        {stack.api_url}/app   (sign in with a user's e-mail below; the link
                 arrives in the outbox)
  API            {stack.api_url}
  Health         {stack.api_url}/health
  OpenAPI        {stack.api_url}/openapi.json
  Mail outbox    {stack.outbox_url}        (every mail sent, links clickable)
  Embedded AWS   {stack.aws.url}
  Sandbox X      {stack.x.url}
  Sandbox Mastodon {stack.mastodon.url}
  Sandbox Bluesky  {stack.bluesky.url}   (XRPC under /xrpc)
  Demo accounts  {accounts}
  Clock          {stack.clock.now():%Y-%m-%d %H:%M:%S} UTC{" (played from --at)" if at else ""}
  Mentions       polled every {args.mention_poll_s:g} s (--mention-poll-s); a pile-on:
                 curl -X POST {stack.x.url}/_sandbox/surge \\
                      -d '{{"user_id": "{stack.seed.x_user_id}", "count": 300}}'

Users (send the key as the X-Api-Key header):""",
        flush=True,
    )
    for user in stack.seed.users.values():
        print(f"  {user.role:<12} {user.id:<10} {user.email:<22} {user.api_key}")
    key = stack.seed.key("u_alice")
    tomorrow = (stack.clock.now() + timedelta(days=1)).replace(microsecond=0).isoformat()
    print(
        f"""
Try:
  curl -s -H 'X-Api-Key: {key}' -H 'Content-Type: application/json' \\
       -d '{{"text": "Hello from Firebreak", "scheduled_at": "{tomorrow}"}}' \\
       {stack.api_url}/accounts/{stack.seed.account_id}/posts

Ctrl-C stops everything.""",
        flush=True,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    print("\nStopping…", flush=True)
    stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
