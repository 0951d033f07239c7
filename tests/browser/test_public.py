"""The public side in a real browser: every public and participant page passes axe in English and in Welsh, and
the journeys the issue names work by keyboard alone."""

import re
from typing import Any

import pytest

from amends.accounts.demo import demo_email
from amends.accounts.models import Role
from amends.participation.demo import DEMO_LINK_TOKEN
from tests.browser.conftest import AxeChecker
from tests.browser.keyboard import choose, tab_to_link, tab_to_submit, tab_until, type_into
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

SERVICE_PAGES = ("", "contact/", "privacy/", "accessibility/", "feedback/", "refer/")
# The demo's prepared mediation between neighbours (amends/cases/demo.py, one_of_each_process).
MEDIATION_CASE = "SV-2026-00014"
PARTICIPANT_PAGES = ("", "consent/", "consent/withdraw/", "messages/", "meeting/", "survey/")


def _submit(page: Any, which: str = "first") -> None:
    """Click the page's form button and wait for the page it leads to."""
    with page.expect_navigation():
        getattr(page.locator("main form button[type=submit]"), which).click()


def _check_public_page(page: Any, axe: AxeChecker) -> None:
    axe.check(page)
    # Exit this page comes first, straight after the skip link.
    assert page.locator(".govuk-exit-this-page a").first.is_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_public_page_passes_axe(page: Any, axe: AxeChecker, language: str) -> None:
    prefix = "/cy" if language == "cy" else ""
    for path in ["/rj/", *(f"/rj/sv/{rest}" for rest in SERVICE_PAGES), "/link/ended/"]:
        page.goto(prefix + path)
        assert page.locator("html").get_attribute("lang") == language
        _check_public_page(page, axe)
    # The forms with their errors shown, and after sending.
    for form in ("feedback/", "refer/"):
        page.goto(f"{prefix}/rj/sv/{form}")
        _submit(page)
        assert page.locator(".govuk-error-summary").is_visible()
        _check_public_page(page, axe)
    page.goto(f"{prefix}/rj/sv/feedback/")
    page.locator("input[name=kind][value=compliment]").check()
    page.locator("input[name=from_role][value=public]").check()
    page.locator("textarea[name=summary]").fill("The facilitator was kind and clear.")
    page.locator("input[name=answer_by][value=none]").check()
    _submit(page)
    assert page.url.endswith("/feedback/sent/")
    _check_public_page(page, axe)
    assert not axe.violations, "\n".join(axe.violations)


