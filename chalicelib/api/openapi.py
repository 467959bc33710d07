"""Builds ``GET /openapi.json`` from the declared routes and the request models, so the
document and the routes cannot drift apart (a test checks both directions)."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.api.routing import RouteDoc

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
                "rules": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
}

_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

_POST = {
    "type": "object",
    "required": ["id", "account_id", "text", "status", "version", "check"],
    "properties": {
        "id": {"type": "string"},
        "account_id": {"type": "string"},
        "network": {"type": "string", "enum": ["x", "mastodon", "bluesky"]},
        "text": {"type": "string"},
        "links": {"type": "array", "items": {"type": "string"}},
        "author_id": {"type": "string"},
        "author_is_agency": {"type": "boolean"},
        "status": {
            "type": "string",
            "enum": [
                "draft",
                "submitted",
                "approved",
                "publishing",
                "published",
                "rejected",
                "held",
                "expired",
                "failed",
                "cancelled",
            ],
        },
        "version": {"type": "integer"},
        "scheduled_at": _NULLABLE_TIME,
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "approvals": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "user_id": {"type": "string"},
                    "role": {"type": "string"},
                    "at": {"type": "string", "format": "date-time"},
                    "channel": {"type": "string"},
                },
            },
        },
        "rejection_reason": _NULLABLE_STR,
        "network_post_id": _NULLABLE_STR,
        "published_at": _NULLABLE_TIME,
        "attempts": {"type": "integer"},
        "next_attempt_at": _NULLABLE_TIME,
        "failure_reason": _NULLABLE_STR,
        "check": {
            "type": "object",
            "properties": {
                "passed": {"type": "boolean"},
                "violations": {"type": "array", "items": {"type": "object"}},
                "warnings": {"type": "array", "items": {"type": "string"}},
                "risk": {"type": "object"},
            },
        },
    },
}

_STATUS_TEXT = {
    400: "Bad input; the error names the field",
    401: "No or unknown API key",
    403: "Role or account not allowed",
    404: "Not found (or not yours)",
    409: "Not allowed in the current state, or changed meanwhile",
    410: "The link cannot be used any more (expired, used, or its subject changed)",
    415: "Unsupported Content-Type",
    422: "Breaks hard policy rules; the error lists them",
    202: "Accepted, waiting for a second person",
    503: "A component is down",
}


def _path_params(path: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", path)
    ]


def _operation(doc: RouteDoc, schemas: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": doc.operation_id,
        "summary": doc.summary,
        "tags": [doc.tag],
        "parameters": _path_params(doc.path)
        + [
            {
                "name": q.name,
                "in": "query",
                "required": q.required,
                "description": q.description,
                "schema": q.schema,
            }
            for q in doc.query
        ],
    }
    if doc.roles:
        op["description"] = "Roles: " + ", ".join(doc.roles)
    if doc.auth:
        op["security"] = [{"apiKey": []}]
    else:
        op["security"] = []
    if doc.body:
        from chalicelib.api import schemas as models

        model = getattr(models, doc.body)
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            schemas[name] = sub
        schemas[doc.body] = schema
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{doc.body}"}}
            },
        }
    if doc.method == "POST" and doc.path == "/links/{token}":
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["action"],
                        "description": "post links: approve|reject with post_id (and reason); "
                        "incident links: delete|keep with subject_id; apology links: "
                        "approve|reject with subject_id (and reason)",
                        "properties": {
                            "action": {
                                "type": "string",
                                "enum": ["approve", "reject", "delete", "keep"],
                            },
                            "post_id": {"type": "string"},
                            "subject_id": {"type": "string"},
                            "reason": {"type": "string"},
                            "hack": {
                                "type": "string",
                                "enum": ["yes", "no", "unsure"],
                                "description": "incident links: was this a hack?",
                            },
                        },
                    }
                }
            },
        }
    ok_content: dict[str, Any]
    if doc.produces == "application/json":
        ref = (
            {"$ref": f"#/components/schemas/{doc.response_schema}"}
            if doc.response_schema
            else {"type": "object"}
        )
        ok_content = {"application/json": {"schema": ref}}
    else:
        ok_content = {doc.produces: {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(doc.ok_status): {"description": "OK", "content": ok_content}}
    error_json = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    codes = set(doc.errors) | ({401} if doc.auth else set()) | ({403} if doc.roles else set())
    if doc.body:
        codes.add(400)
    if doc.body or "requestBody" in op:
        codes.add(415)  # another Content-Type than the one documented
    if "{" in doc.path:
        codes.add(404)  # an id that does not exist (or is not yours, or cannot be one)
    for code in sorted(codes):
        # Chalice refuses another Content-Type before the route runs: always JSON.
        content = (
            {"text/html": {"schema": {"type": "string"}}}
            if doc.produces == "text/html" and code != 415
            else error_json
        )
        responses[str(code)] = {"description": _STATUS_TEXT.get(code, "Error"), "content": content}
    if doc.path == "/health":
        responses["503"] = {"description": _STATUS_TEXT[503], "content": ok_content}
    if doc.path == "/freezes/{scope}/lift":
        responses["202"] = {"description": _STATUS_TEXT[202], "content": ok_content}
    responses["500"] = {"description": "Unexpected failure", "content": error_json}
    op["responses"] = responses
    return op


def build_document(docs: list[RouteDoc]) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": _ERROR, "Post": _POST}
    paths: dict[str, Any] = {}
    for doc in docs:
        paths.setdefault(doc.path, {})[doc.method.lower()] = _operation(doc, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Firebreak API",
            "version": "1.0.0",
            "description": "Approval pipeline, editorial calendar and publishing freezes. "
            "Authenticate with your API key in the X-Api-Key header.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        },
    }
