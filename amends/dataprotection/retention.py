"""The retention schedule: how long each kind of record is kept, which records are due to be anonymised and why,
and the run that anonymises them.

Each service keeps its records by the default rule of each kind (models.DEFAULT_RETENTION) or by its own rule
(RetentionRule). A record is due on the day its rule's time has run from the record's end:

* a closed case: `keep_months` after it closed;
* a closed case in which a child took part (its CHILD_PARTICIPANT flag): the later of `keep_months` after it closed
  and the day the youngest participant whose date of birth is known reaches `until_age`;
* a referral declined or redirected (no case was opened): `keep_months` after the decision;
* a complaint: `keep_months` after it was answered (while it waits for its answer it is kept); a compliment or other
  feedback: `keep_months` after it was received.

A record already anonymised is never due. A case under a legal hold in force is held, not due, and so are the
complaints about it. `apply` anonymises what is due through the erasure engine (amends/dataprotection/erasure.py),
which keeps every row and category the figures count, and records a RetentionRun with the counts.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.models import Case, SensitivityFlag, State
from amends.complaints.models import Complaint, ComplaintKind
from amends.core.errors import DomainError, NotPermittedError
from amends.core.workdays import add_months
from amends.dataprotection import erasure
from amends.dataprotection.models import (
    DEFAULT_RETENTION,
    LegalHold,
    RecordType,
    RetentionRule,
    RetentionRun,
)
from amends.people.models import Participant
from amends.permissions import Capability, can
from amends.referrals.models import Referral, TriageDecision

logger = logging.getLogger(__name__)

KEEP_MONTHS_MIN = 1
KEEP_MONTHS_MAX = 100 * 12
UNTIL_AGE_MIN = 10
UNTIL_AGE_MAX = 30
# Adding months clips to the month's last day (31 August + 6 months: 28 February), so a record can be due a few days
# before the plain cutoff suggests: the query reaches this far past it, and the exact day is worked out in Python.
_CUTOFF_SLACK = datetime.timedelta(days=3)
NOT_TAKEN_ON = (TriageDecision.DECLINED, TriageDecision.REDIRECTED)
# Kinds in the order the schedule lists them.
ORDER = tuple(RecordType)


# --- Rules ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How long one kind of record is kept in a service: its own rule, or the default."""

    record_type: RecordType
    keep_months: int
    until_age: int | None
    own: bool

    @property
    def default(self) -> "Rule":
        return default_rule(self.record_type)

    def describe(self) -> str:
        """The rule in words, for the schedule page."""
        if self.record_type == RecordType.YOUTH_CASE and self.until_age is not None:
            return _(
                "Until the youngest child who took part is %(age)s, and at least %(months)s months after the case "
                "closed"
            ) % {"age": self.until_age, "months": self.keep_months}
        return {
            RecordType.CLOSED_CASE: _("%(months)s months after the case closed"),
            RecordType.YOUTH_CASE: _("%(months)s months after the case closed"),
            RecordType.REFERRAL_NOT_TAKEN_ON: _("%(months)s months after the referral was declined or redirected"),
            RecordType.COMPLAINT: _(
                "%(months)s months after a complaint was answered, or a compliment or other feedback was received"
            ),
        }[self.record_type] % {"months": self.keep_months}


def default_rule(record_type: RecordType | str) -> Rule:
    keep_months, until_age = DEFAULT_RETENTION[record_type]
    return Rule(RecordType(record_type), keep_months, until_age, own=False)


def _rule_of(record_type: RecordType, saved: RetentionRule | None) -> Rule:
    if saved is None:
        return default_rule(record_type)
    until_age = saved.until_age if record_type == RecordType.YOUTH_CASE else None
    return Rule(record_type, saved.keep_months, until_age, own=True)


def rules_by_service(service_ids: Iterable[int]) -> dict[int, dict[RecordType, Rule]]:
    """Every kind's rule in each service, in one query."""
    ids = list(service_ids)
    saved: dict[tuple[int, str], RetentionRule] = {
        (rule.service_id, rule.record_type): rule for rule in RetentionRule.objects.filter(service_id__in=ids)
    }
    return {
        service_id: {kind: _rule_of(kind, saved.get((service_id, kind.value))) for kind in ORDER} for service_id in ids
    }


def rules_for(service: Service) -> dict[RecordType, Rule]:
    return rules_by_service([service.pk])[service.pk]


def rule_for(service: Service, record_type: RecordType | str) -> Rule:
    return rules_for(service)[RecordType(record_type)]


# --- When a record is due ---------------------------------------------------------------------------------------


