"""The retention schedule: when each kind of record is due, the service's own rules, legal holds, the dry run, the
run itself and the nightly task that queues itself again."""

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amends.accounts.models import Service
from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, SensitivityFlag, State
from amends.complaints import services as complaint_services
from amends.complaints.models import Complaint, ComplaintKind, Outcome
from amends.core.errors import DomainError
from amends.core.workdays import add_months
from amends.dataprotection import legal_holds, retention, tasks
from amends.dataprotection.models import LegalHold, RecordType, RetentionRule, RetentionRun
from amends.dataprotection.retention import Rule, default_rule, find_due
from amends.people.models import Person
from amends.referrals import services as referral_services
from amends.referrals.models import Referral
from tests.case_builders import build_case, make_referral
from tests.complaints.builders import record
from tests.personas import Personas

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def months_before(months: int, days: int = 0) -> datetime.date:
    return add_months(TODAY, -months) - datetime.timedelta(days=days)


def closed_case(personas: Personas, *, closed_on: datetime.date, service: Service | None = None) -> Case:
    """A case built through the services and closed, its closing day then set back."""
    service = service or personas.service
    coordinator = personas.coordinator if service == personas.service else personas.other_coordinator
    facilitator = personas.facilitator if service == personas.service else personas.other_facilitator
    built = build_case(service=service, coordinator=coordinator, facilitator=facilitator, state=State.CLOSED)
    Case.objects.filter(pk=built.case.pk).update(closed_at=noon(closed_on))
    return Case.objects.get(pk=built.case.pk)


def youth_case(personas: Personas, *, closed_on: datetime.date, born: datetime.date) -> Case:
    """A case in which a child took part (flagged when the referral was accepted), closed on the day."""
    referral = make_referral(
        service=personas.service,
        actor=personas.coordinator,
        responsible={"given_name": "Kit", "family_name": "Young", "date_of_birth": born},
    )
    case = referral_services.accept_referral(
        referral=referral, actor=personas.coordinator, reason="In scope", flags=[SensitivityFlag.CHILD_PARTICIPANT]
    )
    case_services.transition_case(case=case, actor=personas.coordinator, name="close", closure_reason="other")
    Case.objects.filter(pk=case.pk).update(closed_at=noon(closed_on))
    return Case.objects.get(pk=case.pk)


def declined(personas: Personas, *, decided_on: datetime.date, redirect: bool = False) -> Referral:
    referral = make_referral(service=personas.service, actor=personas.coordinator, crime_reference="CR/9/18")
    if redirect:
        referral_services.redirect_referral(
            referral=referral, actor=personas.coordinator, reason="Better elsewhere", redirected_to="Victim Support"
        )
    else:
        referral_services.decline_referral(referral=referral, actor=personas.coordinator, reason="Out of area")
    Referral.objects.filter(pk=referral.pk).update(decided_at=noon(decided_on))
    return Referral.objects.get(pk=referral.pk)


def answered(personas: Personas, *, on: datetime.date, case: Case | None = None) -> Complaint:
    complaint = record(personas.service, personas.coordinator, case=case)
    complaint_services.respond_to_complaint(
        complaint=complaint,
        actor=personas.coordinator,
        responded_on=timezone.localdate(),
        outcome=Outcome.NOT_UPHELD,
        response="We looked again.",
    )
    Complaint.objects.filter(pk=complaint.pk).update(received_on=on, due_on=on, responded_on=on)
    return Complaint.objects.get(pk=complaint.pk)


def due_references(found: retention.Found, *, held: bool = False) -> set[str]:
    return {record.reference for record in (found.held if held else found.due)}


# The rules ---------------------------------------------------------------------------------------------------------


def test_a_closed_case_is_due_its_months_after_it_closed() -> None:
    assert retention.case_due_on(datetime.date(2018, 3, 2), default_rule(RecordType.CLOSED_CASE)) == datetime.date(
        2025, 3, 2
    )
    # A month shorter than the day: its last day.
    rule = Rule(RecordType.CLOSED_CASE, 6, None, own=True)
    assert retention.case_due_on(datetime.date(2025, 8, 31), rule) == datetime.date(2026, 2, 28)


