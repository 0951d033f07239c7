"""Every figure Amends reports, each defined once: what it counts, over which rows, for which period.

docs/figures.md is the data dictionary of this module: each figure there names its key here. The dashboards, the
exports, the commissioner's return and the RJC dataset all read the figures through `compute`, so the numbers are
the same everywhere. Each figure is one or two SQL aggregate queries; nothing loops over rows in Python.
"""

import datetime
import enum
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import (
    CPD_HOURS_TARGET,
    SUPERVISION_DUE_AFTER,
    CPDRecord,
    FacilitatorRecord,
    Membership,
    Role,
    SupervisionSession,
)
from amends.cases.models import INDIRECT_PROCESSES, VIRTUAL_PROCESSES, ClosureReason
from amends.cases.models import Case as CaseRecord
from amends.complaints.models import Complaint, ComplaintKind
from amends.complaints.models import Outcome as ComplaintOutcome
from amends.consent.models import ConsentKind, ConsentRecord, InformationGiven
from amends.figures import dimensions
from amends.figures.aggregates import DaysBetween, Percentile
from amends.figures.dimensions import Base, Dimension
from amends.figures.periods import Period
from amends.followup.models import Answer, FeedbackSurvey, ReoffendingCheck, Satisfaction
from amends.outcomes.models import ActionStatus, OutcomeAgreement
from amends.people.models import Language, Participant, ParticipantRole
from amends.referrals.models import Referral, TriageDecision
from amends.youth.models import DeclinedContribution, NotInvitedReason, ReferralOrder, VictimInvolvement

COMPLETED = (ClosureReason.COMPLETED_DIRECT, ClosureReason.COMPLETED_INDIRECT)
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.VERY_SATISFIED)


class Kind(enum.StrEnum):
    COUNT = "count"  # a number of things (suppressed when under 5 for commissioners)
    SHARE = "share"  # numerator over denominator, both counts of the same figure
    DAYS = "days"  # a median or percentile of days, over `base` values
    MEAN = "mean"  # an average over `base` values
    CHANGE = "change"  # the change from `denominator` to `numerator`, as a share of `denominator`
    RATE = "rate"  # `numerator` per one of `denominator`
    HOURS = "hours"  # a sum of hours (not a count of people)


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    kind: Kind = Kind.COUNT
    numerator: str | None = None
    denominator: str | None = None
    # The count of values behind a DAYS or MEAN measure: it is shown only when that count could be.
    base: str | None = None


@dataclass(frozen=True)
class Scope:
    """The services a figure is counted across (one, a partnership's, or all a commissioner funds)."""

    service_ids: tuple[int, ...]


# Every figure by its key, filled as each is defined (here and in dashboards.py): a kept dashboard (kept.py) is pickled
# with its figures' keys.
_DEFINED: dict[str, "Figure"] = {}


def figure_by_key(key: str) -> "Figure":
    return _DEFINED[key]


@dataclass(frozen=True)
class Figure:
    key: str
    title: Promise
    counts: Promise  # what one counted row is: a referral, a case, a person harmed...
    period_rule: Promise
    numerator: Promise
    denominator: Promise
    left_out: Promise
    base: Base
    measures: tuple[Measure, ...]
    rows: Callable[[Scope, Period], QuerySet[Any]]
    aggregates: Callable[[Period], dict[str, Any]]
    dimensions: frozenset[Dimension] = dimensions.CASE_DIMENSIONS
    # Counts that add up to another count of the same row: (the whole, its parts). Suppression uses them.
    partitions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Counts each inside the one before it (people offered RJ are among the people harmed): suppression hides an
    # inner count whose gap to an outer one is small, since the gap is itself a count of someone.
    chains: tuple[tuple[str, ...], ...] = ()
    # A chart of this measure is drawn on the dashboards (the first count when not given).
    chart: str | None = None

    def __post_init__(self) -> None:
        if _DEFINED.setdefault(self.key, self) is not self:
            raise ValueError(f"Two figures have the key {self.key}: a kept dashboard would read one as the other.")

    def __reduce__(self) -> tuple[Callable[[str], "Figure"], tuple[str]]:
        """Pickled by its key (its row and aggregate functions cannot be): the figure is found again in the code."""
        return figure_by_key, (self.key,)

    def measure(self, key: str) -> Measure:
        return next(measure for measure in self.measures if measure.key == key)

    @property
    def counted(self) -> tuple[Measure, ...]:
        """The measures that come straight from SQL (the others are worked out from them)."""
        return tuple(m for m in self.measures if m.kind in {Kind.COUNT, Kind.DAYS, Kind.MEAN, Kind.HOURS})


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, Any]
    # Measures hidden by suppression (see suppression.py); their values are never shown or exported.
    suppressed: set[str] = field(default_factory=set)

    def shown(self, key: str) -> Any:
        return None if key in self.suppressed else self.values.get(key)


@dataclass
class FigureTable:
    figure: Figure
    dimension: Dimension
    period: Period
    rows: list[Row]
    total: Row
    suppressed: bool = False  # whether the commissioner's suppression was applied

    @property
    def measures(self) -> tuple[Measure, ...]:
        return self.figure.measures


