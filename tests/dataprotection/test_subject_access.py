"""The subject access export: everything held about one person, with every other person's personal data redacted.

The issue's "done when": an export for a person harmed contains nothing about the person responsible but what the
redaction rules allow.
"""

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.models import ProcessKind, State
from amends.consent import services as consent_services
from amends.consent.models import ConsentMethod, ConsentScope, InformationFormat, InformationItem
from amends.dataprotection import subject_access
from amends.dataprotection.models import (
    ReceivedBy,
    RightsRequest,
    RightsRequestKind,
    RightsRequestStatus,
)
from amends.people import identifying
from amends.people import services as people_services
from amends.people.models import (
    ContactChannel,
    ContactOutcome,
    IdentifyingDetail,
    IdentifyingDetailKind,
    Participant,
    ParticipantRole,
    Person,
)
from amends.referrals import services as referral_services
from amends.relay import services as relay_services
from amends.relay.models import FlagResolution, IdentifyingFlag, MessageKind, RelayMessage
from amends.risk import services as risk_services
from amends.risk.models import RiskInformationKind, RiskOutcome
from tests.case_builders import BuiltCase, build_case, make_referral, make_trained, meet_gates, schedule
from tests.personas import Personas

pytestmark = pytest.mark.django_db

HARMED = {
    "given_name": "Philippa",
    "family_name": "Quennell",
    "preferred_name": "Pip",
    "date_of_birth": datetime.date(1983, 8, 12),
    "phone": "07700 900111",
    "email": "pip.quennell@example.org",
    "address": "4 Larkspur Mews\nTewkesbury\nGL20 5AB",
}
RESPONSIBLE = {
    "given_name": "Thaddeus",
    "family_name": "Wrexworth",
    "preferred_name": "Taddy",
    "date_of_birth": datetime.date(1990, 2, 3),
    "phone": "07700 900222",
    "email": "t.wrexworth@example.net",
    "address": "17 Oxbow Crescent\nCheltenham\nGL50 9ZZ",
}
HARMED_SCHOOL = "Saint Aldhelm Primary"
RESPONSIBLE_WORKPLACE = "Brindle Joinery Works"
# Every identifier of the person responsible, as it may be written.
RESPONSIBLE_IDENTIFIERS = (
    "Thaddeus",
    "Wrexworth",
    "Taddy",
    "900222",
    "t.wrexworth@example.net",
    "Oxbow Crescent",
    "Cheltenham",
    "GL50 9ZZ",
    "03/02/1990",
    "1990-02-03",
    "3 February 1990",
    RESPONSIBLE_WORKPLACE,
)
# The person responsible's own records, which the person harmed's export leaves out.
RESPONSIBLE_RECORDS = (
    "hawthorn contact",
    "hawthorn consent form",
    "hawthorn risk narrative",
    "hawthorn risk information",
    "hawthorn in their words",
    "hawthorn unreleased letter",
)
# The person harmed's own records and details, which their export holds.
HARMED_RECORDS = (
    "bluebell contact",
    "bluebell consent form",
    "bluebell risk narrative",
    "bluebell risk information",
    "bluebell reply",
)
HARMED_DETAILS = (
    "Philippa",
    "Quennell",
    "Pip",
    "07700 900111",
    "pip.quennell@example.org",
    "Larkspur Mews",
    "GL20 5AB",
    "12 August 1983",
    HARMED_SCHOOL,
)
NOTE = (
    "Called Thaddeus Wrexworth on 07700900222 and visited him at 17 Oxbow Crescent, Cheltenham. "
    "Taddy works at brindle joinery works. Philippa was told by phone."
)
SUMMARY = "THADDEUS WREXWORTH (born 03/02/1990) of GL50 9ZZ broke into the home of Philippa Quennell."
LETTER = (
    "Dear Philippa, I am sorry. You can call me on +44 7700 900222 or write to t.wrexworth@example.net. "
    "I was born on 3 February 1990. Taddy"
)