def test_a_youth_case_is_due_at_the_later_of_its_months_and_the_youngest_coming_of_age() -> None:
    rule = default_rule(RecordType.YOUTH_CASE)  # 36 months, and until 18
    closed = datetime.date(2020, 1, 10)
    # The youngest (born 2010) is 18 in May 2028, after the 36 months: due at the start of the next month, so the
    # due date does not give their birthday away.
    births = [datetime.date(1980, 5, 1), datetime.date(2010, 5, 17), datetime.date(2004, 1, 1)]
    assert retention.youth_case_due_on(closed, rule, births) == datetime.date(2028, 6, 1)
    # Everyone came of age before the 36 months ran out.
    assert retention.youth_case_due_on(closed, rule, [datetime.date(2000, 1, 1)]) == datetime.date(2023, 1, 10)
    # Nobody's date of birth is known: the months alone.
    assert retention.youth_case_due_on(closed, rule, [None]) == datetime.date(2023, 1, 10)
    # A service's rule with no age: the months alone.
    no_age = Rule(RecordType.YOUTH_CASE, 36, None, own=True)
    assert retention.youth_case_due_on(closed, no_age, births) == datetime.date(2023, 1, 10)


def test_a_closed_case_is_found_on_the_day_it_is_due_and_not_before(personas: Personas) -> None:
    due = closed_case(personas, closed_on=months_before(84))
    not_yet = closed_case(personas, closed_on=months_before(84, days=-1))

    found = find_due(TODAY)

    assert due_references(found) == {due.reference}
    (record,) = found.due
    assert (record.kind, record.due_on, record.service_name) == (RecordType.CLOSED_CASE, TODAY, "Severn Test Service")
    assert record.why == f"closed {months_before(84).isoformat()}; closed cases kept 84 months"
    assert not_yet.reference not in due_references(found)


def test_a_youth_case_waits_for_the_youngest_to_come_of_age(personas: Personas) -> None:
    # Closed 5 years ago: past the 36 months; the child is 16 now, then 20.
    waiting = youth_case(personas, closed_on=months_before(60), born=months_before(16 * 12))
    grown = youth_case(personas, closed_on=months_before(60), born=months_before(20 * 12))

    found = find_due(TODAY)

    assert due_references(found) == {grown.reference}
    assert waiting.reference not in due_references(found)
    (record,) = found.due
    assert record.kind == RecordType.YOUTH_CASE
    assert record.why == (
        f"closed {months_before(60).isoformat()}; a child took part: kept until the youngest is 18 and 36 months "
        "after closure"
    )
    # The child is 18 in 24 months: the case is due on the first of the month after, not on their birthday.
    assert find_due(add_months(TODAY, 24)).count(RecordType.YOUTH_CASE) == 1
    assert find_due(add_months(TODAY, 25)).count(RecordType.YOUTH_CASE) == 2


def test_a_referral_not_taken_on_is_due_its_months_after_the_decision(personas: Personas) -> None:
    declined_long_ago = declined(personas, decided_on=months_before(3))
    redirected = declined(personas, decided_on=months_before(4), redirect=True)
    recent = declined(personas, decided_on=months_before(2))
    accepted = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    Referral.objects.filter(case=accepted.case).update(decided_at=noon(months_before(30)))

    found = find_due(TODAY)

    assert due_references(found) == {f"referral {declined_long_ago.pk}", f"referral {redirected.pk}"}
    assert f"referral {recent.pk}" not in due_references(found)
    whys = {record.why for record in found.due}
    assert f"declined {months_before(3).isoformat()}; referrals not taken on kept 3 months" in whys
    assert f"redirected {months_before(4).isoformat()}; referrals not taken on kept 3 months" in whys


def test_a_complaint_is_due_after_its_answer_and_feedback_after_it_arrived(personas: Personas) -> None:
    old_answer = answered(personas, on=months_before(72))
    recent_answer = answered(personas, on=months_before(71))
    waiting = record(personas.service, personas.coordinator)
    Complaint.objects.filter(pk=waiting.pk).update(received_on=months_before(120), due_on=months_before(120))
    compliment = record(personas.service, personas.coordinator, kind=ComplaintKind.COMPLIMENT)
    Complaint.objects.filter(pk=compliment.pk).update(received_on=months_before(73))

    found = find_due(TODAY)

    assert due_references(found) == {f"complaint {old_answer.pk}", f"complaint {compliment.pk}"}
    assert not {f"complaint {recent_answer.pk}", f"complaint {waiting.pk}"} & due_references(found)
    assert f"answered {months_before(72).isoformat()}; complaints kept 72 months" in {r.why for r in found.due}


