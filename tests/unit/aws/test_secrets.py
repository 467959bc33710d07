"""Per-account X credentials from Secrets Manager: cached briefly, re-read after rotation."""

from __future__ import annotations

import json

import botocore.session
from botocore.stub import Stubber

from chalicelib.accounts.domain import Account
from chalicelib.aws.secrets import SecretsSocialAccounts

ACCOUNT = Account("acct", "acme", "Acme", "x", "@acme", "UTC")
CREDS = {
    "consumer_key": "ck",
    "consumer_secret": "cs",
    "access_token": "at",
    "access_token_secret": "ats",
}


def secret_response(token: str) -> dict:
    return {
        "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:firebreak/accounts/acct-abc",
        "Name": "firebreak/accounts/acct",
        "SecretString": json.dumps({**CREDS, "access_token": token}),
    }


def test_rotated_credentials_are_read_again_after_max_age() -> None:
    client = botocore.session.get_session().create_client(
        "secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    now = [0.0]
    accounts = SecretsSocialAccounts(
        client,
        secret_prefix="firebreak/accounts/",
        x_api_base_url=None,
        max_age_s=300,
        clock=lambda: now[0],
    )
    with Stubber(client) as stub:
        stub.add_response(
            "get_secret_value", secret_response("old"), {"SecretId": "firebreak/accounts/acct"}
        )
        stub.add_response(
            "get_secret_value", secret_response("new"), {"SecretId": "firebreak/accounts/acct"}
        )
        first = accounts.client_for(ACCOUNT)
        now[0] = 299
        assert accounts.client_for(ACCOUNT) is first  # cached: one read per warm Lambda
        now[0] = 301
        second = accounts.client_for(ACCOUNT)
        stub.assert_no_pending_responses()
    assert second is not first
    assert "new" not in repr(second) and "old" not in repr(first)  # never in reprs/logs


def test_throttling_is_transient_and_missing_secret_is_not() -> None:
    import pytest

    from chalicelib.networks.social import NetworkUnavailable, PostRejected

    client = botocore.session.get_session().create_client(
        "secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    accounts = SecretsSocialAccounts(
        client, secret_prefix="firebreak/accounts/", x_api_base_url=None
    )
    with Stubber(client) as stub:
        stub.add_client_error("get_secret_value", "ThrottlingException")
        stub.add_client_error("get_secret_value", "ResourceNotFoundException")
        with pytest.raises(NetworkUnavailable):
            accounts.client_for(ACCOUNT)
        with pytest.raises(PostRejected):
            accounts.client_for(ACCOUNT)


def _sm():
    return botocore.session.get_session().create_client(
        "secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )


def test_the_bluesky_session_is_kept_in_its_own_secret_and_a_blank_one_is_none() -> None:
    from chalicelib.aws.secrets import SecretSessionStore

    client = _sm()
    store = SecretSessionStore(client, "firebreak/accounts/acct/session")
    secret = {"ARN": "arn:aws:secretsmanager:us-east-1:1:secret:s", "Name": "s"}
    with Stubber(client) as stub:
        stub.add_client_error("get_secret_value", "ResourceNotFoundException")
        stub.add_response("get_secret_value", {**secret, "SecretString": " "})
        stub.add_response("get_secret_value", {**secret, "SecretString": "handle:::did:::a:::r"})
        # First save: no secret yet, so it is created...
        stub.add_client_error("put_secret_value", "ResourceNotFoundException")
        stub.add_response("create_secret", secret)
        # ...and when another Lambda created it a moment before, the value is put.
        stub.add_client_error("put_secret_value", "ResourceNotFoundException")
        stub.add_client_error("create_secret", "ResourceExistsException")
        stub.add_response("put_secret_value", secret)
        assert store.load() is None  # never logged in
        assert store.load() is None  # cleared by a person (the runbook's way)
        assert store.load() == "handle:::did:::a:::r"
        store.save("s1")
        store.save("s2")
        stub.assert_no_pending_responses()


def test_an_unreachable_secrets_manager_is_transient_for_the_session() -> None:
    import pytest
    from botocore.exceptions import EndpointConnectionError

    from chalicelib.aws.secrets import SecretSessionStore
    from chalicelib.networks.social import NetworkUnavailable

    class Unreachable:
        def get_secret_value(self, **_: object) -> dict:
            raise EndpointConnectionError(endpoint_url="https://secretsmanager")

        def put_secret_value(self, **_: object) -> dict:
            raise EndpointConnectionError(endpoint_url="https://secretsmanager")

    store = SecretSessionStore(Unreachable(), "firebreak/accounts/acct/session")
    with pytest.raises(NetworkUnavailable):
        store.load()
    store.save("s")  # logged, never raised: the session still works for this Lambda


def test_a_silent_mastodon_instance_is_asked_again_only_after_a_minute() -> None:
    from chalicelib.networks.social import NetworkUnavailable

    mastodon = Account("m", "acme", "Acme", "mastodon", "@acme", "UTC")
    now = [0.0]
    asked = []

    class Client:
        def text_limits(self) -> tuple[int, int]:
            asked.append(now[0])
            if now[0] < 100:
                raise NetworkUnavailable("instance down")
            return 450, 23

    accounts = SecretsSocialAccounts(
        _sm(), secret_prefix="p/", x_api_base_url=None, clock=lambda: now[0]
    )
    accounts._clients["m"] = (0.0, Client())  # type: ignore[assignment]
    assert accounts.text_rules(mastodon).limit == 500  # Mastodon's default meanwhile
    now[0] = 30
    assert accounts.text_rules(mastodon).limit == 500
    assert asked == [0.0]  # not asked again within the minute
    now[0] = 120
    accounts._clients["m"] = (120.0, Client())  # type: ignore[assignment]
    assert accounts.text_rules(mastodon).limit == 450
    assert asked == [0.0, 120.0]
