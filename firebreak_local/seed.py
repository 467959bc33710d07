"""The demo brand for ``make run``, drills and tests: one account on the sandbox X,
an agency, one user of each role with an API key, and the account's X credentials
in the embedded Secrets Manager."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import AllowedHours, Policy
from chalicelib.core.users import Role, User
from chalicelib.links.domain import hash_token

BRAND = "acme"
ACCOUNT_ID = "acct_demo"
AGENCY_ID = "agency_bright"

# (user id, name, role, agency?)
PEOPLE = (
    ("u_alice", "Alice Author", Role.AUTHOR, None),
    ("u_bob", "Bob Approver", Role.APPROVER, None),
    ("u_olivia", "Olivia Owner", Role.BRAND_OWNER, None),
    ("u_adam", "Adam Admin", Role.ADMIN, None),
    ("u_ada", "Ada Admin", Role.ADMIN, None),
    ("u_gina", "Gina Agency", Role.AGENCY, AGENCY_ID),
)


@dataclass
class SeededUser:
    id: str
    name: str
    email: str
    role: str
    api_key: str


@dataclass(frozen=True)
class SeededAccount:
    """One of the demo brand's accounts and who it is on its network's sandbox."""

    account_id: str
    network: str
    user_id: str  # the sandbox's id of the account (X user id, Mastodon id, Bluesky DID)
    handle: str


@dataclass
class Seed:
    account_id: str
    x_user_id: str
    x_username: str
    users: dict[str, SeededUser] = field(default_factory=dict)
    # The brand's account on each network, the X one included.
    accounts: dict[str, SeededAccount] = field(default_factory=dict)

    def key(self, user_id: str) -> str:
        return self.users[user_id].api_key


def demo_account() -> Account:
    return Account(
        id=ACCOUNT_ID,
        brand_id=BRAND,
        name="Acme Coffee",
        network="x",
        handle="@acme_demo",
        timezone="Europe/Berlin",
        brand_domains=("acme.example",),
        policy=Policy(
            forbidden_phrases=("guaranteed results", "100% risk-free"),
            forbidden_topics={"politics": ("election", "candidate", "party leader")},
            allowed_hours=None,
            allowed_link_domains=None,
        ),
    )


def add_account(
    store: Any, secrets_client: Any, sandbox: Any, account: Account, *, secret_prefix: str
) -> dict[str, Any]:
    """An account on the sandbox X with its credentials in Secrets Manager; returns the X user."""
    x_token = secrets.token_urlsafe(24)
    x_user: dict[str, Any] = sandbox.register_user(
        username=account.handle.lstrip("@"),
        name=account.name,
        access_token=x_token,
        app_name="Firebreak",
        followers_count=48_200,
    )
    credentials = {
        "consumer_key": "sandbox-consumer-key",
        "consumer_secret": secrets.token_urlsafe(24),
        "access_token": x_token,
        "access_token_secret": secrets.token_urlsafe(24),
    }
    secrets_client.create_secret(
        Name=f"{secret_prefix}{account.id}", SecretString=json.dumps(credentials)
    )
    store.put_account(account)
    return x_user


def network_account(network: str) -> Account:
    """The demo brand's account on Mastodon or Bluesky: the X account's settings."""
    handle = {"mastodon": "@acme_demo", "bluesky": "@acme-demo.bsky.social"}[network]
    return replace(demo_account(), id=f"{ACCOUNT_ID}_{network}", network=network, handle=handle)


def add_network_account(
    store: Any, secrets_client: Any, running: Any, account: Account, *, secret_prefix: str
) -> SeededAccount:
    """An account on the sandbox Mastodon or Bluesky (``running``: the started sandbox)
    with its credentials, in that network's shape, in Secrets Manager."""
    name = account.handle.lstrip("@")
    if account.network == "mastodon":
        user = running.app.add_account(name, followers=12_400, app_name="Firebreak")
        credentials = {"instance_url": running.url, "access_token": user["access_token"]}
        user_id = str(user["id"])
    else:
        user = running.app.add_account(name, followers=9_800)
        credentials = {
            "handle": user["handle"],
            "app_password": user["app_password"],
            "service_url": running.url,
        }
        user_id = str(user["did"])
    secrets_client.create_secret(
        Name=f"{secret_prefix}{account.id}", SecretString=json.dumps(credentials)
    )
    store.put_account(account)
    return SeededAccount(account.id, account.network, user_id, account.handle)


def seed(
    store: Any,
    secrets_client: Any,
    sandbox: Any,
    *,
    secret_prefix: str,
    sandboxes: dict[str, Any] | None = None,
) -> Seed:
    """Create the demo brand. ``store`` is a ``Store``; ``sandbox`` the running SandboxX
    app; ``sandboxes`` the started sandbox Mastodon and Bluesky, each of which gets an
    account of the brand too."""
    x_user = add_account(
        store, secrets_client, sandbox, demo_account(), secret_prefix=secret_prefix
    )
    # The agency may post only within working hours and only link to the brand's site.
    store.put_agency_policy(
        BRAND,
        AGENCY_ID,
        Policy(
            forbidden_phrases=("competitor",),
            allowed_hours=AllowedHours.parse("08:00", "20:00"),
            allowed_link_domains=("acme.example",),
        ),
    )
    result = Seed(ACCOUNT_ID, x_user["id"], x_user["username"])
    result.accounts["x"] = SeededAccount(ACCOUNT_ID, "x", x_user["id"], "@" + x_user["username"])
    for network, running in (sandboxes or {}).items():
        result.accounts[network] = add_network_account(
            store, secrets_client, running, network_account(network), secret_prefix=secret_prefix
        )
    for user_id, name, role, agency in PEOPLE:
        key = "fb_" + secrets.token_urlsafe(24)
        email = f"{user_id.removeprefix('u_')}@acme.example"
        user = User(
            id=user_id,
            name=name,
            email=email,
            role=role,
            brand_id=BRAND,
            agency_id=agency,
            account_ids=frozenset({ACCOUNT_ID}) if agency else frozenset(),
        )
        store.put_user(user, hash_token(key))
        result.users[user_id] = SeededUser(user_id, name, email, role.value, key)
    return result