# Helpers for the definitions ---------------------------------------------------------------------------------------


def _in(period: Period, path: str) -> Q:
    """The rows whose date field falls in the period."""
    return Q(**{f"{path}__range": (period.start, period.end)})


def _moment_in(period: Period, path: str) -> Q:
    """The rows whose moment falls in the period, by the day in England and Wales."""
    start, end = period.bounds()
    return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def _services(scope: Scope, base: Base) -> Q:
    return Q(**{f"{base.service}__in": scope.service_ids})


def _count(condition: Q | None = None, field_name: str = "pk", *, distinct: bool = False) -> Count:
    return Count(field_name, filter=condition, distinct=distinct)


def _share(key: str, label: Promise, numerator: str, denominator: str) -> Measure:
    return Measure(key, label, Kind.SHARE, numerator=numerator, denominator=denominator)


def _local_day(path: str) -> TruncDate:
    return TruncDate(path, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


# The figures -------------------------------------------------------------------------------------------------------

REFERRALS = Figure(
    key="referrals",
    title=_("Referrals received"),
    counts=_("Referrals"),
    period_rule=_("By the date the referral was received."),
    numerator=_("Referrals received in the period, and their triage decision so far."),
    denominator=_("None: these are counts."),
    left_out=_("Nothing: declined, redirected and untriaged referrals are all counted."),
    base=dimensions.REFERRAL_BASE,
    measures=(
        Measure("received", _("Received")),
        Measure("accepted", _("Accepted")),
        Measure("declined", _("Declined")),
        Measure("redirected", _("Redirected")),
        Measure("awaiting", _("Awaiting triage")),
    ),
    rows=lambda scope, period: Referral.objects.filter(
        _services(scope, dimensions.REFERRAL_BASE), _in(period, "received_on")
    ),
    aggregates=lambda period: {
        "received": _count(),
        "accepted": _count(Q(decision=TriageDecision.ACCEPTED)),
        "declined": _count(Q(decision=TriageDecision.DECLINED)),
        "redirected": _count(Q(decision=TriageDecision.REDIRECTED)),
        "awaiting": _count(Q(decision=TriageDecision.AWAITING)),
    },
    partitions=(("received", ("accepted", "declined", "redirected", "awaiting")),),
    chains=(("received", "accepted"),),
)

VICTIMS_CODE = Figure(
    key="victims_code",
    title=_("People harmed told about RJ, and within the Victims' Code clock"),
    counts=_("Referrals"),
    period_rule=_("By the date the referral was received."),
    numerator=_(
        "Referrals whose person harmed was told about RJ; of those with a date reported to the police, the ones told "
        "within right 3's clock (5 working days from reporting, 1 with enhanced rights)."
    ),
    denominator=_(
        "Referrals received, for the share told; referrals told with a known report date, for the share in time."
    ),
    left_out=_("From the share in time: referrals with no date reported to the police (the clock cannot start)."),
    base=dimensions.REFERRAL_BASE,
    measures=(
        Measure("referrals", _("Referrals")),
        Measure("told", _("Person harmed told about RJ")),
        _share("told_share", _("Share told"), "told", "referrals"),
        Measure("clocked", _("Told, with a date reported")),
        Measure("in_time", _("Told within the clock")),
        _share("in_time_share", _("Share told within the clock"), "in_time", "clocked"),
    ),
    rows=lambda scope, period: Referral.objects.filter(
        _services(scope, dimensions.REFERRAL_BASE), _in(period, "received_on")
    ),
    aggregates=lambda period: {
        "referrals": _count(),
        "told": _count(Q(victim_told_about_rj_on__isnull=False)),
        "clocked": _count(Q(victim_told_about_rj_on__isnull=False, right_3_due_on__isnull=False)),
        "in_time": _count(Q(victim_told_about_rj_on__lte=F("right_3_due_on"))),
    },
    chains=(("referrals", "told", "clocked", "in_time"),),
    chart="told",
)


def _people_harmed(scope: Scope, period: Period) -> QuerySet[Participant]:
    offered = InformationGiven.objects.filter(participant=OuterRef("pk"))
    accepted = ConsentRecord.objects.filter(participant=OuterRef("pk"), kind=ConsentKind.GIVEN)
    return Participant.objects.filter(
        _services(scope, dimensions.PARTICIPANT_BASE),
        _in(period, "case__referral__received_on"),
        role=ParticipantRole.PERSON_HARMED,
    ).annotate(was_offered=Exists(offered), consented=Exists(accepted))


OFFERED = Figure(
    key="offered",
    title=_("People harmed offered RJ, and accepting it"),
    counts=_("People harmed, once for each case they are in"),
    period_rule=_("By the date the case's referral was received."),
    numerator=_(
        "Offered: the service recorded giving them information about RJ. Accepting: they gave consent at least once."
    ),
    denominator=_("People harmed in the cases referred in the period."),
    left_out=_("People responsible, supporters and others taking part; referrals that were not accepted."),
    base=dimensions.PARTICIPANT_BASE,
    measures=(
        Measure("people", _("People harmed")),
        Measure("offered", _("Offered RJ")),
        _share("offered_share", _("Share offered"), "offered", "people"),
        Measure("accepted", _("Accepting RJ")),
        _share("accepted_share", _("Share of those offered accepting"), "accepted", "offered"),
    ),
    rows=_people_harmed,
    aggregates=lambda period: {
        "people": _count(),
        "offered": _count(Q(was_offered=True)),
        "accepted": _count(Q(was_offered=True, consented=True)),
    },
    chains=(("people", "offered", "accepted"),),
    dimensions=dimensions.CASE_DIMENSIONS,
)


class Step(enum.IntEnum):
    """How far a referral got, for the funnel."""

    RECEIVED = 0
    ACCEPTED = 1
    CONTACTED = 2
    SUITABLE = 3
    PROCESS = 4
    COMPLETED = 5


STEP_LABELS = {
    Step.RECEIVED: _("Referred"),
    Step.ACCEPTED: _("Accepted"),
    Step.CONTACTED: _("Contact made"),
    Step.SUITABLE: _("Assessed as suitable"),
    Step.PROCESS: _("Process held"),
    Step.COMPLETED: _("Completed"),
}
STEP_CONDITIONS = {
    Step.RECEIVED: Q(),
    Step.ACCEPTED: Q(case__isnull=False),
    Step.CONTACTED: Q(case__first_contact_at__isnull=False),
    Step.SUITABLE: Q(case__suitable_at__isnull=False),
    Step.PROCESS: Q(case__process_started_at__isnull=False),
    Step.COMPLETED: Q(case__closure_reason__in=COMPLETED),
}

FUNNEL = Figure(
    key="funnel",
    title=_("From referral to completed process"),
    counts=_("Referrals (and the case each became)"),
    period_rule=_("By the date the referral was received: the same referrals are followed through every step."),
    numerator=_(
        "The referrals that reached each step: accepted at triage; first successful contact with anyone in the case; "
        "risk assessment signed off as suitable; the process (meeting held or indirect process started); closed as "
        "completed."
    ),
    denominator=_("Referrals received in the period."),
    left_out=_("Nothing; a case reopened after closing counts once, at the furthest step it reached."),
    base=dimensions.REFERRAL_BASE,
    measures=(
        *(Measure(f"step_{step.value}", STEP_LABELS[step]) for step in Step),
        _share("completed_share", _("Share completed"), f"step_{Step.COMPLETED.value}", "step_0"),
    ),
    rows=lambda scope, period: Referral.objects.filter(
        _services(scope, dimensions.REFERRAL_BASE), _in(period, "received_on")
    ),
    aggregates=lambda period: {f"step_{step.value}": _count(STEP_CONDITIONS[step]) for step in Step},
    chains=(tuple(f"step_{step.value}" for step in Step),),
)


def _furthest_step() -> Case:
    whens = [When(STEP_CONDITIONS[step], then=Value(step.value)) for step in reversed(Step) if step != Step.RECEIVED]
    return Case(*whens, default=Value(Step.RECEIVED.value), output_field=IntegerField())


def _stop_reason() -> Case:
    return Case(
        When(decision=TriageDecision.DECLINED, then=Value("declined")),
        When(decision=TriageDecision.REDIRECTED, then=Value("redirected")),
        When(decision=TriageDecision.AWAITING, then=Value("awaiting")),
        When(case__closure_reason="", then=Value("open")),
        default=F("case__closure_reason"),
    )


def stops(scope: Scope, period: Period) -> list[tuple[int, str, int]]:
    """Why referrals stopped where they did: (furthest step, reason, referrals), one SQL query. The reason is the
    triage decision for those not accepted, the closure reason for closed cases, and "open" for cases still open."""
    rows = (
        FUNNEL.rows(scope, period)
        .annotate(step=_furthest_step(), reason=_stop_reason())
        .values("step", "reason")
        .annotate(referrals=Count("pk"))
        .order_by("step", "reason")
    )
    return [(row["step"], row["reason"], row["referrals"]) for row in rows]


PROCESSES = Figure(
    key="processes",
    title=_("Processes held"),
    counts=_("Processes: one for each case"),
    period_rule=_("By the date the process started (the case first moved to 'process under way')."),
    numerator=_("Cases whose process started in the period, by kind: direct (meeting), indirect and virtual."),
    denominator=_("None: these are counts."),
    left_out=_("Preparation meetings, which are not a process; a case counts once even if its process restarted."),
    base=dimensions.CASE_BASE,
    measures=(
        Measure("processes", _("Processes")),
        Measure("direct", _("Direct (the parties meet)")),
        Measure("indirect", _("Indirect")),
        Measure("virtual", _("Of the direct, virtual")),
        Measure("completed", _("Completed so far")),
    ),
    rows=lambda scope, period: CaseRecord.objects.filter(
        _services(scope, dimensions.CASE_BASE), _moment_in(period, "process_started_at")
    ),
    aggregates=lambda period: {
        "processes": _count(),
        "direct": _count(~Q(process_kind__in=INDIRECT_PROCESSES)),
        "indirect": _count(Q(process_kind__in=INDIRECT_PROCESSES)),
        "virtual": _count(Q(process_kind__in=VIRTUAL_PROCESSES)),
        "completed": _count(Q(closure_reason__in=COMPLETED)),
    },
    partitions=(("processes", ("direct", "indirect")),),
    chains=(("processes", "direct", "virtual"), ("processes", "completed")),
)

AGREEMENTS = Figure(
    key="agreements",
    title=_("Outcome agreements and their actions"),
    counts=_("Outcome agreements, and the actions agreed in them"),
    period_rule=_("By the date the agreement was made."),
    numerator=_("Actions completed (verified), not completed, still open, and withdrawn."),
    denominator=_("For the share completed: actions completed or not completed (open and withdrawn are left out)."),
    left_out=_("From the share completed: actions still open and actions withdrawn."),
    base=dimensions.AGREEMENT_BASE,
    measures=(
        Measure("agreements", _("Agreements made")),
        Measure("actions_agreed", _("Actions agreed")),
        Measure("completed", _("Completed")),
        Measure("not_completed", _("Not completed")),
        Measure("open", _("Still open")),
        Measure("withdrawn", _("Withdrawn")),
        Measure("resolved", _("Completed or not")),
        _share("completed_share", _("Share completed"), "completed", "resolved"),
    ),
    rows=lambda scope, period: OutcomeAgreement.objects.filter(
        _services(scope, dimensions.AGREEMENT_BASE), _in(period, "made_on")
    ),
    aggregates=lambda period: {
        "agreements": _count(distinct=True),
        "actions_agreed": _count(Q(actions__isnull=False), "actions"),
        "completed": _count(Q(actions__status=ActionStatus.COMPLETED), "actions"),
        "not_completed": _count(Q(actions__status=ActionStatus.NOT_COMPLETED), "actions"),
        "open": _count(Q(actions__status=ActionStatus.OPEN), "actions"),
        "withdrawn": _count(Q(actions__status=ActionStatus.WITHDRAWN), "actions"),
        "resolved": _count(Q(actions__status__in=(ActionStatus.COMPLETED, ActionStatus.NOT_COMPLETED)), "actions"),
    },
    partitions=(
        ("actions_agreed", ("completed", "not_completed", "open", "withdrawn")),
        ("resolved", ("completed", "not_completed")),
    ),
    chains=(("actions_agreed", "resolved", "completed"),),
)

# The three clocks of the timeliness figure: the moment each stops on, and the labels of its measures.
CLOCKS = (
    (
        "contact",
        "first_contact_at",
        (_("Cases reaching first contact"), _("Median days to first contact"), _("90th percentile, first contact")),
    ),
    (
        "process",
        "process_started_at",
        (_("Cases reaching the process"), _("Median days to the process"), _("90th percentile, the process")),
    ),
    (
        "closure",
        "closed_at",
        (_("Cases closed"), _("Median days to closure"), _("90th percentile, closure")),
    ),
)


def _timeliness_aggregates(period: Period) -> dict[str, Any]:
    aggregates: dict[str, Any] = {}
    for key, moment, _labels in CLOCKS:
        days = DaysBetween(F("referral__received_on"), _local_day(moment))
        ended = _moment_in(period, moment)
        aggregates[f"{key}_cases"] = _count(ended)
        aggregates[f"{key}_median"] = Percentile(days, 0.5, filter=ended)
        aggregates[f"{key}_p90"] = Percentile(days, 0.9, filter=ended)
    return aggregates


TIMELINESS = Figure(
    key="timeliness",
    title=_("Days from referral"),
    counts=_("Cases"),
    period_rule=_(
        "Each clock by the day it stopped: first contact made, process started, or case closed in the period."
    ),
    numerator=_(
        "Calendar days from the date the referral was received to the day of first successful contact, to the day "
        "the process started, and to the day the case closed: the median and the 90th percentile (interpolated)."
    ),
    denominator=_("Cases whose clock stopped in the period."),
    left_out=_("Cases whose clock has not stopped; referrals that were not accepted."),
    base=dimensions.CASE_BASE,
    measures=tuple(
        measure
        for key, _moment, (cases, median, p90) in CLOCKS
        for measure in (
            Measure(f"{key}_cases", cases),
            Measure(f"{key}_median", median, Kind.DAYS, base=f"{key}_cases"),
            Measure(f"{key}_p90", p90, Kind.DAYS, base=f"{key}_cases"),
        )
    ),
    rows=lambda scope, period: CaseRecord.objects.filter(
        _services(scope, dimensions.CASE_BASE),
        _moment_in(period, "first_contact_at")
        | _moment_in(period, "process_started_at")
        | _moment_in(period, "closed_at"),
    ),
    aggregates=_timeliness_aggregates,
    chart="contact_median",
)


def _answered(name: str) -> Q:
    return ~Q(**{name: ""})


# The yes-or-no questions the feedback figure reports: (field, labels of those answering, saying yes, the share).
YES_QUESTIONS = (
    (
        "would_recommend",
        (_("Answered: would recommend"), _("Would recommend it"), _("Share who would recommend it")),
    ),
    ("felt_safe", (_("Answered: felt safe"), _("Felt safe"), _("Share who felt safe"))),
    ("felt_better", (_("Answered: felt better"), _("Felt better"), _("Share who felt better"))),
    (
        "better_able_to_cope",
        (_("Answered: better able to cope"), _("Better able to cope"), _("Share better able to cope")),
    ),
    (
        "better_able_to_recover",
        (_("Answered: better able to recover"), _("Better able to recover"), _("Share better able to recover")),
    ),
)


def _feedback_aggregates(period: Period) -> dict[str, Any]:
    both_fears = Q(fear_before__isnull=False, fear_after__isnull=False)
    aggregates: dict[str, Any] = {
        "surveys": _count(),
        "satisfaction_answered": _count(Q(satisfaction__isnull=False)),
        "satisfied": _count(Q(satisfaction__in=SATISFIED)),
        "fear_answered": _count(both_fears),
        "fear_before_mean": Avg("fear_before", filter=both_fears),
        "fear_after_mean": Avg("fear_after", filter=both_fears),
    }
    for name, _labels in YES_QUESTIONS:
        aggregates[f"{name}_answered"] = _count(_answered(name))
        aggregates[f"{name}_yes"] = _count(Q(**{name: Answer.YES}))
    return aggregates


FEEDBACK = Figure(
    key="feedback",
    title=_("What participants said"),
    counts=_("Feedback surveys: one for each participant and case"),
    period_rule=_("By the date the survey was taken."),
    numerator=_(
        "Satisfied: 'satisfied' or 'very satisfied'. Each yes-or-no question: the people who answered yes. Fear: "
        "the average on the 0 to 10 scale before and after, of those who answered both."
    ),
    denominator=_("For each share, the people who answered that question ('not sure' counts as an answer)."),
    left_out=_("From each share, the people who did not answer that question."),
    base=dimensions.CASE_PARTICIPANT_BASE,
    measures=(
        Measure("surveys", _("Surveys")),
        Measure("satisfaction_answered", _("Answered satisfaction")),
        Measure("satisfied", _("Satisfied or very satisfied")),
        _share("satisfied_share", _("Share satisfied"), "satisfied", "satisfaction_answered"),
        *(
            measure
            for name, (answered, yes, share) in YES_QUESTIONS
            for measure in (
                Measure(f"{name}_answered", answered),
                Measure(f"{name}_yes", yes),
                _share(f"{name}_share", share, f"{name}_yes", f"{name}_answered"),
            )
        ),
        Measure("fear_answered", _("Answered fear before and after")),
        Measure("fear_before_mean", _("Average fear before (0 to 10)"), Kind.MEAN, base="fear_answered"),
        Measure("fear_after_mean", _("Average fear after (0 to 10)"), Kind.MEAN, base="fear_answered"),
    ),
    rows=lambda scope, period: FeedbackSurvey.objects.filter(
        _services(scope, dimensions.CASE_PARTICIPANT_BASE), _in(period, "taken_on")
    ),
    aggregates=_feedback_aggregates,
    chains=(
        ("surveys", "satisfaction_answered", "satisfied"),
        ("surveys", "fear_answered"),
        *(("surveys", f"{name}_answered", f"{name}_yes") for name, _labels in YES_QUESTIONS),
    ),
    dimensions=dimensions.PEOPLE_DIMENSIONS,
    chart="satisfied_share",
)


def _latest_reoffending_checks(scope: Scope, period: Period) -> QuerySet[ReoffendingCheck]:
    later = ReoffendingCheck.objects.filter(
        Q(checked_on__gt=OuterRef("checked_on")) | Q(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk")),
        participant=OuterRef("participant"),
        offences_after__isnull=False,
    )
    return ReoffendingCheck.objects.filter(
        _services(scope, dimensions.CASE_PARTICIPANT_BASE),
        _in(period, "process_on"),
        offences_after__isnull=False,
    ).exclude(Exists(later))


REOFFENDING = Figure(
    key="reoffending",
    title=_("Reoffending before and after"),
    counts=_("People responsible with a check after 12 months"),
    period_rule=_("By the date of the process."),
    numerator=_(
        "Proven offences in the 12 months after the process, against the 12 months before, from each person's "
        "latest check. Frequency: offences per person. Change: (after minus before) over before."
    ),
    denominator=_("People responsible checked after 12 months."),
    left_out=_("People not yet checked after 12 months; earlier checks of the same person."),
    base=dimensions.CASE_PARTICIPANT_BASE,
    measures=(
        Measure("people", _("People checked")),
        Measure("before", _("Offences in the 12 months before")),
        Measure("after", _("Offences in the 12 months after")),
        Measure(
            "frequency_before", _("Offences per person before"), Kind.RATE, numerator="before", denominator="people"
        ),
        Measure("frequency_after", _("Offences per person after"), Kind.RATE, numerator="after", denominator="people"),
        Measure("change", _("Change in frequency"), Kind.CHANGE, numerator="after", denominator="before"),
    ),
    rows=_latest_reoffending_checks,
    aggregates=lambda period: {
        "people": _count(),
        "before": Coalesce(Sum("offences_before"), 0),
        "after": Coalesce(Sum("offences_after"), 0),
    },
    dimensions=dimensions.PEOPLE_DIMENSIONS,
    chart="frequency_after",
)


def facilitators_on_last_day(scope: Scope, period: Period) -> QuerySet[Membership]:
    """The facilitator roles held in the services on the period's last day, by people still active."""
    _start, end_moment = period.bounds()
    return Membership.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=end_moment),
        service_id__in=scope.service_ids,
        role=Role.FACILITATOR,
        created_at__lt=end_moment,
        user__is_active=True,
    )