def test_exit_this_page_leaves_at_once_with_shift_pressed_three_times(page: Any) -> None:
    page.goto("/rj/sv/")
    page.wait_for_load_state("load")
    for _press in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(re.compile(r"/healthz$"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_participant_page_passes_axe(page: Any, axe: AxeChecker, language: str) -> None:
    prefix = "/cy" if language == "cy" else ""
    page.goto(f"{prefix}/link/{DEMO_LINK_TOKEN}/")
    page.wait_for_url(re.compile(r"/link/check/$"))
    _check_public_page(page, axe)
    page.locator("input[name=answer]").fill("12/08/1983")
    _submit(page)
    assert page.url.endswith("/your-part/")
    for path in PARTICIPANT_PAGES:
        page.goto(f"{prefix}/your-part/{path}")
        assert page.locator("html").get_attribute("lang") == language
        _check_public_page(page, axe)
    page.goto(f"{prefix}/your-part/messages/")
    page.locator("main a[href*='/your-part/messages/']").first.click()
    page.wait_for_url(re.compile(r"/your-part/messages/\d+/$"))
    _check_public_page(page, axe)
    page.locator("main a[href$='/reply/']").first.click()
    page.wait_for_url(re.compile(r"/reply/$"))
    _check_public_page(page, axe)
    _submit(page)  # nothing written: the error is shown
    assert page.locator(".govuk-error-summary").is_visible()
    _check_public_page(page, axe)
    page.goto(f"{prefix}/your-part/")
    _submit(page, "last")  # Leave
    _check_public_page(page, axe)
    page.goto(f"{prefix}/your-part/")
    page.wait_for_url(re.compile(r"/link/ended/$"))
    assert not axe.violations, "\n".join(axe.violations)


def test_someone_reads_the_welsh_pages_and_refers_themselves_by_keyboard_alone(page: Any, axe: AxeChecker) -> None:
    """The Dyfed service is under the Welsh Language Standards: its pages and the form are read in Welsh."""
    page.goto("/cy/rj/dy/")
    _check_public_page(page, axe)
    assert page.locator("html").get_attribute("lang") == "cy"
    tab_until(page, "e.tagName === 'A' && e.getAttribute('href') === '/cy/rj/dy/refer/'", "the self-referral link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cy/rj/dy/refer/$"))
    _check_public_page(page, axe)
    choose(page, "initiated_by", "person_harmed")
    type_into(page, "given_name", "Nerys")
    choose(page, "offence_category", "criminal_damage")
    choose(page, "justice_stage", "not_reported")
    type_into(page, "phone", "07700 900456")
    type_into(page, "safe_times", "Yn y bore")
    choose(page, "correspondence_language", "cy")
    tab_to_submit(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cy/rj/dy/refer/sent/$"))
    _check_public_page(page, axe)
    assert "Nerys" not in page.inner_text("main")
    assert "07700" not in page.inner_text("main")

    # The referral is in the service's triage queue, marked as a self-referral waiting to be checked.
    sign_in(page, None, demo_email(Role.COORDINATOR, "dy"))
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.wait_for_url(re.compile(r"/referrals/"))
    page.wait_for_load_state("load")
    queue = page.inner_text("main")
    assert "Self-referral" in queue
    assert "Not checked yet" in queue
    assert not axe.violations, "\n".join(axe.violations)


def test_a_participant_withdraws_consent_through_their_link_by_keyboard_alone(
    browser: Any, server: str, page: Any, axe: AxeChecker
) -> None:
    """The facilitator gives Rhys Morgan (the mediation case) a link for a letter, with a code; Rhys opens it and
    withdraws his consent using only the keyboard; the case page shows it, with the case back in assessing."""
    sign_in(page, None, demo_email(Role.FACILITATOR, "sv"))
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name=MEDIATION_CASE, exact=True).first.click()
    case_url = page.url
    page.get_by_role("link", name="Rhys Morgan", exact=True).first.click()
    participant_url = page.url
    page.get_by_role("button", name="Give them a secure link").click()
    axe.check(page)
    page.get_by_label("Printed in a letter").check()
    page.get_by_label("A code sent to them separately").check()
    page.get_by_role("button", name="Issue the link").click()
    axe.check(page)
    link = page.locator("main .amends-code").first.inner_text().strip()
    code = page.locator("#link-code").inner_text().strip()
    assert "/link/" in link
    assert re.fullmatch(r"\d{6}", code)

    participant = browser.new_context(base_url=server, locale="en-GB")
    participant.set_default_timeout(15_000)
    rhys = participant.new_page()
    rhys.goto(link)
    rhys.wait_for_url(re.compile(r"/link/check/$"))
    _check_public_page(rhys, axe)
    type_into(rhys, "answer", code)
    rhys.keyboard.press("Enter")
    rhys.wait_for_url(re.compile(r"/your-part/$"))
    _check_public_page(rhys, axe)
    tab_until(rhys, "e.tagName === 'A' && e.getAttribute('href') === '/your-part/consent/'", "the consent link")
    rhys.keyboard.press("Enter")
    rhys.wait_for_url(re.compile(r"/your-part/consent/$"))
    _check_public_page(rhys, axe)
    tab_to_link(rhys, "Withdraw")
    rhys.keyboard.press("Enter")
    rhys.wait_for_url(re.compile(r"/your-part/consent/withdraw/$"))
    _check_public_page(rhys, axe)
    tab_to_submit(rhys)
    rhys.keyboard.press("Enter")
    rhys.wait_for_url(re.compile(r"/withdrawn/$"))
    _check_public_page(rhys, axe)
    participant.close()

    page.goto(participant_url)
    assert "Consent withdrawn (current)" in page.inner_text("main")
    page.goto(case_url)
    main = page.inner_text("main")
    assert "Assessing" in main
    assert "Consent withdrawn" in main
    assert not axe.violations, "\n".join(axe.violations)


def test_the_public_forms_and_the_link_work_without_javascript(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/rj/sv/feedback/")
    page.get_by_label("Give a compliment").check()
    page.get_by_label("A member of the public").check()
    page.get_by_label("What happened?").fill("Clear letters and a kind facilitator.")
    page.get_by_label("I do not need an answer").check()
    _submit(page)
    assert page.url.endswith("/feedback/sent/")
    # Dyfed's queue, not Severn Vale's: the triage journey takes the newest referral in Severn Vale's.
    page.goto("/rj/dy/refer/")
    page.get_by_label("I am responsible for the harm").check()
    page.get_by_label("First name").fill("Kai")
    page.locator("input[name=offence_category][value=theft]").check()
    page.locator("input[name=justice_stage][value=not_reported]").check()
    page.locator("input[name=email]").fill("kai@example.org")
    page.locator("input[name=correspondence_language][value=en]").check()
    _submit(page)
    assert page.url.endswith("/refer/sent/")
    page.goto(f"/link/{DEMO_LINK_TOKEN}/")
    page.locator("input[name=answer]").fill("12/08/1983")
    _submit(page)
    assert page.url.endswith("/your-part/")
    page.goto("/your-part/messages/")
    assert page.locator("main a[href*='/your-part/messages/']").count() >= 1
    context.close()
