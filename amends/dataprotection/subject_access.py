"""Subject access (UK GDPR Art. 15): everything the service holds about one person, as a report in plain English that
is saved as JSON or printed as a PDF, with every other person's personal data redacted.

What the report holds, for the service the request was made to:
- their details: every field of their record (decrypted), their language and access needs, the details held that
  could identify or locate them, and their equality monitoring answers with the words of each answer;
- each case they take part in: its reference, their part, state, dates, process and facilitators, and in it the
  records about them: information given, responsibility and consent; their own risk assessments and the risk
  information recorded about them (risk information about the whole case, and the referral's "known risks", are left
  out: they are mostly about the other party, and context would survive redaction); contacts with them; the meetings
  they attend (their own arrival and leaving times only, as on their own meeting page); the messages they sent, and
  those passed on to them; the outcome agreement, their agreement to it and the actions that are theirs; their
  feedback survey, onward referrals and reoffending checks; the case history about them; the case notes; and in a
  youth case, for the child, their referral order, its breaches and the report to the court that deferred sentence,
  and for the person harmed, the decision whether to invite them to the panel and why;
- the referrals that name them, their requests about their information, each sharing of it outside the service, and
  the audit trail of their own records (their details, their part in each case, their requests): when, what was done
  and by whom, and which details changed, never the values.

The files of the messages in the report (a scan of a letter, a recording) are given with it as one ZIP, each named by
its message and its order ("message-12-file-1.pdf"), never by its own name, which can identify someone; the report
names them under each message. A file passed on to them was checked by eye before it was released.

Redaction rules:
1. A record about another person is left out entirely: another participant's consent, risk assessment, contacts,
   survey, actions, history, place at a meeting, and messages between others. Complaints are not linked to people, so
   none is included. Of the messages between them and others, a message to them is included only once it was passed
   on to them (and not declined), with the words as released; a message they sent, once it was submitted. A message's
   review notes, identifying-detail flags and redaction notes are never included, nor the names of its files.
2. Every other person in any of their cases or in a referral that names them is named only by their part
   ("the person responsible"), never by name.
3. In every free text included (case notes, the referral's account, the agreement, actions, timeline
   details, messages, meeting summaries, contact summaries, consent and risk notes), each other person's known
   identifiers are replaced with "[redacted]": given, family and preferred names and full name; phone (however it is
   spaced, and in +44 form); email; each line of their address, and its postcode with or without its space; their
   date of birth written as dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd and "12 August 1983" (in English and in Welsh); and each
   identifying detail held about them (a child's name, a school, a workplace). Matching is case-insensitive and by
   whole words, longest first (so a full name goes as one). Their own details and free text on their own record
   (safe contact notes, access needs) are checked the same way.
4. A value that is also one of the person's own identifiers is not redacted (a parent and child share a family name
   and an address), though a longer identifier containing it still is.
5. Staff names are kept: they act in a professional capacity. A referrer's name and contact are left out (they are
   the referrer's, not the person's); the referrer's organisation is kept.
"""

import datetime
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amends.accounts.models import Service, User
from amends.audit.models import AuditEvent
from amends.audit.services import target_of
from amends.cases.models import Case, CaseNote, TimelineEntry
from amends.consent.models import ConsentKind, ConsentRecord, InformationGiven, ResponsibilityRecord
from amends.dataprotection.models import Disclosure, RightsRequest
from amends.followup.models import ANSWER_FIELDS, FeedbackSurvey, OnwardReferral, ReoffendingCheck
from amends.meetings.models import Attendee
from amends.outcomes.models import AgreementAction, OutcomeAgreement, ParticipantAgreement, paid_total
from amends.participation.presenters import part_of
from amends.people.models import (
    EQUALITY_CHOICES,
    ContactLogEntry,
    EqualityMonitoring,
    IdentifyingDetail,
    Language,
    Participant,
    ParticipantRole,
    Person,
)
from amends.referrals.models import Referral, ReferredPerson
from amends.relay import files as relay_files
from amends.relay.check import POSTCODE, SenderRecord, fold, normalised, substitute, words_pattern
from amends.relay.models import PASSED_ON_STATUSES, MessageFile, MessageStatus, RelayMessage
from amends.risk.models import RiskAssessment, RiskInformation
from amends.youth.models import Breach, CourtReport, ReferralOrder

# Shorter than this, a value would match too much that is not the other person (an initial, say).
SHORTEST_IDENTIFIER = 2
# A phone number with fewer digits than this is not one we can match however it is spaced.
SHORTEST_PHONE_DIGITS = 6
# Passed on to them and not declined: what they were given (a message they declined stays unread, as on their page).
RECEIVED_STATUSES = frozenset(PASSED_ON_STATUSES - {MessageStatus.DECLINED})


class Row(TypedDict):
    key: str
    value: str


class Record(TypedDict):
    heading: str
    rows: list[Row]
    # A record of free text that may also be about someone else: the coordinator may withhold it (`withhold`).
    key: NotRequired[str]


class Part(TypedDict):
    heading: str
    records: list[Record]


class Section(TypedDict):
    heading: str
    rows: list[Row]
    records: list[Record]
    parts: list[Part]


class Report(TypedDict):
    title: str
    service: str
    controller: str
    prepared_on: str
    introduction: list[str]
    sections: list[Section]


# --- Redaction -------------------------------------------------------------------------------------------------------


def _date_forms(day: datetime.date) -> list[str]:
    """The ways a date is written: 12/08/1983, 12.8.83, 1983-08-12, 12 August 1983, 12th Aug 1983, August 12, 1983,
    12 Awst 1983."""
    forms = [day.isoformat()]
    for separator in "/.-":
        for day_month in (f"{day.day:02}{separator}{day.month:02}", f"{day.day}{separator}{day.month}"):
            forms += [f"{day_month}{separator}{day.year}", f"{day_month}{separator}{day.year % 100:02}"]
    for language in ("en", "cy"):
        with translation.override(language):
            forms += [date_format(day, "j F Y"), date_format(day, "j M Y")]
    with translation.override("en"):
        forms += [date_format(day, "jS F Y"), date_format(day, "jS M Y"), date_format(day, "F j, Y")]
    return list(dict.fromkeys(forms))


