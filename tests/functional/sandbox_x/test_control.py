"""The /_sandbox/ control endpoints."""

from __future__ import annotations

from typing import Any

from chalicelib.networks.x import XClient
from firebreak_local.sandbox_x import RunningSandboxX
from tests.functional.sandbox_x.helpers import control


def test_control_endpoints_round_trip(sandbox: RunningSandboxX, brand: dict[str, Any]) -> None:
    assert control(sandbox, "POST", "/reset").json() == {"reset": True}
    created = control(
        sandbox,
        "POST",
        "/users",
        json={"username": "acme", "id": "2002", "access_token": "2002-tok", "app_name": "Buffer"},
    )
    assert created.status_code == 201
    assert "access_token" not in created.json()["user"]
    assert control(sandbox, "POST", "/users", json={"username": "ACME"}).status_code == 409
    assert control(sandbox, "POST", "/users", json={"name": "no username"}).status_code == 400

    injected = control(
        sandbox,
        "POST",
        "/users/2002/posts",
        json={"text": "rogue", "source": "Hootsuite", "created_at": "2024-05-01T10:00:00Z"},
    ).json()["post"]
    mention = control(
        sandbox,
        "POST",
        "/users/2002/mentions",
        json={"text": "hey", "author_username": "carol"},
    ).json()["post"]
    metrics = control(
        sandbox, "PATCH", f"/posts/{injected['id']}/metrics", json={"like_count": 7}
    ).json()["post"]["public_metrics"]
    fault = control(
        sandbox, "POST", "/faults", json={"path": "/2/tweets", "status": 500, "count": 3}
    ).json()["fault"]
    faults = control(sandbox, "GET", "/faults").json()["faults"]
    control(sandbox, "DELETE", "/faults")
    posts = control(sandbox, "GET", "/posts?author_id=2002").json()["posts"]
    users = control(sandbox, "GET", "/users").json()["users"]

    assert (
        injected["source"] == "Hootsuite" and injected["created_at"] == "2024-05-01T10:00:00.000Z"
    )
    assert mention["text"] == "@acme hey" and mention["author_username"] == "carol"
    assert metrics["like_count"] == 7
    assert faults == [fault] and fault["remaining"] == 3
    assert control(sandbox, "GET", "/faults").json() == {"faults": []}
    assert [p["id"] for p in posts] == [injected["id"]] and posts[0]["deleted"] is False
    assert {u["username"] for u in users} == {"acme", "carol"}
    assert control(sandbox, "POST", "/faults", json={"status": 200}).status_code == 400
    assert control(sandbox, "POST", "/users/2002/posts", json={"txt": "x"}).status_code == 400
    assert control(sandbox, "GET", "/nothing-here").status_code == 404


def test_request_log_records_api_calls(sandbox: RunningSandboxX, client: XClient) -> None:
    client.timeline()

    log = control(sandbox, "GET", "/requests").json()["requests"]

    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/2/users/me", 200),
        ("GET", "/2/users/1001/tweets", 200),
    ]
    assert "since_id" not in log[1]["query"] and "max_results=100" in log[1]["query"]
    assert log[1]["user_id"] == "1001"
