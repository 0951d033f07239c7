"""Permission-matrix rows for the outcome agreement: its page and forms, and its API.

Each path first takes the target's case (in assessing) on to the process, through the services, and, where the row
needs them, makes the agreement and an action. Supervised rows first make the service's supervisor the case's
supervisor: they may read the agreement, and nothing more.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.outcomes import services as outcome_services
from amends.outcomes.models import ActionKind, AgreementAction, AgreementMethod, OutcomeAgreement
from amends.people.models import ParticipantRole
from tests.case_builders import agree_outcome, meet_gates, schedule
from tests.matrix.base import Endpoint, Target
from tests.matrix.case_api import API, _supervised

CASE_TEAM = frozenset({"coordinator", "facilitator"})
READERS = CASE_TEAM | {"supervisor"}


def _in_process(t: Target) -> Case:
    """The target's case, taken on to the process by its facilitator (once)."""
    case = Case.objects.select_related("service", "lead_facilitator").get(pk=t.case.pk)
    if case.state == State.ASSESSING:
        meet_gates(case, t.member)
        case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=t.member, name="start_preparing")
        case = schedule(case, t.member)
        case_services.transition_case(case=case, actor=t.member, name="start_process")
    return Case.objects.select_related("service", "lead_facilitator").get(pk=case.pk)


def _with_agreement(t: Target) -> Case:
    case = _in_process(t)
    if not AgreementAction.objects.filter(agreement__case=case).exists():
        agree_outcome(case, t.member)
    return case


def _compensation(t: Target) -> AgreementAction:
    case = _with_agreement(t)
    return outcome_services.add_action(
        case=case,
        actor=t.member,
        kind=ActionKind.COMPENSATION,
        description="Pay for the new lock.",
        owner=case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        amount=Decimal("80.00"),
    )


def _apology(t: Target) -> AgreementAction:
    _with_agreement(t)
    return AgreementAction.objects.get(agreement__case_id=t.case.pk, kind=ActionKind.APOLOGY)


def _page(rest: str, make: Callable[[Target], Any] = _with_agreement) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        make(t)
        return f"/cases/{t.case.pk}/agreement/{rest}"

    return path


def _action_page(rest: str, make: Callable[[Target], AgreementAction] = _apology) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        return f"/cases/{t.case.pk}/agreement/actions/{make(t).pk}/{rest}"

    return path


def _api(rest: str, make: Callable[[Target], Any] = _with_agreement) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        make(t)
        return f"{API}/cases/{t.case.pk}/agreement{rest}"

    return path


def _api_action(rest: str, make: Callable[[Target], AgreementAction]) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        return f"{API}/cases/{t.case.pk}/agreement/actions/{make(t).pk}{rest}"

    return path


def _today() -> datetime.date:
    return timezone.localdate()


def _harmed_id(t: Target) -> int:
    return t.participant.pk


def _responsible_id(t: Target) -> int:
    return Case.objects.get(pk=t.case.pk).participants.get(role=ParticipantRole.PERSON_RESPONSIBLE).pk


def _print(t: Target) -> str:
    _with_agreement(t)
    return f"/cases/{t.case.pk}/agreement/print/{t.participant.pk}/"


def _api_print(t: Target) -> str:
    _with_agreement(t)
    return f"{API}/cases/{t.case.pk}/agreement/participants/{t.participant.pk}/pdf"