def identifiers(person: Person, details: Iterable[IdentifyingDetail]) -> list[str]:
    """Everything known that names or locates the person, as it may be written in a text (the phone's digits are
    matched separately, however they are spaced). Nothing, once their personal data is erased."""
    if person.anonymised_at is not None:
        return []
    record = SenderRecord(
        address=person.address,
        phone=person.phone,
        email=person.email,
        family_name=person.family_name,
        details=[detail.value for detail in details],
    )
    values = [*record.values(), person.given_name, person.family_name, person.preferred_name, person.full_name]
    # A postcode is often written without its space.
    values += [match.group(0).replace(" ", "") for match in POSTCODE.finditer(person.address)]
    if person.preferred_name and person.family_name:
        values.append(f"{person.preferred_name} {person.family_name}")
    if person.date_of_birth:
        values += _date_forms(person.date_of_birth)
    return [value.strip() for value in values if len(value.strip()) >= SHORTEST_IDENTIFIER]


def _phone_digits(phone: str) -> str:
    """The number's digits without the country code or the leading 0: 07700 900123 and +44 7700 900123 are one."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44"):
        digits = digits[2:]
    return digits.removeprefix("0")


def _phone_pattern(digits: str, index: int) -> str:
    """The number however it is spaced or punctuated: 01792 456789, (01792) 456789, 01792-456-789, +44 (0)1792 456789.
    A bracket is taken with the number only when its pair is too, so "(Ann, 01792 456789)" keeps both."""
    opened = f"open{index}"
    between = rf"(?:(?({opened})\)?)[\s.-]*)"
    return rf"(?:\+?44[\s.-]*(?:\(0\)[\s.-]*)?|(?P<{opened}>\()?0)?" + between.join(digits) + rf"(?({opened})\)?)"


@dataclass
class Redactor:
    """Replaces every other person's identifiers in a text with "[redacted]" (the rules are in the module's
    docstring)."""

    pattern: re.Pattern[str] | None
    replacement: str

    @classmethod
    def between(
        cls,
        subject: Person,
        subject_details: Iterable[IdentifyingDetail],
        others: Iterable[tuple[Person, Iterable[IdentifyingDetail]]],
    ) -> "Redactor":
        own = {normalised(fold(value)) for value in identifiers(subject, subject_details)}
        own_phone = _phone_digits(subject.phone)
        words: set[str] = set()
        phones: set[str] = set()
        for other, details in others:
            words |= {value for value in identifiers(other, details) if normalised(fold(value)) not in own}
            digits = _phone_digits(other.phone)
            if len(digits) >= SHORTEST_PHONE_DIGITS and digits != own_phone:
                phones.add(digits)
        # Longest first, so that a full name or a whole address line goes as one, not word by word.
        pieces = [_phone_pattern(digits, index) for index, digits in enumerate(sorted(phones, key=len, reverse=True))]
        unique = {normalised(fold(value)): value for value in words}
        pieces += [words_pattern(value) for value in sorted(unique.values(), key=lambda value: (-len(value), value))]
        if not pieces:
            return cls(None, _("[redacted]"))
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(pieces) + r")(?!\w)", re.IGNORECASE)
        return cls(pattern, _("[redacted]"))

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        return substitute(self.pattern, text, self.replacement)


# --- What is held ----------------------------------------------------------------------------------------------------


@dataclass
class Held:
    """Everything the report is made from, fetched in a fixed number of queries."""

    person: Person
    service: Service
    details: list[IdentifyingDetail]
    equality: EqualityMonitoring | None
    participations: list[Participant]
    others: list[Person]
    referrals: list[tuple[Referral, ReferredPerson]]
    risk_information: dict[int, list[RiskInformation]] = field(default_factory=dict)
    notes: dict[int, list[CaseNote]] = field(default_factory=dict)
    timeline: dict[int, list[TimelineEntry]] = field(default_factory=dict)
    sent: dict[int, list[RelayMessage]] = field(default_factory=dict)
    received: dict[int, list[RelayMessage]] = field(default_factory=dict)
    agreements: dict[int, OutcomeAgreement] = field(default_factory=dict)
    surveys: dict[int, list[FeedbackSurvey]] = field(default_factory=dict)
    onward: dict[int, list[OnwardReferral]] = field(default_factory=dict)
    reoffending: dict[int, list[ReoffendingCheck]] = field(default_factory=dict)
    orders: dict[int, ReferralOrder] = field(default_factory=dict)
    court_reports: dict[int, CourtReport] = field(default_factory=dict)
    requests: list[RightsRequest] = field(default_factory=list)
    disclosures: list[Disclosure] = field(default_factory=list)
    audit: list[AuditEvent] = field(default_factory=list)


def _grouped[T](items: Iterable[T], key: Callable[[T], int]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return dict(grouped)


def _participations(person: Person, service: Service) -> list[Participant]:
    return list(
        Participant.objects.filter(person=person, case__service=service)
        .select_related("case__lead_facilitator", "case__co_facilitator", "supports")
        .prefetch_related(
            Prefetch("information_given", queryset=InformationGiven.objects.select_related("given_by")),
            Prefetch("responsibility_records", queryset=ResponsibilityRecord.objects.select_related("recorded_by")),
            Prefetch(
                "consent_records",
                queryset=ConsentRecord.objects.select_related("recorded_by").order_by("occurred_at", "pk"),
            ),
            Prefetch(
                "risk_assessments",
                queryset=RiskAssessment.objects.select_related("assessed_by", "signed_off_by").order_by("version"),
            ),
            Prefetch(
                "contacts",
                queryset=ContactLogEntry.objects.select_related("recorded_by").order_by("occurred_at", "pk"),
            ),
            Prefetch("meeting_places", queryset=Attendee.objects.select_related("meeting__venue")),
        )
        .order_by("case__opened_at", "pk")
    )


def _their_messages(mine: list[int]) -> Q:
    """The messages in the report: those they sent, once submitted, and those passed on to them and not declined."""
    return (Q(sender_id__in=mine) & ~Q(status=MessageStatus.DRAFT)) | Q(
        recipient_id__in=mine, released_at__isnull=False, status__in=sorted(RECEIVED_STATUSES)
    )


def load(person: Person, *, service: Service) -> Held:
    """Everything held about the person in the service, and the other people whose identifiers are redacted."""
    participations = _participations(person, service)
    case_ids = [participant.case_id for participant in participations]
    mine = [participant.pk for participant in participations]
    referrals = list(
        Referral.objects.filter(Q(people__person=person) | Q(case_id__in=case_ids), service=service)
        .distinct()
        .prefetch_related(
            Prefetch(
                "people",
                queryset=ReferredPerson.objects.select_related("person").prefetch_related(
                    "person__identifying_details"
                ),
            )
        )
        .order_by("received_on", "pk")
    )
    others: dict[int, Person] = {}
    for participant in (
        Participant.objects.filter(case_id__in=case_ids)
        .exclude(person=person)
        .select_related("person")
        .prefetch_related("person__identifying_details")
    ):
        others[participant.person_id] = participant.person
    naming: list[tuple[Referral, ReferredPerson]] = []
    for referral in referrals:
        for named in referral.people.all():
            if named.person_id == person.pk:
                naming.append((referral, named))
            else:
                others.setdefault(named.person_id, named.person)
    held = Held(
        person=person,
        service=service,
        details=list(person.identifying_details.all()),
        equality=EqualityMonitoring.objects.filter(person=person).first(),
        participations=participations,
        others=list(others.values()),
        referrals=naming,
    )
    held.risk_information = _grouped(
        RiskInformation.objects.filter(case_id__in=case_ids)
        .filter(participant_id__in=mine)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk"),
        lambda item: item.case_id,
    )
    held.notes = _grouped(
        CaseNote.objects.filter(case_id__in=case_ids).select_related("author").order_by("created_at", "pk"),
        lambda note: note.case_id,
    )
    held.timeline = _grouped(
        TimelineEntry.objects.filter(participant_id__in=mine).select_related("actor").order_by("occurred_at", "pk"),
        lambda entry: entry.participant_id or 0,
    )
    messages = list(
        RelayMessage.objects.filter(_their_messages(mine))
        .select_related("sender", "recipient")
        .annotate(file_count=Count("files"))
        .order_by("created_at", "pk")
    )
    held.sent = _grouped((m for m in messages if m.sender_id in mine), lambda message: message.sender_id)
    held.received = _grouped((m for m in messages if m.recipient_id in mine), lambda message: message.recipient_id)
    held.agreements = {
        agreement.case_id: agreement
        for agreement in OutcomeAgreement.objects.filter(case_id__in=case_ids).prefetch_related(
            Prefetch(
                "actions",
                queryset=AgreementAction.objects.filter(owner_id__in=mine)
                .select_related("verified_by")
                .prefetch_related("payments"),
            ),
            Prefetch(
                "participant_agreements",
                queryset=ParticipantAgreement.objects.filter(participant_id__in=mine).select_related("recorded_by"),
            ),
        )
    }
    held.surveys = _grouped(
        FeedbackSurvey.objects.filter(participant_id__in=mine).select_related("taken_by"),
        lambda survey: survey.participant_id,
    )
    held.onward = _grouped(
        OnwardReferral.objects.filter(participant_id__in=mine).select_related("recorded_by"),
        lambda referral: referral.participant_id,
    )
    held.reoffending = _grouped(
        ReoffendingCheck.objects.filter(participant_id__in=mine).select_related("checked_by"),
        lambda check: check.participant_id,
    )
    held.orders = {
        order.case_id: order
        for order in ReferralOrder.objects.filter(case_id__in=case_ids)
        .select_related("recorded_by", "invitation_decided_by", "final_recorded_by")
        .prefetch_related(Prefetch("breaches", queryset=Breach.objects.select_related("recorded_by")))
    }
    held.court_reports = {
        report.case_id: report for report in CourtReport.objects.filter(case_id__in=case_ids).select_related("sent_by")
    }
    held.requests = list(RightsRequest.objects.filter(person=person, service=service).order_by("received_on", "pk"))
    held.disclosures = list(
        Disclosure.objects.filter(person=person, service=service)
        .select_related("approved_by", "agreement")
        .order_by("shared_on", "pk")
    )
    held.audit = list(
        AuditEvent.objects.filter(_audit_targets(person, participations, held.requests))
        .filter(Q(service=service) | Q(service__isnull=True))
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
    return held


def _audit_targets(person: Person, participations: list[Participant], requests: list[RightsRequest]) -> Q:
    """The audit trail of their own records: their person record, their part in each case, their requests."""
    targets = Q(target_type=target_of(person)[0], target_id=str(person.pk))
    if participations:
        targets |= Q(target_type=target_of(participations[0])[0], target_id__in=[str(p.pk) for p in participations])
    if requests:
        targets |= Q(target_type=target_of(requests[0])[0], target_id__in=[str(r.pk) for r in requests])
    return targets


# --- Words -----------------------------------------------------------------------------------------------------------


def _label(model: Any, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _day(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def _moment(value: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(value), "j F Y, H:i") if value else ""


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _staff(user: User | None) -> str:
    return user.full_name if user is not None else ""


def _lines(values: Iterable[object]) -> str:
    return "\n".join(str(value) for value in values if value)


def _rows(*pairs: tuple[str, object]) -> list[Row]:
    """The pairs with something in them, as rows."""
    return [Row(key=str(key), value=str(value)) for key, value in pairs if value not in ("", None)]


# --- Sections --------------------------------------------------------------------------------------------------------


def _section(
    heading: str, rows: list[Row] | None = None, records: list[Record] | None = None, parts: list[Part] | None = None
) -> Section:
    return Section(heading=heading, rows=rows or [], records=records or [], parts=parts or [])


def _details_section(person: Person, redact: Redactor) -> Section:
    not_recorded = _("Not recorded")

    def value(name: str, shown: object) -> Row:
        return Row(key=_label(Person, name), value=str(shown) if shown not in ("", None) else not_recorded)

    rows = [
        value("given_name", person.given_name),
        value("family_name", person.family_name),
        value("preferred_name", person.preferred_name),
        value("date_of_birth", _day(person.date_of_birth)),
        value("phone", person.phone),
        value("email", person.email),
        value("address", person.address),
        value("no_voicemail", _yes_no(person.no_voicemail)),
        value("no_letters", _yes_no(person.no_letters)),
        value("safe_times", redact(person.safe_times)),
        value("safe_contact_notes", redact(person.safe_contact_notes)),
        value("correspondence_language", person.get_correspondence_language_display()),
        value("language_asked_on", _day(person.language_asked_on)),
        value("interpreter_language", person.interpreter_language),
        value("access_needs", _lines(person.get_access_needs_display())),
        value("access_needs_notes", redact(person.access_needs_notes)),
        Row(key=_("First recorded"), value=_moment(person.created_at)),
    ]
    if person.restricted_since:
        rows.append(value("restricted_since", _moment(person.restricted_since)))
    if person.anonymised_at:
        rows.append(value("anonymised_at", _moment(person.anonymised_at)))
    return _section(_("Your details"), rows=rows)


def _identifying_section(details: list[IdentifyingDetail]) -> Section:
    return _section(
        _("Details held that could identify or locate you"),
        rows=[Row(key=str(detail.get_kind_display()), value=detail.value) for detail in details],
    )


def _equality_section(equality: EqualityMonitoring) -> Section:
    rows = []
    for question, choices in EQUALITY_CHOICES.items():
        answer = getattr(equality, question)
        words = dict(choices).get(answer, answer) if answer else _("Not answered")
        rows.append(Row(key=_label(EqualityMonitoring, question), value=str(words)))
    return _section(_("Your equality monitoring answers"), rows=rows)


def _case_rows(participant: Participant) -> list[Row]:
    case = participant.case
    return _rows(
        (_label(Case, "reference"), case.reference),
        (_("Your part in the case"), participant.get_role_display()),
        (_("You support"), capfirst(part_of(participant.supports)) if participant.supports else ""),
        (_label(Participant, "takes_part"), _yes_no(participant.takes_part)),
        (_label(Case, "state"), case.get_state_display()),
        (_label(Case, "opened_at"), _moment(case.opened_at)),
        (_label(Case, "process_kind"), case.get_process_kind_display()),
        (_("Lead facilitator"), _staff(case.lead_facilitator)),
        (_("Co-facilitator"), _staff(case.co_facilitator)),
        (_label(Case, "closed_at"), _moment(case.closed_at)),
        (_label(Case, "closure_reason"), case.get_closure_reason_display()),
    )


def _information_records(participant: Participant) -> list[Record]:
    return [
        Record(
            heading=_("Information given on %(day)s") % {"day": _day(item.given_on)},
            rows=_rows(
                (_("What you were told"), _lines(item.get_items_display())),
                (_label(InformationGiven, "format"), item.get_format_display()),
                (_label(InformationGiven, "language"), item.language),
                (_("Given by"), _staff(item.given_by)),
            ),
        )
        for item in participant.information_given.all()
    ]


def _responsibility_records(participant: Participant, redact: Redactor) -> list[Record]:
    return [
        Record(
            heading=_("Responsibility recorded on %(day)s") % {"day": _day(record.recorded_on)},
            rows=_rows(
                (_label(ResponsibilityRecord, "basis"), record.get_basis_display()),
                (_label(ResponsibilityRecord, "level"), record.get_level_display()),
                (_label(ResponsibilityRecord, "in_their_words"), redact(record.in_their_words)),
                (_("Recorded by"), _staff(record.recorded_by)),
            ),
        )
        for record in participant.responsibility_records.all()
    ]


def _consent_records(participant: Participant, redact: Redactor) -> list[Record]:
    return [
        Record(
            heading=(
                _("Consent withdrawn on %(day)s")
                if record.kind == ConsentKind.WITHDRAWN
                else _("Consent given on %(day)s")
            )
            % {"day": _day(timezone.localdate(record.occurred_at))},
            rows=_rows(
                (_("When"), _moment(record.occurred_at)),
                (_("Consent covers"), _lines(record.get_scopes_display())),
                (_("Processes consented to"), _lines(record.get_process_kinds_display())),
                (_("Information may be shared with"), redact(record.share_with)),
                (_("How consent was given"), record.get_method_display()),
                (_("Witnessed by"), redact(record.witnessed_by)),
                (_("Where the evidence is kept"), redact(record.evidence)),
                (_("Reason given"), redact(record.reason)),
                (_("Recorded by"), _staff(record.recorded_by)),
            ),
        )
        for record in participant.consent_records.all()
    ]


def _risk_records(participant: Participant, redact: Redactor) -> list[Record]:
    return [
        Record(
            key=f"risk-assessment-{assessment.pk}",
            heading=_("Risk assessment, version %(version)s") % {"version": assessment.version},
            rows=_rows(
                (_("Date assessed"), _day(assessment.assessed_on)),
                (_("Outcome"), assessment.get_outcome_display()),
                (_("Factors"), _lines(f"{factor}: {level}" for factor, level in assessment.factor_rows())),
                (_("Conditions"), _lines(assessment.get_conditions_display())),
                (_("Assessment"), redact(assessment.narrative)),
                (_("Review by"), _day(assessment.review_on)),
                (_("Assessed by"), _staff(assessment.assessed_by)),
                (_("Sign-off decision"), assessment.get_sign_off_decision_display()),
                (_("Signed off by"), _staff(assessment.signed_off_by)),
                (_("Sign-off note"), redact(assessment.sign_off_note)),
            ),
        )
        for assessment in participant.risk_assessments.all()
    ]


def _risk_information_records(items: list[RiskInformation], redact: Redactor) -> list[Record]:
    return [
        Record(
            key=f"risk-information-{item.pk}",
            heading=_("%(kind)s, %(day)s")
            % {"kind": item.get_kind_display(), "day": _day(timezone.localdate(item.recorded_at))},
            rows=_rows(
                (_("About"), _("You") if item.participant_id else _("Everyone in the case")),
                (_("Details"), redact(item.details)),
                (_("Referred to (safeguarding)"), redact(item.referred_to)),
                (_("Recorded by"), _staff(item.recorded_by)),
            ),
        )
        for item in items
    ]


def _contact_records(participant: Participant, redact: Redactor) -> list[Record]:
    return [
        Record(
            key=f"contact-{entry.pk}",
            heading=_("%(channel)s, %(day)s")
            % {"channel": entry.get_channel_display(), "day": _day(timezone.localdate(entry.occurred_at))},
            rows=_rows(
                (_("When"), _moment(entry.occurred_at)),
                (_("Who got in touch"), _("We contacted you") if entry.outgoing else _("You contacted us")),
                (_("Outcome"), entry.get_outcome_display()),
                (_("Length in minutes"), entry.duration_minutes),
                (_("Summary"), redact(entry.summary)),
                (_("Recorded by"), _staff(entry.recorded_by)),
            ),
        )
        for entry in participant.contacts.all()
    ]


def _meeting_records(participant: Participant, redact: Redactor) -> list[Record]:
    records = []
    for place in sorted(participant.meeting_places.all(), key=lambda place: (place.meeting.starts_at, place.pk)):
        meeting = place.meeting
        where = (
            _lines([meeting.venue.name, *meeting.venue.address.splitlines()])
            if meeting.venue is not None
            else meeting.get_platform_display()
        )
        records.append(
            Record(
                heading=_("%(purpose)s on %(day)s")
                % {"purpose": meeting.get_purpose_display(), "day": _day(timezone.localdate(place.arrives_at))},
                rows=_rows(
                    (_("Status"), meeting.get_status_display()),
                    (_("Your arrival"), _moment(place.arrives_at)),
                    (_("You could leave at"), _moment(place.leaves_at)),
                    (_("Where"), where),
                    (_("You attended"), _yes_no(place.attended)),
                    (_("What happened"), redact(meeting.summary)),
                ),
            )
        )
    return records


def _message_records(
    sent: list[RelayMessage], received: list[RelayMessage], mine: set[int], redact: Redactor
) -> list[Record]:
    records = []
    for message in sorted([*sent, *received], key=lambda message: (message.created_at, message.pk)):
        file_count = getattr(message, "file_count", 0)
        files = ngettext(
            "%(count)s file, given with this report: %(names)s",
            "%(count)s files, given with this report: %(names)s",
            file_count,
        ) % {"count": file_count, "names": ", ".join(file_names(message.pk, file_count))}
        if message.sender_id in mine:
            heading = _("Message you sent to %(part)s") % {"part": part_of(message.recipient)}
            rows = _rows(
                (_("What it is"), message.get_kind_display()),
                (_("Sent for review"), _moment(message.submitted_at)),
                (_("Status"), message.get_status_display()),
                (_("The message"), redact(message.body)),
                (_("Files"), files if file_count else ""),
            )
        else:
            heading = _("Message to you from %(part)s") % {"part": part_of(message.sender)}
            rows = _rows(
                (_("What it is"), message.get_kind_display()),
                (_("Passed on to you"), _moment(message.released_at)),
                (_("The message"), redact(message.body)),
                (_("Files"), files if file_count else ""),
            )
        records.append(Record(heading=heading, rows=rows))
    return records


def _agreement_records(agreement: OutcomeAgreement, redact: Redactor) -> list[Record]:
    records = [
        Record(
            heading=_("Outcome agreement"),
            rows=_rows(
                (_label(OutcomeAgreement, "made_on"), _day(agreement.made_on)),
                (_("What was agreed"), redact(agreement.summary)),
                *(
                    (
                        _("You agreed to it"),
                        _("On %(day)s (%(how)s)")
                        % {"day": _day(agreed.agreed_on), "how": agreed.get_method_display().lower()},
                    )
                    for agreed in agreement.participant_agreements.all()
                ),
            ),
        )
    ]
    records += [
        Record(
            heading=_("Your action: %(label)s") % {"label": action.label()},
            rows=_rows(
                (_("What was agreed"), redact(action.description)),
                (_("Due"), _day(action.due_on)),
                (_("Status"), action.get_status_display()),
                (_("Amount"), f"£{action.amount}" if action.amount is not None else ""),
                (_("Paid so far"), f"£{paid_total(action)}" if action.amount is not None else ""),
                (_("Checked by"), _staff(action.verified_by)),
                (_("Note"), redact(action.verification_note)),
            ),
        )
        for action in agreement.actions.all()
    ]
    return records


def _survey_records(surveys: list[FeedbackSurvey], redact: Redactor) -> list[Record]:
    records = []
    for survey in surveys:
        answers = [(_label(FeedbackSurvey, name), getattr(survey, f"get_{name}_display")()) for name in ANSWER_FIELDS]
        records.append(
            Record(
                heading=_("Feedback survey, %(day)s") % {"day": _day(survey.taken_on)},
                rows=_rows(
                    (_label(FeedbackSurvey, "method"), survey.get_method_display()),
                    (_label(FeedbackSurvey, "satisfaction"), survey.get_satisfaction_display()),
                    *answers,
                    (_label(FeedbackSurvey, "fear_before"), survey.fear_before),
                    (_label(FeedbackSurvey, "fear_after"), survey.fear_after),
                    (_label(FeedbackSurvey, "comments"), redact(survey.comments)),
                    (_label(FeedbackSurvey, "consent_to_quote"), _yes_no(survey.consent_to_quote)),
                    (_("Taken by"), _staff(survey.taken_by)),
                ),
            )
        )
    return records


def _onward_records(referrals: list[OnwardReferral], redact: Redactor) -> list[Record]:
    return [
        Record(
            heading=referral.label(),
            rows=_rows(
                (_label(OnwardReferral, "status"), referral.get_status_display()),
                (_label(OnwardReferral, "status_on"), _day(referral.status_on)),
                (_label(OnwardReferral, "notes"), redact(referral.notes)),
                (_("Recorded by"), _staff(referral.recorded_by)),
            ),
        )
        for referral in referrals
    ]


def _reoffending_records(checks: list[ReoffendingCheck]) -> list[Record]:
    return [
        Record(
            heading=_("Reoffending check, %(day)s") % {"day": _day(check.checked_on)},
            rows=_rows(
                (_label(ReoffendingCheck, "process_on"), _day(check.process_on)),
                (_label(ReoffendingCheck, "offences_before"), check.offences_before),
                (_label(ReoffendingCheck, "offences_after"), check.offences_after),
                (_label(ReoffendingCheck, "source"), check.get_source_display()),
                (_("Checked by"), _staff(check.checked_by)),
            ),
        )
        for check in checks
    ]


def _timeline_records(entries: list[TimelineEntry], redact: Redactor) -> list[Record]:
    return [
        Record(
            key=f"history-{entry.pk}",
            heading=str(entry.get_kind_display()),
            rows=_rows(
                (_("When"), _moment(entry.occurred_at)),
                (_("By"), _staff(entry.actor)),
                (_("From"), entry.get_from_state_display()),
                (_("To"), entry.get_to_state_display()),
                (_("Details"), redact(entry.detail)),
            ),
        )
        for entry in entries
    ]


def _note_records(notes: list[CaseNote], redact: Redactor) -> list[Record]:
    return [
        Record(
            key=f"note-{note.pk}",
            heading=_("Note of %(day)s") % {"day": _moment(note.created_at)},
            rows=_rows((_("Written by"), _staff(note.author)), (_("Note"), redact(note.text))),
        )
        for note in notes
    ]


def _order_records(order: ReferralOrder, role: str, redact: Redactor) -> list[Record]:
    """A youth referral order: the order and its breaches for the child it was made on; the decision whether to
    invite them to the panel for the person harmed. Neither sees the other's."""
    if role == ParticipantRole.PERSON_HARMED:
        if not order.victim_involvement:
            return []
        return [
            Record(
                key=f"panel-invitation-{order.pk}",
                heading=_("Whether you were invited to the youth offender panel"),
                rows=_rows(
                    (_label(ReferralOrder, "victim_involvement"), order.get_victim_involvement_display()),
                    (_label(ReferralOrder, "not_invited_reason"), order.get_not_invited_reason_display()),
                    (_label(ReferralOrder, "declined_contribution"), order.get_declined_contribution_display()),
                    (_label(ReferralOrder, "invitation_reasons"), redact(order.invitation_reasons)),
                    (_("Decided by"), _staff(order.invitation_decided_by)),
                    (_label(ReferralOrder, "invitation_decided_at"), _moment(order.invitation_decided_at)),
                ),
            )
        ]
    if role != ParticipantRole.PERSON_RESPONSIBLE:
        return []
    records = [
        Record(
            heading=_("Your referral order"),
            rows=_rows(
                (_label(ReferralOrder, "made_on"), _day(order.made_on)),
                (_label(ReferralOrder, "length_months"), order.length_months),
                (_label(ReferralOrder, "ends_on"), _day(order.ends_on)),
                (_label(ReferralOrder, "court"), order.court),
                (_("Recorded by"), _staff(order.recorded_by)),
                (_label(ReferralOrder, "final_outcome"), order.get_final_outcome_display()),
                (_label(ReferralOrder, "final_recorded_at"), _moment(order.final_recorded_at)),
            ),
        )
    ]
    records += [
        Record(
            key=f"breach-{breach.pk}",
            heading=_("Breach of the order on %(day)s") % {"day": _day(breach.occurred_on)},
            rows=_rows(
                (_label(Breach, "what_happened"), redact(breach.what_happened)),
                (_label(Breach, "referred_to_court"), _yes_no(breach.referred_to_court)),
                (_("Recorded by"), _staff(breach.recorded_by)),
            ),
        )
        for breach in order.breaches.all()
    ]
    return records


