"""The case workflow (DESIGN.md §3): every state, every transition with its named guards, and the four gates.

This module is the only place that knows which transition is allowed from where and what must hold first. The one
service that moves a case, transition_case (cases/services.py), asks it; pages, the API, commands and tasks all go
through that service, so none can skip a gate.
"""

import datetime
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.cases.models import (
    INDIRECT_PROCESSES,
    OPEN_STATES,
    RECORDED_PROCESSES,
    VIRTUAL_PROCESSES,
    Case,
    ClosureReason,
    ConflictDeclaration,
    ProcessKind,
    State,
)
from amends.consent.models import (
    ACCEPTING_LEVELS,
    REQUIRED_INFORMATION,
    ConsentKind,
    ConsentRecord,
    ConsentScope,
    InformationGiven,
    ResponsibilityRecord,
)
from amends.core.errors import DomainError, Reason
from amends.meetings.models import PROCESS_MEETINGS, Meeting, MeetingStatus
from amends.outcomes.models import RESOLVED_STATUSES, AgreementAction, OutcomeAgreement
from amends.people.models import (
    PRINCIPAL_ROLES,
    SUCCESSFUL_CONTACT,
    ContactLogEntry,
    Participant,
    ParticipantRole,
)
from amends.risk.models import (
    SAFE_OUTCOMES,
    RiskAssessment,
    RiskCondition,
    RiskInformation,
    RiskOutcome,
    SignOffDecision,
)


class Gate(enum.StrEnum):
    """The four gates (DESIGN.md §3): nothing restorative happens unless each holds."""

    RESPONSIBILITY = "responsibility"
    CONSENT = "consent"
    RISK = "risk"
    COURT_ORDER = "court_order"

    @property
    def label(self) -> str:
        return str(GATE_LABELS[self])


GATE_LABELS: dict[Gate, Promise] = {
    Gate.RESPONSIBILITY: gettext_lazy("Responsibility"),
    Gate.CONSENT: gettext_lazy("Consent"),
    Gate.RISK: gettext_lazy("Risk"),
    Gate.COURT_ORDER: gettext_lazy("Court order"),
}


class Fix(enum.StrEnum):
    """Which form puts a missing thing right; pages turn each into a link."""

    ALLOCATE = "allocate"
    DECLARE_CONFLICT = "declare_conflict"
    LOG_CONTACT = "log_contact"
    INFORMATION = "information"
    CHOOSE_PROCESS = "choose_process"
    ADD_PARTICIPANT = "add_participant"
    RESPONSIBILITY = "responsibility"
    CONSENT = "consent"
    RISK = "risk"
    SIGN_OFF = "sign_off"
    COURT_ORDER = "court_order"
    AGREEMENT = "agreement"
    MEETING = "meeting"
    START_PREPARING = "start_preparing"
    NONE = ""


@dataclass(frozen=True)
class Missing:
    """One thing that stops a transition: which gate (if a gate), why, whom it concerns, and what fixes it."""

    guard: str
    message: str
    gate: Gate | None = None
    participant_id: int | None = None
    fix: Fix = Fix.NONE


@dataclass
class CaseFacts:
    """Everything the guards read about one case, loaded in a fixed number of queries."""

    case: Case
    today: datetime.date
    participants: list[Participant]
    information: dict[int, set[str]] = field(default_factory=dict)
    responsibility: dict[int, ResponsibilityRecord] = field(default_factory=dict)
    consent: dict[int, ConsentRecord] = field(default_factory=dict)
    risk: dict[int, RiskAssessment] = field(default_factory=dict)
    # When risk information was last recorded about each participant (key None: about everyone in the case).
    risk_information_at: dict[int | None, datetime.datetime] = field(default_factory=dict)
    conflicts: dict[int, ConflictDeclaration] = field(default_factory=dict)
    contact_made: bool = False
    agreement: OutcomeAgreement | None = None
    actions: list[AgreementAction] = field(default_factory=list)
    # The participants who have agreed to the outcome agreement.
    agreed: set[int] = field(default_factory=set)
    # How many of the case's restorative (or panel) meetings are booked, and how many were held.
    meetings: dict[str, int] = field(default_factory=dict)

    @property
    def taking_part(self) -> list[Participant]:
        return [participant for participant in self.participants if participant.takes_part]

    def name(self, participant: Participant) -> str:
        return _("%(name)s (%(role)s)") % {"name": participant.person.full_name, "role": participant.get_role_display()}


