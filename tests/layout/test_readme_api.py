"""The README's API table says what the routes do: every operation the app serves is in
the table, and the table names none that the app does not serve."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.split("?")[0].rstrip("/") or "/")


def documented() -> set[tuple[str, str]]:
    """(method, path) of every row of the README's API table; ``GET``, ``PUT /x`` is both
    methods on /x, and ``/reject`` after ``POST /posts/{id}/approve`` its sibling."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The API", 1)[1].split("\n## ", 1)[0]
    found: set[tuple[str, str]] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split(" | ")[0]
        pending: list[str] = []
        methods: list[str] = []
        last = ""
        for chunk in re.findall(r"`([^`]+)`", first_cell):
            words = chunk.split()
            if len(words) == 1 and words[0] in METHODS:
                pending.append(words[0])
                continue
            if words[0] in METHODS:
                methods, last = [*pending, words[0]], words[1]
                pending = []
            elif chunk.startswith("/") and last:
                last = last.rsplit("/", 1)[0] + chunk
            else:
                continue
            found.update((m, _normalise(last)) for m in methods)
    return found


def served() -> set[tuple[str, str]]:
    import app  # noqa: F401 - registers every capability's routes
    from chalicelib.api.routing import Routes

    return {(doc.method, _normalise(doc.path)) for doc in Routes.all_docs()}


def test_every_api_route_is_in_the_readme_table() -> None:
    missing = sorted(served() - documented())
    assert missing == [], f"routes missing from README's API table: {missing}"


def test_the_readme_table_names_only_routes_that_exist() -> None:
    extra = sorted(documented() - served())
    assert extra == [], f"README's API table names routes the app does not serve: {extra}"
