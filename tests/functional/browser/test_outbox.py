"""The local outbox page: a mail opened for reading stays open while new mail arrives."""

from __future__ import annotations

from typing import Any

import requests

from firebreak_local.stack import LocalStack


def test_an_opened_mail_stays_open_when_new_mail_arrives(browser: Any, stack: LocalStack) -> None:
    _ask_link(stack, "bob@acme.example")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(stack.outbox_url)
        first = page.locator("details").first
        first.locator("summary").click()
        opened = first.get_attribute("id")
        count = page.locator("article").count()
        _ask_link(stack, "ada@acme.example")
        page.wait_for_function(f"document.querySelectorAll('article').length > {count}")
        assert page.locator(f"details#{opened}").evaluate("d => d.open")
    finally:
        context.close()


def _ask_link(stack: LocalStack, email: str) -> None:
    res = requests.post(
        stack.api_url + "/app/signin",
        data={"email": email},
        headers={"Origin": stack.api_url},
        timeout=10,
    )
    assert res.status_code == 200
