"""People's requests under their data protection rights: to see (subject access), correct, erase or restrict what
the service holds about them (UK GDPR Arts. 15 to 18).

Staff who may reach the person record a request; its clock runs one calendar month from the day it was received,
extendable once by up to two further months. A coordinator approves or refuses it, with a reason for a refusal and
only once the person's identity has been checked; then it is carried out: the export released, the detail
corrected, the person's data erased (the figures keep their rows), or the use of their information restricted until
a coordinator lifts the restriction. Each write is audited, never with the encrypted texts.

While a person's processing is restricted, nobody contacts them, relays a message to them, gives them a secure link,
books them into a meeting or records their survey, and their information is not shared routinely: see restriction.py.
Erasure, which cannot be undone, is carried out by a coordinator only.

Each coordinator of the service has one task for the register (TaskKind.RIGHTS_REQUEST, kept off any case): due
on the earliest answer-by date of the requests still open, moved as requests come, are extended and are answered, and
done when none is left.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction, AuditEvent
from amends.audit.services import CONCEALED, record_event, target_of
from amends.cases.models import Case, Task, TaskKind
from amends.core.errors import DomainError, NotPermittedError
from amends.core.versioning import check_version, save_versioned
from amends.dataprotection import erasure, sharing
from amends.dataprotection.models import (
    ReceivedBy,
    RectifiableField,
    ReleaseMethod,
    RightsRequest,
    RightsRequestKind,
    RightsRequestStatus,
)
from amends.people import services as people_services
from amends.people.models import Participant, Person
from amends.permissions import Capability, CaseAccess, can, case_filter

OPEN_STATUSES = frozenset({RightsRequestStatus.RECEIVED, RightsRequestStatus.APPROVED})
DATE_OF_BIRTH_FORMAT = "%d/%m/%Y"


def _day(value: datetime.date | datetime.datetime) -> str:
    return date_format(value, "j F Y")


# --- The coordinators' task -------------------------------------------------------------------------------------


def sync_tasks(*, service: Service, actor: User | None) -> None:
    """Each coordinator's one task for the service's open requests, due on the earliest answer-by date."""
    earliest = RightsRequest.objects.filter(service=service, status__in=sorted(OPEN_STATUSES)).aggregate(
        due=Min(Coalesce("extended_on", "due_on"))
    )["due"]
    open_tasks = Task.objects.open().filter(service=service, case=None, referral=None, kind=TaskKind.RIGHTS_REQUEST)
    if earliest is None:
        open_tasks.update(completed_at=timezone.now(), completed_by=actor)
        return
    coordinators = sharing.approvers_of(service)
    open_tasks.exclude(assigned_to__in=coordinators).update(completed_at=timezone.now(), completed_by=actor)
    tasks = {task.assigned_to_id: task for task in open_tasks.filter(assigned_to__in=coordinators)}
    for coordinator in coordinators:
        task = tasks.get(coordinator.pk)
        if task is None:
            Task.objects.create(service=service, kind=TaskKind.RIGHTS_REQUEST, assigned_to=coordinator, due_on=earliest)
        elif task.due_on != earliest:
            task.due_on = earliest
            task.save(update_fields=["due_on", "updated_at"])


# --- Who may reach the person -------------------------------------------------------------------------------------


def person_visible_to(user: User, person: Person) -> bool:
    """Whether the user may see the person, by the case access rules: a coordinator everyone in the service, anyone
    else the people in the cases they may view."""
    if can(user, Capability.VIEW_ALL_CASES, person.service_id):
        return True
    return (
        Participant.objects.filter(person=person).filter(case_filter(user, CaseAccess.VIEW, prefix="case__")).exists()
    )


def _require_recorder(actor: User, service: Service | int) -> None:
    if not can(actor, Capability.RECORD_RIGHTS_REQUESTS, service):
        raise NotPermittedError(_("You cannot record data protection requests in this service."))


def _require_decider(actor: User, service: Service | int) -> None:
    if not can(actor, Capability.DECIDE_RIGHTS_REQUESTS, service):
        raise NotPermittedError(_("Only a coordinator of the service decides data protection requests."))


def _require_not_erased(person: Person) -> None:
    if person.anonymised_at is not None:
        raise DomainError(_("This person's personal data has already been erased."))


def _locked(request: RightsRequest, expected_version: int | None) -> RightsRequest:
    check_version(request, expected_version)
    return RightsRequest.objects.select_for_update(of=("self",)).select_related("service", "person").get(pk=request.pk)


# --- Recording ----------------------------------------------------------------------------------------------------


def _corrected(field: str, value: str) -> Any:
    """The corrected value as the person's field holds it; refused with a clear message when it cannot be one."""
    value = value.strip()
    if not value:
        raise DomainError(_("Enter the correct value."), field="corrected_value")
    if field == RectifiableField.DATE_OF_BIRTH:
        try:
            birth = datetime.datetime.strptime(value, DATE_OF_BIRTH_FORMAT).date()  # noqa: DTZ007 - a date only
        except ValueError:
            raise DomainError(
                _("Enter the date of birth as day/month/year, for example 14/09/1980."), field="corrected_value"
            ) from None
        if birth > timezone.localdate():
            raise DomainError(_("The date of birth must be in the past."), field="corrected_value")
        return birth
    if field == RectifiableField.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise DomainError(_("Enter an email address, like name@example.com."), field="corrected_value") from None
    limit = getattr(Person._meta.get_field(field), "max_length", None)
    if limit is not None and len(value) > limit:
        raise DomainError(
            _("The correct value can be at most %(limit)s characters.") % {"limit": limit}, field="corrected_value"
        )
    return value