def test_a_services_own_rule_takes_the_place_of_the_default(personas: Personas) -> None:
    ours = closed_case(personas, closed_on=months_before(13))
    theirs = closed_case(personas, closed_on=months_before(13), service=personas.other_service)
    retention.save_retention_rule(
        service=personas.service, actor=personas.coordinator, record_type=RecordType.CLOSED_CASE, keep_months=12
    )

    found = find_due(TODAY)

    assert due_references(found) == {ours.reference}
    assert theirs.reference not in due_references(found)
    assert found.due[0].why.endswith("closed cases kept 12 months")
    rules = retention.rules_for(personas.service)
    assert (rules[RecordType.CLOSED_CASE].keep_months, rules[RecordType.CLOSED_CASE].own) == (12, True)
    assert rules[RecordType.COMPLAINT] == default_rule(RecordType.COMPLAINT)


def test_going_back_to_the_default_removes_the_services_rule(personas: Personas) -> None:
    retention.save_retention_rule(
        service=personas.service, actor=personas.coordinator, record_type=RecordType.CLOSED_CASE, keep_months=12
    )
    retention.use_default_rule(service=personas.service, actor=personas.coordinator, record_type="closed_case")
    assert not RetentionRule.objects.filter(service=personas.service).exists()
    assert retention.rule_for(personas.service, RecordType.CLOSED_CASE) == default_rule(RecordType.CLOSED_CASE)
    assert AuditEvent.objects.filter(action=AuditAction.RETENTION_RULE_SAVED).count() == 2


def test_saving_a_rule_is_audited_and_checked(personas: Personas) -> None:
    rule = retention.save_retention_rule(
        service=personas.service,
        actor=personas.administrator,
        record_type=RecordType.YOUTH_CASE,
        keep_months=48,
        until_age=21,
    )
    assert (rule.keep_months, rule.until_age, rule.changed_by) == (48, 21, personas.administrator)
    event = AuditEvent.objects.get(action=AuditAction.RETENTION_RULE_SAVED)
    assert event.changes["keep_months"] == {"before": 36, "after": 48}
    assert event.changes["until_age"] == {"before": 18, "after": 21}
    refusals = (
        ({"record_type": RecordType.CLOSED_CASE, "keep_months": 0}, "keep_months"),
        ({"record_type": RecordType.CLOSED_CASE, "keep_months": 1201}, "keep_months"),
        ({"record_type": RecordType.CLOSED_CASE, "keep_months": 12, "until_age": 18}, "until_age"),
        ({"record_type": RecordType.YOUTH_CASE, "keep_months": 12, "until_age": 9}, "until_age"),
        ({"record_type": "everything", "keep_months": 12}, "record_type"),
    )
    for details, field in refusals:
        with pytest.raises(DomainError) as refused:
            retention.save_retention_rule(service=personas.service, actor=personas.coordinator, **details)
        assert refused.value.field == field


def test_only_those_who_manage_data_protection_change_the_schedule(personas: Personas) -> None:
    for user in (personas.facilitator, personas.supervisor, personas.other_coordinator):
        with pytest.raises(DomainError):
            retention.save_retention_rule(
                service=personas.service, actor=user, record_type=RecordType.CLOSED_CASE, keep_months=12
            )
    assert not RetentionRule.objects.exists()


def test_an_anonymised_record_is_never_due(personas: Personas) -> None:
    case = closed_case(personas, closed_on=months_before(100))
    referral = declined(personas, decided_on=months_before(12))
    Case.objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    Referral.objects.filter(pk=referral.pk).update(anonymised_at=timezone.now())
    assert find_due(TODAY).due == []


# Legal holds -------------------------------------------------------------------------------------------------------


def test_a_held_case_and_the_complaints_about_it_are_held_not_due(personas: Personas) -> None:
    held = closed_case(personas, closed_on=months_before(100))
    complaint = answered(personas, on=months_before(80), case=held)
    legal_holds.place_legal_hold(case=held, actor=personas.coordinator, reason="A civil claim is expected.")

    found = find_due(TODAY)

    assert found.due == []
    assert due_references(found, held=True) == {held.reference, f"complaint {complaint.pk}"}


