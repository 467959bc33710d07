"""The cold-start shortcuts in chalicelib.wiring stay faithful to the pinned botocore."""

from __future__ import annotations

import json
from pathlib import Path

from infra.trim_endpoints import OUT, trimmed


def test_botocore_endpoints_match_the_pinned_botocore() -> None:
    # If this fails after a botocore upgrade: python infra/trim_endpoints.py
    assert json.loads(OUT.read_text()) == json.loads(json.dumps(trimmed()))


def test_clients_resolve_real_endpoints_with_the_trimmed_data(monkeypatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    from chalicelib import wiring

    wiring.reset()
    try:
        for service, host in (
            ("dynamodb", "https://dynamodb.eu-central-1.amazonaws.com"),
            ("sesv2", "https://email.eu-central-1.amazonaws.com"),
            ("stepfunctions", "https://states.eu-central-1.amazonaws.com"),
            ("secretsmanager", "https://secretsmanager.eu-central-1.amazonaws.com"),
        ):
            client = wiring.aws_client(service)
            assert client.meta.endpoint_url == host
            assert client.meta.region_name == "eu-central-1"
    finally:
        wiring.reset()


def test_the_trimmed_file_is_small() -> None:
    assert Path(OUT).stat().st_size < 100_000
