"""Risk assessments: versions, who may make and sign them off, new risk information, and what stays encrypted."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import State, Task, TaskKind, TimelineKind
from amends.core.errors import DomainError
from amends.risk import services as risk_services
from amends.risk.models import RiskAssessment, RiskCondition, RiskInformationKind, RiskOutcome, SignOffDecision
from tests.cases.test_workflow import assess, case_in, reload
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_it_keeps_each_version_and_counts_up(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    first = assess(built.harmed, personas.facilitator)
    second = assess(built.harmed, personas.facilitator, outcome=RiskOutcome.NOT_SUITABLE_NOW)

    assert (first.version, second.version) == (1, 2)
    assert list(built.harmed.risk_assessments.values_list("version", flat=True)) == [2, 1]


def test_it_records_the_assessment_in_the_audit_and_sets_a_review_task(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    review_on = timezone.localdate() + datetime.timedelta(days=30)

    assessment = assess(built.harmed, personas.facilitator, review_on=review_on)

    event = AuditEvent.objects.get(action=AuditAction.RISK_ASSESSED, target_id=str(assessment.pk))
    assert event.changes["outcome"] == RiskOutcome.SUITABLE
    task = Task.objects.open().get(case=built.case, kind=TaskKind.RISK_REVIEW)
    assert (task.assigned_to, task.due_on) == (personas.facilitator, review_on)


def test_it_keeps_the_narrative_encrypted_in_the_database(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    assessment = risk_services.record_risk_assessment(
        participant=built.harmed,
        actor=personas.facilitator,
        factors={"intimidation": "medium"},
        narrative="Her brother Dafydd threatened the family.",
        conditions=[],
        outcome=RiskOutcome.SUITABLE,
        review_on=timezone.localdate() + datetime.timedelta(days=30),
    )

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT narrative FROM {RiskAssessment._meta.db_table} WHERE id = %s",  # noqa: S608
            [assessment.pk],
        )
        stored = str(cursor.fetchone()[0])
    assert "Dafydd" not in stored
    assessment.refresh_from_db()
    assert "Dafydd" in assessment.narrative


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"outcome": RiskOutcome.SUITABLE_WITH_CONDITIONS, "conditions": []}, "conditions"),
        ({"outcome": RiskOutcome.SUITABLE, "conditions": [RiskCondition.NEUTRAL_VENUE]}, "outcome"),
        ({"narrative": "  "}, "narrative"),
        ({"factors": {"intimidation": "extreme"}}, "factors"),
        ({"review_on": "today"}, "review_on"),
        ({"assessed_on": "tomorrow"}, "assessed_on"),
    ],
)
def test_it_refuses_an_incomplete_assessment(personas: Personas, given: dict, field: str) -> None:  # type: ignore[type-arg]
    built = case_in(personas, State.ASSESSING)
    today = timezone.localdate()
    values = {
        "factors": {},
        "narrative": "Seen at home.",
        "conditions": [],
        "outcome": RiskOutcome.SUITABLE,
        "review_on": today + datetime.timedelta(days=30),
        **given,
    }
    if values["review_on"] == "today":
        values["review_on"] = today
    if values.get("assessed_on") == "tomorrow":
        values["assessed_on"] = today + datetime.timedelta(days=1)

    with pytest.raises(DomainError) as caught:
        risk_services.record_risk_assessment(participant=built.harmed, actor=personas.facilitator, **values)
    assert caught.value.field == field
    assert not built.harmed.risk_assessments.exists()


def test_it_refuses_an_assessor_without_a_facilitator_record(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    # A coordinator works on every case of the service, but assesses risk only as a facilitator in date.
    with pytest.raises(DomainError, match="no facilitator record"):
        assess(built.harmed, personas.coordinator)
    assert not built.harmed.risk_assessments.exists()


def test_it_refuses_a_sign_off_nobody_needs(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    assessment = assess(built.harmed, personas.facilitator)

    with pytest.raises(DomainError, match="does not need sign-off"):
        risk_services.sign_off_risk_assessment(
            assessment=assessment, actor=personas.coordinator, decision=SignOffDecision.APPROVED
        )


def test_it_signs_off_once_and_records_it(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    assessment = assess(
        built.harmed,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.SEPARATE_ARRIVAL,),
    )

    risk_services.sign_off_risk_assessment(
        assessment=assessment, actor=personas.coordinator, decision=SignOffDecision.APPROVED
    )

    assessment.refresh_from_db()
    assert (assessment.sign_off_decision, assessment.signed_off_by) == (SignOffDecision.APPROVED, personas.coordinator)
    assert AuditEvent.objects.filter(action=AuditAction.RISK_SIGNED_OFF, target_id=str(assessment.pk)).exists()
    with pytest.raises(DomainError, match="already been signed off"):
        risk_services.sign_off_risk_assessment(
            assessment=assessment, actor=personas.coordinator, decision=SignOffDecision.APPROVED
        )


def test_it_asks_why_a_sign_off_is_not_approved(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    assessment = assess(
        built.harmed,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.SEPARATE_ARRIVAL,),
    )

    with pytest.raises(DomainError) as caught:
        risk_services.sign_off_risk_assessment(
            assessment=assessment, actor=personas.coordinator, decision=SignOffDecision.NOT_APPROVED
        )
    assert caught.value.field == "note"


def test_it_keeps_new_risk_information_encrypted_and_audited(personas: Personas) -> None:
    from amends.risk.models import RiskInformation

    built = case_in(personas, State.PREPARING)

    information = risk_services.record_risk_information(
        case=reload(built.case),
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="Rob was seen outside Ann's house.",
        participant=built.responsible,
    )

    assert reload(built.case).state == State.PREPARING
    assert built.case.timeline.filter(kind=TimelineKind.RISK_INFORMATION).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.RISK_INFORMATION_RECORDED, target_id=str(information.pk)
    ).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT details FROM {RiskInformation._meta.db_table} WHERE id = %s",  # noqa: S608
            [information.pk],
        )
        assert "outside" not in str(cursor.fetchone()[0])


def test_it_refuses_risk_information_about_someone_in_another_case(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    other = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError) as caught:
        risk_services.record_risk_information(
            case=reload(built.case),
            actor=personas.facilitator,
            kind=RiskInformationKind.NEW_INFORMATION,
            details="Something",
            participant=other.harmed,
        )
    assert caught.value.field == "participant"


def test_it_asks_what_was_learned(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError) as caught:
        risk_services.record_risk_information(
            case=reload(built.case), actor=personas.facilitator, kind=RiskInformationKind.SAFEGUARDING, details=" "
        )
    assert caught.value.field == "details"
    assert reload(built.case).state == State.ASSESSING
