"""Team work in Debian's chromium: an admin assigns a document to qa1, qa1 verifies it from My queue with the
keyboard, qa2 does the blind second check, and the agreement page shows Cohen's kappa between the two."""

from __future__ import annotations

import os

import pytest
from casereview.store import session_factory
from casereview.store.users import create_user
from sklearn.metrics import cohen_kappa_score

from tests.store.seed import config_with_taxonomy
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, _login, browser, server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make system-deps)"),
]


@pytest.fixture()
def app(env):
    """Every verified item goes to a second person, and there is a second QA user."""
    from casereview.web import create_app

    with session_factory(env["url"])() as s, s.begin():
        create_user(s, "qa2", "qa", PASSWORD)
    return create_app(env["url"], config=config_with_taxonomy(env["taxonomy"], web={"double_verification_share": 1.0}))


def _page(browser, base: str, name: str):  # noqa: F811 - browser is the imported fixture
    ctx = browser.new_context()
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    _login(page, base, name)
    return ctx, page


def test_assign_verify_second_check_and_kappa(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    base = server
    # The admin gives doc-001 (named by its file, not an id) to qa1.
    ctx, page = _page(browser, base, "admin1")
    page.get_by_role("link", name="Assign").click()
    page.get_by_label("Assign doc-001.pdf to").select_option("qa1")
    page.locator("tr", has_text="doc-001.pdf").get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("Assigned 3 item(s)")
    expect(page.locator("tr", has_text="doc-001.pdf")).to_contain_text("qa1 (3)")
    ctx.close()

    # qa1 works their own queue with the keyboard: the model's labels for all three.
    ctx, page = _page(browser, base, "qa1")
    page.locator("#nav-mine").click()
    expect(page.get_by_role("status").first).to_contain_text("3 items")
    page.wait_for_load_state()  # the shortcuts are in deferred scripts
    page.keyboard.press("n")
    page.wait_for_url(f"{base}/items/*")
    for _ in range(3):
        expect(page.locator("#assigned-to")).to_have_text("qa1")
        page.wait_for_load_state()
        url = page.url
        page.keyboard.press("a")
        page.wait_for_url(lambda u, url=url: u != url)
    expect(page.get_by_role("status").first).to_contain_text("No more items")
    ctx.close()

    # qa2 checks them blind: no model suggestion and no first label on the page.
    ctx, page = _page(browser, base, "qa2")
    page.get_by_role("link", name="Second check").click()
    expect(page.get_by_role("status").first).to_contain_text("3 items waiting")
    page.wait_for_load_state()
    page.keyboard.press("n")
    page.wait_for_url(f"{base}/second/*")
    chosen = []
    for _ in range(3):
        expect(page.locator("mark.item").first).to_be_visible()
        page.wait_for_load_state()
        assert page.get_by_text("Model's suggestion").count() == 0
        assert page.locator(".badge, .score, strong.evidence, input:checked").count() == 0
        text = page.locator("mark.item").first.inner_text()
        start = text.split()[0]
        key = {"The": "1", "Practitioners": "3", "Managers": "5"}[start]  # 3 = human reasoning, not FPI
        chosen.append((start, key))
        page.keyboard.press(key)
        url = page.url
        page.keyboard.press("s")
        page.wait_for_url(lambda u, url=url: u != url)
    expect(page.get_by_role("status").first).to_contain_text("No more items")
    ctx.close()

    ids = ["multi_agency_working", "family_professional_interaction", "human_reasoning", "tools",
           "management_systems"]
    model = {"The": "multi_agency_working", "Practitioners": "family_professional_interaction",
             "Managers": "management_systems"}
    first = [model[t] for t, _ in chosen]
    second = [ids[int(k) - 1] for _, k in chosen]
    expected = cohen_kappa_score(first, second)

    ctx, page = _page(browser, base, "qa1")
    page.get_by_role("link", name="Agreement").click()
    people = page.locator("#people")
    expect(people).to_contain_text("Between people (double verification)")
    expect(people).to_contain_text("3 items verified by two people")
    expect(page.locator("#people-scie-kappa")).to_have_text(f"{expected:.2f}")
    expect(people.locator("table.pairs")).to_contain_text("qa1 and qa2")
    ctx.close()


def test_blind_item_page_undo_voids_second_check_status_choices_and_logout(server, browser, env):  # noqa: F811
    from casereview.store.models import ItemRow
    from playwright.sync_api import expect
    from sqlalchemy import select

    base = server
    with session_factory(env["url"])() as s:
        pk = s.scalar(select(ItemRow.pk).where(ItemRow.item_id == "doc-001-r1"))
    # qa1 accepts the item from its page with the keyboard.
    ctx1, qa1 = _page(browser, base, "qa1")
    qa1.goto(f"{base}/items/{pk}")
    qa1.wait_for_load_state()
    qa1.keyboard.press("a")
    qa1.wait_for_url(lambda u: f"/items/{pk}?" not in u and not u.endswith(f"/items/{pk}"))

    # qa2 opens the item's own page: it is in their blind queue, so they get the blind page instead.
    ctx2, qa2 = _page(browser, base, "qa2")
    qa2.goto(f"{base}/items/{pk}?status=all")
    qa2.wait_for_url(f"{base}/second/{pk}")
    expect(qa2.locator("mark.item").first).to_be_visible()
    assert qa2.get_by_text("Model's suggestion").count() == 0
    assert qa2.locator(".badge, .score, strong.evidence, input:checked").count() == 0
    assert "qa1" not in qa2.locator("main").inner_text()
    # Nor does the audit trail give the first label away while the check waits.
    qa2.goto(f"{base}/audit?item={pk}")
    expect(qa2.locator("main table")).to_contain_text("waits for your blind second check")
    qa2.goto(f"{base}/second/{pk}")
    qa2.wait_for_load_state()
    qa2.keyboard.press("4")  # tools, blind
    qa2.keyboard.press("s")
    qa2.wait_for_url(lambda u: f"/second/{pk}" not in u or "msg=" in u)
    qa1.goto(f"{base}/agreement")
    expect(qa1.locator("#people")).to_contain_text("1 item verified by two people")

    # qa1 undoes the accept: the second check compared with a label that is gone, so it is voided.
    qa1.goto(f"{base}/queue")
    qa1.locator("#btn-undo").click()
    qa1.wait_for_url(f"{base}/items/{pk}*")
    expect(qa1.locator("#undone")).to_be_visible()
    qa1.goto(f"{base}/audit?item={pk}")
    expect(qa1.locator("main table")).to_contain_text("second_void")
    qa1.goto(f"{base}/agreement")
    expect(qa1.locator("#people")).not_to_contain_text("verified by two people")
    ctx1.close()

    # The reviewer's status menu offers only what the reviewer may list.
    ctx3, rev = _page(browser, base, "reviewer1")
    assert rev.locator("#f-status option").all_inner_texts() == ["Needs verification"]
    ctx3.close()

    # qa2 logs out; the admin finds it in the audit trail.
    qa2.get_by_role("button", name="Log out").click()
    qa2.wait_for_url(f"{base}/login*")
    ctx2.close()
    ctx4, admin = _page(browser, base, "admin1")
    admin.goto(f"{base}/audit?action=logout")
    expect(admin.locator("main table")).to_contain_text("qa2")
    ctx4.close()