def _court_report_records(report: CourtReport, role: str, redact: Redactor) -> list[Record]:
    """The report to the court that deferred sentence: about the person responsible, so theirs alone."""
    if role != ParticipantRole.PERSON_RESPONSIBLE:
        return []
    return [
        Record(
            key=f"court-report-{report.pk}",
            heading=_("The report to the court"),
            rows=_rows(
                (_label(CourtReport, "due_on"), _day(report.due_on)),
                (_label(CourtReport, "sent_on"), _day(report.sent_on)),
                (_label(CourtReport, "summary"), redact(report.summary)),
                (_("Sent by"), _staff(report.sent_by)),
            ),
        )
    ]


def _case_section(held: Held, participant: Participant, mine: set[int], redact: Redactor) -> Section:
    case = participant.case
    agreement = held.agreements.get(case.pk)
    parts = [
        (_("Information given to you"), _information_records(participant)),
        (_("Responsibility"), _responsibility_records(participant, redact)),
        (_("Consent"), _consent_records(participant, redact)),
        (_("Your risk assessments"), _risk_records(participant, redact)),
        (_("Risk information"), _risk_information_records(held.risk_information.get(case.pk, []), redact)),
        (_("Contact with you"), _contact_records(participant, redact)),
        (_("Meetings"), _meeting_records(participant, redact)),
        (
            _("Messages"),
            _message_records(held.sent.get(participant.pk, []), held.received.get(participant.pk, []), mine, redact),
        ),
        (_("Outcome agreement"), _agreement_records(agreement, redact) if agreement is not None else []),
        (_("Feedback survey"), _survey_records(held.surveys.get(participant.pk, []), redact)),
        (_("Onward referrals"), _onward_records(held.onward.get(participant.pk, []), redact)),
        (_("Reoffending checks"), _reoffending_records(held.reoffending.get(participant.pk, []))),
        (_("The case history about you"), _timeline_records(held.timeline.get(participant.pk, []), redact)),
        (_("Case notes"), _note_records(held.notes.get(case.pk, []), redact)),
    ]
    order, court_report = held.orders.get(case.pk), held.court_reports.get(case.pk)
    if order is not None:
        parts.append((_("Referral order"), _order_records(order, participant.role, redact)))
    if court_report is not None:
        parts.append((_("Deferred sentence"), _court_report_records(court_report, participant.role, redact)))
    return _section(
        _("Case %(reference)s") % {"reference": case.reference},
        rows=_case_rows(participant),
        parts=[Part(heading=heading, records=records) for heading, records in parts if records],
    )