def _practitioners(scope: Scope, period: Period) -> QuerySet[Membership]:
    end = period.end
    supervised = SupervisionSession.objects.filter(
        record__user=OuterRef("user"), held_on__gt=end - SUPERVISION_DUE_AFTER, held_on__lte=end
    )
    cpd_hours = (
        CPDRecord.objects.filter(
            record__user=OuterRef("user"), completed_on__gt=end - datetime.timedelta(days=365), completed_on__lte=end
        )
        .values("record")
        .annotate(total=Sum("hours"))
        .values("total")[:1]
    )
    target = Case(
        *(
            When(user__facilitator_record__rjc_level=level, then=Value(hours))
            for level, hours in CPD_HOURS_TARGET.items()
        ),
        default=None,
        output_field=IntegerField(),
    )
    registered = FacilitatorRecord.objects.filter(user=OuterRef("user")).exclude(registration_number="")
    registered = registered.filter(Q(registration_expires_on__isnull=True) | Q(registration_expires_on__gte=end))
    return facilitators_on_last_day(scope, period).annotate(
        is_supervised=Exists(supervised),
        cpd=Coalesce(Subquery(cpd_hours, output_field=DecimalField()), Value(Decimal(0))),
        cpd_target=target,
        is_registered=Exists(registered),
    )


