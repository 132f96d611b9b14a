"""In Debian's chromium: two QA users on one item. qa1 corrects it; qa2 presses `a` and is warned with qa1's
label, nothing is saved until qa2 confirms; qa1's undo over qa2's change is refused; qa2 undoes with `u`, then
qa1 undoes with the button, and the audit trail shows both undos."""

from __future__ import annotations

import os

import pytest
from casereview.store import session_factory
from casereview.store.users import create_user

from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, _login, browser, server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make system-deps)"),
]


def _api_item(page, pk: str) -> dict:
    return page.evaluate("pk => fetch(`/api/items/${pk}`).then(r => r.json())", pk)


def test_colleague_warning_confirm_and_undo(env, server, browser):  # noqa: F811
    from playwright.sync_api import expect

    with session_factory(env["url"])() as s, s.begin():
        create_user(s, "qa2", "qa", PASSWORD)
    base = server

    # qa1 corrects the first item: Tools (key 4), saved with s.
    ctx1 = browser.new_context()
    ctx1.set_default_timeout(15000)
    p1 = ctx1.new_page()
    _login(p1, base, "qa1")
    p1.locator("#start").click()
    p1.wait_for_url(f"{base}/items/*")
    pk = p1.url.split("/items/")[1].split("?")[0]
    p1.keyboard.press("4")
    url = p1.url
    p1.keyboard.press("s")
    p1.wait_for_url(lambda u: u != url)
    assert _api_item(p1, pk)["verified"]["by"] == "qa1"

    # qa2 opens the same item, is warned, and `a` only asks.
    ctx2 = browser.new_context()
    ctx2.set_default_timeout(15000)
    p2 = ctx2.new_page()
    _login(p2, base, "qa2")
    p2.goto(f"{base}/items/{pk}?status=all")
    warning = p2.locator("#colleague-warning")
    expect(warning).to_contain_text("Verified by qa1: Tools")
    expect(warning).to_contain_text("Saving or accepting replaces their label.")
    here = p2.url
    p2.keyboard.press("a")
    expect(p2.locator("#confirm-box")).to_have_class("confirm asking")
    expect(p2.locator("#confirm")).to_be_focused()
    p2.wait_for_timeout(300)
    assert p2.url == here
    item = _api_item(p2, pk)
    assert item["verified"]["by"] == "qa1" and item["verified"]["scie"] == "tools"
    # Confirmed (space ticks the focused box), `a` replaces qa1's label.
    p2.keyboard.press("Space")
    expect(p2.locator("#confirm")).to_be_checked()
    p2.keyboard.press("a")
    p2.wait_for_url(lambda u: u != here)
    item = _api_item(p2, pk)
    assert item["verified"]["by"] == "qa2" and item["verified"]["scie"] == item["predicted"]["scie"]

    # qa1 cannot undo over qa2's change: the button answers with a conflict page, nothing changes.
    p1.goto(f"{base}/items/{pk}?status=all")
    p1.locator("#btn-undo").click()
    expect(p1.get_by_role("alert")).to_contain_text("changed this item after you")
    assert _api_item(p1, pk)["verified"]["by"] == "qa2"

    # qa2 undoes with u on the item page: qa1's label is back.
    p2.goto(f"{base}/items/{pk}?status=all")
    p2.keyboard.press("u")
    p2.wait_for_url(f"{base}/items/{pk}*msg=undone*")
    expect(p2.locator("#undone")).to_be_visible()
    item = _api_item(p2, pk)
    assert item["verified"]["by"] == "qa1" and item["verified"]["scie"] == "tools"

    # qa1's own change is now the latest on the item: qa1 undoes it from the item page with the button.
    p1.goto(f"{base}/items/{pk}?status=all")
    p1.locator("#btn-undo").click()
    p1.wait_for_url(f"{base}/items/{pk}*msg=undone*")
    expect(p1.locator("#undone")).to_contain_text("Undid your change")
    assert _api_item(p1, pk)["status"] == "pending"
    p1.goto(f"{base}/audit")
    undo_rows = p1.locator("table.audit-table tbody tr").filter(has_text="undo")
    assert undo_rows.filter(has_text="qa1").count() >= 1 and undo_rows.filter(has_text="qa2").count() >= 1
    expect(undo_rows.filter(has_text="qa1").filter(has_text="status").first).to_contain_text("pending")
    ctx1.close()
    ctx2.close()
