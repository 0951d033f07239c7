"""The outcome agreement API: the agreement with its actions and payments, and refusals as documented."""

import datetime

import pytest
from django.utils import timezone

from amends.cases.models import State
from amends.outcomes.models import AgreementAction
from tests.case_builders import BuiltCase, agree_outcome, build_case
from tests.personas import Personas
from tests.test_api_cases import TokenClient

pytestmark = pytest.mark.django_db


def _case(personas: Personas, state: State = State.IN_PROCESS) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _today() -> str:
    return timezone.localdate().isoformat()


def test_the_agreement_is_not_found_until_it_is_made(personas: Personas) -> None:
    built = _case(personas)
    client = TokenClient(personas.facilitator)
    assert client.get(f"/cases/{built.case.pk}/agreement").status_code == 404
    made = client.post(f"/cases/{built.case.pk}/agreement", {"made_on": _today(), "summary": "A letter."})
    assert made.status_code == 200
    assert made.json()["version"] == 1
    assert client.get(f"/cases/{built.case.pk}/agreement").json()["summary"] == "A letter."


def test_it_refuses_an_agreement_before_the_process_with_400(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    response = TokenClient(personas.facilitator).post(
        f"/cases/{built.case.pk}/agreement", {"made_on": _today(), "summary": "A letter."}
    )
    assert response.status_code == 400
    assert "while the process is under way" in response.json()["detail"]


def test_it_adds_compensation_and_refuses_payments_beyond_it(personas: Personas) -> None:
    built = _case(personas)
    agree_outcome(built.case, personas.facilitator)
    client = TokenClient(personas.facilitator)
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    action = client.post(
        f"/cases/{built.case.pk}/agreement/actions",
        {
            "kind": "compensation",
            "description": "New lock.",
            "owner_id": built.responsible.pk,
            "due_on": due,
            "amount": "60.00",
        },
    )
    assert action.status_code == 201, action.content
    action_id = action.json()["id"]
    payments = f"/cases/{built.case.pk}/agreement/actions/{action_id}/payments"
    assert client.post(payments, {"amount": "50.00", "paid_on": _today()}).status_code == 201
    refused = client.post(payments, {"amount": "10.01", "paid_on": _today()})
    assert refused.status_code == 400
    assert refused.json()["field"] == "amount"
    assert client.post(payments, {"amount": "1.001", "paid_on": _today()}).status_code == 422
    agreement = client.get(f"/cases/{built.case.pk}/agreement").json()
    compensation = next(a for a in agreement["actions"] if a["kind"] == "compensation")
    assert compensation["paid"] == "50.00"
    assert [p["amount"] for p in compensation["payments"]] == ["50.00"]


def test_a_stale_verification_answers_409(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    client = TokenClient(personas.facilitator)
    url = f"/cases/{built.case.pk}/agreement/actions/{apology.pk}/verification"
    response = client.post(url, {"completed": True, "version": apology.version + 1})
    assert response.status_code == 409
    assert AgreementAction.objects.get(pk=apology.pk).status == "open"


def test_another_services_facilitator_gets_404(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    client = TokenClient(personas.other_facilitator)
    assert client.get(f"/cases/{built.case.pk}/agreement").status_code == 404
    url = f"/cases/{built.case.pk}/agreement/actions/{apology.pk}/verification"
    assert client.post(url, {"completed": True}).status_code == 404