PRACTITIONERS = Figure(
    key="practitioners",
    title=_("Practitioners: supervision, CPD and RJC registration"),
    counts=_("Facilitators, once each"),
    period_rule=_("As things stood on the last day of the period."),
    numerator=_(
        "Supervised: a supervision session in the 12 weeks to the last day. CPD: the hours in the 12 months to the "
        "last day reach the target for their RJC level. Registered: an RJC registration number, not expired."
    ),
    denominator=_("Facilitators in the service on the last day of the period."),
    left_out=_("Coordinators and supervisors who do not hold a facilitator role; people no longer active."),
    base=Base(case="", referral="", service="service_id"),
    measures=(
        Measure("practitioners", _("Facilitators")),
        Measure("supervised", _("Supervision in date")),
        _share("supervised_share", _("Share supervised"), "supervised", "practitioners"),
        Measure("cpd_met", _("CPD target met")),
        _share("cpd_share", _("Share meeting the CPD target"), "cpd_met", "practitioners"),
        Measure("registered", _("RJC registered")),
        _share("registered_share", _("Share RJC registered"), "registered", "practitioners"),
    ),
    rows=_practitioners,
    aggregates=lambda period: {
        "practitioners": _count(None, "user", distinct=True),
        "supervised": _count(Q(is_supervised=True), "user", distinct=True),
        "cpd_met": _count(Q(cpd_target__isnull=False, cpd__gte=F("cpd_target")), "user", distinct=True),
        "registered": _count(Q(is_registered=True), "user", distinct=True),
    },
    dimensions=frozenset({Dimension.NONE, Dimension.SERVICE}),
    chains=(("practitioners", "supervised"), ("practitioners", "cpd_met"), ("practitioners", "registered")),
    chart="supervised_share",
)