def load_facts(case: Case, today: datetime.date | None = None) -> CaseFacts:
    """Read what the guards need: participants with their people, and the latest record of each kind for each."""
    participants = list(
        Participant.objects.filter(case=case)
        .select_related("person")
        .prefetch_related(
            Prefetch("information_given", queryset=InformationGiven.objects.only("participant_id", "items")),
            Prefetch("responsibility_records", queryset=ResponsibilityRecord.objects.order_by("-recorded_at", "-pk")),
            Prefetch("consent_records", queryset=ConsentRecord.objects.order_by("-occurred_at", "-pk")),
            Prefetch("risk_assessments", queryset=RiskAssessment.objects.order_by("-version")),
        )
    )
    facts = CaseFacts(case=case, today=today or timezone.localdate(), participants=participants)
    for participant in participants:
        told: set[str] = set()
        for record in participant.information_given.all():
            told.update(record.items)
        facts.information[participant.pk] = told
        responsibility = next(iter(participant.responsibility_records.all()), None)
        if responsibility is not None:
            facts.responsibility[participant.pk] = responsibility
        consent = next(iter(participant.consent_records.all()), None)
        if consent is not None:
            facts.consent[participant.pk] = consent
        assessment = next(iter(participant.risk_assessments.all()), None)
        if assessment is not None:
            facts.risk[participant.pk] = assessment
    for participant_id, recorded_at in RiskInformation.objects.filter(case=case).values_list(
        "participant_id", "recorded_at"
    ):
        if participant_id not in facts.risk_information_at or recorded_at > facts.risk_information_at[participant_id]:
            facts.risk_information_at[participant_id] = recorded_at
    for declaration in ConflictDeclaration.objects.filter(case=case).order_by("created_at", "pk"):
        facts.conflicts[declaration.facilitator_id] = declaration
    facts.contact_made = ContactLogEntry.objects.filter(case=case, outcome__in=SUCCESSFUL_CONTACT).exists()
    facts.meetings = dict(
        Meeting.objects.filter(case=case, purpose__in=list(PROCESS_MEETINGS))
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    facts.agreement = OutcomeAgreement.objects.filter(case=case).first()
    if facts.agreement is not None:
        facts.actions = list(
            AgreementAction.objects.filter(agreement=facts.agreement)
            .select_related("owner__person")
            .order_by("due_on", "pk")
        )
        facts.agreed = set(facts.agreement.participant_agreements.values_list("participant_id", flat=True))
    return facts


# The guards. Each reads the facts and returns what is missing (nothing when it holds).
Guard = Callable[[CaseFacts], list[Missing]]


def lead_allocated(facts: CaseFacts) -> list[Missing]:
    if facts.case.lead_facilitator_id is None:
        return [Missing("lead_allocated", _("No lead facilitator has been allocated."), fix=Fix.ALLOCATE)]
    return []


def conflicts_declared(facts: CaseFacts) -> list[Missing]:
    missing = []
    for facilitator_id in sorted(facts.case.facilitator_ids()):
        declaration = facts.conflicts.get(facilitator_id)
        if declaration is None:
            missing.append(
                Missing(
                    "conflicts_declared",
                    _("A facilitator of this case has not yet declared whether they have a conflict of interest."),
                    fix=Fix.DECLARE_CONFLICT,
                )
            )
        elif declaration.has_conflict:
            missing.append(
                Missing(
                    "conflicts_declared",
                    _("A facilitator declared a conflict of interest: allocate someone else."),
                    fix=Fix.ALLOCATE,
                )
            )
    return missing


def contact_made(facts: CaseFacts) -> list[Missing]:
    missing = []
    if not facts.contact_made:
        missing.append(
            Missing("contact_made", _("Nobody in the case has been reached yet: log a contact."), fix=Fix.LOG_CONTACT)
        )
    if not any(facts.information.get(participant.pk) for participant in facts.participants):
        missing.append(
            Missing(
                "information_given",
                _("Nobody in the case has been given information about RJ yet."),
                fix=Fix.INFORMATION,
            )
        )
    return missing


def process_chosen(facts: CaseFacts) -> list[Missing]:
    if not facts.case.process_kind:
        return [
            Missing(
                "process_chosen",
                _("The participants' choice of process has not been recorded."),
                gate=Gate.CONSENT,
                fix=Fix.CHOOSE_PROCESS,
            )
        ]
    return []


def responsibility_accepted(facts: CaseFacts) -> list[Missing]:
    """Gate 1: every person responsible has acknowledged the basic facts and accepted responsibility."""
    responsible = [p for p in facts.participants if p.role == ParticipantRole.PERSON_RESPONSIBLE]
    if not responsible:
        return [
            Missing(
                "responsibility_accepted",
                _("The case has no person responsible."),
                gate=Gate.RESPONSIBILITY,
                fix=Fix.ADD_PARTICIPANT,
            )
        ]
    missing = []
    for participant in responsible:
        record = facts.responsibility.get(participant.pk)
        if record is None:
            message = _("%(who)s: no acceptance of responsibility has been recorded.")
        elif record.level not in ACCEPTING_LEVELS:
            message = _("%(who)s does not accept responsibility.")
        else:
            continue
        missing.append(
            Missing(
                "responsibility_accepted",
                message % {"who": facts.name(participant)},
                gate=Gate.RESPONSIBILITY,
                participant_id=participant.pk,
                fix=Fix.RESPONSIBILITY,
            )
        )
    return missing


def all_participants_consent(facts: CaseFacts) -> list[Missing]:
    """Gate 2: everyone who takes part has current, informed consent covering the chosen process and recording."""
    missing = process_chosen(facts)
    kind = facts.case.process_kind
    roles_present = {participant.role for participant in facts.taking_part}
    if ParticipantRole.PERSON_HARMED not in roles_present and kind not in ("", *_PROCESSES_WITHOUT_A_VICTIM):
        missing.append(
            Missing(
                "all_participants_consent",
                _("Nobody taking part is a person harmed."),
                gate=Gate.CONSENT,
                fix=Fix.ADD_PARTICIPANT,
            )
        )
    for participant in facts.taking_part:
        who = facts.name(participant)
        record = facts.consent.get(participant.pk)
        problems = []
        if not facts.information.get(participant.pk, set()) >= REQUIRED_INFORMATION:
            problems.append((_("%(who)s has not been given all the information consent rests on."), Fix.INFORMATION))
        if record is None:
            problems.append((_("%(who)s has not given consent."), Fix.CONSENT))
        elif record.kind == ConsentKind.WITHDRAWN:
            problems.append((_("%(who)s has withdrawn consent."), Fix.CONSENT))
        else:
            if ConsentScope.TAKE_PART not in record.scopes:
                problems.append((_("%(who)s has not consented to take part."), Fix.CONSENT))
            if kind and kind not in record.process_kinds:
                problems.append((_("%(who)s has not consented to this process (%(process)s)."), Fix.CONSENT))
            if kind in RECORDED_PROCESSES and ConsentScope.RECORDING not in record.scopes:
                problems.append((_("%(who)s has not consented to being recorded."), Fix.CONSENT))
        process = ProcessKind(kind).label if kind else ""
        missing.extend(
            Missing(
                "all_participants_consent",
                message % {"who": who, "process": process},
                gate=Gate.CONSENT,
                participant_id=participant.pk,
                fix=fix,
            )
            for message, fix in problems
        )
    return missing


# A community conference may go ahead for harm to a community with no single person harmed taking part.
# A referral-order panel meets with the child and the panel when the person harmed is not invited or does not come.
_PROCESSES_WITHOUT_A_VICTIM = (ProcessKind.COMMUNITY_CONFERENCE, ProcessKind.CIRCLE, ProcessKind.REFERRAL_ORDER_PANEL)


def needs_sign_off(case: Case, assessment: RiskAssessment) -> bool:
    """Sensitive cases, and every conditional result, carry a coordinator's sign-off."""
    return case.is_sensitive or assessment.outcome == RiskOutcome.SUITABLE_WITH_CONDITIONS


def is_stale(facts: CaseFacts, assessment: RiskAssessment) -> bool:
    """Stale after the service's number of days, after its review date, or once new risk information arrives."""
    valid_days = facts.case.service.risk_assessment_valid_days
    if facts.today > assessment.assessed_on + datetime.timedelta(days=valid_days) or facts.today > assessment.review_on:
        return True
    newer = [
        facts.risk_information_at.get(key)
        for key in (assessment.participant_id, None)
        if facts.risk_information_at.get(key) is not None
    ]
    return any(when is not None and when > assessment.recorded_at for when in newer)


def _process_problems(conditions: set[str], kind: str) -> list[str]:
    """What the assessment's conditions say against the process `kind`."""
    problems = []
    if RiskCondition.INDIRECT_ONLY in conditions and kind not in INDIRECT_PROCESSES:
        problems.append(_("its conditions allow indirect communication only, not %(process)s."))
    if RiskCondition.VIRTUAL_ONLY in conditions and kind not in VIRTUAL_PROCESSES | INDIRECT_PROCESSES:
        problems.append(_("its conditions allow virtual meetings only, not %(process)s."))
    if RiskCondition.NO_RECORDING in conditions and kind in RECORDED_PROCESSES:
        problems.append(_("its conditions rule out recording, which %(process)s needs."))
    process = str(ProcessKind(kind).label).lower()
    return [problem % {"process": process} for problem in problems]


def _condition_problems(facts: CaseFacts, assessment: RiskAssessment) -> list[str]:
    conditions = set(assessment.conditions)
    problems = _process_problems(conditions, facts.case.process_kind) if facts.case.process_kind else []
    if RiskCondition.NO_SUPPORTERS in conditions and any(
        participant.role == ParticipantRole.SUPPORTER for participant in facts.taking_part
    ):
        problems.append(_("its conditions allow no supporters, but a supporter is taking part."))
    if RiskCondition.CO_FACILITATION in conditions and facts.case.co_facilitator_id is None:
        problems.append(_("its conditions need a co-facilitator, and none is allocated."))
    return problems


def process_ruled_out(facts: CaseFacts, kind: str) -> list[str]:
    """Why the latest risk assessments of the people taking part rule out the process `kind` (indirect only, virtual
    only, no recording), one message per person and reason; empty when nothing does. Asked when the process is chosen,
    so the choice is refused there, and again by the risk gate at every step."""
    return [
        _("%(who)s: the risk assessment does not allow this: %(problem)s")
        % {"who": facts.name(participant), "problem": problem}
        for participant in facts.taking_part
        if (assessment := facts.risk.get(participant.pk)) is not None
        for problem in _process_problems(set(assessment.conditions), kind)
    ]


def risk_assessed_safe(facts: CaseFacts, *, include_sign_off: bool = True) -> list[Missing]:
    """Gate 3: everyone taking part has a current assessment that is suitable, allows the process, and is signed
    off where the case is sensitive or the result conditional."""
    missing: list[Missing] = []
    for participant in facts.taking_part:
        who = facts.name(participant)
        assessment = facts.risk.get(participant.pk)
        problems: list[tuple[str, Fix]] = []
        if assessment is None:
            problems.append((_("%(who)s has no risk assessment.") % {"who": who}, Fix.RISK))
        elif assessment.outcome not in SAFE_OUTCOMES:
            problems.append(
                (
                    _("%(who)s: the latest risk assessment says %(outcome)s.")
                    % {"who": who, "outcome": str(RiskOutcome(assessment.outcome).label).lower()},
                    Fix.RISK,
                )
            )
        else:
            if is_stale(facts, assessment):
                problems.append(
                    (
                        _("%(who)s: the risk assessment is out of date (new risk information, or its review is due).")
                        % {"who": who},
                        Fix.RISK,
                    )
                )
            problems.extend(
                (
                    _("%(who)s: the risk assessment does not allow this: %(problem)s")
                    % {"who": who, "problem": problem},
                    Fix.RISK,
                )
                for problem in _condition_problems(facts, assessment)
            )
            if (
                include_sign_off
                and needs_sign_off(facts.case, assessment)
                and assessment.sign_off_decision != SignOffDecision.APPROVED
            ):
                problems.append(
                    (_("%(who)s: the risk assessment needs a coordinator's sign-off.") % {"who": who}, Fix.SIGN_OFF)
                )
        missing.extend(
            Missing("risk_assessed_safe", message, gate=Gate.RISK, participant_id=participant.pk, fix=fix)
            for message, fix in problems
        )
    return missing


def court_order_recorded(facts: CaseFacts) -> list[Missing]:
    """Gate 4 (pre-sentence RJ only): the deferment order is recorded and every consent was given before it."""
    case = facts.case
    if not case.pre_sentence:
        return []
    if case.deferment_order_on is None:
        return [
            Missing(
                "court_order_recorded",
                _("This is pre-sentence RJ: record the court's deferment order."),
                gate=Gate.COURT_ORDER,
                fix=Fix.COURT_ORDER,
            )
        ]
    missing = []
    for participant in facts.taking_part:
        record = facts.consent.get(participant.pk)
        if record is None or record.kind != ConsentKind.GIVEN:
            continue  # The consent gate names it.
        if timezone.localdate(record.occurred_at) > case.deferment_order_on:
            missing.append(
                Missing(
                    "court_order_recorded",
                    _("%(who)s consented after the date of the deferment order.") % {"who": facts.name(participant)},
                    gate=Gate.COURT_ORDER,
                    participant_id=participant.pk,
                    fix=Fix.COURT_ORDER,
                )
            )
    return missing


def sign_off_outstanding(facts: CaseFacts) -> list[Missing]:
    """Waiting for sign-off makes sense only when an assessment needs it and does not have it."""
    for participant in facts.taking_part:
        assessment = facts.risk.get(participant.pk)
        if (
            assessment is not None
            and assessment.outcome in SAFE_OUTCOMES
            and needs_sign_off(facts.case, assessment)
            and assessment.sign_off_decision != SignOffDecision.APPROVED
        ):
            return []
    return [
        Missing(
            "sign_off_outstanding",
            _("No risk assessment in this case is waiting for a coordinator's sign-off."),
            gate=Gate.RISK,
            fix=Fix.RISK,
        )
    ]


def agreement_made(facts: CaseFacts) -> list[Missing]:
    """An outcome agreement with at least one action, agreed to by the person harmed and the person responsible who
    take part (R14: each party's free and informed consent to the outcome)."""
    if facts.agreement is None:
        return [Missing("agreement_made", _("No outcome agreement has been recorded."), fix=Fix.AGREEMENT)]
    missing = []
    if not facts.actions:
        missing.append(Missing("agreement_made", _("The outcome agreement has no actions."), fix=Fix.AGREEMENT))
    missing.extend(
        Missing(
            "agreement_made",
            _("%(who)s has not agreed to the outcome agreement.") % {"who": facts.name(participant)},
            participant_id=participant.pk,
            fix=Fix.AGREEMENT,
        )
        for participant in facts.taking_part
        if participant.role in PRINCIPAL_ROLES and participant.pk not in facts.agreed
    )
    return missing


def actions_resolved(facts: CaseFacts) -> list[Missing]:
    """Monitoring ends once every action is completed, not completed or withdrawn."""
    return [
        Missing(
            "actions_resolved",
            _("%(action)s (%(owner)s, due %(day)s) is still open: record whether it was completed.")
            % {
                "action": action.label(),
                "owner": action.owner.person.full_name,
                "day": date_format(action.due_on, "j F Y"),
            },
            participant_id=action.owner_id,
            fix=Fix.AGREEMENT,
        )
        for action in facts.actions
        if action.status not in RESOLVED_STATUSES
    ]


def _meets(facts: CaseFacts) -> bool:
    """Whether the chosen process brings people together in a meeting (a conference, mediation, a circle, a panel)."""
    kind = facts.case.process_kind
    return bool(kind) and kind not in INDIRECT_PROCESSES


def meeting_booked(facts: CaseFacts) -> list[Missing]:
    """A process that meets is scheduled by booking its meeting, with each person's times and the venue."""
    if _meets(facts) and not facts.meetings.get(MeetingStatus.BOOKED):
        return [Missing("meeting_booked", _("Book the meeting: booking it schedules the case."), fix=Fix.MEETING)]
    return []


def nothing_booked(facts: CaseFacts) -> list[Missing]:
    """A booked meeting is moved or cancelled on its own page, which tells everyone coming."""
    if facts.meetings.get(MeetingStatus.BOOKED):
        return [
            Missing(
                "nothing_booked",
                _("A meeting is still booked: move or cancel it on its page first."),
                fix=Fix.MEETING,
            )
        ]
    return []


GATE_GUARDS: tuple[Guard, ...] = (
    responsibility_accepted,
    all_participants_consent,
    risk_assessed_safe,
    court_order_recorded,
)


def gate_problems(facts: CaseFacts) -> list[Missing]:
    """Everything that stops the four gates holding now (every restorative step asks this again)."""
    missing: list[Missing] = []
    for guard in GATE_GUARDS:
        missing.extend(item for item in guard(facts) if item not in missing)
    return missing


@dataclass(frozen=True)
class GateStatus:
    gate: Gate
    missing: list[Missing]

    @property
    def holds(self) -> bool:
        return not self.missing


def gate_report(facts: CaseFacts) -> list[GateStatus]:
    """Each of the four gates, whether it holds, and if not, everything missing (for the gates panel)."""
    found: dict[Gate, list[Missing]] = {gate: [] for gate in Gate}
    for guard in GATE_GUARDS:
        for missing in guard(facts):
            if missing.gate is not None and missing not in found[missing.gate]:
                found[missing.gate].append(missing)
    return [GateStatus(gate=gate, missing=found[gate]) for gate in Gate]


class TransitionName(enum.StrEnum):
    ALLOCATE = "allocate"
    START_CONTACT = "start_contact"
    START_ASSESSMENT = "start_assessment"
    REQUEST_SIGN_OFF = "request_sign_off"
    START_PREPARING = "start_preparing"
    RETURN_TO_ASSESSING = "return_to_assessing"
    SCHEDULE = "schedule"
    POSTPONE = "postpone"
    START_PROCESS = "start_process"
    HALT = "halt"
    RECORD_AGREEMENT = "record_agreement"
    FINISH_PROCESS = "finish_process"
    FINISH_MONITORING = "finish_monitoring"
    CLOSE = "close"
    HOLD = "hold"
    RESUME = "resume"
    REOPEN = "reopen"


class Needs(enum.Flag):
    """What a person must give with a transition."""

    NOTHING = 0
    REASON = enum.auto()
    CLOSURE_REASON = enum.auto()
    HOLD = enum.auto()


@dataclass(frozen=True)
class Transition:
    name: TransitionName
    label: Promise
    sources: frozenset[State]
    # None: worked out when it happens (closing, holding, resuming, reopening).
    target: State | None
    guards: tuple[Guard, ...] = ()
    needs: Needs = Needs.NOTHING
    # Only the workflow itself takes it (allocation goes through allocate_case).
    offered: bool = True


def _gates_then(*guards: Guard) -> tuple[Guard, ...]:
    return (*guards, *GATE_GUARDS)


OPEN = frozenset(OPEN_STATES)
# States a case reaches only once the gates hold; entering any of them re-checks them.
GATED_STATES = frozenset({State.PREPARING, State.SCHEDULED, State.IN_PROCESS})
# Once a process is booked it stays the process the case had: what consent covered and how it closes depend on it.
PROCESS_FIXED_STATES = frozenset({State.SCHEDULED, State.IN_PROCESS, State.AGREEMENT_MONITORING, State.FOLLOWING_UP})
# A consent withdrawal or a safeguarding concern in one of these states sends the case back to assessing at once.
RETURNS_TO_ASSESSING = frozenset(
    {
        State.AWAITING_SIGNOFF,
        State.PREPARING,
        State.SCHEDULED,
        State.IN_PROCESS,
        State.AGREEMENT_MONITORING,
        State.FOLLOWING_UP,
    }
)

T, S = TransitionName, State
# The whole workflow, one line per transition: from where, to where, what must hold, what the person must give.
TRANSITIONS: dict[TransitionName, Transition] = {
    t.name: t
    for t in (
        Transition(
            T.ALLOCATE, gettext_lazy("Allocate"), frozenset({S.REFERRED}), S.ALLOCATED, (lead_allocated,), offered=False
        ),
        Transition(
            T.START_CONTACT,
            gettext_lazy("Start making contact"),
            frozenset({S.ALLOCATED}),
            S.CONTACTING,
            (lead_allocated, conflicts_declared),
        ),
        Transition(
            T.START_ASSESSMENT, gettext_lazy("Start assessing"), frozenset({S.CONTACTING}), S.ASSESSING, (contact_made,)
        ),
        Transition(
            T.REQUEST_SIGN_OFF,
            gettext_lazy("Ask for sign-off"),
            frozenset({S.ASSESSING}),
            S.AWAITING_SIGNOFF,
            (sign_off_outstanding,),
        ),
        Transition(
            T.START_PREPARING,
            gettext_lazy("Start preparing"),
            frozenset({S.ASSESSING, S.AWAITING_SIGNOFF}),
            S.PREPARING,
            _gates_then(conflicts_declared),
        ),
        Transition(
            T.RETURN_TO_ASSESSING,
            gettext_lazy("Go back to assessing"),
            frozenset({S.AWAITING_SIGNOFF, S.PREPARING, S.SCHEDULED}),
            S.ASSESSING,
            needs=Needs.REASON,
        ),
        Transition(
            T.SCHEDULE,
            gettext_lazy("Mark as scheduled"),
            frozenset({S.PREPARING}),
            S.SCHEDULED,
            _gates_then(conflicts_declared, meeting_booked),
        ),
        Transition(
            T.POSTPONE,
            gettext_lazy("Postpone"),
            frozenset({S.SCHEDULED}),
            S.PREPARING,
            (nothing_booked,),
            needs=Needs.REASON,
        ),
        Transition(
            T.START_PROCESS,
            gettext_lazy("Start the process"),
            frozenset({S.SCHEDULED}),
            S.IN_PROCESS,
            _gates_then(conflicts_declared),
        ),
        Transition(T.HALT, gettext_lazy("Halt for safety"), frozenset({S.IN_PROCESS}), S.ASSESSING, needs=Needs.REASON),
        Transition(
            T.RECORD_AGREEMENT,
            gettext_lazy("Outcome agreement made"),
            frozenset({S.IN_PROCESS}),
            S.AGREEMENT_MONITORING,
            _gates_then(agreement_made),
        ),
        Transition(
            T.FINISH_PROCESS, gettext_lazy("Process finished, no agreement"), frozenset({S.IN_PROCESS}), S.FOLLOWING_UP
        ),
        Transition(
            T.FINISH_MONITORING,
            gettext_lazy("Agreement monitoring finished"),
            frozenset({S.AGREEMENT_MONITORING}),
            S.FOLLOWING_UP,
            (actions_resolved,),
        ),
        Transition(T.CLOSE, gettext_lazy("Close the case"), OPEN, S.CLOSED, needs=Needs.CLOSURE_REASON),
        Transition(T.HOLD, gettext_lazy("Put on hold"), OPEN - {S.ON_HOLD}, S.ON_HOLD, needs=Needs.HOLD),
        Transition(T.RESUME, gettext_lazy("Resume"), frozenset({S.ON_HOLD}), None),
        Transition(T.REOPEN, gettext_lazy("Reopen"), frozenset({S.CLOSED}), None, needs=Needs.REASON),
    )
}

# Where each closure reason may be given from: a completed case has been through its process and follow-up.
COMPLETED_REASONS = {
    ClosureReason.COMPLETED_DIRECT: False,  # False: the process was not indirect.
    ClosureReason.COMPLETED_INDIRECT: True,
}


def target_of(transition: Transition, case: Case) -> State:
    """Where the transition takes this case."""
    if transition.target is not None:
        return transition.target
    if transition.name == TransitionName.RESUME:
        return State(case.state_before_hold or State.ASSESSING)
    # Reopening: back to assessing when someone is allocated, else to allocation; every gate applies again.
    return State.ASSESSING if case.lead_facilitator_id else State.REFERRED


def guards_for(transition: Transition, case: Case) -> tuple[Guard, ...]:
    """The transition's guards; resuming into a gated state re-checks every gate."""
    if transition.name == TransitionName.RESUME and target_of(transition, case) in GATED_STATES:
        return GATE_GUARDS
    return transition.guards


def closure_problems(case: Case, reason: ClosureReason | str | None) -> list[Missing]:
    if not reason or reason not in ClosureReason.values:
        return [Missing("closure_reason", _("Choose why the case is closing."))]
    if reason in COMPLETED_REASONS:
        indirect = COMPLETED_REASONS[ClosureReason(reason)]
        if case.state != State.FOLLOWING_UP:
            return [
                Missing(
                    "closure_reason",
                    _("A case closes as completed only after its process and follow-up."),
                )
            ]
        if not case.process_kind or (case.process_kind in INDIRECT_PROCESSES) != indirect:
            return [
                Missing(
                    "closure_reason",
                    _("The process in this case was %(process)s: choose the matching completed reason.")
                    % {"process": str(ProcessKind(case.process_kind).label).lower() if case.process_kind else "-"},
                )
            ]
    return []


def check(transition: Transition, facts: CaseFacts) -> list[Missing]:
    """Everything that stops the transition now, or nothing."""
    missing: list[Missing] = []
    for guard in guards_for(transition, facts.case):
        for item in guard(facts):
            if item not in missing:
                missing.append(item)
    return missing


def available(case: Case) -> list[Transition]:
    """The transitions offered from the case's state (whether their guards hold is checked when taken)."""
    return [t for t in TRANSITIONS.values() if t.offered and case.state in t.sources]


def names_of(missing: Iterable[Missing]) -> list[str]:
    return [item.message for item in missing]


# A refusal ---------------------------------------------------------------------------------------------------------

# Which page puts each missing thing right (URL names), and which API endpoint: those of the case first, then those
# of one participant (they take the participant too).
CASE_FIX_PAGES = {
    Fix.ALLOCATE: "case_allocate",
    Fix.DECLARE_CONFLICT: "case_conflict",
    Fix.CHOOSE_PROCESS: "case_details_edit",
    Fix.COURT_ORDER: "case_details_edit",
    Fix.ADD_PARTICIPANT: "participant_add",
    Fix.AGREEMENT: "agreement_detail",
    Fix.MEETING: "meeting_list",
}
PARTICIPANT_FIX_PAGES = {
    Fix.INFORMATION: "information_add",
    Fix.RESPONSIBILITY: "responsibility_add",
    Fix.CONSENT: "consent_give",
    Fix.RISK: "risk_assessment_add",
    Fix.SIGN_OFF: "participant_detail",
    Fix.LOG_CONTACT: "contact_add",
}
_API = "/api/v1/cases/{case}"
_PARTICIPANT_API = _API + "/participants/{participant}"
FIX_ENDPOINTS = {
    Fix.ALLOCATE: "POST " + _API + "/allocation",
    Fix.DECLARE_CONFLICT: "POST " + _API + "/conflict-declarations",
    Fix.CHOOSE_PROCESS: "PATCH " + _API,
    Fix.COURT_ORDER: "PATCH " + _API,
    Fix.ADD_PARTICIPANT: "POST " + _API + "/participants",
    Fix.AGREEMENT: "POST " + _API + "/agreement",
    Fix.MEETING: "POST " + _API + "/meetings",
    Fix.START_PREPARING: "POST " + _API + "/transitions",
    Fix.INFORMATION: "POST " + _PARTICIPANT_API + "/information",
    Fix.RESPONSIBILITY: "POST " + _PARTICIPANT_API + "/responsibility",
    Fix.CONSENT: "POST " + _PARTICIPANT_API + "/consents",
    Fix.RISK: "POST " + _PARTICIPANT_API + "/risk-assessments",
    Fix.SIGN_OFF: "POST " + _API + "/risk-assessments/{assessment}/sign-off",
    Fix.LOG_CONTACT: "POST " + _PARTICIPANT_API + "/contacts",
}


def _reverse_or_empty(url_name: str, **kwargs: Any) -> str:
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def fix_url(case: Case, missing: Missing) -> str:
    """The page that puts a missing thing right."""
    if missing.fix in CASE_FIX_PAGES:
        return _reverse_or_empty(CASE_FIX_PAGES[missing.fix], case_id=case.pk)
    if missing.fix in PARTICIPANT_FIX_PAGES:
        if missing.participant_id is None:
            return reverse("case_detail", kwargs={"case_id": case.pk}) + "#participants"
        return _reverse_or_empty(
            PARTICIPANT_FIX_PAGES[missing.fix], case_id=case.pk, participant_id=missing.participant_id
        )
    if missing.fix == Fix.START_PREPARING:
        return _reverse_or_empty("case_transition", case_id=case.pk, name=TransitionName.START_PREPARING.value)
    return ""


def fix_endpoint(facts: CaseFacts, missing: Missing) -> str:
    """The API call that puts a missing thing right (method and path), or nothing when it takes more than one."""
    template = FIX_ENDPOINTS.get(missing.fix, "")
    if "{participant}" in template and missing.participant_id is None:
        return ""
    if "{assessment}" in template:
        assessment = facts.risk.get(missing.participant_id) if missing.participant_id is not None else None
        if assessment is None:
            return ""
        return template.format(case=facts.case.pk, assessment=assessment.pk)
    return template.format(case=facts.case.pk, participant=missing.participant_id)


@dataclass(frozen=True)
class MissingGate:
    """One thing a refusal names, ready to show or send: the gate (if a gate), the person it concerns (if one), what
    is missing, and the page and API endpoint that put it right."""

    gate: Gate | None
    person: str
    missing: str
    fix_url: str
    fix_endpoint: str
    guard: str
    participant_id: int | None

    @property
    def line(self) -> str:
        return f"{self.gate.label}: {self.missing}" if self.gate is not None else self.missing


class RefusedError(DomainError):
    """A step was refused because a gate or guard does not hold: `items` names each, whom it concerns and its fix
    (`missing` keeps the guards' own findings)."""

    def __init__(self, action: str, missing: list[Missing], items: list[MissingGate]) -> None:
        self.action = action
        self.missing = missing
        self.items = items
        lines = " ".join(item.line for item in items)
        super().__init__(
            _("%(action)s is not possible yet. %(reasons)s") % {"action": action, "reasons": lines},
            reasons=[Reason(item.line, item.fix_url) for item in items],
        )


class TransitionRefusedError(RefusedError):
    """A transition of the workflow was refused."""

    def __init__(self, transition: Transition, missing: list[Missing], items: list[MissingGate]) -> None:
        self.transition = transition
        super().__init__(str(transition.label), missing, items)


def gate_refusal(
    facts: CaseFacts,
    *,
    action: str,
    missing: list[Missing] | None = None,
    transition: Transition | None = None,
) -> RefusedError:
    """The one refusal of every step a gate stops (starting to prepare, booking, scheduling, starting the process,
    passing on a message, delivering a recording): each thing missing with its gate, person and fix. `missing`
    defaults to everything that stops the four gates now."""
    if missing is None:
        missing = gate_problems(facts)
    items = describe(facts, missing)
    if transition is not None:
        return TransitionRefusedError(transition, missing, items)
    return RefusedError(action, missing, items)


def describe(facts: CaseFacts, missing: Iterable[Missing]) -> list[MissingGate]:
    """Each missing thing with the name of the person it concerns and the page and endpoint that put it right."""
    people = {participant.pk: participant for participant in facts.participants}
    return [
        MissingGate(
            gate=item.gate,
            person=facts.name(people[item.participant_id]) if item.participant_id in people else "",
            missing=item.message,
            fix_url=fix_url(facts.case, item),
            fix_endpoint=fix_endpoint(facts, item),
            guard=item.guard,
            participant_id=item.participant_id,
        )
        for item in missing
    ]


# States a case passes through before it is prepared: a step that needs the gates asks for "Start preparing" first.
BEFORE_PREPARING = frozenset(
    {State.REFERRED, State.ALLOCATED, State.CONTACTING, State.ASSESSING, State.AWAITING_SIGNOFF}
)


def steps_first(facts: CaseFacts) -> list[Missing]:
    """A gated step asked for before the case reached it: everything that stops the gates now, then the step that
    comes first (start preparing, or book the meeting that schedules the case)."""
    state = facts.case.state
    if state in BEFORE_PREPARING:
        first = Missing(
            "case_prepared",
            _("The case is not being prepared yet: once the gates hold, start preparing it."),
            fix=Fix.START_PREPARING,
        )
    elif state == State.PREPARING:
        first = Missing(
            "meeting_booked", _("The case is not scheduled yet: book the meeting, which schedules it."), fix=Fix.MEETING
        )
    else:
        return []
    return [*gate_problems(facts), first]
