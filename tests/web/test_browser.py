"""End-to-end in Debian's chromium: QA accepts with the keyboard and corrects an item, both appear in the
audit trail; a researcher cannot change a label. Skipped only when /usr/bin/chromium is missing."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make system-deps)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(app):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture()
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _login(page, base: str, name: str) -> None:
    from tests.web.conftest import PASSWORD

    page.goto(f"{base}/queue")
    assert "/login" in page.url  # anonymous visitors are sent to the login page
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/queue*")


def test_qa_keyboard_flow_and_researcher_read_only(server, browser):
    from playwright.sync_api import expect

    base = server
    ctx = browser.new_context()
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    _login(page, base, "qa1")
    page.locator("#start").click()
    page.wait_for_url(f"{base}/items/*")
    first_url = page.url
    first_title = page.locator("h1").inner_text()
    expect(page.locator("mark.item").first).to_be_visible()

    # Accept the first item with one key; the app moves on to the next item.
    page.keyboard.press("a")
    page.wait_for_url(lambda url: url != first_url and "/items/" in url)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    second_title = page.locator("h1").inner_text()
    assert second_title != first_title

    # Correct the second: category 4 (Tools), add a theme, a comment, save, all from the keyboard.
    page.keyboard.press("4")
    expect(page.locator('input[name=scie][value="tools"]')).to_be_checked()
    page.keyboard.press("t")
    expect(page.locator("#themes input[type=checkbox]").first).to_be_focused()
    page.keyboard.press("Space")  # toggles the first theme (Neglect)
    page.keyboard.press("c")
    expect(page.locator("#comment")).to_be_focused()
    page.keyboard.type("recording system, not family work")  # letters typed here are not shortcuts
    page.keyboard.press("Escape")
    second_url = page.url
    page.keyboard.press("s")
    page.wait_for_url(lambda url: url != second_url)

    # Both decisions are in the audit trail.
    page.goto(f"{base}/audit")
    table = page.locator("table.audit-table")
    expect(table).to_contain_text("qa1")
    expect(table).to_contain_text("Tools")
    expect(table).to_contain_text("recording system, not family work")
    assert table.locator("tbody tr").filter(has_text="status").count() == 2
    expect(table.locator("tbody tr").filter(has_text="save").filter(has_text="themes")).to_contain_text("Neglect")
    accepted = table.locator("tbody tr").filter(has_text="accept")
    assert accepted.count() == 3  # status, and the category and themes that were accepted
    ctx.close()

    # A researcher can read the item but not change it, in the page or by posting anyway.
    ctx = browser.new_context()
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    _login(page, base, "researcher1")
    page.locator("#start").click()
    page.wait_for_url(f"{base}/items/*")
    expect(page.locator("#read-only")).to_be_visible()
    assert page.locator("#label-form").count() == 0
    before = page.url
    page.keyboard.press("a")  # no form: nothing is submitted
    page.wait_for_timeout(300)
    assert page.url == before
    pk = before.split("/items/")[1].split("?")[0]
    token = page.evaluate("fetch('/api/me').then(r => r.json()).then(j => j.csrf_token)")
    status = page.evaluate(
        "([pk, token]) => fetch(`/api/items/${pk}/accept`, {method: 'POST', headers: {'X-CSRF-Token': token, "
        "'Content-Type': 'application/json'}, body: '{}'}).then(r => r.status)", [pk, token])
    assert status == 403
    page.goto(f"{base}/audit")
    expect(page.get_by_role("link", name="CSV")).to_be_visible()  # researchers may export
    ctx.close()
