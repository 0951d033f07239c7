"""Rows and cells for the agreement page's GOV.UK components: display only, no rules."""

import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.presenters import link, tag
from amends.cases.models import Case
from amends.cases.presenters import day, name_of
from amends.outcomes.models import (
    ActionKind,
    ActionStatus,
    AgreementAction,
    OutcomeAgreement,
    ParticipantAgreement,
    paid_total,
)
from amends.people.models import Participant

STATUS_COLOURS = {
    ActionStatus.OPEN: "blue",
    ActionStatus.COMPLETED: "green",
    ActionStatus.NOT_COMPLETED: "red",
    ActionStatus.WITHDRAWN: "grey",
}


def money(amount: Decimal | None) -> str:
    return f"£{amount:,.2f}" if amount is not None else ""


def agreement_rows(agreement: OutcomeAgreement, edit_url: str) -> list[dict[str, Any]]:
    return [
        {"key": _("Date made"), "value": day(agreement.made_on), "action_url": edit_url},
        {"key": _("What was agreed"), "value": agreement.summary, "action_url": edit_url},
        {"key": _("Recorded by"), "value": name_of(agreement.recorded_by)},
    ]


def participant_agreement_rows(records: list[ParticipantAgreement]) -> list[list[Any]]:
    return [
        [
            record.participant.person.full_name,
            record.participant.get_role_display(),
            day(record.agreed_on),
            record.get_method_display(),
            name_of(record.recorded_by),
        ]
        for record in records
    ]


def status_cell(action: AgreementAction, today: datetime.date) -> SafeString:
    status = tag(str(ActionStatus(action.status).label), STATUS_COLOURS[ActionStatus(action.status)])
    if action.is_overdue(today):
        return format_html("{} {}", status, tag(_("Overdue"), "red"))
    return status


def verified_cell(action: AgreementAction) -> str:
    if action.verified_at is None:
        return ""
    said = _("%(who)s, %(day)s") % {"who": name_of(action.verified_by), "day": day(action.verified_at)}
    return f"{said}: {action.verification_note}" if action.verification_note else said


def action_links(case_id: int, action: AgreementAction, *, can_change: bool) -> SafeString:
    if not can_change or action.status != ActionStatus.OPEN:
        return SafeString("")
    what = action.label()
    links = []
    if action.kind == ActionKind.COMPENSATION:
        url = reverse("payment_add", kwargs={"case_id": case_id, "action_id": action.pk})
        links.append(link(url, _("Record a payment"), what))
    verify_url = reverse("action_verify", kwargs={"case_id": case_id, "action_id": action.pk})
    links.append(link(verify_url, _("Record whether it was done"), what))
    withdraw_url = reverse("action_withdraw", kwargs={"case_id": case_id, "action_id": action.pk})
    links.append(link(withdraw_url, _("Withdraw"), what))
    return format_html_join(SafeString("<br>"), "{}", ((item,) for item in links))


def action_rows(case_id: int, actions: list[AgreementAction], today: datetime.date, *, can_change: bool) -> list[Any]:
    rows = []
    for action in actions:
        what = action.label()
        if action.kind == ActionKind.COMPENSATION:
            what = _("%(action)s: %(paid)s of %(amount)s paid") % {
                "action": what,
                "paid": money(paid_total(action)),
                "amount": money(action.amount),
            }
        rows.append(
            [
                what,
                action.description,
                action.owner.person.full_name,
                day(action.due_on),
                status_cell(action, today),
                verified_cell(action),
                action_links(case_id, action, can_change=can_change),
            ]
        )
    return rows


def payment_rows(actions: list[AgreementAction]) -> list[list[Any]]:
    return [
        [action.label(), money(payment.amount), day(payment.paid_on), name_of(payment.recorded_by)]
        for action in actions
        for payment in action.payments.all()
    ]


def print_links(case: Case, participants: list[Participant]) -> list[dict[str, str]]:
    """A printed copy of the agreement for each person taking part, in their own language."""
    return [
        {
            "url": reverse("agreement_print", kwargs={"case_id": case.pk, "participant_id": participant.pk}),
            "text": _("Print the agreement for %(name)s (PDF)") % {"name": participant.person.full_name},
        }
        for participant in participants
        if participant.takes_part
    ]
