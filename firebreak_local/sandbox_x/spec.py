"""Validate JSON bodies against the official X API v2 OpenAPI description.

The sandbox X (this package) claims to answer like X; this module is how the
tests hold it to that claim. It reads the vendored spec
(``firebreak_local/specs/x-api-v2-openapi.json``, OpenAPI 3.0.0, about 800 KB)
on first use only, resolves ``$ref`` through a ``referencing`` registry that
holds the whole document, and validates with openapi-schema-validator's
``OAS30Validator`` (which understands ``nullable`` and the 3.0 ``format``\\s).

Typical use::

    from firebreak_local.sandbox_x import spec

    spec.validate_response("GET", "/2/tweets/123", 200, body)  # concrete path
    spec.validate_response("DELETE", "/2/tweets/{id}", 404, body)  # template
    spec.validate_component("Problem", body["errors"][0])

Each raises ``XSpecViolation`` listing every mismatch.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).resolve().parent.parent / "specs" / "x-api-v2-openapi.json"

# The registry key under which the whole spec is stored; refs inside it
# ("#/components/schemas/...") then resolve against the document itself.
_SPEC_URI = "urn:firebreak:x-api-v2-openapi"

_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

_lock = threading.Lock()


class XSpecViolation(Exception):
    """A body does not match the spec, or the spec has no schema for the case asked."""


@functools.cache
def load_spec() -> dict[str, Any]:
    """The parsed spec (read once, on first call)."""
    with SPEC_PATH.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    return spec


@functools.cache
def _registry() -> Any:
    from referencing import Registry
    from referencing.jsonschema import DRAFT4

    # OpenAPI 3.0 schema objects are a JSON Schema draft-4 dialect; that is what
    # openapi-schema-validator builds OAS30Validator on, so refs resolve the same way.
    return Registry().with_resource(_SPEC_URI, DRAFT4.create_resource(load_spec()))


def _pointer(*parts: str) -> str:
    escaped = (part.replace("~", "~0").replace("/", "~1") for part in parts)
    return "#/" + "/".join(escaped)


@functools.cache
def _validator(pointer: str) -> Any:
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    return OAS30Validator(
        {"$ref": _SPEC_URI + pointer},
        registry=_registry(),
        format_checker=oas30_format_checker,
    )


@functools.cache
def _templates() -> tuple[tuple[str, re.Pattern[str], int], ...]:
    compiled = []
    for template in load_spec()["paths"]:
        params = template.count("{")
        regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        compiled.append((template, re.compile(regex + r"\Z"), params))
    # Literal segments win over parameters ("/2/tweets/search/recent" is not
    # "/2/tweets/{id}"), as in any router.
    compiled.sort(key=lambda item: item[2])
    return tuple(compiled)


def path_template(method: str, path: str) -> str:
    """The spec's path template for a concrete request path (query string ignored).

    ``path_template("DELETE", "/2/tweets/123")`` → ``"/2/tweets/{id}"``. A path
    that already is a template of the spec is returned unchanged.
    """
    paths = load_spec()["paths"]
    path = path.split("?", 1)[0]
    verb = method.lower()
    if path in paths and verb in paths[path]:
        return path
    for template, regex, _ in _templates():
        if regex.match(path) and verb in paths[template]:
            return template
    raise XSpecViolation(f"the spec has no operation {method.upper()} {path}")


def operation(method: str, path: str) -> dict[str, Any]:
    """The spec's operation object for ``method`` and a concrete or template path."""
    template = path_template(method, path)
    op: dict[str, Any] = load_spec()["paths"][template][method.lower()]
    return op


def response_pointer(method: str, path: str, status: int, content_type: str) -> str:
    """JSON pointer (in the spec) of the schema for this response.

    Looks the status up the way OpenAPI defines it: exact code, then the
    ``4XX``-style range, then ``default``. ``content_type`` parameters
    (``; charset=utf-8``) are ignored.
    """
    template = path_template(method, path)
    verb = method.lower()
    responses = load_spec()["paths"][template][verb]["responses"]
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            break
    else:
        raise XSpecViolation(
            f"{method.upper()} {template}: the spec defines no response for {status}"
        )
    media_type = content_type.split(";", 1)[0].strip().lower()
    content = responses[key].get("content", {})
    if media_type not in content:
        raise XSpecViolation(
            f"{method.upper()} {template} {status}: the spec has no {media_type!r} body "
            f"(it has {sorted(content)})"
        )
    return _pointer("paths", template, verb, "responses", key, "content", media_type, "schema")


def _check(pointer: str, instance: Any, what: str) -> None:
    # jsonschema validators are not documented as thread-safe while their
    # lazily built caches fill up; the sandbox may validate from server threads.
    with _lock:
        errors = sorted(_validator(pointer).iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        lines = [f"{what} does not match the X API spec:"]
        for error in errors[:20]:
            where = "/".join(str(part) for part in error.absolute_path) or "(body)"
            lines.append(f"  at {where}: {error.message[:300]}")
        if len(errors) > 20:
            lines.append(f"  ... and {len(errors) - 20} more")
        raise XSpecViolation("\n".join(lines))


def validate_response(
    method: str,
    path: str,
    status: int,
    body: Any,
    *,
    content_type: str = "application/json",
) -> None:
    """Validate a decoded JSON response body against the spec.

    ``path`` may be concrete (``/2/tweets/123``) or a template
    (``/2/tweets/{id}``). Raises ``XSpecViolation`` if the spec has no schema
    for this method/path/status/media type or if the body does not match it.
    """
    pointer = response_pointer(method, path, status, content_type)
    template = path_template(method, path)
    _check(pointer, body, f"{method.upper()} {template} {status} body")


def validate_request_body(method: str, path: str, body: Any) -> None:
    """Validate a JSON request body (``application/json``) against the spec."""
    template = path_template(method, path)
    verb = method.lower()
    request_body = load_spec()["paths"][template][verb].get("requestBody")
    if not request_body or "application/json" not in request_body.get("content", {}):
        raise XSpecViolation(f"{method.upper()} {template} takes no JSON request body")
    pointer = _pointer(
        "paths", template, verb, "requestBody", "content", "application/json", "schema"
    )
    _check(pointer, body, f"{method.upper()} {template} request body")


def validate_component(name: str, instance: Any) -> None:
    """Validate ``instance`` against ``#/components/schemas/<name>``."""
    if name not in load_spec()["components"]["schemas"]:
        raise XSpecViolation(f"the spec has no schema named {name!r}")
    _check(_pointer("components", "schemas", name), instance, f"{name} instance")


def component_properties(name: str) -> frozenset[str]:
    """The property names a component schema declares (for strictness checks in tests)."""
    schema = load_spec()["components"]["schemas"].get(name)
    if schema is None:
        raise XSpecViolation(f"the spec has no schema named {name!r}")
    return frozenset(schema.get("properties", {}))


def parameter_enum(method: str, path: str, name: str) -> frozenset[str]:
    """Allowed values of an array-of-enum query parameter (e.g. ``post.fields``)."""
    params = operation(method, path).get("parameters", [])
    for param in params:
        if "$ref" in param:
            param = _resolve_local(param["$ref"])
        if param.get("name") == name:
            schema = param.get("schema", {})
            items = schema.get("items", schema)
            return frozenset(items.get("enum", ()))
    raise XSpecViolation(f"{method.upper()} {path_template(method, path)} has no parameter {name}")


def _resolve_local(ref: str) -> dict[str, Any]:
    node: Any = load_spec()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    resolved: dict[str, Any] = node
    return resolved
