"""Journeys through Amends in a real browser, with axe run on every page reached: zero violations."""

import re
from typing import Any

import pytest

from amends.accounts.demo import DEMO_PASSWORD, current_demo_code, demo_email
from amends.accounts.models import Role
from tests.browser.conftest import AxeChecker

pytestmark = pytest.mark.browser

# The home page itself: a pattern ending in "/" alone would also match the page we are leaving.
HOME = re.compile(r"^https?://[^/]+/$")


def sign_in(page: Any, axe: AxeChecker | None, email: str) -> None:
    """Sign in with the demo password and the current demo TOTP code; axe checks each page when given."""
    page.goto("/accounts/login/")
    if axe:
        axe.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    if axe:
        axe.check(page)
    page.get_by_label("Code").fill(current_demo_code())
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    page.wait_for_url(HOME)


def test_a_coordinator_signs_in_with_totp_invites_a_facilitator_and_reads_the_audit(page: Any, axe: AxeChecker) -> None:
    sign_in(page, axe, demo_email(Role.COORDINATOR, "sv"))
    axe.check(page)
    assert page.locator("h1").inner_text().startswith("Hello")

    page.get_by_role("link", name="Services", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Severn Vale Restorative Justice Service").click()
    axe.check(page)
    page.get_by_role("button", name="People", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Dafydd Hughes").click()
    axe.check(page)
    page.go_back()

    page.get_by_role("button", name="Invite someone").click()
    # Inviting is sensitive: the password is asked for again.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    axe.check(page)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/people/invite/"))
    axe.check(page)
    page.get_by_label("Full name").fill("Nia Evans")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_label("Facilitator").check()
    page.get_by_role("button", name="Send invitation").click()
    assert page.title().startswith("Error:")
    axe.check(page)
    assert page.get_by_label("Full name").input_value() == "Nia Evans"  # what was typed is kept
    page.get_by_label("Email address").fill("nia.evans@example.org")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/people/$"))
    axe.check(page)
    assert "Invitation sent" in page.content()

    page.get_by_role("link", name="Audit", exact=True).click()
    axe.check(page)
    assert "Invitation sent" in page.locator("table").inner_text()
    page.get_by_label("What").select_option(label="Invitation sent")
    page.get_by_role("button", name="Apply filters").click()
    axe.check(page)
    assert page.locator("tbody tr").count() == 1

    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url(re.compile(r"/cy/audit/"))
    assert page.locator("html").get_attribute("lang") == "cy"
    axe.check(page)

    assert axe.violations == [], "\n".join(axe.violations)
    assert len(axe.pages) >= 14


def test_a_facilitator_keeps_their_own_practice_record(page: Any, axe: AxeChecker) -> None:
    sign_in(page, axe, demo_email(Role.FACILITATOR, "dy"))
    page.get_by_role("button", name="See and add to your practice record").click()
    axe.check(page)
    page.get_by_role("button", name="Add CPD").click()
    axe.check(page)
    page.get_by_label("Activity").fill("Restorative practice in schools")
    page.get_by_label("Date").fill("31/02/2026")
    page.get_by_label("Hours").fill("3")
    page.get_by_role("button", name="Save").click()
    axe.check(page)
    assert page.get_by_label("Activity").input_value() == "Restorative practice in schools"
    page.get_by_label("Date").fill("01/09/2026")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    axe.check(page)
    assert "Restorative practice in schools" in page.content()
    assert axe.violations == [], "\n".join(axe.violations)


def test_the_sign_in_and_error_pages_pass_axe_in_welsh(page: Any, axe: AxeChecker) -> None:
    page.goto("/cy/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "cy"
    axe.check(page)
    page.goto("/cy/does-not-exist/")
    axe.check(page)
    assert axe.violations == [], "\n".join(axe.violations)


def test_a_person_adds_a_security_key_and_signs_in_with_it(browser: Any, server: str, axe: AxeChecker) -> None:
    context = browser.new_context(base_url=server, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    sign_in(page, axe, demo_email(Role.REFERRER, "dy"))
    page.get_by_role("link", name="Your account").click()
    axe.check(page)
    page.goto("/accounts/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    axe.check(page)
    page.get_by_label("Name").fill("Office key")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    axe.check(page)
    assert "Security key added" in page.content()

    page.goto("/accounts/logout/")
    page.get_by_role("button", name=re.compile("sign out", re.IGNORECASE)).click()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(demo_email(Role.REFERRER, "dy"))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    page.get_by_role("button", name=re.compile("security key", re.IGNORECASE)).click()
    page.wait_for_url(HOME)
    assert page.locator("h1").inner_text().startswith("Hello")
    context.close()
    assert axe.violations == [], "\n".join(axe.violations)


def test_everything_works_without_javascript(browser: Any, server: str) -> None:
    # axe runs as JavaScript, so this journey checks behaviour only; the others check accessibility.
    context = browser.new_context(base_url=server, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, None, demo_email(Role.SUPERVISOR, "sv"))
    page.get_by_role("link", name="Services", exact=True).click()
    page.get_by_role("link", name="Severn Vale Restorative Justice Service").click()
    page.get_by_role("button", name="People", exact=True).click()
    page.get_by_role("link", name="Dafydd Hughes").click()
    page.get_by_role("button", name="Record supervision").click()
    page.get_by_label("Date of the session").fill("02/11/2026")
    page.get_by_label("Notes").fill("Discussed SV-2026-00001 and next steps.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    assert "Supervision session recorded" in page.content()
    page.get_by_role("link", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    context.close()


def test_a_coordinator_triages_a_referral_and_a_facilitator_is_refused_a_skipped_step(
    page: Any, axe: AxeChecker
) -> None:
    sign_in(page, axe, demo_email(Role.COORDINATOR, "sv"))
    page.get_by_role("link", name="Referrals", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name=re.compile(r"^Referral \d+$")).first.click()
    axe.check(page)
    page.get_by_label("Accept: open a case").check()
    page.get_by_label("Reason for the decision").fill("Both parties identified and local; within scope.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    axe.check(page)
    reference = page.locator("h1").inner_text().removeprefix("Case ")
    assert re.fullmatch(r"SV-\d{4}-\d{5}", reference)

    page.get_by_role("link", name="Allocate facilitators").click()
    axe.check(page)
    page.get_by_label(re.compile("^Dafydd Hughes")).first.check()
    page.get_by_role("button", name="Allocate").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case_url = page.url
    assert "Allocated" in page.inner_text("main")

    # The facilitator takes over: they declare no conflict, start making contact, and may not skip to assessing.
    page.context.clear_cookies()
    sign_in(page, None, demo_email(Role.FACILITATOR, "sv"))
    page.goto(case_url)
    axe.check(page)
    page.get_by_role("link", name="Declare a conflict of interest").click()
    axe.check(page)
    page.get_by_label("No").check()
    page.get_by_role("button").filter(has_text=re.compile("Declare|Save|Continue")).first.click()
    page.wait_for_url(case_url)
    page.get_by_role("button", name="Start making contact").click()
    axe.check(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(case_url)
    page.get_by_role("button", name="Start assessing").click()
    page.get_by_role("button", name="Confirm").click()
    # Refused: the page names what is missing and keeps the case where it was.
    axe.check(page)
    assert "Nobody in the case has been reached yet" in page.inner_text("main")
    page.goto(case_url)
    assert "Making contact" in page.inner_text("main")
