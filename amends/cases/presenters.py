"""Rows, cells and links for the GOV.UK components on the case and referral pages: display only, no rules."""

import datetime
from typing import Any

from django.template.defaultfilters import date as format_date
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.presenters import lines, link, tag
from amends.cases import workflow
from amends.cases.models import Case, CaseNote, ProcessKind, State, Task, TaskKind, TimelineEntry
from amends.people.models import Participant
from amends.referrals.clocks import VictimsCodeClocks
from amends.referrals.models import Referral, TriageDecision

STATE_COLOURS = {
    State.REFERRED: "grey",
    State.ALLOCATED: "pink",
    State.CONTACTING: "turquoise",
    State.ASSESSING: "",
    State.AWAITING_SIGNOFF: "yellow",
    State.PREPARING: "purple",
    State.SCHEDULED: "purple",
    State.IN_PROCESS: "green",
    State.AGREEMENT_MONITORING: "green",
    State.FOLLOWING_UP: "teal",
    State.ON_HOLD: "orange",
    State.CLOSED: "grey",
}

DECISION_COLOURS = {
    TriageDecision.AWAITING: "yellow",
    TriageDecision.ACCEPTED: "green",
    TriageDecision.DECLINED: "red",
    TriageDecision.REDIRECTED: "grey",
}

# A case has an outcome agreement page once its process is under way (and keeps it on hold or closed).
AGREEMENT_PAGE_STATES = frozenset({State.IN_PROCESS, State.AGREEMENT_MONITORING, State.FOLLOWING_UP})


def agreement_url(case: Case) -> str:
    """The case's outcome agreement page, once it has one."""
    state = case.state_before_hold if case.state == State.ON_HOLD else case.state
    if state in AGREEMENT_PAGE_STATES or state == State.CLOSED:
        return reverse_or_empty("agreement_detail", case_id=case.pk)
    return ""


# Meetings and messages belong to a case once its gates hold and it is being prepared.
PROCESS_PAGE_STATES = frozenset({State.PREPARING, State.SCHEDULED}) | AGREEMENT_PAGE_STATES


def process_links(case: Case) -> list[dict[str, str]]:
    """The pages of the restorative process the case has reached: its meetings, its messages, its agreement and
    its follow-up."""
    state = case.state_before_hold if case.state == State.ON_HOLD else case.state
    reached = state in PROCESS_PAGE_STATES or state == State.CLOSED
    links = []
    if reached:
        links += [
            {"url": reverse_or_empty("meeting_list", case_id=case.pk), "text": _("Meetings")},
            {"url": reverse_or_empty("message_list", case_id=case.pk), "text": _("Messages passed between people")},
        ]
    agreement = agreement_url(case)
    if agreement:
        links.append({"url": agreement, "text": _("Outcome agreement and its actions")})
    if state in (State.FOLLOWING_UP, State.CLOSED):
        links.append({"url": reverse_or_empty("follow_up_detail", case_id=case.pk), "text": _("Follow-up")})
    if case.process_kind == ProcessKind.REFERRAL_ORDER_PANEL:
        links.append({"url": reverse_or_empty("referral_order", case_id=case.pk), "text": _("Referral order")})
    if case.pre_sentence:
        links.append({"url": reverse_or_empty("court_report", case_id=case.pk), "text": _("Report to the court")})
    return [link for link in links if link["url"]]