def case_due_on(closed_on: datetime.date, rule: Rule) -> datetime.date:
    """A closed case with no child: `keep_months` after it closed."""
    return add_months(closed_on, rule.keep_months)


def youth_case_due_on(closed_on: datetime.date, rule: Rule, births: Iterable[datetime.date | None]) -> datetime.date:
    """A closed case in which a child took part: the later of `keep_months` after it closed and the first day of the
    month after the youngest participant with a known date of birth reaches `until_age` (the month, not the day, so
    the due date listed by a dry run does not tell anyone the child's birthday)."""
    after_closure = add_months(closed_on, rule.keep_months)
    known = [birth for birth in births if birth is not None]
    if rule.until_age is None or not known:
        return after_closure
    comes_of_age = add_months(max(known), rule.until_age * 12)
    return max(after_closure, add_months(comes_of_age.replace(day=1), 1))


def referral_due_on(decided_on: datetime.date, rule: Rule) -> datetime.date:
    """A referral declined or redirected: `keep_months` after the decision."""
    return add_months(decided_on, rule.keep_months)


def complaint_due_on(complaint: Complaint, rule: Rule) -> datetime.date | None:
    """A complaint: `keep_months` after its answer (None while it waits for one); a compliment or other feedback:
    `keep_months` after it was received."""
    if complaint.kind == ComplaintKind.COMPLAINT:
        if complaint.responded_on is None:
            return None
        return add_months(complaint.responded_on, rule.keep_months)
    return add_months(complaint.received_on, rule.keep_months)


def _cutoff(today: datetime.date, keep_months: int) -> datetime.date:
    """The latest end date a record kept `keep_months` could have and be due by today (with the slack above)."""
    return add_months(today, -keep_months) + _CUTOFF_SLACK


# --- Which records are due --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRecord:
    """One record the schedule would anonymise, or would but for a legal hold. Its reference is the case reference,
    the referral's number or the complaint's number: never a name."""

    kind: RecordType
    service_id: int
    service_name: str
    record_id: int
    reference: str
    due_on: datetime.date
    why: str


@dataclass
class Found:
    """What is due (to be anonymised) and what is held (due but for a legal hold on its case)."""

    due: list[DueRecord] = field(default_factory=list)
    held: list[DueRecord] = field(default_factory=list)

    def count(self, kind: RecordType, *, held: bool = False) -> int:
        return sum(1 for record in (self.held if held else self.due) if record.kind == kind)


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _case_why(closed_on: datetime.date, rule: Rule, *, youth: bool) -> str:
    closed = _("closed %(day)s") % {"day": _iso(closed_on)}
    if not youth:
        return _("%(closed)s; closed cases kept %(months)s months") % {"closed": closed, "months": rule.keep_months}
    if rule.until_age is None:
        return _("%(closed)s; a child took part: kept %(months)s months after closure") % {
            "closed": closed,
            "months": rule.keep_months,
        }
    return _(
        "%(closed)s; a child took part: kept until the youngest is %(age)s and %(months)s months after closure"
    ) % {"closed": closed, "age": rule.until_age, "months": rule.keep_months}


def _held_case_ids(service_ids: Sequence[int]) -> set[int]:
    return set(
        LegalHold.objects.filter(lifted_at__isnull=True, case__service_id__in=service_ids).values_list(
            "case_id", flat=True
        )
    )


def _births_by_case(case_ids: Sequence[int]) -> dict[int, list[datetime.date | None]]:
    births: dict[int, list[datetime.date | None]] = defaultdict(list)
    if not case_ids:
        return births
    # The dates of birth are encrypted: read and compared here, never in SQL.
    for case_id, birth in Participant.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "person__date_of_birth"
    ):
        births[case_id].append(birth)
    return births


def _add(found: Found, record: DueRecord, *, held: bool) -> None:
    (found.held if held else found.due).append(record)


# No narrowing: every record of the services (a record's own pk narrows a re-check to it).
EVERY = Q()


