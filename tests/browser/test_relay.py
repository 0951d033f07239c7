"""A letter through the facilitated relay in a real browser, with axe on every page reached: zero violations."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from amends.accounts.demo import demo_email
from amends.accounts.models import Role
from tests.browser.conftest import AxeChecker
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

# The demo's corner-shop case, whose agreement is monitored: Kieran Doyle owes Kwame Osei a letter of apology.
MONITORED = "Monitoring the agreement"


def _open_monitored_case(page: Any) -> str:
    page.goto("/cases/")
    for row in page.locator("tbody tr", has_text=MONITORED).all():
        row.get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/cases/\d+/$"))
        if "Kieran Doyle" in page.inner_text("main"):
            return str(page.url)
        page.go_back()
    raise AssertionError("The demo's monitored case was not found.")


def test_a_facilitator_redacts_a_letters_street_address_before_releasing_it(page: Any, axe: AxeChecker) -> None:
    sign_in(page, None, demo_email(Role.FACILITATOR, "sv"))
    case_url = _open_monitored_case(page)
    axe.check(page)

    page.get_by_role("link", name="Kwame Osei", exact=True).click()
    harmed_url = page.url
    axe.check(page)
    assert "No messages have been passed on to them." in page.inner_text("main")

    page.goto(f"{case_url}messages/")
    axe.check(page)
    page.get_by_role("button", name="Write a message").click()
    axe.check(page)
    page.get_by_role("group", name="Who the message is from").get_by_label(re.compile(r"^Kieran")).check()
    page.get_by_role("group", name="Who the message is for").get_by_label(re.compile(r"^Kwame")).check()
    page.get_by_label("Letter, written out").check()
    page.get_by_label("The message").fill(
        "Mr Osei, I am sorry for the shutters. I live at 12 Mill Lane, near the shop, and I walk past every day."
    )
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/messages/\d+/$"))
    message_url = page.url
    axe.check(page)

    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(message_url)
    axe.check(page)
    assert page.get_by_role("heading", name="Street address").is_visible()
    assert "Flags still to resolve: 1." in page.inner_text("main")

    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url(re.compile(r"/steps/approve/$"))
    page.wait_for_load_state()
    expect(page).to_have_title(re.compile(r"^Error:"))
    axe.check(page)
    assert "identifying-details flags still to resolve: 1 (street address)" in page.inner_text("main")

    page.goto(message_url)
    page.get_by_label("Redacted").check()
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(message_url)
    axe.check(page)
    assert "[redacted]" in page.inner_text("main")

    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url(message_url)
    axe.check(page)
    page.get_by_role("button", name="Release to the recipient").click()
    page.wait_for_url(message_url)
    axe.check(page)
    assert "Released" in page.inner_text("main")

    page.goto(harmed_url)
    axe.check(page)
    passed_on = page.locator("#passed-on ~ table").first.inner_text()
    assert "Kieran" in passed_on
    assert "Letter, written out" in passed_on

    assert axe.violations == [], "\n".join(axe.violations)
