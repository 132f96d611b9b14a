"""In Debian's chromium: an admin adds a user on the Users page (a short password is refused with the
server's reason), the new user logs in, and a stranger's failed logins do not lock the user's own browser out
(a fresh browser is refused). Skipped only when /usr/bin/chromium is missing."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tests.web.test_browser import CHROMIUM, _login, browser, server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make system-deps)"),
]

GOOD = "a-long-secret-99"


def log_in(page, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_admin_adds_a_user_and_a_stranger_cannot_lock_them_out(server, browser, app):  # noqa: F811
    from playwright.sync_api import expect

    base = server
    admin_ctx = browser.new_context()
    admin_ctx.set_default_timeout(15000)
    page = admin_ctx.new_page()
    _login(page, base, "admin1")
    page.get_by_role("link", name="Users").click()
    page.wait_for_url(f"{base}/users")
    page.locator("#u-name").fill("erin")
    page.locator("#u-role").select_option("qa")
    page.locator("#u-pw").fill("short")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 12 characters")  # the server's reason
    assert page.locator("tr[data-user=erin]").count() == 0
    page.locator("#u-name").fill("erin")
    page.locator("#u-role").select_option("qa")
    page.locator("#u-pw").fill(GOOD)
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_contain_text("User added")
    expect(page.locator("tr[data-user=erin]")).to_contain_text("qa")
    admin_ctx.close()

    # Erin logs in from her own browser, which from now on is a known device for her account.
    erin_ctx = browser.new_context()
    erin_ctx.set_default_timeout(15000)
    erin = erin_ctx.new_page()
    log_in(erin, base, "erin", GOOD)
    erin.wait_for_url(f"{base}/queue*")
    expect(erin.locator(".who")).to_contain_text("erin")
    erin.get_by_role("button", name="Log out").click()
    erin.wait_for_url(f"{base}/login*")

    # A stranger guesses her password from other addresses until new browsers are refused.
    codes = [login(TestClient(app, client=(f"203.0.113.{i}", 4000)), "erin", "guess-guess-guess").status_code
             for i in range(7)]
    assert codes[-1] == 429

    fresh_ctx = browser.new_context()
    fresh_ctx.set_default_timeout(15000)
    fresh = fresh_ctx.new_page()
    log_in(fresh, base, "erin", GOOD)
    expect(fresh.get_by_role("alert")).to_contain_text("Too many failed attempts")
    fresh_ctx.close()

    log_in(erin, base, "erin", GOOD)  # her own browser still gets in
    erin.wait_for_url(f"{base}/queue*")
    expect(erin.locator(".who")).to_contain_text("erin")
    erin_ctx.close()
