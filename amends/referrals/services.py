"""Writes of referrals: intake (with the Victims' Code clocks) and triage (accept, decline, redirect)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction
from amends.audit.services import changes_between, created_values, field_values, record_event
from amends.cases.models import Case, SensitivityFlag, TaskKind
from amends.cases.services import coordinators_of, create_task, open_case
from amends.core.errors import DomainError
from amends.core.versioning import check_version, save_versioned
from amends.people.models import ROLES_SUPPORTING_SOMEONE, Participant, ParticipantRole, Person
from amends.people.services import _clean_person_details
from amends.permissions import Capability, can
from amends.referrals.clocks import right_3_due, right_4_due
from amends.referrals.models import JusticeStage, Referral, ReferredPerson, TriageDecision

# As long as Referral.area holds.
AREA_MAX_LENGTH = 100

REFERRAL_FIELDS = (
    "received_on",
    "source",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "crime_reference",
    "offence_category",
    "offence_date",
    "reported_on",
    "justice_stage",
    "area",
    "initiated_by",
    "setting",
    "enhanced_rights",
    "victim_told_about_rj_on",
    "victim_told_about_rj_by",
    "summary",
    "risk_information",
)


@dataclass(frozen=True)
class NamedPerson:
    """Someone a referral names, with their part; supporters come with the person they support."""

    role: ParticipantRole
    details: Mapping[str, Any]


def service_areas(service: Service) -> list[str]:
    """The areas a service lists as covered: one a line, or, when it is all on one line, separated by commas."""
    lines = [line.strip() for line in service.areas_covered.splitlines() if line.strip()]
    names = lines[0].split(",") if len(lines) == 1 else lines
    areas: dict[str, str] = {}
    for name in names:
        area = " ".join(name.split())
        if area:
            areas.setdefault(area.casefold(), area)
    return list(areas.values())


def _checked_area(service: Service, value: Any, *, current: str = "") -> str:
    """The area as stored: one the service lists (in its spelling), or, when it lists none, what was given."""
    area = " ".join(str(value or "").split())
    if not area:
        return ""
    covered = service_areas(service)
    # An area kept unchanged stays, even if the service has stopped listing it since.
    if covered and area != current:
        known = {name.casefold(): name for name in covered}.get(area.casefold())
        if known is None:
            raise DomainError(
                _("%(service)s does not list “%(area)s” among its areas. Choose one of: %(areas)s.")
                % {"service": service.name, "area": area, "areas": ", ".join(covered)},
                field="area",
            )
        area = known
    if len(area) > AREA_MAX_LENGTH:
        raise DomainError(_("Keep the area to %(most)s characters or fewer.") % {"most": AREA_MAX_LENGTH}, field="area")
    return area


def _clean_referral(details: Mapping[str, Any], *, service: Service, current_area: str = "") -> dict[str, Any]:
    unknown = set(details) - set(REFERRAL_FIELDS)
    if unknown:
        raise DomainError(_("These details cannot be given here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = dict(details)
    today = timezone.localdate()
    if "crime_reference" in values:
        values["crime_reference"] = " ".join(str(values["crime_reference"]).upper().split())
    if "area" in values:
        values["area"] = _checked_area(service, values["area"], current=current_area)
    for name in ("received_on", "offence_date", "reported_on", "victim_told_about_rj_on"):
        day = values.get(name)
        if day is not None and day > today:
            raise DomainError(_("The date cannot be in the future."), field=name)
    offence, reported = values.get("offence_date"), values.get("reported_on")
    if offence and reported and reported < offence:
        raise DomainError(_("The date reported is before the offence happened: check the dates."), field="reported_on")
    told_on, told_by = values.get("victim_told_about_rj_on"), (values.get("victim_told_about_rj_by") or "").strip()
    if told_on and not told_by:
        raise DomainError(_("Say who told them about RJ."), field="victim_told_about_rj_by")
    return values


@transaction.atomic
def create_referral(
    *, service: Service, actor: User, details: Mapping[str, Any], people: Iterable[NamedPerson]
) -> Referral:
    """Receive a referral. Its clocks start: triage, and telling the person harmed about RJ if nobody has yet."""
    if not can(actor, Capability.CREATE_REFERRAL, service):
        raise DomainError(_("You cannot make referrals to this service."))
    values = _clean_referral(details, service=service)
    values.setdefault("received_on", timezone.localdate())
    named = list(people)
    if not any(person.role == ParticipantRole.PERSON_HARMED for person in named) and not any(
        person.role == ParticipantRole.PERSON_RESPONSIBLE for person in named
    ):
        raise DomainError(_("Name the person harmed or the person responsible."), field="people")
    if any(person.role in ROLES_SUPPORTING_SOMEONE for person in named):
        raise DomainError(_("Supporters are added to the case once it is open."), field="people")
    referral = Referral.objects.create(service=service, entered_by=actor, **values)
    for named_person in named:
        person = Person(service=service, **_clean_person_details(named_person.details))
        person.match_key = person.compute_match_key()
        person.save()
        ReferredPerson.objects.create(referral=referral, person=person, role=named_person.role)
    record_event(
        action=AuditAction.REFERRAL_CREATED,
        actor=actor,
        target=referral,
        service=service,
        changes=created_values(referral, ("source", "offence_category", "justice_stage", "area", "received_on")),
    )
    coordinators = coordinators_of(service)
    if coordinators:
        # Victims' Code right 4: referral to a support service within 2 working days; triage keeps that promise.
        create_task(
            service=service,
            referral=referral,
            kind=TaskKind.TRIAGE,
            assigned_to=coordinators[0],
            due_on=right_4_due(referral.received_on),
        )
        if referral.victim_told_about_rj_on is None and any(
            person.role == ParticipantRole.PERSON_HARMED for person in named
        ):
            create_task(
                service=service,
                referral=referral,
                kind=TaskKind.TELL_ABOUT_RJ,
                assigned_to=coordinators[0],
                due_on=right_3_due(referral.reported_on or referral.received_on, bool(referral.enhanced_rights)),
            )
    return referral


@transaction.atomic
def update_referral(
    *, referral: Referral, actor: User, details: Mapping[str, Any], expected_version: int | None
) -> Referral:
    """Correct a referral's details while it waits for triage."""
    if not can(actor, Capability.TRIAGE_REFERRALS, referral.service) and referral.entered_by_id != actor.pk:
        raise DomainError(_("You cannot change this referral."))
    if referral.decision != TriageDecision.AWAITING:
        raise DomainError(_("This referral has been triaged; change the case instead."))
    values = _clean_referral(details, service=referral.service, current_area=referral.area)
    before = field_values(Referral.objects.get(pk=referral.pk), REFERRAL_FIELDS)
    for name, value in values.items():
        setattr(referral, name, value)
    referral.set_right_3_due()
    save_versioned(referral, expected_version=expected_version, fields=[*values, "right_3_due_on"])
    changes = changes_between(referral, before, field_values(referral, REFERRAL_FIELDS))
    if changes:
        record_event(
            action=AuditAction.REFERRAL_UPDATED, actor=actor, target=referral, service=referral.service, changes=changes
        )
        if referral.victim_told_about_rj_on:
            referral.tasks.open().filter(kind=TaskKind.TELL_ABOUT_RJ).update(
                completed_at=timezone.now(), completed_by=actor
            )
    return referral


