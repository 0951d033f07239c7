"""Follow-up after the process: the follow-up and reoffending tasks from the service's clocks, feedback surveys,
reoffending checks and their computed change, onward referrals, closed cases, the audit and the timeline."""

import datetime

import pytest
from django.utils import timezone

from amends.accounts import services as account_services
from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, State, Task, TaskKind, TimelineEntry, TimelineKind
from amends.core.errors import DomainError
from amends.followup import services
from amends.followup.models import (
    Answer,
    FeedbackSurvey,
    OnwardReferral,
    OnwardStatus,
    ReoffendingCheck,
    ReoffendingSource,
    Satisfaction,
    SupportKind,
    SurveyMethod,
    reoffending_change,
    twelve_months_after,
)
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactOutcome, Participant, ParticipantRole
from tests.case_builders import BuiltCase, build_case
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _days(n: int) -> datetime.date:
    return _today() + datetime.timedelta(days=n)


def _case(personas: Personas, state: State = State.FOLLOWING_UP) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("service", "lead_facilitator").get(pk=case.pk)


def _close(personas: Personas, built: BuiltCase) -> Case:
    return case_services.transition_case(
        case=_fresh(built.case), actor=personas.coordinator, name="close", closure_reason="completed_direct"
    )


def _survey(
    personas: Personas, built: BuiltCase, participant: Participant | None = None, **answers: object
) -> FeedbackSurvey:
    return services.record_survey(
        case=_fresh(built.case),
        actor=personas.facilitator,
        participant=participant or built.harmed,
        taken_on=answers.pop("taken_on", _today()),  # type: ignore[arg-type]
        method=SurveyMethod.PHONE,
        answers=services.SurveyAnswers(**answers),  # type: ignore[arg-type]
    )


def _follow_up_tasks(case: Case) -> list[tuple[int, datetime.date, bool]]:
    return [
        (task.assigned_to_id, task.due_on, task.completed_at is not None)
        for task in Task.objects.filter(case=case, kind=TaskKind.FOLLOW_UP).order_by("due_on")
    ]


# The follow-up tasks, by the service's clocks ---------------------------------------------------------------------


def test_entering_following_up_gives_the_lead_two_follow_ups_and_a_reoffending_check(personas: Personas) -> None:
    built = _case(personas)
    lead = personas.facilitator.pk
    assert _follow_up_tasks(built.case) == [(lead, _days(14), False), (lead, _days(91), False)]
    check = Task.objects.get(case=built.case, kind=TaskKind.REOFFENDING_CHECK)
    assert (check.assigned_to_id, check.due_on) == (lead, twelve_months_after(_today()))


def test_the_follow_ups_are_due_by_the_services_own_clocks(personas: Personas) -> None:
    personas.service.first_follow_up_days, personas.service.second_follow_up_days = 10, 60
    personas.service.save()
    built = _case(personas)
    assert [due for _, due, _ in _follow_up_tasks(built.case)] == [_days(10), _days(60)]


def test_no_follow_up_is_set_before_the_case_reaches_following_up(personas: Personas) -> None:
    built = _case(personas, State.AGREEMENT_MONITORING)
    assert not Task.objects.filter(case=built.case, kind__in=[TaskKind.FOLLOW_UP, TaskKind.REOFFENDING_CHECK])


def test_resuming_into_following_up_sets_nothing_twice(personas: Personas) -> None:
    built = _case(personas)
    case = case_services.transition_case(
        case=_fresh(built.case), actor=personas.facilitator, name="hold", hold_reason="health", hold_review_on=_days(7)
    )
    case_services.transition_case(case=_fresh(case), actor=personas.facilitator, name="resume")
    assert len(_follow_up_tasks(built.case)) == 2
    assert Task.objects.filter(case=built.case, kind=TaskKind.REOFFENDING_CHECK).count() == 1


def test_closing_passes_the_reoffending_check_to_a_coordinator(personas: Personas) -> None:
    built = _case(personas)
    _close(personas, built)
    assert all(done for _, _, done in _follow_up_tasks(built.case))
    open_check = Task.objects.open().get(case=built.case, kind=TaskKind.REOFFENDING_CHECK)
    assert (open_check.assigned_to_id, open_check.due_on) == (personas.coordinator.pk, twelve_months_after(_today()))