WELSH = Figure(
    key="welsh",
    title=_("Welsh-language requests"),
    counts=_("Participants, once for each case they are in"),
    period_rule=_("By the date the case's referral was received."),
    numerator=_("Participants who asked for Welsh, or for Welsh and English together."),
    denominator=_("Participants who were asked their language."),
    left_out=_("From the share: participants not yet asked."),
    base=dimensions.PARTICIPANT_BASE,
    measures=(
        Measure("participants", _("Participants")),
        Measure("asked", _("Asked their language")),
        Measure("welsh", _("Asked for Welsh")),
        _share("welsh_share", _("Share asking for Welsh"), "welsh", "asked"),
    ),
    rows=lambda scope, period: Participant.objects.filter(
        _services(scope, dimensions.PARTICIPANT_BASE), _in(period, "case__referral__received_on")
    ),
    aggregates=lambda period: {
        "participants": _count(),
        "asked": _count(~Q(person__correspondence_language=Language.UNKNOWN)),
        "welsh": _count(Q(person__correspondence_language__in=(Language.WELSH, Language.BOTH))),
    },
    dimensions=dimensions.PEOPLE_DIMENSIONS,
    chains=(("participants", "asked", "welsh"),),
    chart="welsh",
)

ORDER_BASE = Base(case="case__", referral="case__referral__", service="case__service_id")
NOT_INVITED_MEASURES = (
    (NotInvitedReason.NO_IDENTIFIABLE_VICTIM, "not_invited_no_victim", _("Not invited: no identifiable person harmed")),
    (
        NotInvitedReason.ASKED_NOT_TO_BE_CONTACTED,
        "not_invited_asked_not_to_be_contacted",
        _("Not invited: asked not to be contacted"),
    ),
    (NotInvitedReason.COULD_NOT_BE_CONTACTED, "not_invited_not_contactable", _("Not invited: could not be contacted")),
    (NotInvitedReason.NOT_SAFE_OR_SUITABLE, "not_invited_not_safe", _("Not invited: not safe or suitable")),
    (NotInvitedReason.OTHER, "not_invited_other", _("Not invited: another reason")),
)
DECLINED_MEASURES = (
    (DeclinedContribution.STATEMENT, "declined_statement", _("Declined: sending a statement")),
    (DeclinedContribution.OTHER_WAY, "declined_other_way", _("Declined: taking part another way")),
    (DeclinedContribution.NEITHER, "declined_neither", _("Declined: neither")),
)