@transaction.atomic
def record_request(
    *,
    service: Service,
    person: Person,
    actor: User,
    kind: RightsRequestKind | str,
    received_on: datetime.date,
    received_by: ReceivedBy | str,
    details: str,
    identity_checked: bool,
    field: RectifiableField | str = "",
    corrected_value: str = "",
) -> RightsRequest:
    """Record a person's request under their rights; it is due one calendar month after it was received."""
    _require_recorder(actor, service)
    if person.service_id != service.pk:
        raise DomainError(_("That person is not known to this service."))
    _require_not_erased(person)
    if kind not in RightsRequestKind.values:
        raise DomainError(_("Choose what they asked for."), field="kind")
    if received_by not in ReceivedBy.values:
        raise DomainError(_("Choose how the request came."), field="received_by")
    if received_on > timezone.localdate():
        raise DomainError(_("The date received cannot be in the future."), field="received_on")
    if kind == RightsRequestKind.RECTIFICATION:
        if field not in RectifiableField.values:
            raise DomainError(_("Choose the detail to correct."), field="field")
        _corrected(field, corrected_value)
        corrected_value = corrected_value.strip()
    else:
        field, corrected_value = "", ""
    request = RightsRequest.objects.create(
        service=service,
        person=person,
        kind=kind,
        received_on=received_on,
        received_by=received_by,
        details=details.strip(),
        identity_checked=identity_checked,
        due_on=RightsRequest.due_for(received_on),
        field=field,
        corrected_value=corrected_value,
        recorded_by=actor,
    )
    changes: dict[str, Any] = {
        "person": person.pk,
        "kind": str(kind),
        "received_on": received_on.isoformat(),
        "received_by": str(received_by),
        "identity_checked": identity_checked,
        "due_on": request.due_on.isoformat(),
    }
    if request.details:
        changes["details"] = CONCEALED
    if field:
        changes["field"] = str(field)
        changes["corrected_value"] = CONCEALED
    record_event(action=AuditAction.RIGHTS_REQUEST_SAVED, actor=actor, target=request, service=service, changes=changes)
    sync_tasks(service=request.service, actor=actor)
    return request