def _referral_records(referrals: list[tuple[Referral, ReferredPerson]], redact: Redactor) -> list[Record]:
    return [
        Record(
            heading=_("Referral received on %(day)s") % {"day": _day(referral.received_on)},
            rows=_rows(
                (_("Your part"), named.get_role_display()),
                (_label(Referral, "source"), referral.get_source_display()),
                (_label(Referral, "referrer_organisation"), referral.referrer_organisation),
                (_label(Referral, "crime_reference"), referral.crime_reference),
                (_label(Referral, "offence_category"), referral.get_offence_category_display()),
                (_label(Referral, "offence_date"), _day(referral.offence_date)),
                (_label(Referral, "reported_on"), _day(referral.reported_on)),
                (_label(Referral, "justice_stage"), referral.get_justice_stage_display()),
                (_label(Referral, "initiated_by"), referral.get_initiated_by_display()),
                (_label(Referral, "setting"), referral.get_setting_display()),
                (_label(Referral, "summary"), redact(referral.summary)),
                (_label(Referral, "decision"), referral.get_decision_display()),
                (_label(Referral, "decision_reason"), redact(referral.decision_reason)),
                (_label(Referral, "decided_at"), _moment(referral.decided_at)),
                (_label(Referral, "redirected_to"), referral.redirected_to),
            ),
        )
        for referral, named in referrals
    ]


