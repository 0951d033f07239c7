"""The data protection pages in a real browser, in English and in Welsh, with axe on every one: zero violations.

A coordinator goes from the service to its data protection page, opens every page it leads to (the settings, the
retention schedule, legal holds, the requests, the disclosure log and the sharing agreements) and each form reached
from them, then reads the demo's approved subject access export: Eleri Jones's, with nothing of Gareth in it.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from amends.accounts.demo import DEMO_PASSWORD, demo_email
from amends.accounts.models import Role
from tests.browser.conftest import AxeChecker
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

DATA_PROTECTION = re.compile(r"/services/\d+/data-protection/")


def _links_under(page: Any, prefix: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(link => link.getAttribute('href'))")
    return sorted({href for href in hrefs if href.startswith(prefix) and not href.endswith((".json", ".pdf"))})


def _visit_every_page(page: Any, axe: AxeChecker, hub: str) -> set[str]:
    """Every page under the hub reached from it or from a page it leads to (two links deep), each checked once."""
    seen = {hub}
    waiting = _links_under(page, hub)
    for _depth in range(2):
        found: list[str] = []
        for href in waiting:
            if href in seen:
                continue
            seen.add(href)
            response = page.goto(href)
            assert response is not None
            assert response.status == 200, href
            axe.check(page)
            found.extend(_links_under(page, hub))
        waiting = found
    return seen


def test_every_data_protection_page_passes_axe_in_english_and_welsh(page: Any, axe: AxeChecker) -> None:
    sign_in(page, None, demo_email(Role.COORDINATOR, "sv"))
    page.get_by_role("link", name="Services", exact=True).click()
    page.get_by_role("link", name="Severn Vale Restorative Justice Service").click()
    page.get_by_role("button", name="Data protection", exact=True).click()
    page.wait_for_url(DATA_PROTECTION)
    axe.check(page)
    hub = re.sub(r"^https?://[^/]+", "", str(page.url))

    visited = _visit_every_page(page, axe, hub)
    assert any("/settings/" in url for url in visited)
    assert any("/retention/" in url for url in visited)
    assert any("/legal-holds/" in url for url in visited)
    assert any("/requests/" in url for url in visited)
    assert any("/disclosures/" in url for url in visited)
    assert any("/agreements/" in url for url in visited)

    page.goto(f"/cy{hub}")
    axe.check(page)
    _visit_every_page(page, axe, f"/cy{hub}")

    assert axe.violations == [], "\n".join(axe.violations)


def test_the_coordinator_reads_eleris_export_with_nothing_of_gareth_in_it(page: Any, axe: AxeChecker) -> None:
    sign_in(page, None, demo_email(Role.COORDINATOR, "sv"))
    page.get_by_role("link", name="Services", exact=True).click()
    page.get_by_role("link", name="Severn Vale Restorative Justice Service").click()
    page.get_by_role("button", name="Data protection", exact=True).click()
    page.get_by_role("link", name=re.compile("requests", re.IGNORECASE)).first.click()
    axe.check(page)
    page.locator("main tbody tr", has_text="Eleri").get_by_role("link").first.click()
    axe.check(page)
    page.get_by_role("link", name=re.compile("preview|read the export", re.IGNORECASE)).first.click()
    axe.check(page)

    text = page.inner_text("main")
    assert "Eleri" in text
    assert "Gareth" not in text

    # Downloading it asks for the password again: a wrong one is refused, then the file asked for comes.
    preview = page.url
    page.get_by_role("button", name="Download it as JSON in English").click()
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    axe.check(page)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).to_contain_text("Incorrect password")
    axe.check(page)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    assert download.value.suggested_filename.endswith("-en.json")
    page.goto(preview)

    # Withholding a record asks why; the error page keeps the choice.
    page.get_by_role("link", name="Choose records to withhold").click()
    axe.check(page)
    choice = page.locator("main input[type=checkbox]").first
    choice.check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert page.locator("main input[type=checkbox]").first.is_checked()
    axe.check(page)
    assert axe.violations == [], "\n".join(axe.violations)