def _require_open(request: RightsRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise DomainError(_("This request has been %(status)s.") % {"status": request.get_status_display().lower()})


@transaction.atomic
def record_identity_check(*, request: RightsRequest, actor: User, expected_version: int | None = None) -> RightsRequest:
    """Record that the person's identity has been checked (needed before a request is approved)."""
    _require_recorder(actor, request.service_id)
    request = _locked(request, expected_version)
    if request.status != RightsRequestStatus.RECEIVED:
        raise DomainError(_("This request has already been decided."))
    if request.identity_checked:
        return request
    request.identity_checked = True
    save_versioned(request, expected_version=request.version, fields=["identity_checked"])
    record_event(
        action=AuditAction.RIGHTS_REQUEST_SAVED,
        actor=actor,
        target=request,
        service=request.service,
        changes={"identity_checked": {"before": False, "after": True}},
    )
    return request


@transaction.atomic
def extend_request(
    *,
    request: RightsRequest,
    actor: User,
    extended_on: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> RightsRequest:
    """Give a complex request longer: once, before it is due, by up to two further months (Art. 12(3))."""
    _require_decider(actor, request.service_id)
    request = _locked(request, expected_version)
    _require_open(request)
    if request.extended_on is not None:
        raise DomainError(_("This request has already been extended: it can be extended only once."))
    if timezone.localdate() > request.due_on:
        raise DomainError(
            _("The request was due on %(day)s: it can be extended only before it is due.")
            % {"day": _day(request.due_on)}
        )
    latest = request.latest_extension
    if extended_on <= request.due_on:
        raise DomainError(
            _("Choose a date after %(day)s, when it is due now.") % {"day": _day(request.due_on)}, field="extended_on"
        )
    if extended_on > latest:
        raise DomainError(
            _("It can be extended by two months at most: to %(day)s.") % {"day": _day(latest)}, field="extended_on"
        )
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why it needs longer: the person must be told why."), field="reason")
    request.extended_on, request.extension_reason = extended_on, reason
    save_versioned(request, expected_version=request.version, fields=["extended_on", "extension_reason"])
    record_event(
        action=AuditAction.RIGHTS_REQUEST_SAVED,
        actor=actor,
        target=request,
        service=request.service,
        changes={"extended_on": {"before": None, "after": extended_on.isoformat()}, "extension_reason": CONCEALED},
    )
    sync_tasks(service=request.service, actor=actor)
    return request


@transaction.atomic
def decide_request(
    *, request: RightsRequest, actor: User, approve: bool, reason: str, expected_version: int | None = None
) -> RightsRequest:
    """A coordinator approves the request (once the person's identity is checked) or refuses it, saying why."""
    _require_decider(actor, request.service_id)
    request = _locked(request, expected_version)
    if request.status != RightsRequestStatus.RECEIVED:
        raise DomainError(_("This request has already been decided."))
    reason = reason.strip()
    if approve and not request.identity_checked:
        raise DomainError(
            _("Check who they are before approving the request, and record that you have."), field="approve"
        )
    if not approve and not reason:
        raise DomainError(_("Say why the request is refused: the person must be told why."), field="reason")
    request.status = RightsRequestStatus.APPROVED if approve else RightsRequestStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason
    save_versioned(
        request, expected_version=request.version, fields=["status", "decided_by", "decided_at", "decision_reason"]
    )
    changes: dict[str, Any] = {"status": {"before": RightsRequestStatus.RECEIVED.value, "after": request.status}}
    if reason:
        changes["decision_reason"] = CONCEALED
    record_event(
        action=AuditAction.RIGHTS_REQUEST_DECIDED, actor=actor, target=request, service=request.service, changes=changes
    )
    sync_tasks(service=request.service, actor=actor)
    return request


# --- Carrying it out ----------------------------------------------------------------------------------------------


def _case_to_correct_in(person: Person, actor: User) -> Case | None:
    """A case of the person's that the actor may work on, to correct their details through (None if they are in no
    case: someone named only in a referral)."""
    participation = (
        Participant.objects.filter(person=person)
        .filter(case_filter(actor, CaseAccess.WORK, prefix="case__"))
        .select_related("case__service")
        .order_by("-case__created_at", "-pk")
        .first()
    )
    return participation.case if participation is not None else None


def _rectify(request: RightsRequest, actor: User) -> None:
    person = Person.objects.select_for_update().get(pk=request.person_id)
    _require_not_erased(person)
    value = _corrected(request.field, request.corrected_value)
    case = _case_to_correct_in(person, actor)
    if case is not None:
        people_services.update_person(
            person=person, actor=actor, case=case, details={request.field: value}, expected_version=None
        )
        return
    if person.participations.exists():
        raise NotPermittedError(_("You cannot work on any case of this person's."))
    # Someone named only in a referral: the same change, without a case to note it on.
    before = getattr(person, request.field)
    setattr(person, request.field, value)
    person.match_key = person.compute_match_key()
    save_versioned(person, expected_version=None, fields=[request.field, "match_key"])
    if before != value:
        record_event(
            action=AuditAction.PERSON_UPDATED,
            actor=actor,
            target=person,
            service=request.service,
            changes={request.field: {"before": CONCEALED, "after": CONCEALED}},
        )


def _restrict(request: RightsRequest, actor: User) -> None:
    person = Person.objects.select_for_update().get(pk=request.person_id)
    _require_not_erased(person)
    if person.restricted_since is not None:
        raise DomainError(
            _("The use of their information has been restricted since %(day)s already.")
            % {"day": _day(timezone.localtime(person.restricted_since))}
        )
    person.restricted_since = timezone.now()
    save_versioned(person, expected_version=None, fields=["restricted_since"])
    record_event(
        action=AuditAction.PERSON_UPDATED,
        actor=actor,
        target=person,
        service=request.service,
        changes={"restricted_since": {"before": None, "after": person.restricted_since}},
    )


# A record's key in the report: its kind and id ("note-12"), never its contents.
RECORD_KEY = re.compile(r"^[a-z]+(?:-[a-z]+)*-\d+$")


@transaction.atomic
def withhold_records(
    *, request: RightsRequest, actor: User, keys: Iterable[str], reason: str, expected_version: int | None = None
) -> RightsRequest:
    """Withhold records of the export from the person, with the reason: records that are also about someone else
    and would not be reasonable to give without their agreement (DPA 2018 Sch. 2 para. 16). The report then leaves
    them out and says how many were withheld and why. A coordinator's decision, before the release."""
    _require_decider(actor, request.service_id)
    request = _locked(request, expected_version)
    if request.kind != RightsRequestKind.ACCESS or request.status != RightsRequestStatus.APPROVED:
        raise DomainError(_("Records are withheld only from an approved access request, before it is released."))
    chosen = sorted(set(keys))
    if any(not RECORD_KEY.match(key) for key in chosen):
        raise DomainError(_("Choose records of the export."), field="withhold")
    reason = reason.strip()
    if chosen and not reason:
        raise DomainError(_("Say why these records are withheld."), field="reason")
    before = list(request.withheld)
    request.withheld, request.withholding_reason = chosen, reason if chosen else ""
    save_versioned(request, expected_version=request.version, fields=["withheld", "withholding_reason"])
    record_event(
        action=AuditAction.RIGHTS_REQUEST_WITHHELD,
        actor=actor,
        target=request,
        service=request.service,
        changes={"withheld": {"before": before, "after": chosen}, "reason": CONCEALED},
    )
    return request


def exports_of(request: RightsRequest) -> list[AuditEvent]:
    """Each download of the request's export (PDF, JSON or the files), latest first: the audit is its record."""
    target_type, target_id = target_of(request)
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.SUBJECT_ACCESS_EXPORTED, target_type=target_type, target_id=target_id
        )
        .select_related("actor")
        .order_by("-occurred_at", "-pk")
    )