def _request_records(requests: list[RightsRequest], redact: Redactor) -> list[Record]:
    return [
        Record(
            heading=str(request.get_kind_display()),
            rows=_rows(
                (_label(RightsRequest, "received_on"), _day(request.received_on)),
                (_label(RightsRequest, "received_by"), request.get_received_by_display()),
                (_label(RightsRequest, "details"), redact(request.details)),
                (_label(RightsRequest, "status"), request.get_status_display()),
                (_label(RightsRequest, "due_on"), _day(request.answer_by)),
                (_label(RightsRequest, "field"), request.get_field_display()),
                (_label(RightsRequest, "corrected_value"), request.corrected_value),
                (_label(RightsRequest, "decided_at"), _moment(request.decided_at)),
                (_label(RightsRequest, "decision_reason"), redact(request.decision_reason)),
                (_label(RightsRequest, "completed_at"), _moment(request.completed_at)),
                (_label(RightsRequest, "release_method"), request.get_release_method_display()),
                (_label(RightsRequest, "released_on"), _day(request.released_on)),
            ),
        )
        for request in requests
    ]


def _disclosure_records(disclosures: list[Disclosure], redact: Redactor) -> list[Record]:
    return [
        Record(
            heading=_("Shared with %(recipient)s on %(day)s")
            % {"recipient": disclosure.recipient, "day": _day(disclosure.shared_on)},
            rows=_rows(
                (_label(Disclosure, "recipient_kind"), disclosure.get_recipient_kind_display()),
                (_label(Disclosure, "what"), redact(disclosure.what)),
                (_label(Disclosure, "basis"), disclosure.get_basis_display()),
                (_label(Disclosure, "agreement"), disclosure.agreement.partner if disclosure.agreement else ""),
                (_label(Disclosure, "approved_by"), _staff(disclosure.approved_by)),
            ),
        )
        for disclosure in disclosures
    ]


