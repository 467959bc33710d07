"""The deployable template's own answers: API Gateway's refusals (no such route, an
unsupported media type, throttling, its 4xx and 5xx) carry the app's error shape."""

from __future__ import annotations

import json

from infra.build_template import build


def _gateway_responses() -> dict[str, dict]:
    resources = build()["Resources"]
    assert isinstance(resources, dict)
    return {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in resources.values()
        if r.get("Type") == "AWS::ApiGateway::GatewayResponse"
    }


def test_gateway_refusals_have_the_error_shape() -> None:
    responses = _gateway_responses()
    assert set(responses) >= {
        "MISSING_AUTHENTICATION_TOKEN",
        "UNSUPPORTED_MEDIA_TYPE",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
    }
    for kind, props in responses.items():
        assert props["RestApiId"] == {"Ref": "RestAPI"}, kind
        body = json.loads(props["ResponseTemplates"]["application/json"])
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), kind
        assert props["ResponseParameters"]["gatewayresponse.header.Content-Type"] == (
            "'application/json'"
        )
    # API Gateway answers 403 for a path no route has; the app's own answer is 404.
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"] == "404"
    assert responses["UNSUPPORTED_MEDIA_TYPE"]["StatusCode"] == "415"
