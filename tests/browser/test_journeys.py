"""Journeys through Amends in a real browser, with axe run on every page reached: zero violations."""

import datetime
import re
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from amends.accounts.demo import DEMO_PASSWORD, current_demo_code, demo_email
from amends.accounts.models import Role
from tests.browser.conftest import AxeChecker

pytestmark = pytest.mark.browser

# The home page itself: a pattern ending in "/" alone would also match the page we are leaving.
HOME = re.compile(r"^https?://[^/]+/$")


# The TOTP code each account last signed in with: allauth refuses a code used before, so a second sign-in by the same
# account waits for the next 30-second code.
_CODES_USED: dict[str, str] = {}

# allauth accepts only the current 30-second code (no tolerance), so a code read in the last seconds of its window may
# have expired by the time a loaded machine submits it: such a code is not used, the next one is.
_TOTP_PERIOD = 30
_TOTP_MARGIN = 8


def _fresh_code(email: str) -> str:
    left = _TOTP_PERIOD - time.time() % _TOTP_PERIOD
    if left < _TOTP_MARGIN:
        time.sleep(left + 0.5)
    code = current_demo_code()
    while code == _CODES_USED.get(email):
        time.sleep(1)
        code = current_demo_code()
    _CODES_USED[email] = code
    return code


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
    page.get_by_label("Code").fill(_fresh_code(email))
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
    expect(page).to_have_title(re.compile(r"^Error:"))
    axe.check(page)
    assert page.get_by_label("Full name").input_value() == "Nia Evans"  # what was typed is kept
    page.get_by_label("Email address").fill("nia.evans@example.org")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/people/$"))
    axe.check(page)
    assert "Invitation sent" in page.content()

    # The service's figures, broken down, and what its commissioners see: each table with its chart.
    page.get_by_role("link", name="Figures", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Severn Vale Restorative Justice Service").first.click()
    page.get_by_label("Break down by").select_option(label="Referral source")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url(re.compile(r"breakdown=source"))
    axe.check(page)
    assert page.locator("figure img").count() >= 10
    page.get_by_role("link", name="Figures", exact=True).first.click()
    page.get_by_role("link", name="Severn Vale Restorative Justice Service").last.click()
    axe.check(page)
    assert "Small numbers are hidden" in page.content()

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
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    context.close()


class CaseWork:
    """A facilitator working on one case through its pages, with axe on every page reached."""

    def __init__(self, page: Any, axe: AxeChecker, case_url: str) -> None:
        self.page, self.axe, self.case_url = page, axe, case_url
        # Ten minutes ago in the service's time zone: a contact or a consent may not be in the future.
        moment = datetime.datetime.now(ZoneInfo("Europe/London")) - datetime.timedelta(minutes=10)
        self.date, self.time = moment.strftime("%d/%m/%Y"), moment.strftime("%H:%M")

    def open_case(self) -> None:
        self.page.goto(self.case_url)
        self.axe.check(self.page)

    def open_form(self, participant: str, link: str) -> None:
        self.open_case()
        self.page.get_by_role("link", name=participant, exact=True).click()
        self.axe.check(self.page)
        self.page.get_by_role("link", name=link, exact=True).click()
        self.axe.check(self.page)

    def save(self, button: str, back_to: str = r"/participants/\d+/$") -> None:
        self.page.get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_url(re.compile(back_to))
        self.axe.check(self.page)

    def log_contact(self, participant: str, channel: str) -> None:
        self.open_form(participant, "Log a contact")
        page = self.page
        page.get_by_label("Date", exact=True).fill(self.date)
        page.get_by_label("Time", exact=True).fill(self.time)
        page.get_by_label(channel, exact=True).check()
        page.get_by_label("Made contact", exact=True).check()
        page.get_by_label("Summary").fill("Explained what RJ is and how it could work for them.")
        self.save("Log contact")

    def give_information(self, participant: str) -> None:
        self.open_form(participant, "Record information given")
        for item in self.page.get_by_role("group", name="What they were told").get_by_role("checkbox").all():
            item.check()
        self.page.get_by_label("Date", exact=True).fill(self.date)
        self.page.get_by_label("In person", exact=True).check()
        self.save("Save")

    def take_step(self, step: str, reason: str | None = None) -> None:
        self.open_case()
        self.page.get_by_role("button", name=step, exact=True).click()
        self.axe.check(self.page)
        if reason:
            self.page.get_by_label(reason, exact=True).check()
        self.page.get_by_role("button", name="Confirm").click()
        self.page.wait_for_url(self.case_url)


# The whole life of a case, with axe on some sixty pages: longer than the suite's five minutes a test.
@pytest.mark.timeout(900)
def test_a_coordinator_triages_a_referral_and_a_facilitator_takes_it_to_a_completed_case(
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
    work = CaseWork(page, axe, case_url)
    work.open_case()
    page.get_by_role("link", name="Declare a conflict of interest").click()
    axe.check(page)
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save declaration").click()
    page.wait_for_url(case_url)
    work.take_step("Start making contact")
    page.get_by_role("button", name="Start assessing").click()
    page.get_by_role("button", name="Confirm").click()
    # Refused: the page names what is missing and keeps the case where it was.
    axe.check(page)
    assert "Nobody in the case has been reached yet" in page.inner_text("main")
    work.open_case()
    assert "Making contact" in page.inner_text("main")

    harmed, responsible = "Aled Pritchard", "Ryan Cole"
    work.log_contact(harmed, "Phone call")
    work.log_contact(responsible, "Visit")
    for participant in (harmed, responsible):
        work.give_information(participant)
    work.take_step("Start assessing")

    # Skipping the gates is refused, naming each gate and the person it concerns.
    page.get_by_role("button", name="Start preparing").click()
    page.get_by_role("button", name="Confirm").click()
    axe.check(page)
    refusal = page.locator(".govuk-error-summary").inner_text()
    assert f"Responsibility: {responsible} (Person responsible (offender)): no acceptance" in refusal
    assert f"Consent: {harmed} (Person harmed (victim)) has not given consent." in refusal
    assert f"Risk: {responsible} (Person responsible (offender)) has no risk assessment." in refusal
    work.open_case()
    assert "Assessing" in page.inner_text("main")

    work.open_case()
    page.get_by_role("link", name="Change the case details").click()
    axe.check(page)
    page.get_by_label("Face-to-face conference", exact=True).check()
    page.get_by_role("button", name="Save details").click()
    page.wait_for_url(case_url)

    work.open_form(responsible, "Record responsibility")
    page.get_by_label("Admission to the facilitator").check()
    page.get_by_label("Accepts the basic facts and full responsibility").check()
    page.get_by_label("In their words").fill("I broke into his car. I want to tell him I am sorry.")
    page.get_by_label("Date", exact=True).fill(work.date)
    work.save("Save")

    for participant in (harmed, responsible):
        work.open_form(participant, "Record consent")
        page.get_by_label("Taking part", exact=True).check()
        page.get_by_label("Face-to-face conference", exact=True).check()
        page.get_by_label("Date", exact=True).fill(work.date)
        page.get_by_label("Time", exact=True).fill(work.time)
        page.get_by_label("Verbal, with a witness").check()
        page.get_by_label("Where the evidence is kept").fill("Consent form in the case file")
        # Verbal consent with nobody named as witness is refused, and what was typed is kept.
        page.get_by_role("button", name="Record consent").click()
        axe.check(page)
        assert "witness" in page.locator(".govuk-error-summary").inner_text()
        assert page.get_by_label("Where the evidence is kept").input_value() == "Consent form in the case file"
        page.get_by_label("Written (signed form or letter)").check()
        work.save("Record consent")

        work.open_form(participant, "Record a risk assessment")
        page.get_by_label("Assessment", exact=True).fill("No concerns; both want to meet face to face.")
        page.get_by_label("Suitable", exact=True).check()
        work.save("Save assessment")

    work.open_case()
    gates = page.locator("#gates ~ h3").all_inner_texts()
    assert [gate.rsplit(" ", 1)[-1] for gate in gates] == ["Holds"] * 4, gates
    work.take_step("Start preparing")
    # Booking the conference schedules the case; the process starts when the facilitator says it has.
    work.open_case()
    page.get_by_role("link", name="Meetings", exact=True).click()
    axe.check(page)
    page.get_by_role("button", name="Book a meeting").click()
    axe.check(page)
    tomorrow = datetime.datetime.now(ZoneInfo("Europe/London")) + datetime.timedelta(days=1)
    page.get_by_label("Restorative meeting", exact=True).check()
    page.get_by_label("Date", exact=True).fill(tomorrow.strftime("%d/%m/%Y"))
    page.get_by_label("Start time").fill("14:00")
    for participant in (harmed, responsible):
        page.get_by_label(re.compile(f"^{participant} ")).check()
    page.get_by_label(re.compile("^Venue")).select_option(label="Riverside Community Centre")
    page.get_by_role("button", name="Book meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    axe.check(page)
    work.open_case()
    assert re.search(r"State\s+Scheduled", page.locator(".govuk-summary-list").first.inner_text())
    work.take_step("Start the process")

    # The outcome agreement: in the participants' words, agreed by both, with an apology verified as done.
    agreement_url = re.compile(r"/cases/\d+/agreement/$")

    def open_agreement() -> None:
        work.open_case()
        page.get_by_role("link", name="Outcome agreement and its actions").click()
        page.wait_for_url(agreement_url)
        axe.check(page)

    open_agreement()
    page.get_by_role("button", name="Record the outcome agreement").click()
    axe.check(page)
    page.get_by_label("Date the agreement was made").fill(work.date)
    page.get_by_label("What was agreed").fill("Ryan: I will write to say sorry. Aled: I want to hear why my car.")
    page.get_by_role("button", name="Save agreement").click()
    page.wait_for_url(agreement_url)
    axe.check(page)
    for participant in (harmed, responsible):
        page.get_by_role("button", name="Record a participant's agreement").click()
        axe.check(page)
        page.get_by_label(re.compile(f"^{participant} ")).check()
        page.get_by_label("Date they agreed").fill(work.date)
        page.get_by_label("In person", exact=True).check()
        page.get_by_role("button", name="Record agreement").click()
        page.wait_for_url(agreement_url)
        axe.check(page)
    page.get_by_role("button", name="Add an action").click()
    axe.check(page)
    page.get_by_label("Apology", exact=True).check()
    page.get_by_label("What was agreed").fill("A letter of apology to Aled, through the facilitator.")
    page.get_by_label("Due", exact=True).fill(work.date)
    page.get_by_role("button", name="Add action").click()
    page.wait_for_url(agreement_url)
    axe.check(page)
    work.take_step("Outcome agreement made")

    # Monitoring cannot finish while the apology is open; verified as done, it can, and the person harmed is told.
    page.get_by_role("button", name="Agreement monitoring finished").click()
    page.get_by_role("button", name="Confirm").click()
    axe.check(page)
    assert "Apology (Ryan Cole" in page.locator(".govuk-error-summary").inner_text()
    open_agreement()
    page.get_by_role("link", name=re.compile("^Record whether it was done")).click()
    axe.check(page)
    page.get_by_label("Yes, it was completed").check()
    page.get_by_label("Note").fill("Read the letter before it went; it is in his own words.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(agreement_url)
    axe.check(page)
    assert "Completed" in page.inner_text("main")
    work.take_step("Agreement monitoring finished")
    assert "Tell the person harmed whether an agreed action was completed" in page.inner_text("main")
    work.take_step("Close the case", reason="Completed: direct process")
    summary = page.locator(".govuk-summary-list").first.inner_text()
    assert re.search(r"State\s+Closed", summary)
    assert "Completed: direct process" in page.inner_text("main")
    assert axe.violations == [], "\n".join(axe.violations)


def _london_now() -> datetime.datetime:
    return datetime.datetime.now(ZoneInfo("Europe/London"))


@pytest.mark.timeout(900)
def test_a_facilitator_runs_a_conference_with_a_supporter_to_an_agreement_verified_complete(
    page: Any, axe: AxeChecker
) -> None:
    """The demo burglary: Margaret Ellis meets Liam Carter with her sister Joan as her agreed supporter."""
    sign_in(page, axe, demo_email(Role.FACILITATOR, "sv"))
    page.goto("/cases/")
    axe.check(page)
    page.get_by_role("link", name="SV-2026-00001", exact=True).first.click()
    case_url = page.url
    work = CaseWork(page, axe, case_url)
    work.open_case()
    assert re.search(r"State\s+Scheduled", page.locator(".govuk-summary-list").first.inner_text())
    page.get_by_role("link", name="Meetings", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Restorative meeting").click()
    meeting_url = page.url
    axe.check(page)
    attendees = page.locator("#attendees ~ table").inner_text()
    assert re.search(r"Joan Ellis \(Supporter\)\s+The person harmed and their supporters", attendees)

    # Joan's calendar invitation holds her own times and the place, and nothing about Liam.
    invitation = page.get_by_role("link", name="Calendar invitation Joan Ellis (Supporter)").get_attribute("href")
    assert invitation is not None
    calendar = page.request.get(invitation).text()
    assert "Riverside Community Centre" in calendar
    assert "Liam" not in calendar
    assert "Carter" not in calendar

    # Everyone can come sooner: the meeting moves to the next minutes, and everyone's times move with it.
    start = (_london_now() + datetime.timedelta(seconds=75)).replace(second=0, microsecond=0) + datetime.timedelta(
        minutes=1
    )
    page.get_by_role("button", name="Move the meeting").click()
    axe.check(page)
    page.get_by_label("New date").fill(start.strftime("%d/%m/%Y"))
    page.get_by_label("New start time").fill(start.strftime("%H:%M"))
    page.get_by_label("Why is it moving?").fill("Everyone could come sooner.")
    page.get_by_role("button", name="Move meeting").click()
    page.wait_for_url(meeting_url)
    axe.check(page)

    # Once it has started, the facilitator records it: everyone came, and the process is under way.
    page.wait_for_timeout(max(0.0, (start - _london_now()).total_seconds() + 2) * 1000)
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/record/$"))
    axe.check(page)
    page.get_by_label("It was held").check()
    for box in page.get_by_role("group", name="Who came").get_by_role("checkbox").all():
        box.check()
    page.get_by_label("What happened").fill("Margaret asked why her house; Liam answered and apologised.")
    page.get_by_role("button", name="Record meeting").click()
    page.wait_for_url(meeting_url)
    axe.check(page)
    assert "Held" in page.locator(".govuk-summary-list").inner_text()
    work.open_case()
    assert re.search(r"State\s+Process under way", page.locator(".govuk-summary-list").first.inner_text())

    # The agreement: both agree, two actions, each verified complete, and monitoring finishes.
    agreement_url = re.compile(r"/cases/\d+/agreement/$")
    page.get_by_role("link", name="Outcome agreement and its actions").click()
    page.get_by_role("button", name="Record the outcome agreement").click()
    axe.check(page)
    page.get_by_label("Date the agreement was made").fill(work.date)
    page.get_by_label("What was agreed").fill("Liam will write to Margaret and fix her side gate with his uncle.")
    page.get_by_role("button", name="Save agreement").click()
    page.wait_for_url(agreement_url)
    for participant in ("Margaret Ellis", "Liam Carter"):
        page.get_by_role("button", name="Record a participant's agreement").click()
        page.get_by_label(re.compile(f"^{participant} ")).check()
        page.get_by_label("Date they agreed").fill(work.date)
        page.get_by_label("In person", exact=True).check()
        page.get_by_role("button", name="Record agreement").click()
        page.wait_for_url(agreement_url)
    for kind, words in (("Apology", "A letter to Margaret."), ("Reparation or voluntary work", "Mend the side gate.")):
        page.get_by_role("button", name="Add an action").click()
        axe.check(page)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("What was agreed").fill(words)
        page.get_by_label("Due", exact=True).fill(work.date)
        page.get_by_role("button", name="Add action").click()
        page.wait_for_url(agreement_url)
    axe.check(page)
    work.take_step("Outcome agreement made")
    page.goto(case_url.removesuffix("/") + "/agreement/")
    for _ in range(2):
        page.get_by_role("link", name=re.compile("^Record whether it was done")).first.click()
        page.get_by_label("Yes, it was completed").check()
        page.get_by_label("Note").fill("Seen by the facilitator.")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(agreement_url)
    axe.check(page)
    assert "Open" not in page.locator("#actions ~ table").inner_text()
    work.take_step("Agreement monitoring finished")
    assert re.search(r"State\s+Following up", page.locator(".govuk-summary-list").first.inner_text())
    assert axe.violations == [], "\n".join(axe.violations)