def test_closing_a_case_that_never_reached_following_up_sets_no_reoffending_check(personas: Personas) -> None:
    built = _case(personas, State.CLOSED)
    assert not Task.objects.filter(case=built.case, kind=TaskKind.REOFFENDING_CHECK).exists()


def test_a_follow_up_contact_does_the_follow_ups_due_within_a_week_of_it(personas: Personas) -> None:
    built = _case(personas)
    _survey(personas, built)  # the first is due in 14 days: too early for it
    assert [done for _, _, done in _follow_up_tasks(built.case)] == [False, False]
    assert services.follow_up_done(case=built.case, actor=personas.facilitator, on=_days(7)) == 1
    assert [done for _, _, done in _follow_up_tasks(built.case)] == [True, False]
    assert services.follow_up_done(case=built.case, actor=personas.facilitator, on=_days(95)) == 1
    assert [done for _, _, done in _follow_up_tasks(built.case)] == [True, True]


def test_a_survey_taken_a_week_before_the_first_follow_up_does_it(personas: Personas) -> None:
    personas.service.first_follow_up_days = 7
    personas.service.save()
    built = _case(personas)
    _survey(personas, built)
    assert [done for _, _, done in _follow_up_tasks(built.case)] == [True, False]


def test_the_service_refuses_a_second_follow_up_no_later_than_the_first(personas: Personas) -> None:
    details = {"first_follow_up_days": 30, "second_follow_up_days": 30}
    with pytest.raises(DomainError, match="second follow-up contact must come after the first"):
        account_services.update_service(service=personas.service, actor=personas.coordinator, details=details)
    account_services.update_service(
        service=personas.service, actor=personas.coordinator, details={**details, "second_follow_up_days": 100}
    )
    personas.service.refresh_from_db()
    assert (personas.service.first_follow_up_days, personas.service.second_follow_up_days) == (30, 100)


# Feedback surveys -------------------------------------------------------------------------------------------------


def test_it_records_a_survey_with_its_answers_and_tells_the_audit_nothing_said(personas: Personas) -> None:
    built = _case(personas)
    survey = _survey(
        personas,
        built,
        satisfaction=Satisfaction.VERY_SATISFIED,
        felt_safe=Answer.YES,
        felt_heard=Answer.NOT_SURE,
        fear_before=8,
        fear_after=2,
        would_recommend=Answer.YES,
        comments="It helped me sleep again.",
        consent_to_quote=True,
    )
    survey.refresh_from_db()
    assert (survey.satisfaction, survey.fear_before, survey.fear_after, survey.consent_to_quote) == (5, 8, 2, True)
    assert survey.comments == "It helped me sleep again."
    event = AuditEvent.objects.get(action=AuditAction.SURVEY_RECORDED)
    assert "sleep" not in str(event.changes)
    assert event.changes["participant"] == built.harmed.pk
    entry = TimelineEntry.objects.get(case=built.case, kind=TimelineKind.SURVEY_RECORDED)
    assert (entry.participant_id, entry.detail) == (built.harmed.pk, "")


def test_every_answer_may_be_left_not_answered(personas: Personas) -> None:
    survey = _survey(personas, _case(personas))
    survey.refresh_from_db()
    assert (survey.satisfaction, survey.fear_before, survey.fear_after, survey.felt_safe, survey.comments) == (
        None,
        None,
        None,
        "",
        "",
    )


def test_consent_to_quote_needs_words_to_quote(personas: Personas) -> None:
    survey = _survey(personas, _case(personas), consent_to_quote=True)
    assert survey.consent_to_quote is False


def test_it_takes_one_survey_per_participant(personas: Personas) -> None:
    built = _case(personas)
    _survey(personas, built)
    with pytest.raises(DomainError, match="already recorded: correct it") as refused:
        _survey(personas, built)
    assert refused.value.field == "participant"
    _survey(personas, built, participant=built.responsible)
    assert FeedbackSurvey.objects.count() == 2