ENDPOINTS = (
    Endpoint("agreement", "GET", _page(""), CASE_TEAM),
    Endpoint("agreement print", "GET", _supervised(_print), CASE_TEAM),
    Endpoint("agreement, supervised", "GET", _supervised(_page("")), READERS),
    Endpoint("agreement edit", "GET", _page("edit/", _in_process), CASE_TEAM),
    Endpoint("agreement edit", "POST", _page("edit/", _in_process), CASE_TEAM),
    Endpoint("agreement edit, supervised", "POST", _supervised(_page("edit/", _in_process)), CASE_TEAM),
    Endpoint("participant agreed", "GET", _page("agreed/"), CASE_TEAM),
    Endpoint("participant agreed", "POST", _page("agreed/"), CASE_TEAM),
    Endpoint("action add", "GET", _page("actions/add/"), CASE_TEAM),
    Endpoint("action add", "POST", _page("actions/add/"), CASE_TEAM),
    Endpoint("payment add", "GET", _action_page("payments/add/", _compensation), CASE_TEAM),
    Endpoint("payment add", "POST", _action_page("payments/add/", _compensation), CASE_TEAM),
    Endpoint("action verify", "GET", _action_page("verify/"), CASE_TEAM),
    Endpoint("action verify", "POST", _action_page("verify/"), CASE_TEAM),
    Endpoint("action verify, supervised", "POST", _supervised(_action_page("verify/")), CASE_TEAM),
    Endpoint("action withdraw", "GET", _action_page("withdraw/"), CASE_TEAM),
    Endpoint("action withdraw", "POST", _action_page("withdraw/"), CASE_TEAM),
    Endpoint("API: agreement", "GET", _api(""), CASE_TEAM),
    Endpoint("API: agreement, supervised", "GET", _supervised(_api("")), READERS),
    Endpoint("API: agreement PDF", "GET", _supervised(_api_print), CASE_TEAM),
    Endpoint(
        "API: make agreement",
        "POST",
        _supervised(_api("", _in_process)),
        CASE_TEAM,
        body=lambda t: {
            "made_on": _today(),
            "summary": "Rob will write to Ann to say sorry.",
            "version": getattr(OutcomeAgreement.objects.filter(case_id=t.case.pk).first(), "version", 0),
        },
    ),
    Endpoint(
        "API: participant agreement",
        "POST",
        _supervised(_api("/participant-agreements")),
        CASE_TEAM,
        body=lambda t: {"participant_id": _harmed_id(t), "agreed_on": _today(), "method": AgreementMethod.LETTER},
    ),
    Endpoint(
        "API: add action",
        "POST",
        _supervised(_api("/actions")),
        CASE_TEAM,
        body=lambda t: {
            "kind": ActionKind.EXPLANATION,
            "description": "Explain to Ann why he chose her house.",
            "owner_id": _responsible_id(t),
            "due_on": _today() + datetime.timedelta(days=14),
        },
    ),
    Endpoint(
        "API: payment",
        "POST",
        _supervised(_api_action("/payments", _compensation)),
        CASE_TEAM,
        body=lambda t: {"amount": "30.00", "paid_on": _today()},
    ),
    Endpoint(
        "API: verification",
        "POST",
        _supervised(_api_action("/verification", _apology)),
        CASE_TEAM,
        body=lambda t: {
            "completed": True,
            "note": "Letter read before it went.",
            "version": AgreementAction.objects.get(agreement__case_id=t.case.pk, kind=ActionKind.APOLOGY).version,
        },
    ),
    Endpoint(
        "API: withdraw action",
        "POST",
        _supervised(_api_action("/withdraw", _apology)),
        CASE_TEAM,
        body=lambda t: {
            "reason": "Ann no longer wants a letter.",
            "version": AgreementAction.objects.get(agreement__case_id=t.case.pk, kind=ActionKind.APOLOGY).version,
        },
    ),
)

URL_NAMES = (
    "agreement_detail",
    "agreement_print",
    "agreement_edit",
    "participant_agreement_add",
    "action_add",
    "payment_add",
    "action_verify",
    "action_withdraw",
)

API_PATHS = tuple(
    API + path
    for path in (
        "/cases/{case_id}/agreement",
        "/cases/{case_id}/agreement/participant-agreements",
        "/cases/{case_id}/agreement/actions",
        "/cases/{case_id}/agreement/actions/{action_id}/payments",
        "/cases/{case_id}/agreement/actions/{action_id}/verification",
        "/cases/{case_id}/agreement/actions/{action_id}/withdraw",
        "/cases/{case_id}/agreement/participants/{participant_id}/pdf",
    )
)

# Every path but the printed agreement (a read) takes a POST.
API_WRITES = tuple(f"POST {path}" for path in API_PATHS if not path.endswith("/pdf"))
