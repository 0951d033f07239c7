"""Writes of venues and meetings. Each checks who may act, re-checks the four gates where the step is restorative,
writes in one transaction, records its audit event and tells the case's timeline.

Booking a restorative or panel meeting while the case is being prepared marks the case scheduled; recording it as
held starts the process; recording it as halted for safety sends the case back to assessing; cancelling the last
booked meeting, or one nobody came to, takes the case back to preparing. Each of these moves goes through the case
workflow (cases/services.py), so its guards apply.
"""

import datetime
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases import workflow
from amends.cases.models import INDIRECT_PROCESSES, Case, ProcessKind, State, TaskKind, TimelineKind
from amends.cases.services import (
    add_timeline,
    close_tasks,
    coordinators_of,
    create_task,
    require_case_access,
    require_gates,
    require_open,
    transition_case,
)
from amends.core.errors import DomainError, NotPermittedError
from amends.core.versioning import check_version, save_versioned
from amends.core.workdays import is_working_day
from amends.dataprotection.restriction import refuse_if_restricted
from amends.meetings import invitations
from amends.meetings.models import (
    PROCESS_MEETINGS,
    Attendee,
    Meeting,
    MeetingPurpose,
    MeetingStatus,
    Party,
    Platform,
    Venue,
)
from amends.people.models import AccessNeed, Participant, ParticipantRole
from amends.permissions import Capability, can
from amends.risk.models import RiskCondition
from amends.youth import services as youth_services
from amends.youth.models import INVITED_INVOLVEMENTS, ReferralOrder, VictimInvolvement

# Meetings are booked once the gates hold: while the case is prepared, scheduled, or its process is under way.
BOOKING_STATES = frozenset({State.PREPARING, State.SCHEDULED, State.IN_PROCESS})
# In these nobody is brought together: the facilitator carries letters or recordings.
NO_MEETING_PROCESSES = frozenset(INDIRECT_PROCESSES - {ProcessKind.SHUTTLE})
# The two parties arrive, and leave, at least this far apart.
SEPARATION = datetime.timedelta(minutes=10)
# Nobody is asked to come more than this long before the start or stay this long after the end.
LONGEST_WAIT = datetime.timedelta(hours=2)
SHORTEST_MEETING, LONGEST_MEETING = 15, 8 * 60
# The facilitator confirms the arrangements with everyone this many working days before.
REMINDER_WORKING_DAYS = 2
SIDES = (Party.HARMED, Party.RESPONSIBLE)


@dataclass(frozen=True)
class Window:
    """When one party arrives and leaves."""

    arrives: datetime.datetime
    leaves: datetime.datetime