def test_it_asks_only_those_who_took_part(personas: Personas) -> None:
    built = _case(personas)
    professional = people_services.add_participant(
        case=_fresh(built.case),
        actor=personas.facilitator,
        role=ParticipantRole.PROFESSIONAL,
        details={"given_name": "Pat", "family_name": "Officer"},
        takes_part=False,
    )
    with pytest.raises(DomainError, match="Only someone who took part"):
        _survey(personas, built, participant=professional)
    other = _case(personas)
    with pytest.raises(DomainError, match="Choose someone in this case"):
        _survey(personas, built, participant=other.harmed)


@pytest.mark.parametrize("fear", [11, -1])
def test_fear_is_from_0_to_10(personas: Personas, fear: int) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="from 0 to 10") as refused:
        _survey(personas, built, fear_after=fear)
    assert refused.value.field == "fear_after"
    _survey(personas, built, fear_before=0, fear_after=10)


def test_it_refuses_answers_that_are_not_offered(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="how satisfied"):
        _survey(personas, built, satisfaction=6)
    with pytest.raises(DomainError, match="yes, no or not sure"):
        _survey(personas, built, felt_heard="maybe")


def test_a_survey_waits_until_the_process_has_happened(personas: Personas) -> None:
    with pytest.raises(DomainError, match="once the process has happened"):
        _survey(personas, _case(personas, State.IN_PROCESS))
    assert _survey(personas, _case(personas, State.AGREEMENT_MONITORING)).pk


def test_a_survey_refuses_a_future_date(personas: Personas) -> None:
    with pytest.raises(DomainError, match="cannot be in the future"):
        _survey(personas, _case(personas), taken_on=_days(1))


def test_a_closed_case_takes_no_survey(personas: Personas) -> None:
    built = _case(personas)
    _close(personas, built)
    with pytest.raises(DomainError, match="This case is closed"):
        _survey(personas, built)


def test_a_supervisor_reads_but_does_not_record_surveys(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="cannot work on this case"):
        services.record_survey(
            case=_fresh(built.case),
            actor=personas.supervisor,
            participant=built.harmed,
            taken_on=_today(),
            method=SurveyMethod.PAPER,
            answers=services.SurveyAnswers(),
        )


def test_a_survey_is_corrected_against_the_version_read(personas: Personas) -> None:
    built = _case(personas)
    survey = _survey(personas, built, fear_before=5)
    survey = FeedbackSurvey.objects.select_related("case__service", "participant").get(pk=survey.pk)
    services.correct_survey(
        survey=survey,
        actor=personas.facilitator,
        taken_on=_today(),
        method=SurveyMethod.IN_PERSON,
        answers=services.SurveyAnswers(fear_before=6),
        expected_version=1,
    )
    with pytest.raises(DomainError, match="Someone else changed this record"):
        services.correct_survey(
            survey=survey,
            actor=personas.facilitator,
            taken_on=_today(),
            method=SurveyMethod.IN_PERSON,
            answers=services.SurveyAnswers(fear_before=7),
            expected_version=1,
        )
    survey.refresh_from_db()
    assert (survey.fear_before, survey.method, survey.version) == (6, SurveyMethod.IN_PERSON, 2)
    corrected = AuditEvent.objects.filter(action=AuditAction.SURVEY_RECORDED).order_by("pk").last()
    assert corrected is not None
    assert corrected.changes == {"corrected": ["fear_before", "method"]}


# Reoffending checks -----------------------------------------------------------------------------------------------


def _check(personas: Personas, built: BuiltCase, **given: object) -> ReoffendingCheck:
    values: dict[str, object] = {
        "participant": built.responsible,
        "offences_before": 3,
        "source": ReoffendingSource.PNC,
        "checked_on": _today(),
        **given,
    }
    actor = values.pop("actor", personas.facilitator)
    return services.record_reoffending_check(case=_fresh(built.case), actor=actor, **values)  # type: ignore[arg-type]