def access_request(
    person: Person,
    recorded_by: User,
    *,
    status: RightsRequestStatus = RightsRequestStatus.APPROVED,
    kind: RightsRequestKind = RightsRequestKind.ACCESS,
) -> RightsRequest:
    """A request under the person's rights, as the register records it (its own service builds it for real)."""
    today = timezone.localdate()
    return RightsRequest.objects.create(
        service=person.service,
        person=person,
        kind=kind,
        received_on=today,
        received_by=ReceivedBy.EMAIL,
        identity_checked=True,
        due_on=RightsRequest.due_for(today),
        field="given_name" if kind == RightsRequestKind.RECTIFICATION else "",
        status=status,
        recorded_by=recorded_by,
    )


def _log(participant: Participant, actor: User, summary: str) -> None:
    people_services.log_contact(
        participant=participant,
        actor=actor,
        occurred_at=timezone.now() - datetime.timedelta(minutes=5),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
        summary=summary,
    )


def _consent(participant: Participant, actor: User, evidence: str) -> None:
    consent_services.give_consent(
        participant=participant,
        actor=actor,
        scopes=[ConsentScope.TAKE_PART],
        process_kinds=[ProcessKind.LETTERS],
        method=ConsentMethod.WRITTEN,
        evidence=evidence,
        occurred_at=timezone.now() - datetime.timedelta(seconds=30),
    )


