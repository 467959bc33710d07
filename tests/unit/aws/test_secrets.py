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
        "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:firebreak/x/acct-abc",
        "Name": "firebreak/x/acct",
        "SecretString": json.dumps({**CREDS, "access_token": token}),
    }


def test_rotated_credentials_are_read_again_after_max_age() -> None:
    client = botocore.session.get_session().create_client(
        "secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    now = [0.0]
    accounts = SecretsSocialAccounts(
        client,
        secret_prefix="firebreak/x/",
        x_api_base_url=None,
        max_age_s=300,
        clock=lambda: now[0],
    )
    with Stubber(client) as stub:
        stub.add_response(
            "get_secret_value", secret_response("old"), {"SecretId": "firebreak/x/acct"}
        )
        stub.add_response(
            "get_secret_value", secret_response("new"), {"SecretId": "firebreak/x/acct"}
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
    accounts = SecretsSocialAccounts(client, secret_prefix="firebreak/x/", x_api_base_url=None)
    with Stubber(client) as stub:
        stub.add_client_error("get_secret_value", "ThrottlingException")
        stub.add_client_error("get_secret_value", "ResourceNotFoundException")
        with pytest.raises(NetworkUnavailable):
            accounts.client_for(ACCOUNT)
        with pytest.raises(PostRejected):
            accounts.client_for(ACCOUNT)