def test_the_process_date_defaults_to_entering_following_up(personas: Personas) -> None:
    built = _case(personas)
    check = _check(personas, built)
    assert (check.process_on, check.offences_after) == (_today(), None)
    event = AuditEvent.objects.get(action=AuditAction.REOFFENDING_CHECKED)
    assert "offences_before" not in event.changes
    assert event.changes["after_counted"] is False


def test_offences_after_wait_until_12_months_have_passed(personas: Personas) -> None:
    built = _case(personas)
    process_on = _today() - datetime.timedelta(days=300)
    with pytest.raises(DomainError, match="check again on or after") as refused:
        _check(personas, built, process_on=process_on, offences_after=1)
    assert refused.value.field == "offences_after"
    assert twelve_months_after(process_on).strftime("%Y") in refused.value.message
    check = _check(personas, built, process_on=_days(-400), offences_after=1)
    assert check.offences_after == 1


def test_12_months_have_passed_on_the_same_date_a_year_on(personas: Personas) -> None:
    assert twelve_months_after(datetime.date(2025, 3, 5)) == datetime.date(2026, 3, 5)
    assert twelve_months_after(datetime.date(2024, 2, 29)) == datetime.date(2025, 3, 1)


def test_reoffending_is_checked_for_a_person_responsible_only(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="for a person responsible"):
        _check(personas, built, participant=built.harmed)


def test_reoffending_waits_for_the_process(personas: Personas) -> None:
    with pytest.raises(DomainError, match="once the process has happened"):
        _check(personas, _case(personas, State.AGREEMENT_MONITORING))


def test_reoffending_refuses_future_dates_and_checks_before_the_process(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="cannot be in the future"):
        _check(personas, built, checked_on=_days(1))
    with pytest.raises(DomainError, match="before the process"):
        _check(personas, built, checked_on=_days(-1))


def test_reoffending_is_recorded_on_a_closed_case_and_closes_the_coordinators_task(personas: Personas) -> None:
    built = _case(personas)
    _close(personas, built)
    long_ago = _days(-800)
    _check(personas, built, actor=personas.coordinator, process_on=long_ago, offences_after=0)
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.REOFFENDING_CHECK).exists()
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.REOFFENDING_CHECKED).exists()


def test_a_supervisor_does_not_record_reoffending(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="cannot work on this case"):
        _check(personas, built, actor=personas.supervisor)


def test_the_change_counts_each_persons_latest_complete_check(personas: Personas) -> None:
    built = _case(personas)
    long_ago = _days(-800)
    _check(personas, built, process_on=long_ago, offences_before=4, offences_after=4, checked_on=_days(-3))
    _check(personas, built, process_on=long_ago, offences_before=4, offences_after=1)
    _check(personas, built, offences_before=9)  # incomplete: not counted
    change = reoffending_change(ReoffendingCheck.objects.filter(case=built.case))
    assert change is not None
    assert (change.people, change.before, change.after, change.difference) == (1, 4, 1, -3)
    assert str(change.percent) == "-75.0"


def test_the_change_has_no_percentage_without_offences_before(personas: Personas) -> None:
    built = _case(personas)
    assert reoffending_change(ReoffendingCheck.objects.filter(case=built.case)) is None
    long_ago = _days(-800)
    _check(personas, built, process_on=long_ago, offences_before=0, offences_after=2)
    change = reoffending_change(ReoffendingCheck.objects.filter(case=built.case))
    assert change is not None
    assert (change.difference, change.percent) == (2, None)


# Onward referrals -------------------------------------------------------------------------------------------------


def _refer(personas: Personas, built: BuiltCase, **given: object) -> OnwardReferral:
    values: dict[str, object] = {
        "participant": built.harmed,
        "support_kind": SupportKind.VICTIM_SUPPORT,
        "organisation": "Victim Support Gloucestershire",
        "status": OnwardStatus.REFERRED,
        "status_on": _today(),
        "notes": "Wants help with sleep.",
        **given,
    }
    actor = values.pop("actor", personas.facilitator)
    return services.make_onward_referral(case=_fresh(built.case), actor=actor, **values)  # type: ignore[arg-type]


