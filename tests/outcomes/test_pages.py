"""The outcome agreement page and its forms: what they show, what they record, and refusals that keep what was typed."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import State
from amends.outcomes import services
from amends.outcomes.models import ActionKind, ActionStatus, AgreementAction, OutcomeAgreement
from tests.case_builders import BuiltCase, agree_outcome, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def _case(personas: Personas, state: State = State.IN_PROCESS) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _url(built: BuiltCase, rest: str = "") -> str:
    return f"/cases/{built.case.pk}/agreement/{rest}"


def _day(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d/%m/%Y")


def test_the_case_page_links_the_agreement_once_the_process_is_under_way(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    assessing = _case(personas, State.ASSESSING)
    assert _url(assessing) not in client.get(f"/cases/{assessing.case.pk}/").content.decode()
    in_process = _case(personas)
    assert _url(in_process) in client.get(f"/cases/{in_process.case.pk}/").content.decode()


def test_it_makes_the_agreement_and_records_who_agreed_through_the_pages(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    page = client.get(_url(built)).content.decode()
    assert "No outcome agreement has been recorded yet." in page
    response = client.post(_url(built, "edit/"), {"made_on": _day(), "summary": "Liam will write to say sorry."})
    assert response.status_code == 302
    response = client.post(
        _url(built, "agreed/"), {"participant_id": built.harmed.pk, "agreed_on": _day(), "method": "in_person"}
    )
    assert response.status_code == 302
    page = client.get(_url(built)).content.decode()
    assert "Liam will write to say sorry." in page
    assert "Ann Harmed" in page


def test_it_keeps_what_was_typed_when_the_agreement_is_refused(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    response = client.post(_url(built, "edit/"), {"made_on": _day(3), "summary": "Words kept as typed."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The date cannot be in the future." in page
    assert "Words kept as typed." in page
    assert not OutcomeAgreement.objects.exists()


def test_it_adds_an_action_and_keeps_what_was_typed_on_refusal(personas: Personas) -> None:
    built = _case(personas)
    agree_outcome(built.case, personas.facilitator)
    client = signed_in_client(personas.facilitator)
    data = {
        "kind": ActionKind.COMPENSATION,
        "support_kind": "",
        "description": "Pay for the new lock.",
        "owner_id": built.responsible.pk,
        "due_on": _day(30),
        "amount": "",
    }
    response = client.post(_url(built, "actions/add/"), data)
    assert response.status_code == 200
    assert "Give the amount of compensation agreed." in response.content.decode()
    assert "Pay for the new lock." in response.content.decode()
    response = client.post(_url(built, "actions/add/"), {**data, "amount": "85.50"})
    assert response.status_code == 302
    assert AgreementAction.objects.get(kind=ActionKind.COMPENSATION).amount == Decimal("85.50")


def test_it_records_payments_verifies_and_withdraws_through_the_pages(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    compensation = services.add_action(
        case=built.case,
        actor=personas.facilitator,
        kind=ActionKind.COMPENSATION,
        description="Pay for the new lock.",
        owner=built.responsible,
        due_on=timezone.localdate(),
        amount=Decimal("20.00"),
    )
    client = signed_in_client(personas.facilitator)
    payment_url = _url(built, f"actions/{compensation.pk}/payments/add/")
    response = client.post(payment_url, {"amount": "25.00", "paid_on": _day()})
    assert response.status_code == 200
    assert "more than is still owed" in response.content.decode()
    assert 'value="25.00"' in response.content.decode()
    assert client.post(payment_url, {"amount": "20.00", "paid_on": _day()}).status_code == 302
    verify_url = _url(built, f"actions/{apology.pk}/verify/")
    response = client.post(verify_url, {"outcome": "not_completed", "note": "", "version": apology.version})
    assert "Say what happened" in response.content.decode()
    response = client.post(verify_url, {"outcome": "completed", "note": "Letter read.", "version": apology.version})
    assert response.status_code == 302
    withdraw_url = _url(built, f"actions/{compensation.pk}/withdraw/")
    response = client.post(withdraw_url, {"reason": "Paid and agreed to close.", "version": compensation.version})
    assert response.status_code == 302
    statuses = dict(AgreementAction.objects.values_list("kind", "status"))
    assert statuses == {ActionKind.APOLOGY: ActionStatus.COMPLETED, ActionKind.COMPENSATION: ActionStatus.WITHDRAWN}
    page = client.get(_url(built)).content.decode()
    assert "£20.00" in page


def test_the_page_tags_an_overdue_action_and_records_the_view(personas: Personas) -> None:
    built = _case(personas)
    agreement = services.make_agreement(
        case=built.case,
        actor=personas.facilitator,
        made_on=timezone.localdate() - datetime.timedelta(days=20),
        summary="Garden work.",
    )
    services.add_action(
        case=built.case,
        actor=personas.facilitator,
        kind=ActionKind.REPARATION,
        description="Two Saturdays at the allotment.",
        owner=built.responsible,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = signed_in_client(personas.coordinator).get(_url(built)).content.decode()
    assert "Overdue" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, target_id=str(agreement.pk), actor=personas.coordinator
    ).exists()


def test_a_supervisor_of_the_case_reads_the_agreement_without_its_forms(personas: Personas) -> None:
    from amends.cases.services import allocate_case

    built = _case(personas)
    agree_outcome(built.case, personas.facilitator)
    allocate_case(
        case=built.case, actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.supervisor
    )
    client = signed_in_client(personas.supervisor)
    page = client.get(_url(built)).content.decode()
    assert "A letter of apology to Ann" in page
    assert "Add an action" not in page
    assert client.get(_url(built, "actions/add/")).status_code == 404


def _add_many(personas: Personas, built: BuiltCase, count: int) -> None:
    for number in range(count):
        action = services.add_action(
            case=built.case,
            actor=personas.facilitator,
            kind=ActionKind.COMPENSATION,
            description=f"Instalment plan {number}.",
            owner=built.responsible,
            due_on=timezone.localdate(),
            amount=Decimal("30.00"),
        )
        for _ in range(2):
            services.record_payment(
                action=AgreementAction.objects.get(pk=action.pk),
                actor=personas.facilitator,
                amount=Decimal("10.00"),
                paid_on=timezone.localdate(),
            )


def test_the_agreement_page_runs_the_same_queries_with_one_action_or_many(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    one = _case(personas)
    agree_outcome(one.case, personas.facilitator)
    _add_many(personas, one, 1)
    many = _case(personas)
    agree_outcome(many.case, personas.facilitator)
    _add_many(personas, many, 6)
    queries_for(client, _url(one))
    assert queries_for(client, _url(many)) == queries_for(client, _url(one))