def test_placing_and_lifting_a_hold_is_audited(personas: Personas) -> None:
    case = closed_case(personas, closed_on=months_before(100))

    hold = legal_holds.place_legal_hold(case=case, actor=personas.coordinator, reason="  Inquiry by the PCC.  ")
    assert (hold.reason, hold.placed_by, hold.lifted_at) == ("Inquiry by the PCC.", personas.coordinator, None)
    placed = AuditEvent.objects.get(action=AuditAction.LEGAL_HOLD_PLACED)
    assert placed.changes == {"legal_hold": hold.pk, "reason": "[encrypted]"}
    assert placed.target_id == str(case.pk)
    with pytest.raises(DomainError, match="already under a legal hold"):
        legal_holds.place_legal_hold(case=case, actor=personas.coordinator, reason="Again")

    lifted = legal_holds.lift_legal_hold(hold=hold, actor=personas.coordinator)
    assert (lifted.lifted_by, lifted.lifted_at is not None) == (personas.coordinator, True)
    assert AuditEvent.objects.filter(action=AuditAction.LEGAL_HOLD_LIFTED).count() == 1
    with pytest.raises(DomainError, match="already been lifted"):
        legal_holds.lift_legal_hold(hold=hold, actor=personas.coordinator)
    assert due_references(find_due(TODAY)) == {case.reference}


def test_a_hold_needs_a_reason_a_coordinator_and_something_to_hold(personas: Personas) -> None:
    case = closed_case(personas, closed_on=months_before(100))
    with pytest.raises(DomainError) as refused:
        legal_holds.place_legal_hold(case=case, actor=personas.coordinator, reason="   ")
    assert refused.value.field == "reason"
    for user in (personas.facilitator, personas.administrator, personas.other_coordinator):
        with pytest.raises(DomainError, match="Only a coordinator"):
            legal_holds.place_legal_hold(case=case, actor=user, reason="A claim")
    hold = legal_holds.place_legal_hold(case=case, actor=personas.coordinator, reason="A claim")
    with pytest.raises(DomainError, match="Only a coordinator"):
        legal_holds.lift_legal_hold(hold=hold, actor=personas.facilitator)
    other = closed_case(personas, closed_on=months_before(100))
    Case.objects.filter(pk=other.pk).update(anonymised_at=timezone.now())
    with pytest.raises(DomainError, match="already been erased"):
        legal_holds.place_legal_hold(case=other, actor=personas.coordinator, reason="A claim")
    assert LegalHold.objects.count() == 1


# Applying it -------------------------------------------------------------------------------------------------------


def _build_mixed(personas: Personas) -> dict[str, object]:
    return {
        "due": closed_case(personas, closed_on=months_before(90)),
        "held": closed_case(personas, closed_on=months_before(90)),
        "recent": closed_case(personas, closed_on=months_before(10)),
        "referral": declined(personas, decided_on=months_before(6)),
        "complaint": answered(personas, on=months_before(80)),
    }


def test_applying_the_schedule_anonymises_what_is_due_and_records_the_run(personas: Personas) -> None:
    built = _build_mixed(personas)
    held, due, recent = built["held"], built["due"], built["recent"]
    assert isinstance(held, Case)
    assert isinstance(due, Case)
    assert isinstance(recent, Case)
    legal_holds.place_legal_hold(case=held, actor=personas.coordinator, reason="A claim")

    run = retention.apply(TODAY)

    assert run.finished_at is not None
    counts = {"closed_case": 1, "youth_case": 0, "referral_not_taken_on": 1, "complaint": 1, "held": 1}
    assert {key: run.counts[key] for key in counts} == counts
    assert run.counts["services"] == {str(personas.service.pk): counts}
    assert retention.run_counts(run, personas.other_service) == retention.empty_counts()
    assert Case.objects.get(pk=due.pk).anonymised_at is not None
    assert Case.objects.get(pk=held.pk).anonymised_at is None
    assert Case.objects.get(pk=recent.pk).anonymised_at is None
    assert Person.objects.get(participations__case=held, participations__role="person_harmed").given_name == "Ann"
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_ERASED).count() == 3
    # A second run finds nothing left to do.
    assert {key: retention.apply(TODAY).counts[key] for key in counts} == {**dict.fromkeys(counts, 0), "held": 1}