def _involved(involvement: VictimInvolvement) -> Q:
    return Q(victim_involvement=involvement)


YOUTH_PANELS = Figure(
    key="youth_panels",
    title=_("The person harmed at referral-order panels"),
    counts=_("Referral orders: one for each case"),
    period_rule=_("By the date the order was made."),
    numerator=_(
        "Orders whose person harmed was invited (attending, declined to attend, or answer awaited) or not invited, "
        "with why not; of those who declined, whether they send a statement, take part another way, or neither."
    ),
    denominator=_("Orders with a decision, for the share invited."),
    left_out=_("From the share: orders with no decision yet."),
    base=ORDER_BASE,
    measures=(
        Measure("orders", _("Referral orders")),
        Measure("decided", _("Decided")),
        Measure("invited", _("Invited")),
        _share("invited_share", _("Share invited"), "invited", "decided"),
        Measure("attending", _("Invited and attending")),
        Measure("awaited", _("Invited, answer awaited")),
        Measure("declined", _("Invited and declined to attend")),
        *(Measure(key, label) for _choice, key, label in DECLINED_MEASURES),
        Measure("not_invited", _("Not invited")),
        *(Measure(key, label) for _reason, key, label in NOT_INVITED_MEASURES),
    ),
    rows=lambda scope, period: ReferralOrder.objects.filter(_services(scope, ORDER_BASE), _in(period, "made_on")),
    aggregates=lambda period: {
        "orders": _count(),
        "decided": _count(~_involved(VictimInvolvement.UNDECIDED)),
        "invited": _count(
            Q(
                victim_involvement__in=(
                    VictimInvolvement.INVITED,
                    VictimInvolvement.ATTENDING,
                    VictimInvolvement.DECLINED,
                )
            )
        ),
        "attending": _count(_involved(VictimInvolvement.ATTENDING)),
        "awaited": _count(_involved(VictimInvolvement.INVITED)),
        "declined": _count(_involved(VictimInvolvement.DECLINED)),
        **{
            key: _count(_involved(VictimInvolvement.DECLINED) & Q(declined_contribution=choice))
            for choice, key, _label in DECLINED_MEASURES
        },
        "not_invited": _count(_involved(VictimInvolvement.NOT_INVITED)),
        **{
            key: _count(_involved(VictimInvolvement.NOT_INVITED) & Q(not_invited_reason=reason))
            for reason, key, _label in NOT_INVITED_MEASURES
        },
    },
    partitions=(
        ("decided", ("invited", "not_invited")),
        ("invited", ("attending", "awaited", "declined")),
        ("declined", tuple(key for _choice, key, _label in DECLINED_MEASURES)),
        ("not_invited", tuple(key for _reason, key, _label in NOT_INVITED_MEASURES)),
    ),
    chains=(("orders", "decided", "invited"), ("orders", "decided", "not_invited")),
    chart="invited_share",
)