def _assess(participant: Participant, actor: User, narrative: str) -> None:
    risk_services.record_risk_assessment(
        participant=participant,
        actor=actor,
        factors={},
        narrative=narrative,
        conditions=[],
        outcome=RiskOutcome.SUITABLE,
        review_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def _release(personas: Personas, message: RelayMessage) -> RelayMessage:
    """Review and pass on a message, keeping what the check flags (the sender agreed to share it)."""
    message = relay_services.take_step(message=message, actor=personas.facilitator, step="submit")
    for flag in IdentifyingFlag.objects.filter(message=message):
        flag.message = message
        relay_services.resolve_flag(
            flag=flag,
            actor=personas.facilitator,
            resolution=FlagResolution.KEPT_SENDER_AGREED,
            reason="He asked for it to be passed on.",
        )
    for name in ("approve", "release"):
        message = relay_services.take_step(message=message, actor=personas.facilitator, step=name)
    return message


def letters_case(personas: Personas) -> BuiltCase:
    """A letter exchange under way between two people with distinctive details, the person responsible named in the
    referral's account, a case note, and a letter passed on to the person harmed; consent, risk and contact records
    for both."""
    coordinator, facilitator = personas.coordinator, personas.facilitator
    referral = make_referral(service=personas.service, actor=coordinator, harmed=HARMED, responsible=RESPONSIBLE)
    referral_services.update_referral(
        referral=referral,
        actor=coordinator,
        details={"summary": SUMMARY, "risk_information": "Taddy has a temper."},
        expected_version=None,
    )
    case = referral_services.accept_referral(referral=referral, actor=coordinator, reason="Within scope")
    make_trained(facilitator)
    case = case_services.allocate_case(case=case, actor=coordinator, lead=facilitator)
    case_services.declare_conflict(case=case, actor=facilitator, has_conflict=False)
    case = case_services.transition_case(case=case, actor=facilitator, name="start_contact")
    harmed = case.participants.get(role=ParticipantRole.PERSON_HARMED)
    responsible = case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE)
    _log(harmed, facilitator, "Spoke about the bluebell contact at her door.")
    _log(responsible, facilitator, "Spoke about the hawthorn contact; Thaddeus was calm.")
    consent_services.record_information_given(
        participant=harmed,
        actor=facilitator,
        items=[InformationItem.PROCESS],
        given_on=timezone.localdate(),
        format=InformationFormat.PHONE,
    )
    case = case_services.transition_case(case=case, actor=facilitator, name="start_assessment")
    meet_gates(case, facilitator, ProcessKind.LETTERS)
    case = case_services.transition_case(case=case, actor=facilitator, name="start_preparing")
    case = schedule(case, facilitator)
    case = case_services.transition_case(case=case, actor=facilitator, name="start_process")
    harmed.refresh_from_db()
    responsible.refresh_from_db()

    identifying.add_identifying_detail(
        participant=harmed, actor=facilitator, kind=IdentifyingDetailKind.SCHOOL, value=HARMED_SCHOOL
    )
    identifying.add_identifying_detail(
        participant=responsible, actor=facilitator, kind=IdentifyingDetailKind.WORKPLACE, value=RESPONSIBLE_WORKPLACE
    )
    _consent(harmed, facilitator, "The bluebell consent form, in the file")
    _consent(responsible, facilitator, "The hawthorn consent form, in the file")
    # New risk information makes the assessments out of date: the new ones below bring them up to date.
    for participant, words in ((harmed, "bluebell"), (responsible, "hawthorn")):
        risk_services.record_risk_information(
            case=case,
            actor=facilitator,
            kind=RiskInformationKind.NEW_INFORMATION,
            details=f"The {words} risk information.",
            participant=participant,
        )
    _assess(harmed, facilitator, "The bluebell risk narrative: she feels safe at home.")
    _assess(responsible, facilitator, "The hawthorn risk narrative: Thaddeus has been drinking.")
    consent_services.record_responsibility(
        participant=responsible,
        actor=facilitator,
        basis="admission",
        level="full",
        in_their_words="The hawthorn in their words.",
        recorded_on=timezone.localdate(),
    )
    case_services.add_case_note(case=case, actor=facilitator, text=NOTE)
    _release(
        personas,
        relay_services.create_message(
            case=case,
            actor=facilitator,
            sender=responsible,
            recipient=harmed,
            kind=MessageKind.LETTER,
            body=LETTER,
        ),
    )
    relay_services.take_step(
        message=relay_services.create_message(
            case=case,
            actor=facilitator,
            sender=responsible,
            recipient=harmed,
            kind=MessageKind.LETTER,
            body="The hawthorn unreleased letter.",
        ),
        actor=facilitator,
        step="submit",
    )
    relay_services.create_message(
        case=case,
        actor=facilitator,
        sender=harmed,
        recipient=responsible,
        kind=MessageKind.LETTER,
        body="The bluebell reply: thank you, Thaddeus.",
    )
    case.refresh_from_db()
    return BuiltCase(case=case, harmed=harmed, responsible=responsible)


def _report_of(participant: Participant) -> subject_access.Report:
    person = Person.objects.get(pk=participant.person_id)
    return subject_access.build_report(person, service=person.service)


def _submit_reply(personas: Personas, built: BuiltCase) -> None:
    message = RelayMessage.objects.get(sender=built.harmed)
    relay_services.take_step(message=message, actor=personas.facilitator, step="submit")


def _all_text(report: subject_access.Report) -> str:
    return json.dumps(report, ensure_ascii=False)


def _section(report: subject_access.Report, heading: str) -> Any:
    return next(section for section in report["sections"] if section["heading"] == heading)


def _part(section: Any, heading: str) -> Any:
    return next(part for part in section["parts"] if part["heading"] == heading)


# The done-when test ---------------------------------------------------------------------------------------------------


