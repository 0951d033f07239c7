"""Withdrawing consent, and a safeguarding concern, in every open state: the case goes back to assessing where it
was past assessing, and its facilitators are told at once, by a task and an email that names nobody."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from amends.accounts.models import User
from amends.audit.models import AuditAction, AuditEvent
from amends.cases import workflow
from amends.cases.models import ProcessKind, State, Task, TaskKind, TimelineKind
from amends.consent import services as consent_services
from amends.consent.models import ConsentKind, ConsentMethod, ConsentRecord, ConsentScope, InformationItem
from amends.core.errors import DomainError
from amends.risk import services as risk_services
from amends.risk.models import RiskInformationKind
from tests.case_builders import BuiltCase
from tests.cases.test_workflow import HARMED_NAME, RESPONSIBLE_NAME, case_in, reload
from tests.personas import Personas

pytestmark = pytest.mark.django_db

OPEN_STATES = sorted(workflow.OPEN)
NAMES = (*HARMED_NAME.split(), *RESPONSIBLE_NAME.split())


def consent_of(built: BuiltCase, actor: User) -> None:
    """Make sure the person harmed has consent to withdraw (early states have none yet)."""
    latest = built.harmed.consent_records.order_by("-occurred_at", "-pk").first()
    if latest is None or latest.kind != ConsentKind.GIVEN:
        consent_services.give_consent(
            participant=built.harmed,
            actor=actor,
            scopes=[ConsentScope.TAKE_PART],
            process_kinds=[ProcessKind.FACE_TO_FACE],
            method=ConsentMethod.VERBAL,
            witnessed_by="Duty coordinator",
            occurred_at=timezone.now() - datetime.timedelta(minutes=2),
        )


def withdraw(built: BuiltCase, personas: Personas) -> None:
    consent_of(built, personas.coordinator)
    consent_services.withdraw_consent(participant=built.harmed, actor=personas.coordinator, reason="Changed my mind")


def raise_concern(built: BuiltCase, personas: Personas) -> None:
    risk_services.record_risk_information(
        case=reload(built.case),
        actor=personas.coordinator,
        kind=RiskInformationKind.SAFEGUARDING,
        details="Disclosure of harm at home.",
        participant=built.responsible,
        referred_to="Local authority",
    )


EVENTS: dict[str, tuple[Callable[[BuiltCase, Personas], None], TaskKind]] = {
    "consent withdrawn": (withdraw, TaskKind.CONSENT_WITHDRAWN),
    "safeguarding concern": (raise_concern, TaskKind.SAFEGUARDING),
}


# Written out, not read from the workflow, so that dropping a state from workflow.RETURNS_TO_ASSESSING fails here.
GOES_BACK = frozenset(
    {
        State.AWAITING_SIGNOFF,
        State.PREPARING,
        State.SCHEDULED,
        State.IN_PROCESS,
        State.AGREEMENT_MONITORING,
        State.FOLLOWING_UP,
    }
)


def _expected_state(state: State) -> State:
    return State.ASSESSING if state in GOES_BACK else state


@pytest.mark.parametrize("event", sorted(EVENTS))
@pytest.mark.parametrize("state", OPEN_STATES)
def test_it_moves_the_case_and_tells_its_facilitators_in_every_open_state(
    personas: Personas,
    state: State,
    event: str,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    happen, task_kind = EVENTS[event]
    built = case_in(personas, state)
    told = [personas.facilitator] if built.case.lead_facilitator_id else [personas.coordinator]

    with django_capture_on_commit_callbacks(execute=True):
        happen(built, personas)

    case = reload(built.case)
    assert case.state == _expected_state(state)
    if state in GOES_BACK:
        assert case.timeline.filter(from_state=state, to_state=State.ASSESSING).exists()
        assert AuditEvent.objects.filter(
            action=AuditAction.CASE_STATE_CHANGED, target_id=str(case.pk), changes__state=[state, State.ASSESSING]
        ).exists()
    tasks = Task.objects.open().filter(case=case, kind=task_kind)
    assert [task.assigned_to for task in tasks] == told
    assert [task.due_on for task in tasks] == [timezone.localdate()]
    # A booked meeting is called off too, and its invitations cancelled (tests/meetings/test_withdrawal.py): here,
    # only the email that tells the facilitators.
    told_emails = [email for email in mailoutbox if not email.attachments]
    assert len(told_emails) == 1
    message = told_emails[0]
    assert message.to == [person.email for person in told]
    assert case.reference in message.body
    for name in NAMES:
        assert name not in message.body
        assert name not in message.subject


def test_it_leaves_the_case_where_it_is_on_risk_information_that_is_not_a_safeguarding_concern(
    personas: Personas, mailoutbox: list[Any]
) -> None:
    built = case_in(personas, State.PREPARING)

    risk_services.record_risk_information(
        case=reload(built.case),
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="The police shared an update on bail conditions.",
        participant=built.responsible,
    )

    assert reload(built.case).state == State.PREPARING
    assert not Task.objects.filter(case=built.case, kind=TaskKind.SAFEGUARDING).exists()
    assert mailoutbox == []


def test_it_records_a_safeguarding_concern_in_a_closed_case_and_tells_its_coordinators_without_reopening_it(
    personas: Personas, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    built = case_in(personas, State.CLOSED)

    with django_capture_on_commit_callbacks(execute=True):
        raise_concern(built, personas)

    case = reload(built.case)
    assert case.state == State.CLOSED
    assert case.risk_information.get().kind == RiskInformationKind.SAFEGUARDING
    tasks = Task.objects.open().filter(case=case)
    assert [(task.kind, task.assigned_to) for task in tasks] == [(TaskKind.SAFEGUARDING, personas.coordinator)]
    assert [message.to for message in mailoutbox] == [[personas.coordinator.email]]
    assert case.reference in mailoutbox[0].body


def test_it_closes_the_sign_off_task_when_the_case_goes_back(personas: Personas) -> None:
    built = case_in(personas, State.AWAITING_SIGNOFF)
    assert Task.objects.open().filter(case=built.case, kind=TaskKind.SIGN_OFF).exists()

    withdraw(built, personas)

    assert reload(built.case).state == State.ASSESSING
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.SIGN_OFF).exists()


def test_it_tells_the_co_facilitator_too(
    personas: Personas, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    from amends.cases import services as case_services
    from tests.cases.test_allocation import eligible_facilitator

    built = case_in(personas, State.SCHEDULED)
    co_facilitator = eligible_facilitator(personas)
    case_services.allocate_case(
        case=reload(built.case), actor=personas.coordinator, lead=personas.facilitator, co_facilitator=co_facilitator
    )

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(built, personas)

    assert {task.assigned_to for task in Task.objects.open().filter(kind=TaskKind.CONSENT_WITHDRAWN)} == {
        personas.facilitator,
        co_facilitator,
    }
    assert sorted(mailoutbox[0].to) == sorted([personas.facilitator.email, co_facilitator.email])


def test_it_lets_a_participant_withdraw_without_a_reason_or_a_staff_member(personas: Personas) -> None:
    built = case_in(personas, State.PREPARING)

    record = consent_services.withdraw_consent(participant=built.harmed, actor=None)

    assert record.kind == ConsentKind.WITHDRAWN
    assert record.recorded_by is None
    assert reload(built.case).state == State.ASSESSING
    assert built.case.timeline.filter(kind=TimelineKind.CONSENT_WITHDRAWN, participant=built.harmed).exists()


def test_it_records_the_withdrawal_in_the_audit(personas: Personas) -> None:
    built = case_in(personas, State.PREPARING)

    record = consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator, reason="No")

    event = AuditEvent.objects.get(action=AuditAction.CONSENT_WITHDRAWN, target_id=str(record.pk))
    assert event.actor == personas.facilitator
    assert event.service == personas.service


def test_it_refuses_to_withdraw_consent_nobody_gave(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError, match="no consent to withdraw"):
        consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator)


def test_it_refuses_to_withdraw_twice(personas: Personas) -> None:
    built = case_in(personas, State.PREPARING)
    consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator)

    with pytest.raises(DomainError, match="no consent to withdraw"):
        consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator)


def test_it_refuses_a_withdrawal_in_a_closed_case(personas: Personas, mailoutbox: list[Any]) -> None:
    built = case_in(personas, State.CLOSED)

    with pytest.raises(DomainError, match="closed"):
        consent_services.withdraw_consent(participant=built.harmed, actor=personas.coordinator)
    assert reload(built.case).state == State.CLOSED


def test_it_refuses_a_withdrawal_by_someone_outside_the_case(personas: Personas) -> None:
    built = case_in(personas, State.PREPARING)

    with pytest.raises(DomainError):
        consent_services.withdraw_consent(participant=built.harmed, actor=personas.other_facilitator)
    assert reload(built.case).state == State.PREPARING


def test_it_keeps_what_consent_rests_on_encrypted_in_the_database(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    record = consent_services.give_consent(
        participant=built.harmed,
        actor=personas.facilitator,
        scopes=[ConsentScope.TAKE_PART, ConsentScope.SHARE_INFORMATION],
        process_kinds=[ProcessKind.LETTERS],
        method=ConsentMethod.VERBAL,
        witnessed_by="Bethan Witness",
        share_with="Her sister Carys",
        occurred_at=timezone.now(),
    )

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT witnessed_by, share_with FROM {ConsentRecord._meta.db_table} WHERE id = %s",  # noqa: S608
            [record.pk],
        )
        stored = cursor.fetchone()
    assert "Bethan" not in str(stored[0])
    assert "Carys" not in str(stored[1])
    record.refresh_from_db()
    assert (record.witnessed_by, record.share_with) == ("Bethan Witness", "Her sister Carys")


def test_it_records_information_given_and_responsibility_in_the_audit(personas: Personas) -> None:
    from amends.consent.models import ResponsibilityRecord

    built = case_in(personas, State.ASSESSING)
    information = consent_services.record_information_given(
        participant=built.responsible,
        actor=personas.facilitator,
        items=[InformationItem.VOLUNTARY],
        given_on=timezone.localdate(),
        format="leaflet",
    )
    responsibility = consent_services.record_responsibility(
        participant=built.responsible,
        actor=personas.facilitator,
        basis="admission",
        level="full",
        in_their_words="I took the bike from Ann's shed",
        recorded_on=timezone.localdate(),
    )

    assert AuditEvent.objects.filter(action=AuditAction.INFORMATION_GIVEN, target_id=str(information.pk)).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.RESPONSIBILITY_RECORDED, target_id=str(responsibility.pk)
    ).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT in_their_words FROM {ResponsibilityRecord._meta.db_table} WHERE id = %s",  # noqa: S608
            [responsibility.pk],
        )
        assert "bike" not in str(cursor.fetchone()[0])


def test_it_refuses_information_dated_in_the_future(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError) as caught:
        consent_services.record_information_given(
            participant=built.harmed,
            actor=personas.facilitator,
            items=[InformationItem.PROCESS],
            given_on=timezone.localdate() + datetime.timedelta(days=1),
            format="phone",
        )
    assert caught.value.field == "given_on"
