"""Allocating facilitators: who may be allocated, who may allocate, conflicts of interest, and the tasks it sets."""

import datetime

import pytest
from django.utils import timezone

from amends.accounts.models import RJCLevel, Role, TrainingRecord, User
from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, SensitivityFlag, State, Task, TaskKind
from amends.cases.selectors import allocation_candidates
from amends.cases.workflow import TransitionName
from amends.core.errors import DomainError
from amends.core.workdays import add_working_days
from amends.referrals import services as referral_services
from tests.case_builders import make_referral, make_trained
from tests.cases.test_workflow import case_in, guards_of, refused, reload
from tests.factories import CPDRecordFactory, FacilitatorRecordFactory, MembershipFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def eligible_facilitator(
    personas: Personas, *, level: RJCLevel = RJCLevel.INTERMEDIATE, trained: bool = True, **record: object
) -> User:
    """Another facilitator of our service, with an RJC record (and training in date unless told)."""
    user = UserFactory(full_name=f"Facilitator {level.label}")
    MembershipFactory(user=user, service=personas.service, role=Role.FACILITATOR)
    FacilitatorRecordFactory(user=user, rjc_level=level, **record)
    if trained:
        make_trained(user)
    return user


def add_course(user: User, *, days_ago: int) -> None:
    TrainingRecord.objects.create(
        record=user.facilitator_record,
        title="Restorative justice facilitation",
        provider="RJC",
        completed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def open_case(personas: Personas, *flags: SensitivityFlag) -> Case:
    referral = make_referral(service=personas.service, actor=personas.coordinator)
    return referral_services.accept_referral(
        referral=referral, actor=personas.coordinator, reason="Within scope", flags=flags
    )


def test_it_allocates_a_trained_facilitator_and_moves_the_case_on(personas: Personas) -> None:
    case = open_case(personas)
    make_trained(personas.facilitator)

    case = case_services.allocate_case(case=case, actor=personas.coordinator, lead=personas.facilitator)

    assert reload(case).state == State.ALLOCATED
    assert reload(case).lead_facilitator == personas.facilitator
    assert AuditEvent.objects.filter(action=AuditAction.CASE_ALLOCATED, target_id=str(case.pk)).exists()


def test_it_sets_the_conflict_and_first_contact_tasks(personas: Personas) -> None:
    case = open_case(personas)
    make_trained(personas.facilitator)

    case_services.allocate_case(case=case, actor=personas.coordinator, lead=personas.facilitator)

    declare = Task.objects.get(case=case, kind=TaskKind.DECLARE_CONFLICT)
    first_contact = Task.objects.get(case=case, kind=TaskKind.FIRST_CONTACT)
    assert declare.assigned_to == personas.facilitator
    assert declare.due_on == timezone.localdate()
    assert first_contact.assigned_to == personas.facilitator
    assert first_contact.due_on == add_working_days(
        timezone.localdate(case.opened_at), personas.service.first_contact_working_days
    )


def test_it_runs_the_first_contact_clock_from_the_day_the_case_was_opened(personas: Personas) -> None:
    case = open_case(personas)
    # The case waited a fortnight for a facilitator: the clock kept running from the day it was opened.
    opened_at = timezone.now() - datetime.timedelta(days=14)
    Case.objects.filter(pk=case.pk).update(opened_at=opened_at)
    make_trained(personas.facilitator)

    case_services.allocate_case(case=reload(case), actor=personas.coordinator, lead=personas.facilitator)

    first_contact = Task.objects.get(case=case, kind=TaskKind.FIRST_CONTACT)
    days = personas.service.first_contact_working_days
    assert first_contact.due_on == add_working_days(timezone.localdate(opened_at), days)
    assert first_contact.due_on < add_working_days(timezone.localdate(), days)


def test_it_sets_no_first_contact_task_on_reallocation_once_someone_has_been_reached(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    assert reload(built.case).first_contact_at is not None
    other = eligible_facilitator(personas)

    case_services.allocate_case(case=reload(built.case), actor=personas.coordinator, lead=other)

    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.FIRST_CONTACT).exists()


def test_it_refuses_a_facilitator_whose_registration_has_lapsed(personas: Personas) -> None:
    case = open_case(personas)
    lapsed = eligible_facilitator(personas, registration_expires_on=timezone.localdate() - datetime.timedelta(days=1))

    with pytest.raises(DomainError, match="registration has lapsed") as caught:
        case_services.allocate_case(case=case, actor=personas.coordinator, lead=lapsed)
    assert caught.value.field == "lead"
    assert reload(case).state == State.REFERRED
    assert reload(case).lead_facilitator is None


def test_it_refuses_a_facilitator_with_no_training(personas: Personas) -> None:
    case = open_case(personas)

    with pytest.raises(DomainError, match="no restorative justice training"):
        case_services.allocate_case(case=case, actor=personas.coordinator, lead=personas.facilitator)
    assert reload(case).lead_facilitator is None


def test_it_refuses_a_facilitator_whose_training_has_lapsed(personas: Personas) -> None:
    case = open_case(personas)
    lapsed = eligible_facilitator(personas, trained=False)
    add_course(lapsed, days_ago=400)

    with pytest.raises(DomainError, match="training has lapsed"):
        case_services.allocate_case(case=case, actor=personas.coordinator, lead=lapsed)
    CPDRecordFactory(record=lapsed.facilitator_record, hours=lapsed.facilitator_record.cpd_hours_target)
    case_services.allocate_case(case=case, actor=personas.coordinator, lead=lapsed)
    assert reload(case).lead_facilitator == lapsed


def test_it_shows_on_the_allocation_page_exactly_what_allocation_refuses(personas: Personas) -> None:
    today = timezone.localdate()
    eligible_facilitator(personas, registration_expires_on=today - datetime.timedelta(days=1))
    eligible_facilitator(personas, level=RJCLevel.FOUNDATION, trained=False)
    old_course = eligible_facilitator(personas, level=RJCLevel.ADVANCED, trained=False)
    add_course(old_course, days_ago=400)
    eligible_facilitator(personas)
    no_record = UserFactory(full_name="No Record")
    MembershipFactory(user=no_record, service=personas.service, role=Role.FACILITATOR)

    candidates = allocation_candidates(personas.service)

    facilitators = [candidate for candidate in candidates if candidate.facilitates]
    assert {candidate.user.pk for candidate in facilitators} >= {old_course.pk, no_record.pk}
    for candidate in facilitators:
        user = User.objects.get(pk=candidate.user.pk)
        assert candidate.problems == case_services.eligibility_problems(user, personas.service), user.full_name
    problems = " ".join(problem for candidate in facilitators for problem in candidate.problems)
    for refusal in (
        "registration has lapsed",
        "no restorative justice training",
        "training has lapsed",
        "no facilitator record",
    ):
        assert refusal in problems
    assert [c.user for c in candidates if c.supervises] == [personas.supervisor]
    assert all(not c.problems for c in candidates if not c.facilitates)


def test_it_refuses_a_co_facilitator_whose_registration_has_lapsed(personas: Personas) -> None:
    case = open_case(personas)
    make_trained(personas.facilitator)
    lapsed = eligible_facilitator(personas, registration_expires_on=timezone.localdate() - datetime.timedelta(days=1))

    with pytest.raises(DomainError, match="registration has lapsed"):
        case_services.allocate_case(
            case=case, actor=personas.coordinator, lead=personas.facilitator, co_facilitator=lapsed
        )
    assert reload(case).lead_facilitator is None
    assert reload(case).co_facilitator is None


def test_it_refuses_someone_who_is_not_a_facilitator_of_the_service(personas: Personas) -> None:
    case = open_case(personas)
    make_trained(personas.other_facilitator)

    with pytest.raises(DomainError, match="not a facilitator of this service"):
        case_services.allocate_case(case=case, actor=personas.coordinator, lead=personas.other_facilitator)


def test_it_refuses_the_lead_as_their_own_co_facilitator(personas: Personas) -> None:
    case = open_case(personas)
    make_trained(personas.facilitator)

    with pytest.raises(DomainError, match="someone other than the lead"):
        case_services.allocate_case(
            case=case, actor=personas.coordinator, lead=personas.facilitator, co_facilitator=personas.facilitator
        )


@pytest.mark.parametrize("actor", ["facilitator", "supervisor", "referrer", "other_coordinator"])
def test_it_lets_only_a_coordinator_of_the_service_allocate(personas: Personas, actor: str) -> None:
    case = open_case(personas)
    make_trained(personas.facilitator)

    with pytest.raises(DomainError, match="Only a coordinator"):
        case_services.allocate_case(case=case, actor=getattr(personas, actor), lead=personas.facilitator)
    assert reload(case).state == State.REFERRED


def test_it_refuses_a_foundation_lead_for_a_sensitive_case(personas: Personas) -> None:
    case = open_case(personas, SensitivityFlag.HATE_CRIME)
    foundation = eligible_facilitator(personas, level=RJCLevel.FOUNDATION)
    advanced = eligible_facilitator(personas, level=RJCLevel.ADVANCED)

    with pytest.raises(DomainError, match="intermediate or advanced"):
        case_services.allocate_case(case=case, actor=personas.coordinator, lead=foundation, co_facilitator=advanced)


def test_it_refuses_a_sensitive_case_without_advanced_support(personas: Personas) -> None:
    case = open_case(personas, SensitivityFlag.DOMESTIC_ABUSE)
    make_trained(personas.facilitator)
    intermediate = eligible_facilitator(personas)

    with pytest.raises(DomainError, match="advanced co-facilitator or an advanced supervisor"):
        case_services.allocate_case(
            case=case, actor=personas.coordinator, lead=personas.facilitator, co_facilitator=intermediate
        )
    assert reload(case).lead_facilitator is None


def test_it_allocates_a_sensitive_case_with_an_advanced_co_facilitator(personas: Personas) -> None:
    case = open_case(personas, SensitivityFlag.DOMESTIC_ABUSE)
    make_trained(personas.facilitator)
    advanced = eligible_facilitator(personas, level=RJCLevel.ADVANCED)

    case = case_services.allocate_case(
        case=case, actor=personas.coordinator, lead=personas.facilitator, co_facilitator=advanced
    )

    assert case.state == State.ALLOCATED
    assert Task.objects.filter(case=case, kind=TaskKind.DECLARE_CONFLICT, assigned_to=advanced).exists()


def test_it_allocates_a_sensitive_case_with_an_advanced_supervisor(personas: Personas) -> None:
    case = open_case(personas, SensitivityFlag.SEXUAL_HARM)
    make_trained(personas.facilitator)
    FacilitatorRecordFactory(user=personas.supervisor, rjc_level=RJCLevel.ADVANCED)

    case = case_services.allocate_case(
        case=case, actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.supervisor
    )

    assert case.state == State.ALLOCATED
    assert reload(case).supervisor == personas.supervisor


def test_it_refuses_a_sensitive_case_with_only_an_intermediate_supervisor(personas: Personas) -> None:
    case = open_case(personas, SensitivityFlag.SEXUAL_HARM)
    make_trained(personas.facilitator)
    FacilitatorRecordFactory(user=personas.supervisor, rjc_level=RJCLevel.INTERMEDIATE)

    with pytest.raises(DomainError, match="advanced co-facilitator or an advanced supervisor"):
        case_services.allocate_case(
            case=case, actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.supervisor
        )
    assert reload(case).lead_facilitator is None


def test_it_refuses_a_supervisor_who_does_not_supervise_in_the_service(personas: Personas) -> None:
    case = open_case(personas)
    make_trained(personas.facilitator)

    with pytest.raises(DomainError, match="not a supervisor"):
        case_services.allocate_case(
            case=case, actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.facilitator
        )


def test_it_stops_contact_and_asks_for_reallocation_after_a_conflict(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)

    case_services.declare_conflict(
        case=built.case, actor=personas.facilitator, has_conflict=True, details="I know the person harmed."
    )

    error = refused(built.case, personas.facilitator, TransitionName.START_CONTACT)
    assert guards_of(error) == {"conflicts_declared"}
    reallocate = Task.objects.get(case=built.case, kind=TaskKind.REALLOCATE)
    assert reallocate.assigned_to == personas.coordinator
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.DECLARE_CONFLICT).exists()