def test_the_person_harmeds_export_holds_nothing_of_the_person_responsible_but_their_part(
    personas: Personas,
) -> None:
    built = letters_case(personas)
    _submit_reply(personas, built)
    report = _report_of(built.harmed)
    exported = {
        "json": subject_access.render_json(report).decode("utf-8"),
        "pdf html": subject_access.report_document(report),
    }
    for form, text in exported.items():
        for identifier in RESPONSIBLE_IDENTIFIERS:
            assert identifier.casefold() not in text.casefold(), f"{identifier!r} is in the {form}"
        for record in RESPONSIBLE_RECORDS:
            assert record not in text, f"{record!r} is in the {form}"
        for detail in (*HARMED_DETAILS, *HARMED_RECORDS):
            assert detail in text, f"{detail!r} is missing from the {form}"
        assert "[redacted]" in text
    case_section = _section(report, f"Case {built.case.reference}")
    note = _part(case_section, "Case notes")["records"][0]["rows"][1]["value"]
    assert note == (
        "Called [redacted] on [redacted] and visited him at [redacted], [redacted]. "
        "[redacted] works at [redacted]. Philippa was told by phone."
    )
    referral = _section(report, "Referrals that name you")["records"][0]["rows"]
    assert {
        "key": "What happened, and what is asked for",
        "value": ("[redacted] (born [redacted]) of [redacted] broke into the home of Philippa Quennell."),
    } in referral
    letter = next(
        record
        for record in _part(case_section, "Messages")["records"]
        if record["heading"].startswith("Message to you")
    )
    assert letter["heading"] == "Message to you from the person responsible"
    assert {
        "key": "The message",
        "value": (
            "Dear Philippa, I am sorry. You can call me on [redacted] or write to [redacted]. "
            "I was born on [redacted]. [redacted]"
        ),
    } in letter["rows"]


def test_the_pdf_is_printed_from_the_same_report(personas: Personas) -> None:
    built = letters_case(personas)
    pdf = subject_access.render_pdf(_report_of(built.harmed))
    assert pdf.startswith(b"%PDF-")
    for identifier in ("Wrexworth", "Thaddeus"):
        assert identifier.encode() not in pdf


def test_the_person_responsibles_export_keeps_their_own_and_redacts_the_person_harmed(personas: Personas) -> None:
    built = letters_case(personas)
    text = _all_text(_report_of(built.responsible))
    for record in ("hawthorn contact", "hawthorn consent form", "hawthorn risk narrative", "hawthorn in their words"):
        assert record in text
    for identifier in ("Philippa", "Quennell", "pip.quennell", "Larkspur", "GL20 5AB", HARMED_SCHOOL, "900111"):
        assert identifier not in text
    for record in HARMED_RECORDS:
        assert record not in text
    # Their own letter, submitted and not passed on yet, is theirs.
    assert "The hawthorn unreleased letter." in text


# What the report holds ------------------------------------------------------------------------------------------------


def test_it_shows_every_detail_of_the_person_and_their_equality_answers_in_words(personas: Personas) -> None:
    built = letters_case(personas)
    people_services.update_person(
        person=built.harmed.person,
        actor=personas.facilitator,
        case=built.case,
        details={"access_needs": ["large_print"], "safe_times": "After 6pm, not when Thaddeus is about"},
        expected_version=None,
    )
    people_services.record_equality(
        person=built.harmed.person,
        actor=personas.facilitator,
        case=built.case,
        answers={"sex": "female", "ethnicity": "white"},
    )
    report = _report_of(built.harmed)
    details = {row["key"]: row["value"] for row in _section(report, "Your details")["rows"]}
    assert details["First name"] == "Philippa"
    assert details["Date of birth"] == "12 August 1983"
    assert details["Address"] == "4 Larkspur Mews\nTewkesbury\nGL20 5AB"
    assert details["Accessibility needs"] == "Large print"
    assert details["Safe times to contact"] == "After 6pm, not when [redacted] is about"
    assert details["Do not leave voicemail"] == "No"
    equality = {row["key"]: row["value"] for row in _section(report, "Your equality monitoring answers")["rows"]}
    assert equality["Sex"] == "Female"
    assert equality["Ethnic group"] == "White"
    assert equality["Religion or belief"] == "Not answered"
    identifying_rows = _section(report, "Details held that could identify or locate you")["rows"]
    assert identifying_rows == [{"key": "School", "value": HARMED_SCHOOL}]