def _audit_records(events: list[AuditEvent]) -> list[Record]:
    """Who read or changed their own records, and when: the action and the member of staff, never the values."""
    fields = {
        **{f.name: f for f in Person._meta.get_fields() if hasattr(f, "verbose_name")},
        **{f.name: f for f in Participant._meta.get_fields() if hasattr(f, "verbose_name")},
    }
    records = []
    for event in events:
        changed = sorted(str(capfirst(fields[name].verbose_name)) for name in (event.changes or {}) if name in fields)
        records.append(
            Record(
                heading=f"{_moment(event.occurred_at)}: {event.get_action_display()}",
                rows=_rows(
                    (_("By"), _staff(event.actor) or _("Amends itself, or you through your secure link")),
                    (_("Details changed"), ", ".join(changed)),
                ),
            )
        )
    return records


def keyed_records(report: Report) -> list[tuple[str, Record]]:
    """Every record the coordinator may withhold, with the heading of the section (or part) it is in."""
    found = []
    for section in report["sections"]:
        found += [(section["heading"], record) for record in section["records"] if "key" in record]
        for part in section["parts"]:
            heading = f"{section['heading']}: {part['heading']}"
            found += [(heading, record) for record in part["records"] if "key" in record]
    return found


def _withhold(sections: list[Section], withheld: Collection[str]) -> list[Section]:
    """The sections without the records withheld, and a last section that says how many were and on what ground. The
    coordinator's own reason stays on the request: it may say what the records are about."""
    count = 0

    def kept(records: list[Record]) -> list[Record]:
        nonlocal count
        remaining = [record for record in records if record.get("key") not in withheld]
        count += len(records) - len(remaining)
        return remaining

    for section in sections:
        section["records"] = kept(section["records"])
        for part in section["parts"]:
            part["records"] = kept(part["records"])
    if not count:
        return sections
    rows = [
        Row(key=_("Records not given"), value=str(count)),
        Row(
            key=_("Why"),
            value=_(
                "They are also about someone else, and it would not be reasonable to give them to you without that "
                "person's agreement (Data Protection Act 2018, Schedule 2, paragraph 16)."
            ),
        ),
    ]
    return [*sections, _section(_("What we have not given you"), rows=rows)]