def test_it_closes_the_reallocation_task_when_someone_else_is_allocated(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)
    case_services.declare_conflict(
        case=built.case, actor=personas.facilitator, has_conflict=True, details="I know the person harmed."
    )
    other = eligible_facilitator(personas)

    case_services.allocate_case(case=reload(built.case), actor=personas.coordinator, lead=other)
    case_services.declare_conflict(case=reload(built.case), actor=other, has_conflict=False)

    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.REALLOCATE).exists()
    case = case_services.transition_case(case=reload(built.case), actor=other, name=TransitionName.START_CONTACT)
    assert case.state == State.CONTACTING


def test_it_asks_what_the_conflict_is(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)

    with pytest.raises(DomainError) as caught:
        case_services.declare_conflict(case=built.case, actor=personas.facilitator, has_conflict=True, details=" ")
    assert caught.value.field == "details"


def test_it_lets_only_an_allocated_facilitator_declare(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)

    with pytest.raises(DomainError):
        case_services.declare_conflict(case=built.case, actor=personas.coordinator, has_conflict=False)


def test_it_refuses_to_allocate_a_closed_case(personas: Personas) -> None:
    built = case_in(personas, State.CLOSED)

    with pytest.raises(DomainError, match="closed"):
        case_services.allocate_case(case=built.case, actor=personas.coordinator, lead=personas.facilitator)