def test_a_record_found_due_is_left_when_it_is_due_no_longer_by_its_turn(personas: Personas) -> None:
    # A long run finds everything first: a case reopened, a rule lengthened or a hold placed meanwhile still counts.
    reopened = closed_case(personas, closed_on=months_before(90))
    declined_referral = declined(personas, decided_on=months_before(6))
    held_case = closed_case(personas, closed_on=months_before(10))
    complaint = answered(personas, on=months_before(80), case=held_case)
    still_due = closed_case(personas, closed_on=months_before(90))
    found = {record.record_id: record for record in find_due(TODAY).due}

    case_services.transition_case(
        case=reopened, actor=personas.coordinator, name="reopen", reason="A safeguarding concern came in."
    )
    retention.save_retention_rule(
        service=personas.service,
        actor=personas.coordinator,
        record_type=RecordType.REFERRAL_NOT_TAKEN_ON,
        keep_months=24,
    )
    legal_holds.place_legal_hold(case=held_case, actor=personas.coordinator, reason="A claim about the complaint.")

    for stale in (reopened, declined_referral, complaint):
        assert retention.anonymise_due(found[stale.pk], TODAY) is False
    assert Case.objects.get(pk=reopened.pk).anonymised_at is None
    assert Referral.objects.get(pk=declined_referral.pk).anonymised_at is None
    assert Complaint.objects.get(pk=complaint.pk).anonymised_at is None
    assert retention.anonymise_due(found[still_due.pk], TODAY) is True
    assert Case.objects.get(pk=still_due.pk).anonymised_at is not None


def test_the_dry_run_lists_what_would_go_and_why_and_changes_nothing(personas: Personas) -> None:
    built = _build_mixed(personas)
    held, due = built["held"], built["due"]
    assert isinstance(held, Case)
    assert isinstance(due, Case)
    legal_holds.place_legal_hold(case=held, actor=personas.coordinator, reason="A claim")
    out = io.StringIO()

    call_command("retention", "--dry-run", stdout=out)

    text = out.getvalue()
    assert f"Closed cases\tSevern Test Service\t{due.reference}\t" in text
    assert "closed cases kept 84 months" in text
    assert f"referral {built['referral'].pk}" in text
    assert "Held by a legal hold (kept):" in text
    assert held.reference in text.split("Held by a legal hold")[1]
    assert "Total: 3 would be anonymised; 1 held." in text
    for name in ("Ann", "Harmed", "Rob", "Responsible"):
        assert name not in text
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()
    assert not RetentionRun.objects.exists()


def test_the_command_applies_the_schedule(personas: Personas) -> None:
    built = _build_mixed(personas)
    out = io.StringIO()
    call_command("retention", stdout=out)
    # Nothing is held here: both old cases go.
    assert (
        "closed_case 2, youth_case 0, referral_not_taken_on 1, complaint 1; held by a legal hold: 0" in out.getvalue()
    )
    due = built["due"]
    assert isinstance(due, Case)
    assert Case.objects.get(pk=due.pk).anonymised_at is not None
    assert RetentionRun.objects.count() == 1


# The nightly task --------------------------------------------------------------------------------------------------


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=tasks.apply_retention.module_path, status="READY"))


def test_the_next_run_is_at_two_in_the_morning_local_time() -> None:
    london = timezone.get_current_timezone()
    at = datetime.datetime(2026, 7, 1, 1, 30, tzinfo=london)
    assert tasks.next_run_at(at) == datetime.datetime(2026, 7, 1, 2, 0, tzinfo=london)
    at = datetime.datetime(2026, 7, 1, 2, 0, 5, tzinfo=london)
    assert tasks.next_run_at(at) == datetime.datetime(2026, 7, 2, 2, 0, tzinfo=london)
    at = datetime.datetime(2026, 12, 31, 23, 0, tzinfo=london)
    assert tasks.next_run_at(at) == datetime.datetime(2027, 1, 1, 2, 0, tzinfo=london)


def test_the_task_runs_the_schedule_and_queues_itself_once(personas: Personas, settings: Any) -> None:
    built = _build_mixed(personas)
    settings.TASKS = DATABASE_TASKS

    tasks.apply_retention.call()
    tasks.apply_retention.call()

    due = built["due"]
    assert isinstance(due, Case)
    assert Case.objects.get(pk=due.pk).anonymised_at is not None
    assert RetentionRun.objects.count() == 2
    (queued,) = _queued()
    assert queued.run_after == tasks.next_run_at()
    assert queued.args_kwargs == {"args": [], "kwargs": {}}


def test_the_command_queues_the_nightly_task_once(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    out = io.StringIO()
    call_command("retention", "--schedule", stdout=out)
    call_command("retention", "--schedule", stdout=out)
    assert len(_queued()) == 1
    assert "Queued the retention schedule" in out.getvalue()
    assert "Not queued" in out.getvalue()


def test_nothing_is_queued_where_the_backend_cannot_wait() -> None:
    # The test settings' immediate backend would run it at once, and again, for ever.
    assert tasks.schedule_next() is False
    assert _queued() == []