def reverse_or_empty(name: str, **kwargs: Any) -> str:
    """A URL, or nothing while the page it names is not there."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def case_link(case: Case) -> SafeString:
    return link(reverse("case_detail", kwargs={"case_id": case.pk}), case.reference)


def state_tag(state: str) -> SafeString:
    return tag(str(State(state).label), STATE_COLOURS.get(State(state), ""))


def decision_tag(decision: str) -> SafeString:
    return tag(str(TriageDecision(decision).label), DECISION_COLOURS[TriageDecision(decision)])


def day(value: datetime.date | datetime.datetime | None) -> str:
    return format_date(value, "j F Y") if value else ""


def fix_url(case: Case, missing: workflow.Missing) -> str:
    """The page that puts a missing thing right."""
    return workflow.fix_url(case, missing)


def gate_panel(case: Case, gates: list[workflow.GateStatus]) -> list[dict[str, Any]]:
    """Each gate: its name, a Holds or Missing tag, and each missing thing with the link that fixes it."""
    return [
        {
            "label": status.gate.label,
            "tag": tag(_("Holds"), "green") if status.holds else tag(_("Missing"), "red"),
            "missing": [{"message": item.message, "url": fix_url(case, item)} for item in status.missing],
        }
        for status in gates
    ]


def case_rows(case: Case, *, can_allocate: bool, can_work: bool) -> list[dict[str, Any]]:
    allocate_url = reverse("case_allocate", kwargs={"case_id": case.pk}) if can_allocate else ""
    details_url = reverse("case_details_edit", kwargs={"case_id": case.pk}) if can_work else ""
    nobody = _("Not allocated")
    rows: list[dict[str, Any]] = [
        {"key": _("Reference"), "value": case.reference},
        {"key": _("State"), "value": state_tag(case.state)},
        {"key": _("Lead facilitator"), "value": name_of(case.lead_facilitator) or nobody, "action_url": allocate_url},
        {"key": _("Co-facilitator"), "value": name_of(case.co_facilitator) or _("None"), "action_url": allocate_url},
        {"key": _("Supervisor"), "value": name_of(case.supervisor) or _("None"), "action_url": allocate_url},
        {
            "key": _("Sensitive or complex"),
            "value": lines(case.get_sensitivity_flags_display()) or _("No"),
            "action_url": details_url,
        },
        {
            "key": _("Chosen process"),
            "value": case.get_process_kind_display() or _("Not chosen yet"),
            "action_url": details_url,
        },
    ]
    if case.pre_sentence:
        order = (
            _("Deferment order of %(on)s; sentence deferred until %(until)s")
            % {"on": day(case.deferment_order_on), "until": day(case.deferred_until) or _("not given")}
            if case.deferment_order_on
            else _("Pre-sentence: the deferment order is not recorded yet")
        )
        rows.append({"key": _("Court order"), "value": order, "action_url": details_url})
    if case.state == State.ON_HOLD:
        rows.append(
            {
                "key": _("On hold"),
                "value": _("%(reason)s; review by %(day)s")
                % {"reason": case.get_hold_reason_display(), "day": day(case.hold_review_on)},
            }
        )
    if case.state == State.CLOSED:
        rows.append({"key": _("Closed"), "value": f"{day(case.closed_at)}: {case.get_closure_reason_display()}"})
    return rows


def name_of(user: Any) -> str:
    return str(user.full_name) if user is not None else ""


def participant_rows(case: Case, participants: list[Participant]) -> list[list[Any]]:
    rows = []
    for participant in participants:
        url = reverse_or_empty("participant_detail", case_id=case.pk, participant_id=participant.pk)
        name = participant.person.full_name
        rows.append(
            [
                link(url, name) if url else name,
                participant.get_role_display(),
                participant.supports.person.full_name if participant.supports else "",
                _("Yes") if participant.takes_part else _("No"),
            ]
        )
    return rows


def timeline_rows(entries: list[TimelineEntry]) -> list[list[Any]]:
    rows = []
    for entry in entries:
        what = entry.get_kind_display()
        if entry.from_state or entry.to_state:
            states = " → ".join(str(State(s).label) for s in (entry.from_state, entry.to_state) if s)
            what = f"{what}: {states}"
        rows.append(
            [
                format_date(entry.occurred_at, "j F Y H:i"),
                what,
                name_of(entry.actor),
                entry.participant.person.full_name if entry.participant else "",
                entry.detail,
            ]
        )
    return rows


def note_rows(notes: list[CaseNote]) -> list[list[Any]]:
    return [[format_date(note.created_at, "j F Y H:i"), name_of(note.author), note.text] for note in notes]


def task_link(task: Task) -> SafeString:
    """What the task is about: its case, its referral, or (a complaint's or a data protection request's task, kept off
    the case) the service's register of them."""
    if task.case_id is not None:
        return link(reverse("case_detail", kwargs={"case_id": task.case_id}), str(task.case))
    if task.referral_id is not None:
        return link(reverse("referral_detail", kwargs={"referral_id": task.referral_id}), _("Referral"))
    if task.kind == TaskKind.RIGHTS_REQUEST:
        return link(
            reverse("dataprotection:rights_list", kwargs={"service_id": task.service_id}),
            _("Data protection requests"),
            hidden=task.service.name,
        )
    return link(
        reverse("complaint_list", kwargs={"service_id": task.service_id}),
        _("Complaints and compliments"),
        hidden=task.service.name,
    )