COMPLAINTS_BASE = Base(case="case__", referral="case__referral__", service="service_id")
# A complaint withdrawn was not answered, in time or late: it stays out of the answers and their times.
COMPLAINT_ANSWERED = Q(kind=ComplaintKind.COMPLAINT, responded_on__isnull=False) & ~Q(
    outcome=ComplaintOutcome.WITHDRAWN
)

COMPLAINTS = Figure(
    key="complaints",
    title=_("Complaints and their answers"),
    counts=_("Complaints, compliments and other feedback received"),
    period_rule=_("By the date received."),
    numerator=_(
        "Of the complaints received in the period, those answered so far (withdrawn ones aside); of those, the ones "
        "answered within 10 working days of being received (Victims' Code right 12); calendar days from received to "
        "answered, the median; complaints upheld or partly upheld; complaints escalated."
    ),
    denominator=_("Complaints answered, for the share answered in time."),
    left_out=_("From the answers and their times: complaints not yet answered, and complaints withdrawn."),
    base=COMPLAINTS_BASE,
    measures=(
        Measure("complaints", _("Complaints")),
        Measure("compliments", _("Compliments")),
        Measure("answered", _("Complaints answered")),
        Measure("answered_in_time", _("Answered within 10 working days")),
        _share("in_time_share", _("Share answered in time"), "answered_in_time", "answered"),
        Measure("median_days", _("Median days to answer"), Kind.DAYS, base="answered"),
        Measure("upheld", _("Upheld or partly upheld")),
        Measure("escalated", _("Escalated")),
    ),
    rows=lambda scope, period: Complaint.objects.filter(_services(scope, COMPLAINTS_BASE), _in(period, "received_on")),
    aggregates=lambda period: {
        "complaints": _count(Q(kind=ComplaintKind.COMPLAINT)),
        "compliments": _count(Q(kind=ComplaintKind.COMPLIMENT)),
        "answered": _count(COMPLAINT_ANSWERED),
        "answered_in_time": _count(COMPLAINT_ANSWERED & Q(responded_on__lte=F("due_on"))),
        "median_days": Percentile(DaysBetween(F("received_on"), F("responded_on")), 0.5, filter=COMPLAINT_ANSWERED),
        "upheld": _count(
            Q(kind=ComplaintKind.COMPLAINT, outcome__in=(ComplaintOutcome.UPHELD, ComplaintOutcome.PARTLY_UPHELD))
        ),
        "escalated": _count(Q(kind=ComplaintKind.COMPLAINT, escalated_on__isnull=False)),
    },
    # Through the case, a breakdown would read "not recorded" for every complaint about no case.
    dimensions=frozenset({Dimension.NONE, Dimension.SERVICE}),
    chains=(
        ("complaints", "answered", "answered_in_time"),
        ("complaints", "answered", "upheld"),
        ("complaints", "escalated"),
    ),
)

