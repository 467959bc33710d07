"""The deployable template's own answers: API Gateway's refusals (no such route, an
unsupported media type, throttling, its 4xx and 5xx) carry the app's error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

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


# -- the content scorer: Bedrock Guardrails only when Scorer is bedrock ---------------

NO_VALUE = {"Ref": "AWS::NoValue"}


def _condition(expr: Any, params: dict[str, str], conditions: dict[str, Any]) -> Any:
    """The value of a (simple) condition expression for these parameter values."""
    if isinstance(expr, dict) and len(expr) == 1:
        ((fn, arg),) = expr.items()
        if fn == "Ref":
            return params[arg]
        if fn == "Condition":
            return _condition(conditions[arg], params, conditions)
        if fn == "Fn::Equals":
            a, b = (_condition(x, params, conditions) for x in arg)
            return a == b
        if fn == "Fn::Not":
            return not _condition(arg[0], params, conditions)
        if fn == "Fn::And":
            return all(_condition(x, params, conditions) for x in arg)
        if fn == "Fn::Or":
            return any(_condition(x, params, conditions) for x in arg)
    return expr


def _resolved(**overrides: str) -> dict[str, Any]:
    """The template as CloudFormation would create it: conditions and Fn::If resolved,
    resources whose condition is false and AWS::NoValue dropped."""
    template = build()
    params = {k: v.get("Default", "") for k, v in template["Parameters"].items()} | overrides
    conditions = template.get("Conditions", {})
    truth = {name: _condition(expr, params, conditions) for name, expr in conditions.items()}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"Fn::If"}:
                name, yes, no = node["Fn::If"]
                return walk(yes if truth[name] else no)
            out = {k: walk(v) for k, v in node.items()}
            return {k: v for k, v in out.items() if v != NO_VALUE}
        if isinstance(node, list):
            return [v for v in (walk(x) for x in node) if v != NO_VALUE]
        return node

    resources = {
        name: walk(r)
        for name, r in template["Resources"].items()
        if "Condition" not in r or truth[r["Condition"]]
    }
    return {**template, "Resources": resources}


def _statements(resources: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [s for p in r["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
        for name, r in resources.items()
        if "Policies" in r.get("Properties", {})
    }


def _scanning_functions(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: r["Properties"]["Environment"]["Variables"]
        for name, r in resources.items()
        if "FIREBREAK_SCORER" in r.get("Properties", {}).get("Environment", {}).get("Variables", {})
    }


def test_the_scorer_parameter_offers_bedrock() -> None:
    template = build()
    assert template["Parameters"]["Scorer"]["AllowedValues"] == [
        "embedded",
        "comprehend",
        "bedrock",
    ]
    assert template["Parameters"]["Scorer"]["Default"] == "embedded"
    assert template["Conditions"]["UseBedrock"] == {"Fn::Equals": [{"Ref": "Scorer"}, "bedrock"]}


def test_the_guardrail_filters_what_the_delete_line_reads() -> None:
    guardrail = build()["Resources"]["ContentGuardrail"]
    assert guardrail["Type"] == "AWS::Bedrock::Guardrail"
    assert guardrail["Condition"] == "UseBedrock"
    props = guardrail["Properties"]
    filters = {f["Type"]: f for f in props["ContentPolicyConfig"]["FiltersConfig"]}
    assert set(filters) == {"SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT"}
    assert all(f["InputStrength"] == "HIGH" for f in filters.values())
    assert props["WordPolicyConfig"]["ManagedWordListsConfig"] == [{"Type": "PROFANITY"}]
    assert props["BlockedInputMessaging"] and props["BlockedOutputsMessaging"]


@pytest.mark.parametrize("scorer", ["embedded", "comprehend"])
def test_no_guardrail_and_no_bedrock_access_without_the_bedrock_scorer(scorer: str) -> None:
    resources = _resolved(Scorer=scorer)["Resources"]
    assert not any(r.get("Type", "").startswith("AWS::Bedrock::") for r in resources.values())
    assert "bedrock" not in json.dumps(_statements(resources)).lower()
    assert "ContentGuardrail" not in json.dumps(resources)
    for name, env in _scanning_functions(resources).items():
        assert env["FIREBREAK_SCORER"] == {"Ref": "Scorer"}, name
        assert "FIREBREAK_GUARDRAIL_ID" not in env and "FIREBREAK_GUARDRAIL_VERSION" not in env


def test_with_the_bedrock_scorer_every_scanning_function_may_apply_the_guardrail() -> None:
    resources = _resolved(Scorer="bedrock")["Resources"]
    assert resources["ContentGuardrail"]["Type"] == "AWS::Bedrock::Guardrail"
    arn = {"Fn::GetAtt": ["ContentGuardrail", "GuardrailArn"]}
    statements = _statements(resources)
    bedrock = {
        role: [s for s in found if any(a.startswith("bedrock:") for a in s["Action"])]
        for role, found in statements.items()
    }
    # The roles that may call Comprehend (the scanning functions') may apply the
    # guardrail, and only that, on that guardrail only.
    comprehend = {
        role
        for role, found in _statements(_resolved(Scorer="comprehend")["Resources"]).items()
        if any(s.get("Sid") == "Comprehend" for s in found)
    }
    assert comprehend and {role for role, found in bedrock.items() if found} == comprehend
    for role in comprehend:
        assert bedrock[role] == [
            {
                "Sid": "BedrockGuardrail",
                "Effect": "Allow",
                "Action": ["bedrock:ApplyGuardrail"],
                "Resource": arn,
            }
        ], role
    functions = _scanning_functions(resources)
    assert len(functions) == len(comprehend)
    for name, env in functions.items():
        assert env["FIREBREAK_GUARDRAIL_ID"] == {
            "Fn::GetAtt": ["ContentGuardrail", "GuardrailId"]
        }, name
        assert env["FIREBREAK_GUARDRAIL_VERSION"] == {
            "Fn::GetAtt": ["ContentGuardrail", "Version"]
        }, name


def test_every_reference_to_the_guardrail_is_under_the_condition() -> None:
    """A GetAtt on ContentGuardrail outside ``Fn::If UseBedrock`` breaks the stack
    whenever Scorer is not bedrock (cfn-lint W1001)."""
    unguarded: list[str] = []

    def walk(node: Any, path: str, guarded: bool) -> None:
        if isinstance(node, dict):
            target = node.get("Ref") or node.get("Fn::GetAtt", [None])[0]
            refers = target == "ContentGuardrail"
            if refers and not guarded:
                unguarded.append(path)
            if set(node) == {"Fn::If"} and node["Fn::If"][0] == "UseBedrock":
                walk(node["Fn::If"][1], path + "/Fn::If", True)
                walk(node["Fn::If"][2], path + "/else", guarded)
                return
            for k, v in node.items():
                walk(v, f"{path}/{k}", guarded)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}/{i}", guarded)

    for name, resource in build()["Resources"].items():
        if name != "ContentGuardrail":
            walk(resource, name, resource.get("Condition") == "UseBedrock")
    assert unguarded == []


def _public_bases(resources: dict[str, Any]) -> list[Any]:
    return [
        r["Properties"]["Environment"]["Variables"]["FIREBREAK_PUBLIC_BASE_URL"]
        for r in resources.values()
        if "FIREBREAK_PUBLIC_BASE_URL"
        in r.get("Properties", {}).get("Environment", {}).get("Variables", {})
    ]


def test_links_and_pages_use_the_stage_url_or_the_custom_domain() -> None:
    default = _public_bases(_resolved()["Resources"])
    assert default and all(
        b == {"Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api"}
        for b in default
    )
    custom = _public_bases(_resolved(PublicBaseUrl="https://fb.brand.example")["Resources"])
    assert custom == [{"Ref": "PublicBaseUrl"}] * len(default)


def test_the_api_declares_no_binary_media_types() -> None:
    """A browser's Accept lists image types: with any binary media type declared, API
    Gateway may base64 a page. Firebreak serves only text."""
    import app

    assert app.app.api.binary_types == []