def test_it_makes_an_onward_referral_and_keeps_its_notes_out_of_the_audit(personas: Personas) -> None:
    built = _case(personas)
    referral = _refer(personas, built)
    referral.refresh_from_db()
    assert (referral.status, referral.notes, referral.version) == (OnwardStatus.REFERRED, "Wants help with sleep.", 1)
    event = AuditEvent.objects.get(action=AuditAction.ONWARD_REFERRAL_SAVED)
    assert "sleep" not in str(event.changes)
    assert "Gloucestershire" not in str(event.changes)
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.ONWARD_REFERRAL_MADE).exists()


def test_an_onward_referral_needs_an_organisation_and_a_starting_status(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match="name of the organisation"):
        _refer(personas, built, organisation="  ")
    with pytest.raises(DomainError, match="starts as signposted or referred"):
        _refer(personas, built, status=OnwardStatus.ACCEPTED)


def test_an_onward_referral_may_be_made_at_any_open_stage(personas: Personas) -> None:
    assert _refer(personas, _case(personas, State.ASSESSING)).pk


def test_it_updates_an_onward_referral_against_the_version_read(personas: Personas) -> None:
    built = _case(personas)
    referral = _refer(personas, built)
    services.update_onward_referral(
        referral=referral,
        actor=personas.facilitator,
        status=OnwardStatus.ACCEPTED,
        status_on=_today(),
        expected_version=1,
    )
    with pytest.raises(DomainError, match="Someone else changed this record"):
        services.update_onward_referral(
            referral=referral,
            actor=personas.facilitator,
            status=OnwardStatus.DECLINED,
            status_on=_today(),
            expected_version=1,
        )
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (OnwardStatus.ACCEPTED, 2)
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.ONWARD_REFERRAL_UPDATED).count() == 1


def test_an_onward_referral_refuses_the_same_status_an_earlier_date_and_changes_after_the_end(
    personas: Personas,
) -> None:
    built = _case(personas)
    referral = _refer(personas, built)
    update = services.update_onward_referral
    with pytest.raises(DomainError, match="already referred"):
        update(referral=referral, actor=personas.facilitator, status=OnwardStatus.REFERRED, status_on=_today())
    with pytest.raises(DomainError, match="before the last update"):
        update(referral=referral, actor=personas.facilitator, status=OnwardStatus.ACCEPTED, status_on=_days(-1))
    update(referral=referral, actor=personas.facilitator, status=OnwardStatus.COMPLETED, status_on=_today())
    with pytest.raises(DomainError, match="already completed"):
        update(referral=referral, actor=personas.facilitator, status=OnwardStatus.ACCEPTED, status_on=_today())


def test_a_closed_case_makes_and_updates_no_onward_referral(personas: Personas) -> None:
    built = _case(personas)
    referral = _refer(personas, built)
    _close(personas, built)
    with pytest.raises(DomainError, match="This case is closed"):
        _refer(personas, built)
    referral = OnwardReferral.objects.select_related("case").get(pk=referral.pk)
    with pytest.raises(DomainError, match="This case is closed"):
        services.update_onward_referral(
            referral=referral, actor=personas.facilitator, status=OnwardStatus.ACCEPTED, status_on=_today()
        )


def test_a_supervisor_makes_no_onward_referral(personas: Personas) -> None:
    with pytest.raises(DomainError, match="cannot work on this case"):
        _refer(personas, _case(personas), actor=personas.supervisor)


def test_speaking_to_someone_in_follow_up_does_the_follow_ups_due_within_a_week(personas: Personas) -> None:
    personas.service.first_follow_up_days = 5
    personas.service.save()
    built = _case(personas)
    people_services.log_contact(
        participant=built.harmed,
        actor=personas.facilitator,
        occurred_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.NO_ANSWER,
    )
    assert [done for _, _, done in _follow_up_tasks(built.case)] == [False, False]
    people_services.log_contact(
        participant=built.harmed,
        actor=personas.facilitator,
        occurred_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
    )
    assert [done for _, _, done in _follow_up_tasks(built.case)] == [True, False]
