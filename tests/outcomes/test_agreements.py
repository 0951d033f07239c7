"""Outcome agreements and their actions: the rules of the services, the two guards, the task to tell the person
harmed, the audit and the timeline."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, State, Task, TaskKind, TimelineKind
from amends.cases.presenters import fix_url
from amends.cases.services import TransitionRefusedError
from amends.core.errors import DomainError
from amends.core.workdays import add_working_days
from amends.outcomes import services
from amends.outcomes.models import (
    ActionKind,
    ActionStatus,
    AgreementAction,
    AgreementMethod,
    OutcomeAgreement,
    SupportKind,
)
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactOutcome
from amends.risk import services as risk_services
from amends.risk.models import RiskInformationKind
from tests.case_builders import BuiltCase, agree_outcome, build_case
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _case(personas: Personas, state: State = State.IN_PROCESS) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _today() -> datetime.date:
    return timezone.localdate()


def _agreement(personas: Personas, built: BuiltCase) -> None:
    services.make_agreement(
        case=built.case, actor=personas.facilitator, made_on=_today(), summary="Liam will say sorry to Margaret."
    )


def _compensation(personas: Personas, built: BuiltCase, amount: str = "100.00") -> AgreementAction:
    _agreement(personas, built)
    return services.add_action(
        case=built.case,
        actor=personas.facilitator,
        kind=ActionKind.COMPENSATION,
        description="Pay for the broken window.",
        owner=built.responsible,
        due_on=_today() + datetime.timedelta(days=30),
        amount=Decimal(amount),
    )


def _fresh(action: AgreementAction) -> AgreementAction:
    return AgreementAction.objects.select_related("agreement__case").get(pk=action.pk)


# Making the agreement --------------------------------------------------------------------------------------------


def test_it_makes_the_agreement_with_its_audit_and_timeline(personas: Personas) -> None:
    built = _case(personas)
    agreement = services.make_agreement(
        case=built.case, actor=personas.facilitator, made_on=_today(), summary="  He will write to her.  "
    )
    assert agreement.summary == "He will write to her."
    event = AuditEvent.objects.get(action=AuditAction.AGREEMENT_MADE)
    assert event.changes["summary"] == "[encrypted]"
    assert built.case.timeline.filter(kind=TimelineKind.AGREEMENT_MADE).exists()


def test_it_changes_the_agreement_and_refuses_a_stale_version(personas: Personas) -> None:
    built = _case(personas)
    agreement = services.make_agreement(case=built.case, actor=personas.facilitator, made_on=_today(), summary="A")
    changed = services.make_agreement(
        case=built.case, actor=personas.facilitator, made_on=_today(), summary="B", expected_version=1
    )
    assert changed.pk == agreement.pk
    assert changed.version == 2
    assert AuditEvent.objects.filter(action=AuditAction.AGREEMENT_CHANGED).count() == 1
    with pytest.raises(DomainError) as refused:
        services.make_agreement(
            case=built.case, actor=personas.facilitator, made_on=_today(), summary="C", expected_version=1
        )
    assert refused.value.field == "version"


@pytest.mark.parametrize("state", [State.ASSESSING, State.SCHEDULED, State.FOLLOWING_UP])
def test_it_refuses_an_agreement_outside_the_process_and_its_monitoring(personas: Personas, state: State) -> None:
    built = _case(personas, state)
    with pytest.raises(DomainError, match="while the process is under way"):
        services.make_agreement(case=built.case, actor=personas.facilitator, made_on=_today(), summary="A")


def test_it_refuses_an_agreement_without_the_participants_words(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError) as refused:
        services.make_agreement(case=built.case, actor=personas.facilitator, made_on=_today(), summary="  ")
    assert refused.value.field == "summary"


def test_it_refuses_an_agreement_made_in_the_future(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="future"):
        services.make_agreement(
            case=built.case,
            actor=personas.facilitator,
            made_on=_today() + datetime.timedelta(days=1),
            summary="A",
        )


def test_it_refuses_someone_who_does_not_work_on_the_case(personas: Personas) -> None:
    built = _case(personas)
    for outsider in (personas.supervisor, personas.other_coordinator):
        with pytest.raises(DomainError, match="cannot work on this case"):
            services.make_agreement(case=built.case, actor=outsider, made_on=_today(), summary="A")


# Who agreed ------------------------------------------------------------------------------------------------------


def test_it_records_a_participants_agreement(personas: Personas) -> None:
    built = _case(personas)
    _agreement(personas, built)
    record = services.record_participant_agreement(
        case=built.case,
        actor=personas.facilitator,
        participant=built.harmed,
        agreed_on=_today(),
        method=AgreementMethod.PHONE,
    )
    assert record.method == AgreementMethod.PHONE
    assert AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_AGREED).count() == 1
    assert built.case.timeline.filter(kind=TimelineKind.PARTICIPANT_AGREED, participant=built.harmed).exists()


def test_it_refuses_agreement_before_there_is_an_agreement(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="Record the outcome agreement first"):
        services.record_participant_agreement(
            case=built.case, actor=personas.facilitator, participant=built.harmed, agreed_on=_today(), method="phone"
        )


def test_it_refuses_agreement_dated_before_the_agreement(personas: Personas) -> None:
    built = _case(personas)
    _agreement(personas, built)
    with pytest.raises(DomainError, match="before the agreement was made"):
        services.record_participant_agreement(
            case=built.case,
            actor=personas.facilitator,
            participant=built.harmed,
            agreed_on=_today() - datetime.timedelta(days=1),
            method="phone",
        )


def test_it_refuses_the_agreement_of_someone_in_another_case(personas: Personas) -> None:
    built = _case(personas)
    other = _case(personas)
    _agreement(personas, built)
    with pytest.raises(DomainError, match="Choose someone in this case"):
        services.record_participant_agreement(
            case=built.case, actor=personas.facilitator, participant=other.harmed, agreed_on=_today(), method="phone"
        )


# Actions ---------------------------------------------------------------------------------------------------------


def test_it_adds_an_action_with_its_audit_and_timeline(personas: Personas) -> None:
    built = _case(personas)
    _agreement(personas, built)
    action = services.add_action(
        case=built.case,
        actor=personas.facilitator,
        kind=ActionKind.SUPPORT,
        support_kind=SupportKind.SUBSTANCE_MISUSE,
        description="Go to the alcohol service's weekly group.",
        owner=built.responsible,
        due_on=_today() + datetime.timedelta(days=28),
    )
    assert action.status == ActionStatus.OPEN
    assert action.label() == "Attending support: Substance misuse"
    assert AuditEvent.objects.get(action=AuditAction.ACTION_ADDED).changes["description"] == "[encrypted]"
    assert built.case.timeline.filter(kind=TimelineKind.ACTION_ADDED, participant=built.responsible).exists()


# Each refusal: what differs from a valid apology, and the field the refusal names.
ACTION_REFUSALS = {
    "support without its kind": ({"kind": ActionKind.SUPPORT}, "support_kind"),
    "compensation without an amount": ({"kind": ActionKind.COMPENSATION, "amount": None}, "amount"),
    "compensation of nothing": ({"kind": ActionKind.COMPENSATION, "amount": Decimal("0")}, "amount"),
    "compensation in fractions of a penny": ({"kind": ActionKind.COMPENSATION, "amount": Decimal("10.001")}, "amount"),
    # A due date is given as days from today, the day the agreement is made.
    "due before the agreement": ({"due_on": datetime.timedelta(days=-1)}, "due_on"),
}


@pytest.mark.parametrize("refusal", ACTION_REFUSALS)
def test_it_refuses_an_action_that_does_not_add_up(personas: Personas, refusal: str) -> None:
    changes, field = ACTION_REFUSALS[refusal]
    built = _case(personas)
    _agreement(personas, built)
    valid = {
        "case": built.case,
        "actor": personas.facilitator,
        "kind": ActionKind.APOLOGY,
        "description": "A letter.",
        "owner": built.responsible,
        "due_on": _today(),
    }
    if isinstance(changes.get("due_on"), datetime.timedelta):
        changes = {**changes, "due_on": _today() + changes["due_on"]}
    with pytest.raises(DomainError) as refused:
        services.add_action(**{**valid, **changes})
    assert refused.value.field == field
    assert not AgreementAction.objects.exists()


def test_it_refuses_an_owner_from_another_case(personas: Personas) -> None:
    built = _case(personas)
    other = _case(personas)
    _agreement(personas, built)
    with pytest.raises(DomainError) as refused:
        services.add_action(
            case=built.case,
            actor=personas.facilitator,
            kind=ActionKind.APOLOGY,
            description="A letter.",
            owner=other.responsible,
            due_on=_today(),
        )
    assert refused.value.field == "owner"


# Payments --------------------------------------------------------------------------------------------------------


def test_it_records_payments_up_to_the_amount_and_no_more(personas: Personas) -> None:
    built = _case(personas)
    action = _compensation(personas, built, "100.00")
    services.record_payment(
        action=_fresh(action), actor=personas.facilitator, amount=Decimal("60.00"), paid_on=_today()
    )
    with pytest.raises(DomainError, match=r"more than is still owed: £40.00 of £100.00") as refused:
        services.record_payment(
            action=_fresh(action), actor=personas.facilitator, amount=Decimal("40.01"), paid_on=_today()
        )
    assert refused.value.field == "amount"
    services.record_payment(
        action=_fresh(action), actor=personas.facilitator, amount=Decimal("40.00"), paid_on=_today()
    )
    assert sum(p.amount for p in action.payments.all()) == Decimal("100.00")
    assert AuditEvent.objects.filter(action=AuditAction.PAYMENT_RECORDED).count() == 2
    assert built.case.timeline.filter(kind=TimelineKind.PAYMENT_RECORDED).count() == 2


def test_it_records_payments_against_compensation_only(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    with pytest.raises(DomainError, match="compensation only"):
        services.record_payment(
            action=_fresh(apology), actor=personas.facilitator, amount=Decimal("1"), paid_on=_today()
        )


def test_it_refuses_a_payment_in_the_future(personas: Personas) -> None:
    built = _case(personas)
    action = _compensation(personas, built)
    with pytest.raises(DomainError, match="future"):
        services.record_payment(
            action=_fresh(action),
            actor=personas.facilitator,
            amount=Decimal("1.00"),
            paid_on=_today() + datetime.timedelta(days=1),
        )


# Verifying -------------------------------------------------------------------------------------------------------


def test_compensation_is_complete_only_when_paid_in_full(personas: Personas) -> None:
    built = _case(personas)
    action = _compensation(personas, built, "50.00")
    services.record_payment(
        action=_fresh(action), actor=personas.facilitator, amount=Decimal("20.00"), paid_on=_today()
    )
    with pytest.raises(DomainError, match=r"paid in full: £30.00 is still owed"):
        services.verify_action(action=_fresh(action), actor=personas.facilitator, completed=True)
    services.record_payment(
        action=_fresh(action), actor=personas.facilitator, amount=Decimal("30.00"), paid_on=_today()
    )
    verified = services.verify_action(action=_fresh(action), actor=personas.facilitator, completed=True)
    assert verified.status == ActionStatus.COMPLETED
    assert verified.verified_by == personas.facilitator


def test_a_coordinator_verifies_completion_and_the_person_harmed_is_to_be_told(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    services.verify_action(
        action=_fresh(apology), actor=personas.coordinator, completed=True, note="I read the letter before it went."
    )
    apology.refresh_from_db()
    assert apology.status == ActionStatus.COMPLETED
    assert apology.verified_by == personas.coordinator
    assert apology.verified_at is not None
    task = Task.objects.get(case=built.case, kind=TaskKind.TELL_ABOUT_ACTION)
    assert task.assigned_to == personas.facilitator
    assert task.due_on == add_working_days(_today(), 5)
    assert built.case.timeline.filter(kind=TimelineKind.ACTION_COMPLETED).exists()
    assert AuditEvent.objects.get(action=AuditAction.ACTION_VERIFIED).changes["status"]["after"] == "completed"


def test_an_action_not_completed_needs_a_note_and_the_person_harmed_is_to_be_told(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    with pytest.raises(DomainError) as refused:
        services.verify_action(action=_fresh(apology), actor=personas.facilitator, completed=False)
    assert refused.value.field == "note"
    assert not Task.objects.filter(kind=TaskKind.TELL_ABOUT_ACTION).exists()
    services.verify_action(
        action=_fresh(apology), actor=personas.facilitator, completed=False, note="He decided not to write after all."
    )
    assert _fresh(apology).status == ActionStatus.NOT_COMPLETED
    assert Task.objects.open().filter(case=built.case, kind=TaskKind.TELL_ABOUT_ACTION).count() == 1
    assert built.case.timeline.filter(kind=TimelineKind.ACTION_NOT_COMPLETED).exists()


def test_logging_a_contact_with_the_person_harmed_closes_the_task_to_tell_them(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    services.verify_action(action=_fresh(apology), actor=personas.facilitator, completed=True)

    def log(participant: object, outcome: ContactOutcome) -> None:
        people_services.log_contact(
            participant=participant,  # type: ignore[arg-type]
            actor=personas.facilitator,
            occurred_at=timezone.now(),
            channel=ContactChannel.PHONE,
            outcome=outcome,
        )

    log(built.responsible, ContactOutcome.SPOKE)
    log(built.harmed, ContactOutcome.NO_ANSWER)
    assert Task.objects.open().filter(kind=TaskKind.TELL_ABOUT_ACTION).exists()
    log(built.harmed, ContactOutcome.SPOKE)
    assert not Task.objects.open().filter(kind=TaskKind.TELL_ABOUT_ACTION).exists()


def test_it_refuses_to_verify_an_action_twice(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    services.verify_action(action=_fresh(apology), actor=personas.facilitator, completed=True)
    with pytest.raises(DomainError, match="already completed"):
        services.verify_action(action=_fresh(apology), actor=personas.facilitator, completed=True)
    with pytest.raises(DomainError, match="already completed"):
        services.withdraw_action(action=_fresh(apology), actor=personas.facilitator, reason="Changed")


def test_it_refuses_a_verification_of_a_changed_action(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    services.withdraw_action(action=_fresh(apology), actor=personas.facilitator, reason="Agreement varied.")
    with pytest.raises(DomainError) as refused:
        services.verify_action(action=_fresh(apology), actor=personas.facilitator, completed=True, expected_version=1)
    assert refused.value.field == "version"


def test_a_supervisor_cannot_verify_an_action(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    with pytest.raises(DomainError, match="cannot work on this case"):
        services.verify_action(action=_fresh(apology), actor=personas.supervisor, completed=True)


def test_it_withdraws_an_action_with_a_reason(personas: Personas) -> None:
    built = _case(personas)
    apology = agree_outcome(built.case, personas.facilitator)
    with pytest.raises(DomainError) as refused:
        services.withdraw_action(action=_fresh(apology), actor=personas.facilitator, reason=" ")
    assert refused.value.field == "reason"
    withdrawn = services.withdraw_action(
        action=_fresh(apology), actor=personas.facilitator, reason="They agreed a meeting instead of a letter."
    )
    assert withdrawn.status == ActionStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action=AuditAction.ACTION_WITHDRAWN).count() == 1
    assert built.case.timeline.filter(kind=TimelineKind.ACTION_WITHDRAWN).exists()
    assert not Task.objects.filter(kind=TaskKind.TELL_ABOUT_ACTION).exists()


# The guards ------------------------------------------------------------------------------------------------------


def _move(personas: Personas, case: Case, name: str) -> Case:
    return case_services.transition_case(case=case, actor=personas.facilitator, name=name)


def test_outcome_agreement_made_needs_an_agreement(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(TransitionRefusedError, match="No outcome agreement has been recorded") as refused:
        _move(personas, built.case, "record_agreement")
    assert refused.value.missing[0].fix == "agreement"


def test_outcome_agreement_made_needs_an_action_and_names_who_has_not_agreed(personas: Personas) -> None:
    built = _case(personas)
    _agreement(personas, built)
    services.record_participant_agreement(
        case=built.case, actor=personas.facilitator, participant=built.harmed, agreed_on=_today(), method="letter"
    )
    with pytest.raises(TransitionRefusedError) as refused:
        _move(personas, built.case, "record_agreement")
    message = refused.value.message
    assert "The outcome agreement has no actions." in message
    assert "Rob Responsible (Person responsible (offender)) has not agreed to the outcome agreement." in message
    assert "Ann Harmed" not in message
    assert [m.participant_id for m in refused.value.missing if m.participant_id] == [built.responsible.pk]


def test_outcome_agreement_made_moves_on_once_both_agree_to_an_action(personas: Personas) -> None:
    built = _case(personas)
    agree_outcome(built.case, personas.facilitator)
    case = _move(personas, built.case, "record_agreement")
    assert case.state == State.AGREEMENT_MONITORING


def _new_risk_information(personas: Personas, built: BuiltCase) -> None:
    """New information about the person responsible: their risk assessment is out of date until it is redone."""
    risk_services.record_risk_information(
        case=built.case,
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="A new report came in.",
        participant=built.responsible,
    )


def test_outcome_agreement_made_re_checks_every_gate(personas: Personas) -> None:
    built = _case(personas)
    agree_outcome(built.case, personas.facilitator)
    _new_risk_information(personas, built)
    with pytest.raises(TransitionRefusedError, match=r"Risk:.*out of date"):
        _move(personas, built.case, "record_agreement")
    assert Case.objects.get(pk=built.case.pk).state == State.IN_PROCESS


@pytest.mark.parametrize("step", ["agreement", "participant_agreement", "action"])
def test_each_step_of_making_the_agreement_re_checks_every_gate(personas: Personas, step: str) -> None:
    built = _case(personas)
    if step != "agreement":
        _agreement(personas, built)
    _new_risk_information(personas, built)
    steps = {
        "agreement": lambda: _agreement(personas, built),
        "participant_agreement": lambda: services.record_participant_agreement(
            case=built.case, actor=personas.facilitator, participant=built.harmed, agreed_on=_today(), method="letter"
        ),
        "action": lambda: services.add_action(
            case=built.case,
            actor=personas.facilitator,
            kind=ActionKind.APOLOGY,
            description="A letter of apology.",
            owner=built.responsible,
            due_on=_today(),
        ),
    }
    with pytest.raises(DomainError, match=r"Risk:.*out of date"):
        steps[step]()
    agreement = OutcomeAgreement.objects.filter(case=built.case).first()
    assert (agreement is None) == (step == "agreement")
    if agreement is not None:
        assert not agreement.participant_agreements.exists()
        assert not agreement.actions.exists()


def test_what_happened_to_an_action_is_recorded_while_the_risk_assessment_is_redone(personas: Personas) -> None:
    built = _case(personas, State.AGREEMENT_MONITORING)
    apology = AgreementAction.objects.get(agreement__case=built.case)
    _new_risk_information(personas, built)
    services.verify_action(action=_fresh(apology), actor=personas.facilitator, completed=True)
    assert _fresh(apology).status == ActionStatus.COMPLETED


def test_monitoring_finishes_only_when_every_action_is_resolved(personas: Personas) -> None:
    built = _case(personas, State.AGREEMENT_MONITORING)
    apology = AgreementAction.objects.get(agreement__case=built.case)
    reparation = services.add_action(
        case=built.case,
        actor=personas.facilitator,
        kind=ActionKind.REPARATION,
        description="Four Saturdays at the community garden.",
        owner=built.responsible,
        due_on=_today() + datetime.timedelta(days=40),
    )
    with pytest.raises(TransitionRefusedError) as refused:
        _move(personas, built.case, "finish_monitoring")
    assert "Apology (Rob Responsible, due" in refused.value.message
    assert "Reparation or voluntary work (Rob Responsible, due" in refused.value.message
    services.verify_action(action=_fresh(apology), actor=personas.facilitator, completed=True)
    services.withdraw_action(action=_fresh(reparation), actor=personas.facilitator, reason="Garden closed.")
    assert _move(personas, built.case, "finish_monitoring").state == State.FOLLOWING_UP


def test_the_case_page_links_the_agreement_from_the_gates_fix(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(TransitionRefusedError) as refused:
        _move(personas, built.case, "record_agreement")
    assert fix_url(built.case, refused.value.missing[0]) == f"/cases/{built.case.pk}/agreement/"