def test_it_shows_their_part_in_each_case_and_names_the_staff(personas: Personas) -> None:
    built = letters_case(personas)
    case = {
        row["key"]: row["value"] for row in _section(_report_of(built.harmed), f"Case {built.case.reference}")["rows"]
    }
    assert case["Your part in the case"] == "Person harmed (victim)"
    assert case["Chosen process"] == "Letter exchange"
    assert case["State"] == "Process under way"
    assert case["Lead facilitator"] == personas.facilitator.full_name


def test_a_message_is_in_once_passed_on_to_them_or_sent_by_them_for_review(personas: Personas) -> None:
    built = letters_case(personas)
    messages = _part(_section(_report_of(built.harmed), f"Case {built.case.reference}"), "Messages")["records"]
    # The letter passed on to them; their own reply is still a draft, and the second letter is not passed on.
    assert [record["heading"] for record in messages] == ["Message to you from the person responsible"]
    _submit_reply(personas, built)
    messages = _part(_section(_report_of(built.harmed), f"Case {built.case.reference}"), "Messages")["records"]
    assert [record["heading"] for record in messages] == [
        "Message to you from the person responsible",
        "Message you sent to the person responsible",
    ]
    assert {"key": "The message", "value": "The bluebell reply: thank you, [redacted]."} in messages[1]["rows"]


def test_a_message_they_declined_stays_unread(personas: Personas) -> None:
    built = letters_case(personas)
    letter = _release(
        personas,
        relay_services.create_message(
            case=built.case,
            actor=personas.facilitator,
            sender=built.responsible,
            recipient=built.harmed,
            kind=MessageKind.LETTER,
            body="The second letter, declined.",
        ),
    )
    assert "The second letter, declined." in _all_text(_report_of(built.harmed))
    relay_services.take_step(message=letter, actor=personas.facilitator, step="decline", reason="Not ready.")
    text = _all_text(_report_of(built.harmed))
    assert "The second letter, declined." not in text
    assert "Dear Philippa" in text


def test_it_shows_only_their_own_meeting_times_and_their_own_actions(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.AGREEMENT_MONITORING,
    )
    case_section = _section(_report_of(built.harmed), f"Case {built.case.reference}")
    meeting = _part(case_section, "Meetings")["records"][0]
    times = {row["key"]: row["value"] for row in meeting["rows"]}
    # The person harmed arrives a quarter of an hour after the person responsible, and leaves before them (the
    # conference the builders book starts at 15:00 for 90 minutes).
    assert times["Your arrival"].endswith("14:45")
    assert times["You could leave at"].endswith("16:30")
    assert "14:30" not in json.dumps(meeting)
    assert "16:45" not in json.dumps(meeting)
    agreement = _part(case_section, "Outcome agreement")["records"]
    assert [record["heading"] for record in agreement] == ["Outcome agreement"]
    summary = {row["key"]: row["value"] for row in agreement[0]["rows"]}["What was agreed"]
    assert summary == "[redacted] will write to Ann to say sorry and to explain why he chose her home."
    # The apology is the person responsible's action: theirs, not the person harmed's.
    assert "A letter of apology" not in _all_text(_report_of(built.harmed))
    responsible_agreement = _part(
        _section(_report_of(built.responsible), f"Case {built.case.reference}"), "Outcome agreement"
    )
    assert "Your action: Apology" in [record["heading"] for record in responsible_agreement["records"]]


def test_it_lists_their_requests_and_the_referrals_that_name_them(personas: Personas) -> None:
    built = letters_case(personas)
    access_request(built.harmed.person, personas.coordinator)
    access_request(built.responsible.person, personas.coordinator)
    report = _report_of(built.harmed)
    requests = _section(report, "Your requests about your information")["records"]
    assert [record["heading"] for record in requests] == ["See their information (subject access)"]
    referral = {row["key"]: row["value"] for row in _section(report, "Referrals that name you")["records"][0]["rows"]}
    assert referral["Your part"] == "Person harmed (victim)"
    # The referral's known risks are about the other party: left out, as context would survive redaction.
    assert "Known risks" not in referral
    assert "has a temper" not in json.dumps(report)


