"""Participant pages: a participant's record, their details, equality monitoring and contact log.

Each view fetches through amends.cases.access, calls one service and redirects; a refused rule goes on the form.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.cases import access, workflow
from amends.consent.models import ConsentKind, ConsentRecord, InformationGiven, ResponsibilityRecord
from amends.core.errors import DomainError, add_to_form
from amends.core.pages import save_form
from amends.participation.link_presenters import link_rows
from amends.participation.links import LINKED_ROLES
from amends.participation.selectors import latest_link
from amends.people import services
from amends.people.forms import (
    EQUALITY_INTRO,
    INCOMING,
    ContactForm,
    EqualityForm,
    IdentifyingDetailForm,
    ParticipantAddForm,
    ParticipantPartForm,
    PersonEditForm,
    equality_initial,
    person_initial,
)
from amends.people.identifying import add_identifying_detail
from amends.people.models import ContactLogEntry, Participant, Person
from amends.permissions import Capability, CaseAccess, can, can_on_case
from amends.relay import presenters as relay_presenters
from amends.relay import selectors as relay_selectors
from amends.risk.models import RiskAssessment

Row = dict[str, Any]


def _to_participant(participant: Participant) -> HttpResponse:
    return redirect("participant_detail", case_id=participant.case.pk, participant_id=participant.pk)


def _lines(values: Iterable[object]) -> SafeString:
    return format_html_join(SafeString("<br>"), "{}", ((value,) for value in values))


def _day(value: Any) -> str:
    return date_format(value, "j F Y") if value else ""


def _when(value: Any) -> str:
    return date_format(timezone.localtime(value), "j F Y, H:i") if value else ""


def _person_rows(person: Person, participant: Participant) -> list[Row]:
    if person.correspondence_language:
        language = _("%(language)s (asked on %(day)s)") % {
            "language": person.get_correspondence_language_display(),
            "day": _day(person.language_asked_on),
        }
    else:
        language = _("Not asked yet")
    rows: list[Row] = [
        {"key": _("Name"), "value": person.full_name},
        {"key": _("Preferred name"), "value": person.preferred_name},
        {"key": _("Part in the case"), "value": participant.get_role_display()},
        {"key": _("Date of birth"), "value": _day(person.date_of_birth)},
        {"key": _("Phone"), "value": person.phone},
        {"key": _("Email"), "value": person.email},
        {"key": _("Address"), "value": _lines(person.address.splitlines())},
        {"key": _("Safe times to contact"), "value": person.safe_times},
        {"key": _("Other safe contact arrangements"), "value": person.safe_contact_notes},
        {"key": _("Language for letters and messages"), "value": language},
        {"key": _("Interpreter"), "value": person.interpreter_language or _("Not needed")},
        {"key": _("Accessibility needs"), "value": _lines(person.get_access_needs_display()) or _("None recorded")},
        {"key": _("More about accessibility needs"), "value": person.access_needs_notes},
    ]
    if participant.supports is not None:
        rows.insert(3, {"key": _("Supports"), "value": str(participant.supports.person)})
    rows.insert(4, {"key": _("Takes part"), "value": _("Yes") if participant.takes_part else _("No")})
    return rows


def _responsibility_rows(records: Iterable[ResponsibilityRecord]) -> list[list[Any]]:
    return [
        [
            _day(record.recorded_on),
            record.get_basis_display(),
            record.get_level_display(),
            record.in_their_words,
            record.recorded_by.full_name,
        ]
        for record in records
    ]


def _information_rows(records: Iterable[InformationGiven]) -> list[list[Any]]:
    return [
        [
            _day(record.given_on),
            _lines(record.get_items_display()),
            record.get_format_display(),
            record.language,
            record.given_by.full_name,
        ]
        for record in records
    ]


def _consent_rows(record: ConsentRecord) -> list[Row]:
    rows: list[Row] = [{"key": _("When"), "value": _when(record.occurred_at)}]
    if record.kind == ConsentKind.GIVEN:
        rows += [
            {"key": _("Consent covers"), "value": _lines(record.get_scopes_display())},
            {"key": _("Processes"), "value": _lines(record.get_process_kinds_display())},
            {"key": _("Information may be shared with"), "value": record.share_with},
            {"key": _("How consent was given"), "value": record.get_method_display()},
            {"key": _("Witnessed by"), "value": record.witnessed_by},
            {"key": _("Where the evidence is kept"), "value": record.evidence},
        ]
    else:
        rows.append({"key": _("Reason given"), "value": record.reason or _("None given")})
    recorder = record.recorded_by.full_name if record.recorded_by else _("The participant")
    rows.append({"key": _("Recorded by"), "value": recorder})
    return rows


def _assessment_rows(assessment: RiskAssessment, needs_sign_off: bool) -> list[Row]:
    if assessment.sign_off_decision:
        signed_off_by = assessment.signed_off_by.full_name if assessment.signed_off_by else ""
        sign_off = _("%(decision)s by %(name)s on %(day)s") % {
            "decision": assessment.get_sign_off_decision_display(),
            "name": signed_off_by,
            "day": _day(assessment.signed_off_at),
        }
    elif needs_sign_off:
        sign_off = _("Waiting for a coordinator's sign-off")
    else:
        sign_off = _("Not needed")
    rows: list[Row] = [
        {"key": _("Outcome"), "value": assessment.get_outcome_display()},
        {"key": _("Conditions"), "value": _lines(assessment.get_conditions_display()) or _("None")},
        {"key": _("Date assessed"), "value": _day(assessment.assessed_on)},
        {"key": _("Assessed by"), "value": assessment.assessed_by.full_name},
        {"key": _("Review by"), "value": _day(assessment.review_on)},
        {"key": _("Sign-off"), "value": sign_off},
    ]
    if assessment.sign_off_note:
        rows.append({"key": _("Sign-off note"), "value": assessment.sign_off_note})
    return rows


def _contact_rows(entries: Iterable[ContactLogEntry]) -> list[list[Any]]:
    return [
        [
            _when(entry.occurred_at),
            entry.get_channel_display(),
            _("We contacted them") if entry.outgoing else _("They contacted us"),
            entry.get_outcome_display(),
            entry.duration_minutes if entry.duration_minutes is not None else "",
            entry.summary,
            entry.recorded_by.full_name,
        ]
        for entry in entries
    ]


@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    participants = list(case.participants.select_related("person"))
    form = ParticipantAddForm(request.POST if request.method == "POST" else None, participants=participants)
    participant = save_form(
        request,
        form,
        lambda: services.add_participant(
            case=case,
            actor=user,
            role=form.cleaned_data["role"],
            details=form.details(),
            supports=form.supported(),
            takes_part=form.cleaned_data["takes_part"],
        ),
        _("Participant added."),
    )
    if participant is not None:
        return _to_participant(participant)
    return render(request, "people/participant_add.html", {"case": case, "form": form})


@require_safe
def participant_detail(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.view_participant_for_user(user, case_id, participant_id, CaseAccess.VIEW)
    case = participant.case
    person = participant.person
    consent_records = list(participant.consent_records.select_related("recorded_by"))
    assessments = list(participant.risk_assessments.select_related("assessed_by", "signed_off_by"))
    facts = workflow.load_facts(case)
    may_sign_off = can(user, Capability.SIGN_OFF_RISK, case.service) and case.is_open
    assessment_cards = []
    for index, assessment in enumerate(assessments):
        needs_sign_off = workflow.needs_sign_off(case, assessment)
        assessment_cards.append(
            {
                "assessment": assessment,
                "latest": index == 0,
                # Only the latest version counts, so only it can go stale or be signed off.
                "stale": index == 0 and workflow.is_stale(facts, assessment),
                "may_sign_off": index == 0 and may_sign_off and needs_sign_off and not assessment.sign_off_decision,
                "rows": _assessment_rows(assessment, needs_sign_off),
                "factor_rows": assessment.factor_rows(),
            }
        )
    link = latest_link(participant)
    responsibility = (
        list(participant.responsibility_records.select_related("recorded_by"))
        if participant.is_person_responsible
        else []
    )
    return render(
        request,
        "people/participant_detail.html",
        {
            "case": case,
            "participant": participant,
            "person": person,
            "person_rows": _person_rows(person, participant),
            "responsibility_rows": _responsibility_rows(responsibility),
            "information_rows": _information_rows(participant.information_given.select_related("given_by")),
            "consent_cards": [{"record": record, "rows": _consent_rows(record)} for record in consent_records],
            "consent_is_given": bool(consent_records) and consent_records[0].kind == ConsentKind.GIVEN,
            "assessment_cards": assessment_cards,
            "contact_rows": _contact_rows(participant.contacts.select_related("recorded_by")),
            "may_work": can_on_case(user, CaseAccess.WORK, case),
            # A closed case keeps its record as it was closed: only contacts are still logged.
            "may_change": can_on_case(user, CaseAccess.WORK, case) and case.is_open,
            "identifying_rows": [
                [detail.get_kind_display(), detail.value] for detail in person.identifying_details.all()
            ],
            "passed_on_rows": relay_presenters.passed_on_rows(list(relay_selectors.released_to(participant))),
            "link": link,
            "link_rows": link_rows(link) if link else [],
            "link_is_live": link is not None and link.is_live,
            "may_have_link": participant.role in LINKED_ROLES,
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    person = participant.person
    form = PersonEditForm(
        request.POST if request.method == "POST" else None,
        initial={**person_initial(person), "version": person.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                person=person,
                actor=user,
                case=participant.case,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            # The version is a hidden field: show its refusal above the form, where it can be read.
            add_to_form(form, DomainError(error.message) if error.field == "version" else error)
            person.refresh_from_db()
        else:
            messages.success(request, _("Details saved."))
            return _to_participant(participant)
    return render(
        request, "people/person_edit.html", {"case": participant.case, "participant": participant, "form": form}
    )


@require_http_methods(["GET", "POST"])
def participant_part_edit(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    others = participant.case.participants.select_related("person").exclude(pk=participant.pk).order_by("pk")
    form = ParticipantPartForm(
        request.POST if request.method == "POST" else None, participant=participant, others=others
    )
    saved = save_form(
        request,
        form,
        lambda: services.update_participant(
            participant=participant,
            actor=user,
            takes_part=form.taking_part(),
            supports=form.supported(),
            expected_version=form.cleaned_data.get("version"),
        ),
        _("Their part in the case is saved."),
    )
    if saved is not None:
        return _to_participant(participant)
    return render(
        request,
        "people/participant_part_edit.html",
        {"case": participant.case, "participant": participant, "form": form},
    )


@require_http_methods(["GET", "POST"])
def equality_edit(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant, monitoring = access.get_equality_for_user(
        user, case_id, participant_id, for_display=request.method == "GET"
    )
    person = participant.person
    form = EqualityForm(request.POST if request.method == "POST" else None, initial=equality_initial(monitoring))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_equality(person=person, actor=user, case=participant.case, answers=form.answers())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Equality monitoring saved."))
            return _to_participant(participant)
    return render(
        request,
        "people/equality_edit.html",
        {"case": participant.case, "participant": participant, "form": form, "intro": EQUALITY_INTRO},
    )


@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        ask_language=services.needs_language_question(participant),
    )
    saved = save_form(
        request,
        form,
        lambda: services.log_contact(
            participant=participant,
            actor=user,
            occurred_at=form.occurred_at(),
            channel=form.cleaned_data["channel"],
            outcome=form.cleaned_data["outcome"],
            outgoing=form.cleaned_data["direction"] != INCOMING,
            duration_minutes=form.cleaned_data["duration_minutes"],
            summary=form.cleaned_data["summary"],
            language=form.cleaned_data.get("language", ""),
        ),
        _("Contact logged."),
    )
    if saved is not None:
        return _to_participant(participant)
    return render(
        request, "people/contact_add.html", {"case": participant.case, "participant": participant, "form": form}
    )


@require_http_methods(["GET", "POST"])
def identifying_detail_add(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    form = IdentifyingDetailForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: add_identifying_detail(
            participant=participant, actor=user, kind=form.cleaned_data["kind"], value=form.cleaned_data["value"]
        ),
        _("Detail saved. Messages they send are checked for it."),
    )
    if saved is not None:
        return _to_participant(participant)
    return render(
        request,
        "people/identifying_detail_add.html",
        {"case": participant.case, "participant": participant, "form": form},
    )