def _decide(
    *, referral: Referral, actor: User, decision: TriageDecision, reason: str, expected_version: int | None
) -> Referral:
    if not can(actor, Capability.TRIAGE_REFERRALS, referral.service):
        raise DomainError(_("Only a coordinator of the service triages referrals."))
    referral = Referral.objects.select_for_update().select_related("service").get(pk=referral.pk)
    check_version(referral, expected_version)
    if referral.decision != TriageDecision.AWAITING:
        raise DomainError(_("This referral has already been triaged."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the decision."), field="reason")
    referral.decision = decision
    referral.decision_reason = reason.strip()
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    return referral


@transaction.atomic
def accept_referral(
    *,
    referral: Referral,
    actor: User,
    reason: str,
    flags: Iterable[SensitivityFlag | str] = (),
    expected_version: int | None = None,
) -> Case:
    """Accept: open a case with a service-scoped reference, and make the people named its participants."""
    referral = _decide(
        referral=referral,
        actor=actor,
        decision=TriageDecision.ACCEPTED,
        reason=reason,
        expected_version=expected_version,
    )
    chosen = {SensitivityFlag(flag) for flag in flags}
    if referral.justice_stage == JusticeStage.CUSTODY:
        chosen.add(SensitivityFlag.CUSTODY)
    case = open_case(
        service=referral.service,
        actor=actor,
        flags=chosen,
        pre_sentence=referral.justice_stage == JusticeStage.PRE_SENTENCE,
    )
    today = timezone.localdate()
    for named in referral.people.select_related("person"):
        Participant.objects.create(case=case, person=named.person, role=named.role)
        if named.person.is_child_on(today):
            chosen.add(SensitivityFlag.CHILD_PARTICIPANT)
    case.sensitivity_flags = sorted(flag.value for flag in chosen)
    case.save(update_fields=["sensitivity_flags"])
    referral.case = case
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["decision", "decision_reason", "decided_by", "decided_at", "case"],
    )
    record_event(
        action=AuditAction.REFERRAL_TRIAGED,
        actor=actor,
        target=referral,
        service=referral.service,
        changes={"decision": TriageDecision.ACCEPTED.value, "case": case.reference},
    )
    referral.tasks.open().filter(kind=TaskKind.TRIAGE).update(completed_at=timezone.now(), completed_by=actor)
    referral.tasks.open().update(case=case)
    return case


@transaction.atomic
def decline_referral(*, referral: Referral, actor: User, reason: str, expected_version: int | None = None) -> Referral:
    return _close_referral(
        referral=referral,
        actor=actor,
        decision=TriageDecision.DECLINED,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def redirect_referral(
    *, referral: Referral, actor: User, reason: str, redirected_to: str, expected_version: int | None = None
) -> Referral:
    if not redirected_to.strip():
        raise DomainError(_("Name the service it was redirected to."), field="redirected_to")
    return _close_referral(
        referral=referral,
        actor=actor,
        decision=TriageDecision.REDIRECTED,
        reason=reason,
        expected_version=expected_version,
        redirected_to=redirected_to.strip(),
    )


def _close_referral(
    *,
    referral: Referral,
    actor: User,
    decision: TriageDecision,
    reason: str,
    expected_version: int | None,
    redirected_to: str = "",
) -> Referral:
    referral = _decide(
        referral=referral, actor=actor, decision=decision, reason=reason, expected_version=expected_version
    )
    referral.redirected_to = redirected_to
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["decision", "decision_reason", "decided_by", "decided_at", "redirected_to"],
    )
    record_event(
        action=AuditAction.REFERRAL_TRIAGED,
        actor=actor,
        target=referral,
        service=referral.service,
        changes={"decision": decision.value},
    )
    referral.tasks.open().update(completed_at=timezone.now(), completed_by=actor)
    return referral