# The redaction rules --------------------------------------------------------------------------------------------------


def _redactor(
    subject: dict[str, Any], other: dict[str, Any], *, details: tuple[str, ...] = ()
) -> subject_access.Redactor:
    held = [IdentifyingDetail(kind=IdentifyingDetailKind.OTHER, value=value) for value in details]
    return subject_access.Redactor.between(Person(**subject), [], [(Person(**other), held)])


def test_it_redacts_whole_words_in_any_case_longest_first() -> None:
    redact = _redactor(
        {"given_name": "Ann", "family_name": "Brook"},
        {
            "given_name": "Rob",
            "family_name": "Roberts",
            "phone": "07700 900222",
            "address": "2 Mill Lane, Gloucester, GL1 2AB",
        },
        details=("Mill Lane Primary",),
    )
    assert redact("ROB ROBERTS met Robin at mill lane primary.") == "[redacted] met Robin at [redacted]."
    assert redact("Ring 0770 0900 222 or +44 (0)7700-900222.") == "Ring [redacted] or [redacted]."
    assert redact("Ann Brook lives near Gloucester.") == "Ann Brook lives near [redacted]."
    assert redact("Post it to gl12ab or GL1 2AB.") == "Post it to [redacted] or [redacted]."
    assert redact("") == ""


def test_it_keeps_what_is_also_the_persons_own() -> None:
    # A parent and child share a family name and an address: the child's own are kept, the parent's full name goes.
    redact = _redactor(
        {"given_name": "Amy", "family_name": "Smith", "address": "9 Kiln Road"},
        {"given_name": "John", "family_name": "Smith", "address": "9 Kiln Road"},
    )
    assert redact("John Smith and Amy Smith live at 9 Kiln Road.") == "[redacted] and Amy Smith live at 9 Kiln Road."


def test_it_redacts_a_date_of_birth_however_it_is_written() -> None:
    redact = _redactor({"given_name": "Ann"}, {"given_name": "Rob", "date_of_birth": datetime.date(1990, 2, 3)})
    assert redact("03/02/1990, 3/2/1990, 1990-02-03, 3 February 1990, 3 Chwefror 1990") == ", ".join(["[redacted]"] * 5)


def test_it_redacts_the_ways_a_detail_is_really_written() -> None:
    # Word processors curl apostrophes, Welsh names lose their accents, numbers come bracketed and dotted, a street
    # is named without its number and a date with its ordinal.
    redact = _redactor(
        {"given_name": "Ann", "family_name": "Brook"},
        {
            "given_name": "Siân",
            "family_name": "O'Brien-Rees",
            "phone": "01792 456789",
            "address": "12 Acacia Avenue\nSwansea",
            "date_of_birth": datetime.date(1983, 8, 12),
        },
    )
    assert redact("Sian called, then Siân O’Brien Rees, then o'brien-rees.") == (
        "[redacted] called, then [redacted], then [redacted]."
    )
    assert (
        redact("Ring (01792) 456789 or 01792.456.789 (or 01792 456789).")
        == "Ring [redacted] or [redacted] (or [redacted])."
    )
    assert redact("She lives on acacia avenue, by the Avenue.") == "She lives on [redacted], by the Avenue."
    assert redact("Born 12th August 1983, 12.08.1983, 12-8-83, August 12, 1983 or 12 Aug 1983.") == (
        "Born [redacted], [redacted], [redacted], [redacted] or [redacted]."
    )


def test_a_detail_without_a_word_redacts_nothing() -> None:
    redact = _redactor({"given_name": "Ann"}, {"given_name": "Rob"}, details=("--", "- - -"))
    assert redact("Ann - and Rob -- met.") == "Ann - and [redacted] -- met."
