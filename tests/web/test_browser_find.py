"""Finding things in Debian's chromium: search from the queue page, open the whole-document view, and toggle
a theme with its hotkey on the item page. Skipped only when /usr/bin/chromium is missing."""

from __future__ import annotations

import os

import pytest

from tests.web.test_browser import CHROMIUM, _login, browser, server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make system-deps)"),
]


def test_search_document_view_and_theme_hotkeys(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    base = server
    ctx = browser.new_context()
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    _login(page, base, "qa1")

    # Search from the queue page: only the item with the word is left.
    page.get_by_label("Search the text").fill("supervision")
    page.get_by_label("Search the text").press("Enter")
    page.wait_for_url("**q=supervision*")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Managers should review supervision")
    expect(page.get_by_role("status").first).to_contain_text("1 item")

    # The document column names the file and opens the whole document with its items marked.
    expect(rows.first.locator("td").nth(1)).to_have_text("doc-001.pdf")
    rows.first.locator("td").nth(1).get_by_role("link").click()
    page.wait_for_url(f"{base}/documents/doc-001*")
    expect(page.locator("h1")).to_have_text("doc-001.pdf")
    expect(page.locator(".doc-text mark.item")).to_have_count(3)
    expect(page.locator(".doc-item-list li")).to_have_count(3)
    expect(page.locator(".doc-item-list li").first).to_contain_text("Multi-agency working")

    # From the document to an item, where each theme has its own key.
    page.locator(".doc-item-list li").nth(1).get_by_role("link").first.click()
    page.wait_for_url(f"{base}/items/*")
    boxes = page.locator("#themes input[type=checkbox]")
    assert boxes.count() == 4
    second = boxes.nth(1)
    assert second.get_attribute("data-hotkey") == "shift+2"
    expect(page.locator("#themes label").nth(1).locator("kbd")).to_have_text("⇧2")
    was = second.is_checked()
    page.locator("h1").click()  # focus outside any field
    page.keyboard.press("Shift+Digit2")
    expect(second).to_be_checked(checked=not was)
    expect(page.locator('input[name=scie]:checked')).to_have_count(1)  # the SCIE choice did not move
    page.keyboard.press("Shift+Digit2")
    expect(second).to_be_checked(checked=was)
    # Typed into the comment, the same keys are text.
    page.keyboard.press("c")
    page.keyboard.type("@")
    expect(second).to_be_checked(checked=was)
    ctx.close()