def report_from(held: Held, *, withheld: Collection[str] = ()) -> Report:
    """The report, in the active language, from what was loaded; without the records withheld, if any, and saying
    so."""
    person, service = held.person, held.service
    redact = Redactor.between(person, held.details, [(other, other.identifying_details.all()) for other in held.others])
    mine = {participant.pk for participant in held.participations}
    sections = [_details_section(person, redact)]
    if held.details:
        sections.append(_identifying_section(held.details))
    if held.equality is not None:
        sections.append(_equality_section(held.equality))
    sections += [_case_section(held, participant, mine, redact) for participant in held.participations]
    if held.referrals:
        sections.append(_section(_("Referrals that name you"), records=_referral_records(held.referrals, redact)))
    if held.requests:
        sections.append(
            _section(_("Your requests about your information"), records=_request_records(held.requests, redact))
        )
    if held.disclosures:
        sections.append(
            _section(
                _("Your information shared outside the service"),
                records=_disclosure_records(held.disclosures, redact),
            )
        )
    if held.audit:
        sections.append(_section(_("Who has read or changed your records"), records=_audit_records(held.audit)))
    if withheld:
        sections = _withhold(sections, set(withheld))
    organisation = service.organisation
    return Report(
        title=_("The information %(service)s holds about you") % {"service": service.name},
        service=service.name,
        controller=organisation.controller_name or organisation.name,
        prepared_on=_day(timezone.localdate()),
        introduction=[
            _(
                "This is a copy of the personal information %(service)s holds about you, as you asked under your "
                "right of access (UK GDPR Article 15)."
            )
            % {"service": service.name},
            _(
                "Other people in your case are named only by their part in it, such as “the person "
                "responsible”. Where a record also mentions them, their name and other details are replaced "
                "with “[redacted]”. Records about other people are not included. Staff are named."
            ),
        ],
        sections=sections,
    )