def _find_cases(
    today: datetime.date,
    services: dict[int, Service],
    rules: dict[int, dict[RecordType, Rule]],
    held: set[int],
    only: Q = EVERY,
) -> Found:
    found = Found()
    within = Q(pk__in=[])
    for service_id, kinds in rules.items():
        shortest = min(kinds[RecordType.CLOSED_CASE].keep_months, kinds[RecordType.YOUTH_CASE].keep_months)
        within |= Q(service_id=service_id, closed_at__date__lte=_cutoff(today, shortest))
    cases = list(
        Case.objects.filter(within, only, state=State.CLOSED, closed_at__isnull=False, anonymised_at__isnull=True)
        .only("pk", "service_id", "reference", "sensitivity_flags", "closed_at")
        .order_by("closed_at", "pk")
    )
    youth_ids = [case.pk for case in cases if SensitivityFlag.CHILD_PARTICIPANT.value in case.sensitivity_flags]
    births = _births_by_case(youth_ids)
    for case in cases:
        assert case.closed_at is not None  # noqa: S101 - filtered above
        closed_on = timezone.localdate(case.closed_at)
        youth = SensitivityFlag.CHILD_PARTICIPANT.value in case.sensitivity_flags
        kind = RecordType.YOUTH_CASE if youth else RecordType.CLOSED_CASE
        rule = rules[case.service_id][kind]
        due_on = youth_case_due_on(closed_on, rule, births[case.pk]) if youth else case_due_on(closed_on, rule)
        if due_on > today:
            continue
        record = DueRecord(
            kind=kind,
            service_id=case.service_id,
            service_name=services[case.service_id].name,
            record_id=case.pk,
            reference=case.reference,
            due_on=due_on,
            why=_case_why(closed_on, rule, youth=youth),
        )
        _add(found, record, held=case.pk in held)
    return found


def _find_referrals(
    today: datetime.date, services: dict[int, Service], rules: dict[int, dict[RecordType, Rule]], only: Q = EVERY
) -> list[DueRecord]:
    within = Q(pk__in=[])
    for service_id, kinds in rules.items():
        cutoff = _cutoff(today, kinds[RecordType.REFERRAL_NOT_TAKEN_ON].keep_months)
        within |= Q(service_id=service_id, decided_at__date__lte=cutoff)
    referrals = (
        Referral.objects.filter(
            within,
            only,
            decision__in=[decision.value for decision in NOT_TAKEN_ON],
            case__isnull=True,
            decided_at__isnull=False,
            anonymised_at__isnull=True,
        )
        .only("pk", "service_id", "decision", "decided_at")
        .order_by("decided_at", "pk")
    )
    due = []
    for referral in referrals:
        assert referral.decided_at is not None  # noqa: S101 - filtered above
        decided_on = timezone.localdate(referral.decided_at)
        rule = rules[referral.service_id][RecordType.REFERRAL_NOT_TAKEN_ON]
        due_on = referral_due_on(decided_on, rule)
        if due_on > today:
            continue
        decided = (
            _("declined %(day)s") if referral.decision == TriageDecision.DECLINED else _("redirected %(day)s")
        ) % {"day": _iso(decided_on)}
        due.append(
            DueRecord(
                kind=RecordType.REFERRAL_NOT_TAKEN_ON,
                service_id=referral.service_id,
                service_name=services[referral.service_id].name,
                record_id=referral.pk,
                reference=_("referral %(number)s") % {"number": referral.pk},
                due_on=due_on,
                why=_("%(decided)s; referrals not taken on kept %(months)s months")
                % {"decided": decided, "months": rule.keep_months},
            )
        )
    return due


def _find_complaints(
    today: datetime.date,
    services: dict[int, Service],
    rules: dict[int, dict[RecordType, Rule]],
    held: set[int],
    only: Q = EVERY,
) -> Found:
    found = Found()
    within = Q(pk__in=[])
    for service_id, kinds in rules.items():
        cutoff = _cutoff(today, kinds[RecordType.COMPLAINT].keep_months)
        within |= Q(service_id=service_id) & (
            Q(kind=ComplaintKind.COMPLAINT, responded_on__lte=cutoff)
            | (~Q(kind=ComplaintKind.COMPLAINT) & Q(received_on__lte=cutoff))
        )
    complaints = (
        Complaint.objects.filter(within, only, anonymised_at__isnull=True)
        .only("pk", "service_id", "kind", "received_on", "responded_on", "case_id")
        .order_by("received_on", "pk")
    )
    for complaint in complaints:
        rule = rules[complaint.service_id][RecordType.COMPLAINT]
        due_on = complaint_due_on(complaint, rule)
        if due_on is None or due_on > today:
            continue
        if complaint.kind == ComplaintKind.COMPLAINT:
            assert complaint.responded_on is not None  # noqa: S101 - a complaint is due only once answered
            why = _("answered %(day)s; complaints kept %(months)s months") % {
                "day": _iso(complaint.responded_on),
                "months": rule.keep_months,
            }
        else:
            why = _("received %(day)s; compliments and other feedback kept %(months)s months") % {
                "day": _iso(complaint.received_on),
                "months": rule.keep_months,
            }
        record = DueRecord(
            kind=RecordType.COMPLAINT,
            service_id=complaint.service_id,
            service_name=services[complaint.service_id].name,
            record_id=complaint.pk,
            reference=_("complaint %(number)s") % {"number": complaint.pk},
            due_on=due_on,
            why=why,
        )
        # A complaint about a case under a legal hold is kept with the case.
        _add(found, record, held=complaint.case_id is not None and complaint.case_id in held)
    return found


