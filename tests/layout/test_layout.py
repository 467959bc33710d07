"""The shape of the code: one room per capability, small units, the same API.

These run in ``make test``: a module or class that outgrows its room fails here, and a
move that changes the API's document, a route, or a Lambda's name fails here too.
"""

from __future__ import annotations

import ast
import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 400
CAPABILITIES = ("accounts", "posts", "links", "freezes", "incidents", "platform")
# core/ is what every capability shares: it must not reach back into one.
LOWER_LAYERS = ("core",)
CAPABILITY_PACKAGES = (*CAPABILITIES, "networks", "aws", "triage", "api", "web", "mentions")

# What the state machine, EventBridge and API Gateway know by name: a move must not
# rename one (the ASL substitutes the "playbook" Lambda's ARN; schedules are named rules).
LAMBDA_HANDLERS = {"playbook", "publisher", "watcher", "reminders"}


def _python_files() -> list[Path]:
    return sorted([*(ROOT / "chalicelib").rglob("*.py"), *(ROOT / "firebreak_local").rglob("*.py")])


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_python_module_is_over_the_limit() -> None:
    too_long = {
        str(p.relative_to(ROOT)): n for p in _python_files() if (n := _lines(p)) > MAX_MODULE_LINES
    }
    assert too_long == {}, f"modules over {MAX_MODULE_LINES} lines: split them by concern"


def test_no_class_is_over_the_limit() -> None:
    too_big = {}
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    too_big[f"{path.relative_to(ROOT)}:{node.name}"] = size
    assert too_big == {}, f"classes over {MAX_CLASS_LINES} lines: give each part its own"


def test_the_limits_see_every_module() -> None:
    # A guard on the guard: the scan finds the packages it is meant to cover.
    found = {p.relative_to(ROOT).parts[1] for p in _python_files() if len(p.parts) > 2}
    assert {*CAPABILITIES, "core", "sandbox_x", "drill"} <= found


def test_app_only_registers_blueprints_and_entry_points() -> None:
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert _lines(ROOT / "app.py") <= 150
    tree = ast.parse(source)
    routes = [
        node for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "route"
    ]
    assert routes == [], "routes belong in a capability's routes.py blueprint"
    assert "register_blueprint" in source


def test_every_capability_has_its_blueprint_registered() -> None:
    import app as chalice_app
    from chalicelib.api.routing import Routes

    served = {(path, m) for path, entries in chalice_app.app.routes.items() for m in entries}
    modules = {routes.module for routes in Routes.every}
    for capability in CAPABILITIES:
        assert f"chalicelib.{capability}.routes" in modules, capability
    for routes in Routes.every:
        for doc in routes.docs:
            assert (doc.path, doc.method) in served, f"{doc.method} {doc.path} not registered"


def test_lambda_and_schedule_names_are_unchanged() -> None:
    import app as chalice_app

    assert set(chalice_app.app.handler_map) >= LAMBDA_HANDLERS
    asl = (ROOT / "infra" / "playbook.asl.json").read_text(encoding="utf-8")
    assert "${PlaybookFunctionArn}" in asl


# Capabilities added since the baseline: their operations are new, the rest unchanged.
NEW_TAGS = {"mentions", "postmortem"}


def test_openapi_document_is_the_one_before_the_move() -> None:
    """Same operations with the same shapes as before the capability split (the
    baseline was taken from the single app.py); operations added since belong to a
    new capability's tag. Update the baseline on purpose only."""
    import app  # noqa: F401 - registers every capability's routes
    from chalicelib.api.openapi import build_document
    from chalicelib.api.routing import Routes

    baseline = json.loads((ROOT / "tests" / "data" / "openapi.baseline.json").read_text())
    document = build_document(Routes.all_docs())
    for path, operations in baseline["paths"].items():
        assert document["paths"][path] == operations, path
    for path in set(document["paths"]) - set(baseline["paths"]):
        for operation in document["paths"][path].values():
            assert set(operation["tags"]) <= NEW_TAGS, path
    for name, schema in baseline["components"]["schemas"].items():
        assert document["components"]["schemas"][name] == schema, name
    rest = {k: v for k, v in document.items() if k not in ("paths", "components", "tags")}
    assert rest == {k: v for k, v in baseline.items() if k not in ("paths", "components", "tags")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("layer", LOWER_LAYERS)
def test_core_does_not_reach_up_into_a_capability(layer: str) -> None:
    for path in (ROOT / "chalicelib" / layer).rglob("*.py"):
        upward = {
            m
            for m in _imports(path)
            if m.startswith("chalicelib.")
            and m.split(".")[1] in (*CAPABILITY_PACKAGES, "services", "wiring")
            and not m.startswith("chalicelib.triage")  # settings names the encoder modes
        }
        assert upward == set(), f"{path.relative_to(ROOT)} imports {upward}"


def test_domain_modules_are_pure() -> None:
    """A capability's domain.py does no I/O: no AWS SDK, no HTTP, no network client."""
    impure = {"boto3", "botocore", "chalice", "tweepy", "requests", "urllib3"}
    for path in (ROOT / "chalicelib").rglob("domain.py"):
        bad = {
            m
            for m in _imports(path)
            if m.split(".")[0] in impure or m.startswith(("chalicelib.wiring", "chalicelib.aws"))
        }
        assert bad == set(), f"{path.relative_to(ROOT)} imports {bad}"


def test_importing_the_app_stays_cheap() -> None:
    """Route modules load their heavy dependencies inside handlers: a scheduled
    handler's cold start pays for none of them."""
    heavy = ("pydantic", "tweepy", "boto3", "botocore", "numpy", "onnxruntime", "requests")
    heavy += ("jsonschema", "jinja2", "markupsafe")
    assert [m for m in heavy if m in _loaded_by_importing_app()] == []


def test_page_code_loads_on_a_pages_first_request_only() -> None:
    """Scheduled Lambdas import app.py too: they compile no page module."""
    pages = [
        m
        for m in _loaded_by_importing_app()
        if m.startswith("chalicelib.web.")
        and m.rsplit(".", 1)[1] not in ("routes", "site", "pages")
    ]
    assert pages == []


@functools.cache
def _loaded_by_importing_app() -> frozenset[str]:
    """The modules a fresh process has after ``import app`` (a Lambda's cold start)."""
    code = "import sys, app; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return frozenset(out.stdout.split())


def test_every_page_is_listed_under_the_module_that_declares_it() -> None:
    import importlib

    import app  # noqa: F401 - registers the lazy pages
    from chalicelib.web.site import site

    for module in set(site._modules.values()):
        importlib.import_module(module)
    declared = {key: fn.__module__ for key, (fn, _) in site._pages.items()}
    assert declared == site._modules