def _clock(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(day)s at %(time)s") % {"day": date_format(local, "j F Y"), "time": time_format(local, "H:i")}


# Venues.

VENUE_FIELDS = (
    "name",
    "address",
    "step_free",
    "separate_waiting_rooms",
    "hearing_loop",
    "is_prison",
    "security_notes",
    "notes",
    "in_use",
)


@transaction.atomic
def save_venue(
    *,
    service: Service,
    actor: User,
    details: Mapping[str, Any],
    venue: Venue | None = None,
    expected_version: int | None = None,
) -> Venue:
    """Add a venue to the service's register, or change one (checking the version the editor started from)."""
    if not can(actor, Capability.MANAGE_VENUES, service):
        raise NotPermittedError(_("Only a coordinator or an administrator of the service keeps its venues."))
    values = {name: details[name] for name in VENUE_FIELDS if name in details}
    for name in ("name", "address", "security_notes", "notes"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    current = {name: getattr(venue, name) for name in VENUE_FIELDS} if venue is not None else {}
    merged = {**current, **values}
    if not merged.get("name"):
        raise DomainError(_("Give the venue a name."), field="name")
    if not merged.get("address"):
        raise DomainError(_("Give the venue's address."), field="address")
    same_name = Venue.objects.filter(service=service, name__iexact=merged["name"])
    if venue is not None:
        same_name = same_name.exclude(pk=venue.pk)
    if same_name.exists():
        raise DomainError(_("The service already has a venue with this name."), field="name")
    if venue is None:
        venue = Venue.objects.create(service=service, **values)
        changed = sorted(values)
    else:
        if venue.service_id != service.pk:
            raise DomainError(_("This venue belongs to another service."))
        check_version(venue, expected_version)
        changed = sorted(name for name, value in values.items() if current[name] != value)
        for name, value in values.items():
            setattr(venue, name, value)
        save_versioned(venue, expected_version=expected_version or venue.version, fields=list(values))
    record_event(
        action=AuditAction.VENUE_SAVED, actor=actor, target=venue, service=service, changes={"fields": changed}
    )
    return venue


# Who belongs to which side.


def party_of(participant: Participant, by_id: Mapping[int, Participant]) -> Party:
    """The side someone comes on: the principals' own, a supporter's or interpreter's is the person they support."""
    person: Participant | None = participant
    seen: set[int] = set()
    while person is not None and person.pk not in seen:
        seen.add(person.pk)
        if person.role == ParticipantRole.PERSON_HARMED:
            return Party.HARMED
        if person.role == ParticipantRole.PERSON_RESPONSIBLE:
            return Party.RESPONSIBLE
        person = by_id.get(person.supports_id) if person.supports_id else None
    return Party.OTHER


def default_windows(starts_at: datetime.datetime, ends_at: datetime.datetime) -> dict[Party, Window]:
    """Practice's usual arrangement: the person responsible arrives first and leaves last, so the person harmed
    neither waits with them nor meets them outside."""
    quarter = datetime.timedelta(minutes=15)
    return {
        Party.RESPONSIBLE: Window(starts_at - 2 * quarter, ends_at + quarter),
        Party.HARMED: Window(starts_at - quarter, ends_at),
        Party.OTHER: Window(starts_at - quarter, ends_at),
    }


# Booking and changing a meeting.


@dataclass
class _Plan:
    """A meeting as asked for, with who comes on which side, before it is written."""

    case: Case
    purpose: MeetingPurpose
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: Venue | None
    platform: str
    participants: list[Participant]
    parties: dict[int, Party]
    windows: dict[Party, Window]
    staff: list[User]

    @property
    def sides(self) -> set[Party]:
        return {party for party in self.parties.values() if party in SIDES}

    def window_for(self, party: Party) -> Window:
        if party == Party.STAFF:
            present = [self.windows[p] for p in {*self.parties.values(), Party.OTHER}]
            return Window(min(w.arrives for w in present), max(w.leaves for w in present))
        return self.windows[party]


def _check_times(starts_at: datetime.datetime, duration_minutes: int) -> datetime.datetime:
    if starts_at <= timezone.now():
        raise DomainError(_("Choose a date and time in the future."), field="starts_at")
    if not SHORTEST_MEETING <= duration_minutes <= LONGEST_MEETING:
        raise DomainError(
            _("A meeting lasts between %(shortest)s minutes and %(longest)s hours.")
            % {"shortest": SHORTEST_MEETING, "longest": LONGEST_MEETING // 60},
            field="duration_minutes",
        )
    return starts_at + datetime.timedelta(minutes=duration_minutes)


def _check_windows(plan: _Plan) -> None:
    """Each side arrives before the start and leaves after the end, within reason, and apart from the other."""
    labels = {Party.HARMED: _("the person harmed's side"), Party.RESPONSIBLE: _("the person responsible's side")}
    for party in plan.sides | {Party.OTHER}:
        window = plan.windows[party]
        who = labels.get(party, _("others taking part"))
        if window.arrives > plan.starts_at or window.arrives < plan.starts_at - LONGEST_WAIT:
            raise DomainError(
                _("Arrival for %(who)s must be before the start, and no more than 2 hours before.") % {"who": who},
                field="windows",
            )
        if window.leaves < plan.ends_at or window.leaves > plan.ends_at + LONGEST_WAIT:
            raise DomainError(
                _("Departure for %(who)s must be after the end, and no more than 2 hours after.") % {"who": who},
                field="windows",
            )
    if plan.sides == set(SIDES):
        harmed, responsible = plan.windows[Party.HARMED], plan.windows[Party.RESPONSIBLE]
        if abs(harmed.arrives - responsible.arrives) < SEPARATION or abs(harmed.leaves - responsible.leaves) < (
            SEPARATION
        ):
            raise DomainError(
                _(
                    "The two sides must arrive at least 10 minutes apart and leave at least 10 minutes apart, so "
                    "they do not meet before or after."
                ),
                field="windows",
            )


def _check_place(plan: _Plan, facts: workflow.CaseFacts, visit_reference: str, security_cleared: bool) -> None:
    kind = plan.case.process_kind
    if bool(plan.venue) == bool(plan.platform):
        raise DomainError(_("Choose a venue, or a video platform for a virtual meeting."), field="venue")
    if plan.platform and plan.platform not in Platform.values:
        raise DomainError(_("Choose a video platform from the list."), field="platform")
    if kind == ProcessKind.VIRTUAL and plan.purpose in PROCESS_MEETINGS and not plan.platform:
        raise DomainError(_("The participants chose a virtual conference: choose a video platform."), field="platform")
    attending = {participant.pk for participant in plan.participants}
    if plan.venue is not None:
        virtual_only = [
            facts.name(participant)
            for participant in plan.participants
            if (assessment := facts.risk.get(participant.pk)) is not None
            and RiskCondition.VIRTUAL_ONLY in assessment.conditions
        ]
        if virtual_only:
            raise DomainError(
                _("The risk assessment of %(who)s allows virtual meetings only: choose a video platform.")
                % {"who": ", ".join(virtual_only)},
                field="venue",
            )
        venue = plan.venue
        if venue.service_id != plan.case.service_id or not venue.in_use:
            raise DomainError(_("Choose a venue of this service that is in use."), field="venue")
        needs = {
            AccessNeed.STEP_FREE: (
                venue.step_free,
                _("%(who)s needs step-free access, which this venue does not have."),
            ),
            AccessNeed.HEARING_LOOP: (venue.hearing_loop, _("%(who)s needs a hearing loop, which this venue lacks.")),
        }
        for participant in facts.participants:
            if participant.pk not in attending:
                continue
            for need, (met, message) in needs.items():
                if need in participant.person.access_needs and not met:
                    raise DomainError(message % {"who": facts.name(participant)}, field="venue")
        if plan.sides == set(SIDES) and not venue.separate_waiting_rooms:
            raise DomainError(
                _("Both sides come to this meeting: choose a venue with separate waiting rooms."), field="venue"
            )
        if venue.is_prison and not (visit_reference.strip() and security_cleared):
            raise DomainError(
                _(
                    "This venue is a prison: give the visit booking reference and confirm security clearance for "
                    "everyone attending."
                ),
                field="visit_booking_reference",
            )


def _check_who(plan: _Plan, facts: workflow.CaseFacts, supporters_agreed: bool) -> None:
    if (
        not any(
            participant.role in (ParticipantRole.PERSON_HARMED, ParticipantRole.PERSON_RESPONSIBLE)
            for participant in plan.participants
        )
        and plan.purpose != MeetingPurpose.PANEL
    ):
        raise DomainError(
            _("Choose who comes: at least the person harmed or the person responsible."), field="attendees"
        )
    for participant in plan.participants:
        if participant.case_id != plan.case.pk:
            raise DomainError(_("Choose people in this case."), field="attendees")
        if not participant.takes_part:
            raise DomainError(
                _(
                    "%(who)s does not take part in the process: record their consent and risk assessment and "
                    "change their part first."
                )
                % {"who": facts.name(participant)},
                field="attendees",
            )
    supporters = [participant for participant in plan.participants if participant.role == ParticipantRole.SUPPORTER]
    if supporters and not supporters_agreed:
        raise DomainError(
            _("Confirm that you agree each supporter may come (%(who)s).")
            % {"who": ", ".join(facts.name(participant) for participant in supporters)},
            field="supporters_agreed",
        )
    kind = plan.case.process_kind
    if plan.purpose in PROCESS_MEETINGS and kind in NO_MEETING_PROCESSES:
        raise DomainError(
            _("The process in this case is %(process)s: nobody is brought together, so there is no meeting to book.")
            % {"process": str(ProcessKind(kind).label).lower()},
            field="purpose",
        )
    if plan.purpose == MeetingPurpose.PANEL and kind != ProcessKind.REFERRAL_ORDER_PANEL:
        raise DomainError(_("A panel meeting belongs to a referral-order panel process."), field="purpose")
    if plan.purpose in (MeetingPurpose.PANEL, MeetingPurpose.REVIEW) and any(
        participant.role == ParticipantRole.PERSON_HARMED for participant in plan.participants
    ):
        _check_victim_invited(plan.case)
    if plan.sides == set(SIDES):
        if plan.purpose == MeetingPurpose.PREPARATION:
            raise DomainError(
                _("A preparation meeting is with one side only: book one for each side."), field="attendees"
            )
        if kind in INDIRECT_PROCESSES:
            raise DomainError(
                _("In %(process)s the two sides never meet: book a meeting with one side at a time.")
                % {"process": str(ProcessKind(kind).label).lower()},
                field="attendees",
            )


def _check_victim_invited(case: Case) -> None:
    """The person harmed comes before a referral-order panel only when they were invited and have not declined."""
    involvement = ReferralOrder.objects.filter(case=case).values_list("victim_involvement", flat=True).first() or ""
    if involvement in INVITED_INVOLVEMENTS:
        return
    if involvement == VictimInvolvement.DECLINED:
        raise DomainError(
            _("The person harmed declined to attend the panel: record their new answer first."), field="attendees"
        )
    if involvement == VictimInvolvement.NOT_INVITED:
        raise DomainError(
            _("It was decided not to invite the person harmed to the panel: change that decision first."),
            field="attendees",
        )
    raise DomainError(
        _("Decide whether to invite the person harmed to the panel, with your reasons, before they are booked."),
        field="attendees",
    )


def _clashes(plan: _Plan, exclude: Meeting | None) -> list[str]:
    """Facilitators, people and the venue already booked, at another booked meeting, at an overlapping time."""
    problems: list[str] = []
    others = Attendee.objects.filter(meeting__status=MeetingStatus.BOOKED).select_related("meeting", "staff")
    if exclude is not None:
        others = others.exclude(meeting=exclude)
    people = {participant.person_id: participant for participant in plan.participants}
    staff = {member.pk: member for member in plan.staff}
    for attendee in others.filter(
        Q(staff_id__in=list(staff)) | Q(participant__person_id__in=list(people))
    ).select_related("participant"):
        if attendee.staff_id is not None:
            window = plan.window_for(Party.STAFF)
            name = staff[attendee.staff_id].get_full_name() or staff[attendee.staff_id].email
        elif attendee.participant is not None:
            participant = people[attendee.participant.person_id]
            window = plan.window_for(plan.parties[participant.pk])
            name = participant.person.full_name
        else:
            continue
        if attendee.arrives_at < window.leaves and attendee.leaves_at > window.arrives:
            message = _("%(who)s is already at another meeting from %(start)s to %(end)s.") % {
                "who": name,
                "start": _clock(attendee.arrives_at),
                "end": time_format(timezone.localtime(attendee.leaves_at), "H:i"),
            }
            if message not in problems:
                problems.append(message)
    if plan.venue is not None:
        venue_meetings = Meeting.objects.filter(
            venue=plan.venue, status=MeetingStatus.BOOKED, starts_at__lt=plan.ends_at, ends_at__gt=plan.starts_at
        )
        if exclude is not None:
            venue_meetings = venue_meetings.exclude(pk=exclude.pk)
        problems.extend(
            _("%(venue)s is already booked from %(start)s to %(end)s.")
            % {
                "venue": plan.venue.name,
                "start": _clock(other.starts_at),
                "end": time_format(timezone.localtime(other.ends_at), "H:i"),
            }
            for other in venue_meetings
        )
    return problems


def _require_no_clash(plan: _Plan, exclude: Meeting | None = None) -> None:
    problems = _clashes(plan, exclude)
    if problems:
        raise DomainError(" ".join(problems), field="starts_at")


def _staff_of(case: Case) -> list[User]:
    return [member for member in (case.lead_facilitator, case.co_facilitator) if member is not None]


def _reminder_due(starts_at: datetime.datetime) -> datetime.date:
    """Two working days before the meeting, or today if that has passed."""
    day = timezone.localtime(starts_at).date()
    remaining = REMINDER_WORKING_DAYS
    while remaining > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return max(day, timezone.localdate())


def _remind(case: Case, actor: User | None) -> None:
    """One reminder per facilitator, for the next booked meeting of the case (none when nothing is booked)."""
    close_tasks(case=case, actor=actor, kinds=[TaskKind.MEETING_REMINDER])
    upcoming = Meeting.objects.filter(case=case, status=MeetingStatus.BOOKED).order_by("starts_at").first()
    if upcoming is None:
        return
    facilitators = [member for member in (case.lead_facilitator, case.co_facilitator) if member is not None]
    for owner in facilitators or ([actor] if actor is not None else coordinators_of(case.service)):
        create_task(
            service=case.service,
            case=case,
            kind=TaskKind.MEETING_REMINDER,
            assigned_to=owner,
            due_on=_reminder_due(upcoming.starts_at),
        )


def _locked_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("service", "lead_facilitator", "co_facilitator")
        .get(pk=case.pk)
    )


def _describe(meeting: Meeting) -> str:
    """What the timeline says about a meeting: its purpose and time, nothing about anyone in it."""
    return _("%(purpose)s on %(when)s") % {"purpose": meeting.get_purpose_display(), "when": _clock(meeting.starts_at)}


@transaction.atomic
def book_meeting(
    *,
    case: Case,
    actor: User,
    purpose: MeetingPurpose | str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    attendees: Sequence[Participant],
    venue: Venue | None = None,
    platform: str = "",
    pre_checks_on: datetime.date | None = None,
    visit_booking_reference: str = "",
    security_cleared: bool = False,
    supporters_agreed: bool = False,
    windows: Mapping[Party, Window] | None = None,
) -> Meeting:
    """Book a meeting of the case with the people coming, a time for each side, and a venue or a video platform.

    The four gates must hold; the arrangements must suit everyone coming (their risk conditions and access needs)
    and clash with nothing already booked.
    """
    require_case_access(actor, case)
    case = _locked_case(case)
    require_open(case)
    if purpose not in MeetingPurpose.values:
        raise DomainError(_("Choose what the meeting is for."), field="purpose")
    facts = require_gates(case, _("Booking the meeting"), states=BOOKING_STATES)
    if case.state not in BOOKING_STATES:
        raise DomainError(
            _("Meetings are booked once the gates hold and the case is being prepared, scheduled or under way.")
        )
    ends_at = _check_times(starts_at, duration_minutes)
    by_id = {participant.pk: participant for participant in facts.participants}
    chosen = [by_id.get(participant.pk, participant) for participant in attendees]
    if not chosen:
        raise DomainError(_("Choose who comes to the meeting."), field="attendees")
    refuse_if_restricted(*(participant.person_id for participant in chosen), field="attendees")
    plan_windows = dict(default_windows(starts_at, ends_at))
    plan_windows.update(windows or {})
    plan = _Plan(
        case=case,
        purpose=MeetingPurpose(purpose),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        platform=platform,
        participants=chosen,
        parties={participant.pk: party_of(participant, by_id) for participant in chosen},
        windows=plan_windows,
        staff=_staff_of(case),
    )
    _check_who(plan, facts, supporters_agreed)
    _check_place(plan, facts, visit_booking_reference, security_cleared)
    _check_windows(plan)
    _require_no_clash(plan)
    meeting = Meeting.objects.create(
        case=case,
        purpose=plan.purpose,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        ends_at=ends_at,
        venue=venue,
        platform=platform,
        pre_checks_on=pre_checks_on if platform else None,
        visit_booking_reference=visit_booking_reference.strip() if venue is not None and venue.is_prison else "",
        security_cleared=security_cleared if venue is not None and venue.is_prison else False,
        booked_by=actor,
    )
    _write_attendees(meeting, plan, actor)
    record_event(
        action=AuditAction.MEETING_BOOKED,
        actor=actor,
        target=meeting,
        service=case.service,
        changes={
            "purpose": plan.purpose.value,
            "starts_at": starts_at.isoformat(),
            "venue": venue.pk if venue is not None else None,
            "platform": platform,
            "attendees": len(chosen) + len(plan.staff),
        },
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.MEETING_BOOKED, detail=_describe(meeting))
    if case.state == State.PREPARING and plan.purpose in PROCESS_MEETINGS:
        case = transition_case(case=case, actor=actor, name=workflow.TransitionName.SCHEDULE)
    _remind(case, actor)
    return meeting


def _write_attendees(meeting: Meeting, plan: _Plan, actor: User) -> None:
    rows = [
        Attendee(
            meeting=meeting,
            participant=participant,
            party=plan.parties[participant.pk],
            arrives_at=plan.window_for(plan.parties[participant.pk]).arrives,
            leaves_at=plan.window_for(plan.parties[participant.pk]).leaves,
            agreed_by=actor if participant.role == ParticipantRole.SUPPORTER else None,
        )
        for participant in plan.participants
    ]
    staff_window = plan.window_for(Party.STAFF)
    rows.extend(
        Attendee(
            meeting=meeting,
            staff=member,
            party=Party.STAFF,
            arrives_at=staff_window.arrives,
            leaves_at=staff_window.leaves,
        )
        for member in plan.staff
    )
    Attendee.objects.bulk_create(rows)


def _locked_meeting(meeting: Meeting, expected_version: int | None) -> tuple[Meeting, Case]:
    case = _locked_case(meeting.case)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("venue").get(pk=meeting.pk)
    check_version(meeting, expected_version)
    meeting.case = case
    return meeting, case


def _require_booked(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.BOOKED:
        raise DomainError(
            _("This meeting is %(status)s: it cannot be changed now.")
            % {"status": str(MeetingStatus(meeting.status).label).lower()}
        )


@transaction.atomic
def move_meeting(
    *,
    meeting: Meeting,
    actor: User,
    starts_at: datetime.datetime,
    reason: str,
    expected_version: int | None = None,
) -> Meeting:
    """Postpone (or bring forward) a booked meeting: everyone's times move with it, so each side stays apart, and
    each attendee's calendar invitation is updated."""
    require_case_access(actor, meeting.case)
    meeting, case = _locked_meeting(meeting, expected_version)
    require_open(case)
    _require_booked(meeting)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the meeting is moving."), field="reason")
    if starts_at == meeting.starts_at:
        raise DomainError(_("Choose a new date or time."), field="starts_at")
    facts = require_gates(case, _("Moving the meeting"))
    ends_at = _check_times(starts_at, meeting.duration_minutes)
    shift = starts_at - meeting.starts_at
    attendees = list(meeting.attendees.select_related("participant__person", "staff"))
    by_id = {participant.pk: participant for participant in facts.participants}
    windows = {
        Party(attendee.party): Window(attendee.arrives_at + shift, attendee.leaves_at + shift)
        for attendee in attendees
        if attendee.party != Party.STAFF
    }
    windows.setdefault(Party.OTHER, default_windows(starts_at, ends_at)[Party.OTHER])
    participants = [by_id[a.participant_id] for a in attendees if a.participant_id in by_id]
    # New times mean new invitations: not for someone whose information is restricted (cancelling stays open).
    refuse_if_restricted(*(participant.person_id for participant in participants), field="starts_at")
    plan = _Plan(
        case=case,
        purpose=MeetingPurpose(meeting.purpose),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=meeting.venue,
        platform=meeting.platform,
        participants=participants,
        parties={participant.pk: party_of(participant, by_id) for participant in participants},
        windows=windows,
        staff=[a.staff for a in attendees if a.staff is not None],
    )
    _require_no_clash(plan, exclude=meeting)
    before = meeting.starts_at
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.times_moved += 1
    meeting.change_reason = reason
    save_versioned(
        meeting,
        expected_version=meeting.version,
        fields=["starts_at", "ends_at", "times_moved", "change_reason"],
    )
    for attendee in attendees:
        attendee.arrives_at += shift
        attendee.leaves_at += shift
    Attendee.objects.bulk_update(attendees, ["arrives_at", "leaves_at"])
    record_event(
        action=AuditAction.MEETING_CHANGED,
        actor=actor,
        target=meeting,
        service=case.service,
        changes={"starts_at": {"before": before.isoformat(), "after": starts_at.isoformat()}},
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.MEETING_POSTPONED,
        detail=_("%(meeting)s (was %(before)s): %(reason)s")
        % {"meeting": _describe(meeting), "before": _clock(before), "reason": reason},
    )
    _remind(case, actor)
    return meeting


def _unschedule_if_nothing_booked(case: Case, actor: User, reason: str) -> Case:
    """A scheduled case whose last booked meeting is off goes back to preparing (the workflow's Postpone)."""
    still_booked = Meeting.objects.filter(
        case=case, status=MeetingStatus.BOOKED, purpose__in=list(PROCESS_MEETINGS)
    ).exists()
    if case.state == State.SCHEDULED and not still_booked:
        return transition_case(case=case, actor=actor, name=workflow.TransitionName.POSTPONE, reason=reason)
    return case


@transaction.atomic
def record_pre_checks(
    *, meeting: Meeting, actor: User, checked_on: datetime.date, expected_version: int | None = None
) -> Meeting:
    """A virtual meeting's connection was tested with each attendee on `checked_on` (before the meeting, not after)."""
    require_case_access(actor, meeting.case)
    meeting, case = _locked_meeting(meeting, expected_version)
    require_open(case)
    _require_booked(meeting)
    if not meeting.platform:
        raise DomainError(_("Only a virtual meeting has its connection tested."), field="checked_on")
    if checked_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="checked_on")
    if checked_on > timezone.localdate(meeting.starts_at):
        raise DomainError(_("The connection is tested before the meeting, not after it."), field="checked_on")
    before = meeting.pre_checks_on
    meeting.pre_checks_on = checked_on
    save_versioned(meeting, expected_version=meeting.version, fields=["pre_checks_on"])
    record_event(
        action=AuditAction.MEETING_CHANGED,
        actor=actor,
        target=meeting,
        service=case.service,
        changes={"pre_checks_on": {"before": before.isoformat() if before else None, "after": checked_on.isoformat()}},
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.MEETING_CHANGED,
        detail=_("%(meeting)s: connection tested with each attendee") % {"meeting": _describe(meeting)},
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, actor: User, reason: str, expected_version: int | None = None) -> Meeting:
    """Call off a booked meeting; if it was the case's only one, the case goes back to preparing. Each attendee's
    calendar invitation is cancelled (by email, once the cancellation is saved)."""
    require_case_access(actor, meeting.case)
    meeting, case = _locked_meeting(meeting, expected_version)
    require_open(case)
    _require_booked(meeting)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the meeting is cancelled."), field="reason")
    _call_off(meeting=meeting, case=case, actor=actor, reason=reason)
    case = _unschedule_if_nothing_booked(case, actor, reason)
    _remind(case, actor)
    return meeting


def _call_off(*, meeting: Meeting, case: Case, actor: User | None, reason: str) -> None:
    """Mark a locked, booked meeting cancelled, record it, and send each attendee the cancellation of their
    invitation on commit."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.change_reason = reason
    save_versioned(meeting, expected_version=meeting.version, fields=["status", "change_reason"])
    record_event(
        action=AuditAction.MEETING_CANCELLED,
        actor=actor,
        target=meeting,
        service=case.service,
        changes={"status": {"before": MeetingStatus.BOOKED.value, "after": MeetingStatus.CANCELLED.value}},
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.MEETING_CANCELLED,
        detail=_("%(meeting)s: %(reason)s") % {"meeting": _describe(meeting), "reason": reason},
    )
    _send_cancellations(meeting, list(meeting.attendees.select_related("participant__person", "staff")))


def _send_cancellations(meeting: Meeting, attendees: Sequence[Attendee]) -> None:
    """Each attendee's invitation cancelled (same UID, METHOD:CANCEL), sent only once the change is saved."""
    emails = [email for attendee in attendees if (email := invitations.cancellation(meeting, attendee)) is not None]
    if emails:
        transaction.on_commit(lambda: [email.send() for email in emails])


# A referral-order panel or review meets with the young person whoever else comes: the victim's part is their choice.
PANEL_MEETINGS = frozenset({MeetingPurpose.PANEL, MeetingPurpose.REVIEW})


def _needs(meeting: Meeting, participant: Participant) -> bool:
    if participant.role == ParticipantRole.SUPPORTER:
        return False
    return meeting.purpose not in PANEL_MEETINGS or participant.role == ParticipantRole.PERSON_RESPONSIBLE


@transaction.atomic
def cancel_meetings_needing(*, participant: Participant, actor: User | None) -> list[Meeting]:
    """Someone withdrew their consent: every booked meeting of the case they were coming to is off, in the same
    transaction, and the facilitators are tasked to tell the others. Where the meeting does not need them (a
    supporter anywhere; anyone but the young person at a referral-order panel or review, which goes ahead without
    the victim) their withdrawal takes away only their own place; otherwise it calls the meeting off. Returns the
    meetings called off. actor is None when the participant withdrew through their secure link.

    Nothing recorded here, and nothing sent to the others, says why: a withdrawal is never revealed to the other
    party."""
    case = _locked_case(participant.case)
    places = list(
        Attendee.objects.select_for_update(of=("self",))
        .filter(participant=participant, meeting__case=case, meeting__status=MeetingStatus.BOOKED)
        .select_related("meeting", "participant__person")
        .order_by("meeting__starts_at", "pk")
    )
    called_off: list[Meeting] = []
    for place in places:
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("venue").get(pk=place.meeting_id)
        meeting.case = case
        if not _needs(meeting, participant):
            _send_cancellations(meeting, [place])
            coming = meeting.attendees.count()
            place.delete()
            record_event(
                action=AuditAction.MEETING_CHANGED,
                actor=actor,
                target=meeting,
                service=case.service,
                changes={"attendees": {"before": coming, "after": coming - 1}},
            )
            add_timeline(
                case=case,
                actor=actor,
                kind=TimelineKind.MEETING_CHANGED,
                participant=participant,
                detail=_("%(meeting)s: no longer coming") % {"meeting": _describe(meeting)},
            )
            continue
        _call_off(meeting=meeting, case=case, actor=actor, reason=_("The meeting will not go ahead as arranged."))
        called_off.append(meeting)
    if called_off:
        for person in _staff_of(case) or coordinators_of(case.service):
            create_task(
                service=case.service,
                case=case,
                kind=TaskKind.TELL_OF_CANCELLED_MEETING,
                assigned_to=person,
                due_on=timezone.localdate(),
            )
        _remind(case, actor)
    return called_off


@transaction.atomic
def record_meeting(
    *,
    meeting: Meeting,
    actor: User,
    outcome: MeetingStatus | str,
    attended: Collection[int],
    summary: str,
    expected_version: int | None = None,
) -> Meeting:
    """Record how a meeting went: who came (`attended`: attendee ids), what happened, and whether it was held,
    halted for safety, or did not go ahead.

    Held: the gates are checked once more and a scheduled case's process starts. Halted for safety: the case goes
    back to assessing at once, whatever else holds, and the lead facilitator reviews the risk assessment today.
    Did not go ahead: a scheduled case with nothing else booked goes back to preparing.
    """
    require_case_access(actor, meeting.case)
    meeting, case = _locked_meeting(meeting, expected_version)
    require_open(case)
    _require_booked(meeting)
    if outcome not in {MeetingStatus.HELD, MeetingStatus.HALTED, MeetingStatus.NOT_HELD}:
        raise DomainError(_("Choose how the meeting went."), field="outcome")
    if meeting.starts_at > timezone.now():
        raise DomainError(_("A meeting is recorded once it has started."), field="outcome")
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Write down what happened."), field="summary")
    attendees = list(meeting.attendees.all())
    known = {attendee.pk for attendee in attendees}
    if not set(attended) <= known:
        raise DomainError(_("Choose people who were expected at this meeting."), field="attended")
    came_participants = [a for a in attendees if a.pk in attended and a.participant_id is not None]
    if outcome == MeetingStatus.HELD:
        held_in = {State.SCHEDULED, State.IN_PROCESS} if meeting.purpose in PROCESS_MEETINGS else BOOKING_STATES
        if case.state not in held_in:
            raise DomainError(
                _(
                    "The case is %(state)s: a meeting is not held from there. Record that it did not go ahead, "
                    "or cancel it."
                )
                % {"state": str(State(case.state).label).lower()},
                field="outcome",
            )
        if not came_participants:
            raise DomainError(_("Nobody taking part came: record that the meeting did not go ahead."), field="attended")
        require_gates(case, _("Recording the meeting as held"))
        if meeting.purpose in (MeetingPurpose.PANEL, MeetingPurpose.REVIEW):
            youth_services.panel_meeting_held(meeting=meeting, actor=actor)
    for attendee in attendees:
        attendee.attended = attendee.pk in attended
    Attendee.objects.bulk_update(attendees, ["attended"])
    meeting.status = MeetingStatus(outcome)
    meeting.summary = summary
    meeting.recorded_by = actor
    meeting.recorded_at = timezone.now()
    save_versioned(
        meeting, expected_version=meeting.version, fields=["status", "summary", "recorded_by", "recorded_at"]
    )
    record_event(
        action=AuditAction.MEETING_RECORDED,
        actor=actor,
        target=meeting,
        service=case.service,
        changes={"status": meeting.status, "attended": len(attended), "expected": len(attendees)},
    )
    timeline_kind = TimelineKind.MEETING_HALTED if outcome == MeetingStatus.HALTED else TimelineKind.MEETING_RECORDED
    add_timeline(
        case=case,
        actor=actor,
        kind=timeline_kind,
        detail=_("%(meeting)s: %(status)s") % {"meeting": _describe(meeting), "status": meeting.get_status_display()},
    )
    reason = _("%(meeting)s: %(status)s") % {"meeting": _describe(meeting), "status": meeting.get_status_display()}
    if outcome == MeetingStatus.HELD and case.state == State.SCHEDULED and meeting.purpose in PROCESS_MEETINGS:
        case = transition_case(case=case, actor=actor, name=workflow.TransitionName.START_PROCESS)
    elif outcome == MeetingStatus.HALTED:
        case = _halt(case, actor, reason)
    elif outcome == MeetingStatus.NOT_HELD:
        case = _unschedule_if_nothing_booked(case, actor, reason)
    _remind(case, actor)
    return meeting


def _halt(case: Case, actor: User, reason: str) -> Case:
    """Back to assessing from wherever the process had got to; the lead facilitator reviews the risk today."""
    name = {
        State.IN_PROCESS: workflow.TransitionName.HALT,
        State.SCHEDULED: workflow.TransitionName.RETURN_TO_ASSESSING,
        State.PREPARING: workflow.TransitionName.RETURN_TO_ASSESSING,
    }.get(State(case.state))
    if name is not None:
        case = transition_case(case=case, actor=actor, name=name, reason=reason)
    create_task(
        service=case.service,
        case=case,
        kind=TaskKind.RISK_REVIEW,
        assigned_to=case.lead_facilitator or actor,
        due_on=timezone.localdate(),
    )
    return case