def find_due(today: datetime.date, *, service: Service | None = None) -> Found:
    """Every record due to be anonymised by today, in one service or in all, and those held by a legal hold; in a
    fixed number of queries. Nothing is changed."""
    chosen = [service] if service is not None else list(Service.objects.order_by("name", "pk"))
    services = {item.pk: item for item in chosen}
    rules = rules_by_service(services)
    held = _held_case_ids(list(services))
    cases = _find_cases(today, services, rules, held)
    complaints = _find_complaints(today, services, rules, held)
    found = Found(
        due=[*cases.due, *_find_referrals(today, services, rules), *complaints.due],
        held=[*cases.held, *complaints.held],
    )

    def order(record: DueRecord) -> tuple[int, str, datetime.date, int]:
        return (ORDER.index(record.kind), record.service_name, record.due_on, record.record_id)

    found.due.sort(key=order)
    found.held.sort(key=order)
    return found


@dataclass(frozen=True)
class ScheduleRow:
    """One kind of record on a service's schedule: its rule, and how many records are due now and held."""

    record_type: RecordType
    rule: Rule
    due: int
    held: int


def schedule_of(service: Service, today: datetime.date) -> list[ScheduleRow]:
    found = find_due(today, service=service)
    rules = rules_for(service)
    return [ScheduleRow(kind, rules[kind], found.count(kind), found.count(kind, held=True)) for kind in ORDER]


# --- Changing a rule --------------------------------------------------------------------------------------------


def _require_manager(actor: User, service: Service) -> None:
    if not can(actor, Capability.MANAGE_DATA_PROTECTION, service):
        raise NotPermittedError(
            _("Only a coordinator or an administrator of the service changes its retention schedule.")
        )


def _rule_changes(before: Rule, after: Rule) -> dict[str, Any]:
    return {
        "record_type": after.record_type.value,
        "keep_months": {"before": before.keep_months, "after": after.keep_months},
        "until_age": {"before": before.until_age, "after": after.until_age},
        "own": {"before": before.own, "after": after.own},
    }


@transaction.atomic
def save_retention_rule(
    *,
    service: Service,
    actor: User,
    record_type: RecordType | str,
    keep_months: int,
    until_age: int | None = None,
) -> RetentionRule:
    """Set the service's own rule for one kind of record, in place of the default."""
    _require_manager(actor, service)
    if record_type not in RecordType.values:
        raise DomainError(_("Choose a kind of record."), field="record_type")
    kind = RecordType(record_type)
    if not KEEP_MONTHS_MIN <= keep_months <= KEEP_MONTHS_MAX:
        raise DomainError(
            _("Keep them for between %(least)s and %(most)s months.")
            % {"least": KEEP_MONTHS_MIN, "most": KEEP_MONTHS_MAX},
            field="keep_months",
        )
    if until_age is not None:
        if kind != RecordType.YOUTH_CASE:
            raise DomainError(_("Only cases in which a child took part are kept until an age."), field="until_age")
        if not UNTIL_AGE_MIN <= until_age <= UNTIL_AGE_MAX:
            raise DomainError(
                _("Give an age between %(least)s and %(most)s.") % {"least": UNTIL_AGE_MIN, "most": UNTIL_AGE_MAX},
                field="until_age",
            )
    saved = RetentionRule.objects.select_for_update().filter(service=service, record_type=kind).first()
    before = _rule_of(kind, saved)
    if saved is None:
        saved = RetentionRule(service=service, record_type=kind)
    saved.keep_months, saved.until_age, saved.changed_by = keep_months, until_age, actor
    saved.save()
    record_event(
        action=AuditAction.RETENTION_RULE_SAVED,
        actor=actor,
        target=saved,
        service=service,
        changes=_rule_changes(before, _rule_of(kind, saved)),
    )
    return saved


