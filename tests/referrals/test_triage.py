"""Referrals and their triage: the Victims' Code clocks, accepting into a case, declining and redirecting."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import SensitivityFlag, State, Task, TaskKind
from amends.core.errors import DomainError
from amends.core.workdays import add_working_days
from amends.people.models import ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.clocks import right_3_due, right_4_due, victims_code_clocks
from amends.referrals.models import (
    EnhancedRightsGround,
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    Setting,
    TriageDecision,
)
from tests.case_builders import make_referral
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def refer(personas: Personas, *, people: list[tuple[ParticipantRole, dict[str, Any]]] | None = None, **details: Any):  # type: ignore[no-untyped-def]
    named = people or [
        (ParticipantRole.PERSON_HARMED, {"given_name": "Ann", "family_name": "Harmed"}),
        (ParticipantRole.PERSON_RESPONSIBLE, {"given_name": "Rob", "family_name": "Responsible"}),
    ]
    return referral_services.create_referral(
        service=personas.service,
        actor=personas.referrer,
        details={
            "source": ReferralSource.POLICE,
            "offence_category": OffenceCategory.THEFT,
            "justice_stage": JusticeStage.PRE_CHARGE,
            "initiated_by": Initiator.PERSON_HARMED,
            "setting": Setting.CRIMINAL_JUSTICE,
            **details,
        },
        people=[referral_services.NamedPerson(role, person) for role, person in named],
    )


def accept(personas: Personas, referral: Referral, **kwargs: Any):  # type: ignore[no-untyped-def]
    return referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="In scope", **kwargs)


def test_it_opens_cases_with_references_numbered_per_service_and_year(personas: Personas) -> None:
    year = timezone.localdate().year

    first = accept(personas, refer(personas))
    second = accept(personas, refer(personas))
    elsewhere = referral_services.accept_referral(
        referral=make_referral(service=personas.other_service, actor=personas.other_coordinator),
        actor=personas.other_coordinator,
        reason="In scope",
    )

    assert first.reference == f"{personas.service.code}-{year}-00001"
    assert second.reference == f"{personas.service.code}-{year}-00002"
    assert elsewhere.reference == f"{personas.other_service.code}-{year}-00001"
    assert first.state == State.REFERRED


def test_it_makes_the_people_named_participants_of_the_case(personas: Personas) -> None:
    referral = refer(personas)

    case = accept(personas, referral)

    referral.refresh_from_db()
    assert (referral.decision, referral.case) == (TriageDecision.ACCEPTED, case)
    assert sorted((p.role, p.person.full_name) for p in case.participants.select_related("person")) == [
        (ParticipantRole.PERSON_HARMED, "Ann Harmed"),
        (ParticipantRole.PERSON_RESPONSIBLE, "Rob Responsible"),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_TRIAGED, target_id=str(referral.pk)).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CASE_OPENED, target_id=str(case.pk)).exists()


def test_it_flags_a_case_in_which_a_child_is_named(personas: Personas) -> None:
    child_born = timezone.localdate().replace(year=timezone.localdate().year - 15, day=1)
    referral = refer(
        personas,
        people=[
            (ParticipantRole.PERSON_HARMED, {"given_name": "Ann", "date_of_birth": datetime.date(1980, 1, 1)}),
            (ParticipantRole.PERSON_RESPONSIBLE, {"given_name": "Tom", "date_of_birth": child_born}),
        ],
    )

    case = accept(personas, referral, flags=[SensitivityFlag.HATE_CRIME])

    assert case.sensitivity_flags == [SensitivityFlag.CHILD_PARTICIPANT, SensitivityFlag.HATE_CRIME]


def test_it_does_not_flag_a_case_of_adults(personas: Personas) -> None:
    case = accept(personas, make_referral(service=personas.service, actor=personas.coordinator))

    assert case.sensitivity_flags == []


def test_it_flags_a_custody_case(personas: Personas) -> None:
    case = accept(personas, refer(personas, justice_stage=JusticeStage.CUSTODY))

    assert case.sensitivity_flags == [SensitivityFlag.CUSTODY]


def test_it_marks_a_pre_sentence_case(personas: Personas) -> None:
    case = accept(personas, refer(personas, justice_stage=JusticeStage.PRE_SENTENCE))

    assert case.pre_sentence is True


def test_it_asks_for_the_reason_to_decline(personas: Personas) -> None:
    referral = refer(personas)

    with pytest.raises(DomainError) as caught:
        referral_services.decline_referral(referral=referral, actor=personas.coordinator, reason=" ")
    assert caught.value.field == "reason"
    referral.refresh_from_db()
    assert referral.decision == TriageDecision.AWAITING


def test_it_asks_for_the_reason_to_redirect(personas: Personas) -> None:
    referral = refer(personas)

    with pytest.raises(DomainError) as caught:
        referral_services.redirect_referral(
            referral=referral, actor=personas.coordinator, reason="", redirected_to="Victim Support"
        )
    assert caught.value.field == "reason"
    referral.refresh_from_db()
    assert referral.decision == TriageDecision.AWAITING


def test_it_asks_for_the_reason_to_accept(personas: Personas) -> None:
    referral = refer(personas)

    with pytest.raises(DomainError):
        referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="")
    assert not personas.service.cases.exists()


def test_it_asks_where_a_referral_was_redirected(personas: Personas) -> None:
    referral = refer(personas)

    with pytest.raises(DomainError) as caught:
        referral_services.redirect_referral(
            referral=referral, actor=personas.coordinator, reason="Out of area", redirected_to=" "
        )
    assert caught.value.field == "redirected_to"


def test_it_declines_and_closes_the_referrals_tasks(personas: Personas) -> None:
    referral = refer(personas)
    assert Task.objects.open().filter(referral=referral).count() == 2

    referral_services.decline_referral(referral=referral, actor=personas.coordinator, reason="Out of scope")

    referral.refresh_from_db()
    assert (referral.decision, referral.case) == (TriageDecision.DECLINED, None)
    assert not Task.objects.open().filter(referral=referral).exists()


def test_it_redirects_to_the_service_named(personas: Personas) -> None:
    referral = refer(personas)

    referral_services.redirect_referral(
        referral=referral, actor=personas.coordinator, reason="Out of area", redirected_to="Gwent RJ"
    )

    referral.refresh_from_db()
    assert (referral.decision, referral.redirected_to) == (TriageDecision.REDIRECTED, "Gwent RJ")


@pytest.mark.parametrize("first", ["accept", "decline"])
def test_it_triages_a_referral_once(personas: Personas, first: str) -> None:
    referral = refer(personas)
    if first == "accept":
        accept(personas, referral)
    else:
        referral_services.decline_referral(referral=referral, actor=personas.coordinator, reason="No")

    with pytest.raises(DomainError, match="already been triaged"):
        accept(personas, referral)
    with pytest.raises(DomainError, match="already been triaged"):
        referral_services.decline_referral(referral=referral, actor=personas.coordinator, reason="No")
    assert personas.service.cases.count() == (1 if first == "accept" else 0)


@pytest.mark.parametrize("actor", ["facilitator", "referrer", "supervisor", "other_coordinator"])
def test_it_lets_only_a_coordinator_of_the_service_triage(personas: Personas, actor: str) -> None:
    referral = refer(personas)

    with pytest.raises(DomainError, match="Only a coordinator"):
        referral_services.accept_referral(referral=referral, actor=getattr(personas, actor), reason="In scope")
    with pytest.raises(DomainError, match="Only a coordinator"):
        referral_services.decline_referral(referral=referral, actor=getattr(personas, actor), reason="No")
    referral.refresh_from_db()
    assert referral.decision == TriageDecision.AWAITING


def test_it_refuses_referrals_from_someone_outside_the_service(personas: Personas) -> None:
    with pytest.raises(DomainError):
        referral_services.create_referral(
            service=personas.service,
            actor=personas.other_coordinator,
            details={
                "source": ReferralSource.POLICE,
                "offence_category": OffenceCategory.THEFT,
                "justice_stage": JusticeStage.PRE_CHARGE,
                "initiated_by": Initiator.PERSON_HARMED,
                "setting": Setting.CRIMINAL_JUSTICE,
            },
            people=[referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, {"given_name": "Ann"})],
        )


def test_it_starts_the_triage_and_tell_about_rj_clocks(personas: Personas) -> None:
    received_on = datetime.date(2025, 12, 23)
    reported_on = datetime.date(2025, 12, 22)

    referral = refer(personas, received_on=received_on, reported_on=reported_on)

    triage = Task.objects.get(referral=referral, kind=TaskKind.TRIAGE)
    tell = Task.objects.get(referral=referral, kind=TaskKind.TELL_ABOUT_RJ)
    assert triage.assigned_to == personas.coordinator
    # 23 December 2025: 24th, then Christmas and Boxing Day are bank holidays, then a weekend: Monday 29th.
    assert triage.due_on == right_4_due(received_on) == datetime.date(2025, 12, 29)
    assert tell.due_on == right_3_due(reported_on, False) == add_working_days(reported_on, 5)


def test_it_gives_one_working_day_to_tell_a_victim_with_enhanced_rights(personas: Personas) -> None:
    reported_on = datetime.date(2026, 3, 6)  # a Friday

    referral = refer(personas, reported_on=reported_on, enhanced_rights=EnhancedRightsGround.VULNERABLE_OR_INTIMIDATED)

    tell = Task.objects.get(referral=referral, kind=TaskKind.TELL_ABOUT_RJ)
    assert tell.due_on == datetime.date(2026, 3, 9)
    assert right_3_due(reported_on, True) == datetime.date(2026, 3, 9)
    assert right_3_due(reported_on, False) == datetime.date(2026, 3, 13)


def test_it_sets_no_tell_about_rj_task_when_the_victim_was_told(personas: Personas) -> None:
    today = timezone.localdate()

    referral = refer(personas, reported_on=today, victim_told_about_rj_on=today, victim_told_about_rj_by="PC Jones")

    assert not Task.objects.filter(referral=referral, kind=TaskKind.TELL_ABOUT_RJ).exists()
    assert Task.objects.filter(referral=referral, kind=TaskKind.TRIAGE).exists()


def test_it_moves_the_open_tasks_to_the_case_on_acceptance(personas: Personas) -> None:
    referral = refer(personas)

    case = accept(personas, referral)

    assert Task.objects.get(referral=referral, kind=TaskKind.TRIAGE).completed_by == personas.coordinator
    assert Task.objects.open().get(referral=referral, kind=TaskKind.TELL_ABOUT_RJ).case == case


def test_it_measures_the_victims_code_clocks_met(personas: Personas) -> None:
    reported_on = datetime.date(2026, 3, 2)  # a Monday
    referral = refer(
        personas,
        reported_on=reported_on,
        received_on=datetime.date(2026, 3, 4),
        victim_told_about_rj_on=datetime.date(2026, 3, 9),
        victim_told_about_rj_by="PC Jones",
    )

    clocks = victims_code_clocks(referral)

    assert (clocks.right_3_due, clocks.right_3_met) == (datetime.date(2026, 3, 9), True)
    assert (clocks.right_4_due, clocks.right_4_met) == (datetime.date(2026, 3, 4), True)


def test_it_measures_the_victims_code_clocks_missed(personas: Personas) -> None:
    referral = refer(
        personas,
        reported_on=datetime.date(2026, 3, 2),
        received_on=datetime.date(2026, 3, 5),
        victim_told_about_rj_on=datetime.date(2026, 3, 3),
        victim_told_about_rj_by="PC Jones",
        enhanced_rights=EnhancedRightsGround.CHILD,
    )

    clocks = victims_code_clocks(referral)

    assert (clocks.right_3_due, clocks.right_3_met) == (datetime.date(2026, 3, 3), True)
    assert clocks.right_4_met is False
    late = refer(
        personas,
        reported_on=datetime.date(2026, 3, 2),
        victim_told_about_rj_on=datetime.date(2026, 3, 10),
        victim_told_about_rj_by="PC Jones",
    )
    assert victims_code_clocks(late).right_3_met is False


def test_it_leaves_the_clocks_unknown_without_a_report_date(personas: Personas) -> None:
    referral = refer(personas)

    clocks = victims_code_clocks(referral)

    assert clocks.right_3_met is None
    assert clocks.right_4_met is None


def test_it_leaves_right_3_unknown_until_the_victim_is_told(personas: Personas) -> None:
    referral = refer(personas, reported_on=datetime.date(2026, 3, 2))

    assert victims_code_clocks(referral).right_3_met is None


def test_it_keeps_the_referrals_summary_encrypted(personas: Personas) -> None:
    referral = refer(personas, summary="Ann's bike was stolen from her shed in Llandaff.")

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT summary FROM {Referral._meta.db_table} WHERE id = %s",  # noqa: S608
            [referral.pk],
        )
        assert "Llandaff" not in str(cursor.fetchone()[0])
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_CREATED, target_id=str(referral.pk)).exists()


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"received_on": datetime.date(2099, 1, 1)}, "received_on"),
        ({"offence_date": datetime.date(2026, 3, 5), "reported_on": datetime.date(2026, 3, 1)}, "reported_on"),
        ({"victim_told_about_rj_on": datetime.date(2026, 3, 1)}, "victim_told_about_rj_by"),
    ],
)
def test_it_refuses_dates_that_cannot_be_right(personas: Personas, details: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        refer(personas, **details)
    assert caught.value.field == field