FIGURES: tuple[Figure, ...] = (
    REFERRALS,
    VICTIMS_CODE,
    OFFERED,
    FUNNEL,
    PROCESSES,
    AGREEMENTS,
    TIMELINESS,
    FEEDBACK,
    REOFFENDING,
    PRACTITIONERS,
    WELSH,
    YOUTH_PANELS,
    COMPLAINTS,
)
BY_KEY = {figure.key: figure for figure in FIGURES}


# Computing ---------------------------------------------------------------------------------------------------------


def _derived(figure: Figure, values: dict[str, Any]) -> dict[str, Any]:
    """The shares, rates and changes, worked out from the counts of the same row."""
    result = dict(values)
    for measure in figure.measures:
        if measure.kind in {Kind.SHARE, Kind.RATE, Kind.CHANGE}:
            numerator = values.get(measure.numerator or "")
            denominator = values.get(measure.denominator or "")
            if not denominator or numerator is None:
                result[measure.key] = None
            elif measure.kind == Kind.CHANGE:
                result[measure.key] = (numerator - denominator) / denominator
            else:
                result[measure.key] = numerator / denominator
        elif measure.kind == Kind.COUNT:
            result[measure.key] = int(values.get(measure.key) or 0)
        elif measure.kind in {Kind.DAYS, Kind.MEAN} and values.get(measure.key) is not None:
            result[measure.key] = float(values[measure.key])
    return result


def compute(figure: Figure, scope: Scope, period: Period, dimension: Dimension = Dimension.NONE) -> FigureTable:
    """The figure for the services and period, with one row per value of the breakdown and a total: one SQL
    aggregate query for the total and, with a breakdown, one grouped query."""
    if dimension not in figure.dimensions:
        raise ValueError(f"{figure.key} cannot be broken down by {dimension}")
    aggregates = figure.aggregates(period)
    rows = figure.rows(scope, period)
    total = Row("", str(_("Total")), _derived(figure, rows.aggregate(**aggregates)))
    if dimension == Dimension.NONE:
        return FigureTable(figure, dimension, period, [], total)
    grouped = (
        rows.annotate(group=dimensions.expression(dimension, figure.base))
        .values("group")
        .annotate(**aggregates)
        .order_by()
    )
    found: dict[str, dict[str, Any]] = {}
    for values in grouped:
        key = dimensions.normalise(dimension, values.pop("group"))
        if key in found:  # two unknown values under "not recorded": add their counts, drop the rest
            merged = found[key]
            for measure in figure.counted:
                both = (merged.get(measure.key), values.get(measure.key))
                merged[measure.key] = sum(both) if measure.kind == Kind.COUNT else None
        else:
            found[key] = values
    labelled = dimensions.choices(dimension, found)
    table_rows = [Row(key, label, _derived(figure, found[key])) for key, label in labelled if key in found]
    return FigureTable(figure, dimension, period, table_rows, total)


def compute_all(
    scope: Scope, period: Period, dimension: Dimension = Dimension.NONE, figures: Sequence[Figure] = FIGURES
) -> list[FigureTable]:
    """Every figure, broken down where the figure allows the breakdown (otherwise its total alone)."""
    return [
        compute(figure, scope, period, dimension if dimension in figure.dimensions else Dimension.NONE)
        for figure in figures
    ]