@transaction.atomic
def use_default_rule(*, service: Service, actor: User, record_type: RecordType | str) -> Rule:
    """Go back to the default rule for one kind of record (removing the service's own)."""
    _require_manager(actor, service)
    if record_type not in RecordType.values:
        raise DomainError(_("Choose a kind of record."), field="record_type")
    kind = RecordType(record_type)
    saved = RetentionRule.objects.select_for_update().filter(service=service, record_type=kind).first()
    default = default_rule(kind)
    if saved is None:
        return default
    before = _rule_of(kind, saved)
    saved.delete()
    record_event(
        action=AuditAction.RETENTION_RULE_SAVED,
        actor=actor,
        target=None,
        service=service,
        changes=_rule_changes(before, default),
    )
    return default


# --- Applying the schedule --------------------------------------------------------------------------------------


def _still_due(record: DueRecord, today: datetime.date) -> bool:
    """Whether a record found due is due still, by the rules as they are now: its case may have been reopened, its
    service's rule lengthened or a legal hold placed since the run found it. Called with the record's row locked."""
    services = {record.service_id: Service.objects.get(pk=record.service_id)}
    rules = rules_by_service(services)
    only = Q(pk=record.record_id)
    if record.kind == RecordType.REFERRAL_NOT_TAKEN_ON:
        return bool(_find_referrals(today, services, rules, only))
    held = _held_case_ids(list(services))
    if record.kind == RecordType.COMPLAINT:
        return bool(_find_complaints(today, services, rules, held, only).due)
    return bool(_find_cases(today, services, rules, held, only).due)


def anonymise_due(record: DueRecord, today: datetime.date, actor: User | None = None) -> bool:
    """Anonymise one record a run found due, through the erasure engine, if it is still due once its row is locked;
    False when it was gone, already anonymised, no longer due, or a rule refused."""
    with transaction.atomic():
        if record.kind in (RecordType.CLOSED_CASE, RecordType.YOUTH_CASE):
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("service")
                .filter(pk=record.record_id)
                .first()
            )
            if case is None or not _still_due(record, today):
                return False
            erasure.anonymise_case(case=case, actor=actor)
        elif record.kind == RecordType.REFERRAL_NOT_TAKEN_ON:
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .select_related("service")
                .filter(pk=record.record_id)
                .first()
            )
            if referral is None or not _still_due(record, today):
                return False
            erasure.anonymise_referral(referral=referral, actor=actor)
        else:
            complaint = (
                Complaint.objects.select_for_update(of=("self",))
                .select_related("service")
                .filter(pk=record.record_id)
                .first()
            )
            if complaint is None:
                return False
            # A legal hold is placed with its case locked: lock it too, so a hold placed meanwhile is seen.
            if complaint.case_id is not None:
                list(Case.objects.select_for_update().filter(pk=complaint.case_id).values_list("pk", flat=True))
            if not _still_due(record, today):
                return False
            erasure.anonymise_complaint(complaint=complaint, actor=actor)
    return True


def empty_counts() -> dict[str, int]:
    return {**{kind.value: 0 for kind in ORDER}, "held": 0}


def apply(today: datetime.date, actor: User | None = None) -> RetentionRun:
    """Anonymise every record due by today, in every service, and record the run with how many of each kind it
    anonymised and how many it held (in all, and per service). Each record is anonymised in its own transaction,
    so one refused leaves the others done. A run stopped by an error keeps the counts of what it did, and no
    finishing time (its page says it did not finish)."""
    run = RetentionRun.objects.create()
    found = find_due(today)
    totals = empty_counts()
    by_service: dict[str, dict[str, int]] = {}

    def count(record: DueRecord, key: str) -> None:
        totals[key] += 1
        by_service.setdefault(str(record.service_id), empty_counts())[key] += 1

    for record in found.held:
        count(record, "held")
    finished = False
    try:
        for record in found.due:
            try:
                done = anonymise_due(record, today, actor)
            except DomainError:
                # A rule refused it (a hold placed since it was found): kept, and tried again on the next run.
                logger.warning("Retention: %s %s was refused", record.kind.value, record.record_id)
                done = False
            if done:
                count(record, record.kind.value)
        finished = True
    finally:
        run.counts = {**totals, "services": by_service}
        run.finished_at = timezone.now() if finished else None
        run.save(update_fields=["counts", "finished_at"])
    return run


def run_counts(run: RetentionRun, service: Service) -> dict[str, int]:
    """The counts of one run for one service (nothing when the run found nothing of the service's)."""
    services = run.counts.get("services", {}) if isinstance(run.counts, dict) else {}
    return {**empty_counts(), **services.get(str(service.pk), {})}


def recent_runs(limit: int = 30) -> list[RetentionRun]:
    return list(RetentionRun.objects.order_by("-started_at", "-pk")[:limit])