def _record_release(
    request: RightsRequest, actor: User, release_method: str, released_on: datetime.date | None
) -> list[AuditEvent]:
    """Only a coordinator reads the export before it goes (access_subject_access.py), so only a coordinator records
    its release, and only once it has been downloaded: the downloads returned say what was sent, in which
    language."""
    _require_decider(actor, request.service_id)
    exports = exports_of(request)
    if not exports:
        raise DomainError(
            _("Download the export and check it before you record its release: nothing has been downloaded yet.")
        )
    if release_method not in ReleaseMethod.values:
        raise DomainError(_("Choose how their information was released to them."), field="release_method")
    if released_on is None:
        raise DomainError(_("Enter the date it was released to them."), field="released_on")
    if released_on > timezone.localdate() or released_on < request.received_on:
        raise DomainError(
            _("The date it was released is between the day the request came and today."), field="released_on"
        )
    request.release_method = ReleaseMethod(release_method).value
    request.released_on = released_on
    return exports


@transaction.atomic
def complete_request(
    *,
    request: RightsRequest,
    actor: User,
    release_method: ReleaseMethod | str = "",
    released_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> RightsRequest:
    """Carry out an approved request: record how and when the export was released (access: by a coordinator, once
    they have downloaded it), apply the correction, erase the person's data (refused under a legal hold on any of
    their cases) or restrict the use of their information."""
    _require_recorder(actor, request.service_id)
    request = _locked(request, expected_version)
    if not person_visible_to(actor, request.person):
        raise NotPermittedError(_("You cannot see this person's records."))
    if request.status != RightsRequestStatus.APPROVED:
        raise DomainError(_("Only an approved request is carried out."))
    changes: dict[str, Any] = {"status": {"before": request.status, "after": RightsRequestStatus.COMPLETED.value}}
    fields = ["status", "completed_by", "completed_at"]
    if request.kind == RightsRequestKind.ACCESS:
        exports = _record_release(request, actor, release_method, released_on)
        fields += ["release_method", "released_on"]
        changes["release_method"] = request.release_method
        changes["released_on"] = request.released_on
        changes["withheld"] = len(request.withheld)
        changes["released"] = [
            {"format": export.changes.get("format"), "language": export.changes.get("language")} for export in exports
        ]
    elif request.kind == RightsRequestKind.RECTIFICATION:
        _rectify(request, actor)
        changes["field"] = request.field
    elif request.kind == RightsRequestKind.ERASURE:
        # Erasure cannot be undone: only someone who may decide requests carries it out.
        _require_decider(actor, request.service_id)
        erasure.erase_person(person=request.person, actor=actor)
    else:
        _restrict(request, actor)
    request.status = RightsRequestStatus.COMPLETED
    request.completed_by, request.completed_at = actor, timezone.now()
    save_versioned(request, expected_version=request.version, fields=fields)
    record_event(
        action=AuditAction.RIGHTS_REQUEST_COMPLETED,
        actor=actor,
        target=request,
        service=request.service,
        changes=changes,
    )
    sync_tasks(service=request.service, actor=actor)
    return request


@transaction.atomic
def lift_restriction(
    *, request: RightsRequest, actor: User, reason: str, expected_version: int | None = None
) -> RightsRequest:
    """A coordinator lifts a restriction in place (the person is told first), saying why."""
    _require_decider(actor, request.service_id)
    request = _locked(request, expected_version)
    if request.kind != RightsRequestKind.RESTRICTION or request.status != RightsRequestStatus.COMPLETED:
        raise DomainError(_("Only a restriction in place can be lifted."))
    if request.lifted_at is not None:
        raise DomainError(_("This restriction has already been lifted."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the restriction is lifted."), field="reason")
    person = Person.objects.select_for_update().get(pk=request.person_id)
    request.lifted_at, request.lifted_by, request.lift_reason = timezone.now(), actor, reason
    save_versioned(request, expected_version=request.version, fields=["lifted_at", "lifted_by", "lift_reason"])
    before = person.restricted_since
    person.restricted_since = None
    save_versioned(person, expected_version=None, fields=["restricted_since"])
    record_event(
        action=AuditAction.PERSON_UPDATED,
        actor=actor,
        target=person,
        service=request.service,
        changes={"restricted_since": {"before": before, "after": None}},
    )
    record_event(
        action=AuditAction.RIGHTS_REQUEST_COMPLETED,
        actor=actor,
        target=request,
        service=request.service,
        changes={
            "lifted_at": {"before": None, "after": request.lifted_at},
            "lifted_by": actor.pk,
            "lift_reason": CONCEALED,
        },
    )
    return request