EXPORT_LANGUAGES = ("en", "cy")


def export_languages(person: Person) -> list[str]:
    """The languages the export can be given in, the person's own first: Welsh first when they asked for both (as
    for their letters), and the language of the page when nobody has asked them."""
    if person.correspondence_language in EXPORT_LANGUAGES:
        first = person.correspondence_language
    elif person.correspondence_language == Language.BOTH:
        first = "cy"
    else:
        active = translation.get_language() or "en"
        first = "cy" if active.startswith("cy") else "en"
    return [first, *(language for language in EXPORT_LANGUAGES if language != first)]


def export_language_choices(person: Person) -> list[tuple[str, str]]:
    """(code, "in English" / "in Welsh") for the download links, the person's own language first."""
    names = {"en": _("in English"), "cy": _("in Welsh")}
    return [(language, names[language]) for language in export_languages(person)]


def build_report(person: Person, *, service: Service, withheld: Collection[str] = ()) -> Report:
    """Everything the service holds about the person, redacted for everyone else, in the active language; without
    the records the coordinator withheld."""
    return report_from(load(person, service=service), withheld=withheld)


def release_report(request: RightsRequest) -> Report:
    """The report as it is released for an access request: without what its coordinator withheld."""
    return build_report(request.person, service=request.service, withheld=request.withheld)


# --- The files of their messages --------------------------------------------------------------------------------


def file_names(message_id: int, count: int) -> list[str]:
    """What the files of a message are called in the bundle: by the message and their order, never their own
    names (a file's name can identify someone)."""
    return [f"message-{message_id}-file-{number}" for number in range(1, count + 1)]


def message_files(person: Person, *, service: Service) -> list[MessageFile]:
    """The files of the messages in the report, in the order the report names them."""
    mine = list(Participant.objects.filter(person=person, case__service=service).values_list("pk", flat=True))
    return list(
        MessageFile.objects.filter(message__in=RelayMessage.objects.filter(_their_messages(mine)))
        .order_by("message_id", "uploaded_at", "pk")
        .only("pk", "message_id", "stored_name", "uploaded_at")
    )


def render_files(files: list[MessageFile]) -> bytes:
    """The files, decrypted, in one ZIP, each named as the report names it, with the extension its first bytes
    showed when it was uploaded."""
    buffer = io.BytesIO()
    numbers: dict[int, int] = defaultdict(int)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as bundle:
        for message_file in files:
            numbers[message_file.message_id] += 1
            name = file_names(message_file.message_id, numbers[message_file.message_id])[-1]
            extension = message_file.stored_name.removesuffix(".enc").rsplit(".", 1)[-1]
            bundle.writestr(f"{name}.{extension}", relay_files.read_decrypted(message_file.stored_name))
    return buffer.getvalue()


# --- Output ----------------------------------------------------------------------------------------------------------


def render_json(report: Report) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


def report_document(report: Report) -> str:
    """The HTML the PDF is made from."""
    return render_to_string(
        "dataprotection/subject_access/report_pdf.html",
        {"report": report, "language": translation.get_language() or "en"},
    )


def render_pdf(report: Report) -> bytes:
    # WeasyPrint loads Pango when imported: only printing needs it.
    from weasyprint import HTML

    pdf: bytes = HTML(string=report_document(report)).write_pdf()
    return pdf
