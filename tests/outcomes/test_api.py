"""The outcome agreement API: the agreement with its actions and payments, and refusals as documented."""

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Case, State
from amends.outcomes import selectors
from amends.outcomes.models import AgreementAction
from amends.people.models import Participant
from tests.case_builders import BuiltCase, agree_outcome, build_case
from tests.conftest import signed_in_client
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
    made = client.post(f"/cases/{built.case.pk}/agreement", {"made_on": _today(), "summary": "A letter.", "version": 0})
    assert made.status_code == 200
    assert made.json()["version"] == 1
    assert client.get(f"/cases/{built.case.pk}/agreement").json()["summary"] == "A letter."


def test_recording_an_agreement_as_new_when_one_was_made_since_answers_409(personas: Personas) -> None:
    built = _case(personas)
    client = TokenClient(personas.facilitator)
    url = f"/cases/{built.case.pk}/agreement"
    assert client.post(url, {"made_on": _today(), "summary": "A letter.", "version": 0}).status_code == 200
    again = client.post(url, {"made_on": _today(), "summary": "A visit.", "version": 0})
    assert (again.status_code, again.json()["field"]) == (409, "version")
    assert client.get(url).json()["summary"] == "A letter."


def test_it_refuses_an_agreement_before_the_process_with_409(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    response = TokenClient(personas.facilitator).post(
        f"/cases/{built.case.pk}/agreement", {"made_on": _today(), "summary": "A letter.", "version": 0}
    )
    assert response.status_code == 409
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
    assert refused.status_code == 409
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
    assert client.post(url, {"completed": True, "version": apology.version}).status_code == 404


def _withdraw(built: BuiltCase, action: AgreementAction) -> str:
    return f"/cases/{built.case.pk}/agreement/actions/{action.pk}/withdraw"


def test_it_withdraws_an_action_with_the_reason_and_audits_it(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    response = TokenClient(personas.facilitator).post(
        _withdraw(built, apology), {"reason": "Ann no longer wants a letter.", "version": apology.version}
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert (body["id"], body["status"], body["verification_note"]) == (
        apology.pk,
        "withdrawn",
        "Ann no longer wants a letter.",
    )
    assert body["verified_by_id"] == personas.facilitator.pk
    assert AgreementAction.objects.get(pk=apology.pk).status == "withdrawn"
    event = AuditEvent.objects.get(action=AuditAction.ACTION_WITHDRAWN)
    assert (event.actor, event.target_id) == (personas.facilitator, str(apology.pk))
    assert event.changes["reason"] == "[encrypted]"


def test_a_withdrawal_without_a_reason_answers_422_and_changes_nothing(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    client = TokenClient(personas.facilitator)
    # The schema says the reason is not blank: the request is refused before the service sees it.
    response = client.post(_withdraw(built, apology), {"reason": "   ", "version": apology.version})
    assert (response.status_code, response.json()["detail"][0]["loc"][-1]) == (422, "reason")
    assert client.post(_withdraw(built, apology), {}).status_code == 422
    assert AgreementAction.objects.get(pk=apology.pk).status == "open"
    assert not AuditEvent.objects.filter(action=AuditAction.ACTION_WITHDRAWN).exists()


def test_a_stale_or_repeated_withdrawal_answers_409(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    client = TokenClient(personas.facilitator)
    stale = client.post(_withdraw(built, apology), {"reason": "Varied.", "version": apology.version + 1})
    assert (stale.status_code, stale.json()["field"]) == (409, "version")
    assert client.post(_withdraw(built, apology), {"reason": "Varied.", "version": apology.version}).status_code == 200
    again = client.post(_withdraw(built, apology), {"reason": "Varied again.", "version": apology.version + 1})
    assert again.status_code == 409
    assert "already withdrawn" in again.json()["detail"]
    assert AuditEvent.objects.filter(action=AuditAction.ACTION_WITHDRAWN).count() == 1


def test_only_the_case_team_may_withdraw_an_action(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    Case.objects.filter(pk=built.case.pk).update(supervisor=personas.supervisor)
    for user in (personas.other_facilitator, personas.supervisor, personas.commissioner):
        response = TokenClient(user).post(_withdraw(built, apology), {"reason": "Varied.", "version": apology.version})
        assert response.status_code == 404, user
    assert AgreementAction.objects.get(pk=apology.pk).status == "open"
    assert not AuditEvent.objects.filter(action=AuditAction.ACTION_WITHDRAWN).exists()


def _pdf(built: BuiltCase, participant: Participant) -> str:
    return f"/cases/{built.case.pk}/agreement/participants/{participant.pk}/pdf"


def test_the_case_team_downloads_a_participants_copy_of_the_agreement_as_a_pdf(personas: Personas) -> None:
    built = _case(personas)
    agree_outcome(built.case, personas.facilitator)
    response = TokenClient(personas.facilitator).get(_pdf(built, built.harmed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # The same file name as the page's download: the case, never the person.
    page = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/agreement/print/{built.harmed.pk}/")
    assert response["Content-Disposition"] == page["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment; ")
    assert built.harmed.person.family_name not in response["Content-Disposition"]
    agreement = selectors.agreement_page(built.case).agreement
    assert agreement is not None
    viewed = AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, actor=personas.facilitator)
    # Once for the API's copy and once for the page's, each naming the agreement.
    assert [(e.target_type, e.target_id) for e in viewed] == [("outcomes.outcomeagreement", str(agreement.pk))] * 2


def test_there_is_no_pdf_before_the_agreement_nor_for_anyone_outside_the_case_team(personas: Personas) -> None:
    built = _case(personas)
    client = TokenClient(personas.facilitator)
    assert client.get(_pdf(built, built.harmed)).status_code == 404
    agree_outcome(built.case, personas.facilitator)
    Case.objects.filter(pk=built.case.pk).update(supervisor=personas.supervisor)
    for user in (personas.other_facilitator, personas.supervisor, personas.commissioner):
        assert TokenClient(user).get(_pdf(built, built.harmed)).status_code == 404, user
    other = build_case(
        service=personas.other_service,
        coordinator=personas.other_coordinator,
        facilitator=personas.other_facilitator,
        state=State.IN_PROCESS,
    )
    # A participant of another case, asked for through this one.
    assert client.get(_pdf(built, other.harmed)).status_code == 404