def due_cell(task: Task, today: datetime.date) -> SafeString:
    if task.is_overdue(today):
        return format_html("{} {}", day(task.due_on), tag(_("Overdue"), "red"))
    return format_html("{}", day(task.due_on))


def clock_rows(clocks: VictimsCodeClocks) -> list[dict[str, Any]]:
    def met(value: bool | None) -> SafeString:
        if value is None:
            return tag(_("Not known yet"), "grey")
        return tag(_("Met"), "green") if value else tag(_("Missed"), "red")

    if clocks.right_3_due is None:
        return [{"key": _("Victims' Code clocks"), "value": _("Not known: the date reported is not given.")}]
    return [
        {
            "key": _("Right 3: told about RJ"),
            "value": format_html("{} {}", _("Due %(day)s") % {"day": day(clocks.right_3_due)}, met(clocks.right_3_met)),
        },
        {
            "key": _("Right 4: referred for support"),
            "value": format_html("{} {}", _("Due %(day)s") % {"day": day(clocks.right_4_due)}, met(clocks.right_4_met)),
        },
    ]


def referral_rows(referral: Referral) -> list[dict[str, Any]]:
    not_given = _("Not given")
    return [
        {"key": _("Received"), "value": day(referral.received_on)},
        {"key": _("Referral source"), "value": referral.get_source_display()},
        {"key": _("Referrer"), "value": referral.referrer_name or not_given},
        {"key": _("Referrer's organisation"), "value": referral.referrer_organisation or not_given},
        {"key": _("Referrer's phone or email"), "value": referral.referrer_contact or not_given},
        {"key": _("Crime reference"), "value": referral.crime_reference or not_given},
        {"key": _("Offence or harm"), "value": referral.get_offence_category_display()},
        {"key": _("Date of the offence or harm"), "value": day(referral.offence_date) or not_given},
        {"key": _("Date reported to the police"), "value": day(referral.reported_on) or not_given},
        {"key": _("Area"), "value": referral.area or _("Not known")},
        {"key": _("Criminal justice stage"), "value": referral.get_justice_stage_display()},
        {"key": _("Who asked for RJ"), "value": referral.get_initiated_by_display()},
        {"key": _("Setting"), "value": referral.get_setting_display()},
        {"key": _("Enhanced rights"), "value": referral.get_enhanced_rights_display() or _("No enhanced rights")},
        {
            "key": _("Person harmed told about RJ"),
            "value": (
                _("%(day)s by %(who)s")
                % {"day": day(referral.victim_told_about_rj_on), "who": referral.victim_told_about_rj_by}
                if referral.victim_told_about_rj_on
                else _("Not yet")
            ),
        },
        {"key": _("What happened, and what is asked for"), "value": referral.summary or not_given},
        {"key": _("Known risks"), "value": referral.risk_information or not_given},
    ]


def referral_status_rows(referral: Referral) -> list[dict[str, Any]]:
    """What the person who entered a referral sees: when it arrived, the decision and the case reference."""
    rows: list[dict[str, Any]] = [
        {"key": _("Received"), "value": day(referral.received_on)},
        {"key": _("Decision"), "value": decision_tag(referral.decision)},
    ]
    if referral.decided_at:
        rows.append({"key": _("Decided"), "value": day(referral.decided_at)})
    if referral.case is not None:
        rows.append({"key": _("Case reference"), "value": referral.case.reference})
    if referral.redirected_to:
        rows.append({"key": _("Redirected to"), "value": referral.redirected_to})
    return rows
