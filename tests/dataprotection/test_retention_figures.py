"""A retention run erases what is due and leaves every aggregate figure as it was (issue 7, "done when").

The data is the figures' hand-built dataset (tests/figures/dataset.py): two services, built through the real
services and builders with their dates then set directly, with agreements, surveys, reoffending checks, equality
answers, languages, declined and redirected referrals and complaints. Severn keeps its closed cases (youth cases
too), and its complaints, for 12 months; referrals not taken on keep the default 3 months; Wye keeps the defaults.
So on the day of the run nearly all of Severn's closed records are due, S17 (closed 1 April 2026) and the complaints
answered or received in 2026 are not, nor anything of Wye's; and S1 is under a legal hold. Every figure is counted
across both services for a period that holds everything, with every breakdown, before and after the run.
"""

import datetime
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from amends.cases.models import Case
from amends.complaints.models import Complaint
from amends.dataprotection import erasure, legal_holds, retention
from amends.dataprotection.models import RecordType
from amends.figures.definitions import compute_all
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period
from amends.people.models import Person
from amends.referrals.models import Referral
from tests.figures.dataset import Dataset, build_dataset

pytestmark = pytest.mark.django_db

RUN_ON = datetime.date(2027, 1, 15)
# One period that holds everything the dataset has (its financial year 2025 and the year after).
PERIODS = (Period.custom(datetime.date(2024, 1, 1), RUN_ON),)
DUE_CASES = ("S2", "S5", "S6", "S9", "S11", "S13", "S14", "S20")
HELD_CASE = "S1"
NOT_DUE_CASES = ("S3", "S4", "S12", "S16", "S17", "S19", "W1", "W2", "W4")
NOT_TAKEN_ON = ("S7", "S8", "S15", "S21")
# Answered or received in 2025 (due), and in 2026 or still waiting (not due), by the day received.
DUE_COMPLAINTS = ("2025-05-06", "2025-08-20", "2025-11-03", "2025-03-25", "2025-06-10", "2025-07-01")
KEPT_COMPLAINTS = ("2026-02-02", "2026-03-02", "2026-04-20")


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _every_figure(dataset: Dataset) -> list[tuple[Any, ...]]:
    """Every figure, for both services, each period and every breakdown, as plain values."""
    return [
        (
            period.slug,
            dimension.value,
            table.figure.key,
            table.total.values,
            [(row.key, row.label, row.values) for row in table.rows],
        )
        for period in PERIODS
        for dimension in Dimension
        for table in compute_all(dataset.scope_partnership, period, dimension)
    ]


def _prepare(dataset: Dataset) -> None:
    """Severn's shorter rules, the referrals' decision dates, and the hold on S1."""
    severn, coordinator = dataset.severn, dataset.personas.coordinator
    for kind in (RecordType.CLOSED_CASE, RecordType.YOUTH_CASE, RecordType.COMPLAINT):
        retention.save_retention_rule(
            service=severn,
            actor=coordinator,
            record_type=kind,
            keep_months=12,
            until_age=18 if kind == RecordType.YOUTH_CASE else None,
        )
    # The services stamp today on a decision: each was decided the day it arrived, and W3 only last month.
    for key, referral in dataset.referrals.items():
        if referral.case_id is None:
            decided = datetime.date(2026, 12, 20) if key == "W3" else referral.received_on
            Referral.objects.filter(pk=referral.pk).update(decided_at=_noon(decided))
    legal_holds.place_legal_hold(
        case=dataset.cases[HELD_CASE], actor=coordinator, reason="The person harmed is bringing a claim."
    )


def _blank_for(model: type[models.Model], path: str, case_ids: list[int]) -> bool:
    """Whether every encrypted value of the model's rows in the cases is blank."""
    blank = erasure.blank_values(model)
    rows = model._base_manager.filter(**{f"{path}__in": case_ids}).values(*blank)
    return all(row == blank for row in rows)


def _names(case: Case) -> set[str]:
    return {person.given_name for person in Person.objects.filter(participations__case=case)}


def test_a_run_erases_what_is_due_and_leaves_every_figure_as_it_was() -> None:
    dataset = build_dataset()
    _prepare(dataset)
    found = retention.find_due(RUN_ON)
    assert {record.reference for record in found.held} == {dataset.cases[HELD_CASE].reference}
    before = _every_figure(dataset)

    run = retention.apply(RUN_ON)

    after = _every_figure(dataset)
    assert len(after) == len(before)
    for was, now in zip(before, after, strict=True):
        assert now == was, f"{was[2]} by {was[1]} for {was[0]} changed"
    counts = {"closed_case": 7, "youth_case": 1, "referral_not_taken_on": 4, "complaint": 6, "held": 1}
    assert {key: run.counts[key] for key in counts} == counts

    # What was due: every encrypted value blank, and marked anonymised.
    due_ids = [dataset.cases[key].pk for key in DUE_CASES]
    assert Case.objects.filter(pk__in=due_ids, anonymised_at__isnull=False).count() == len(due_ids)
    for model, path in erasure.case_paths().items():
        assert _blank_for(model, path, due_ids), model._meta.label
    for key in DUE_CASES:
        assert _names(dataset.cases[key]) == {""}, key
    for key in NOT_TAKEN_ON:
        referral = Referral.objects.get(pk=dataset.referrals[key].pk)
        assert (referral.anonymised_at is not None, referral.summary, referral.crime_reference) == (True, "", ""), key
        people = Person.objects.filter(pk__in=referral.people.values("person_id"))
        assert {person.given_name for person in people} == {""}, key
    for received in DUE_COMPLAINTS:
        complaint = Complaint.objects.get(service=dataset.severn, received_on=received)
        assert (complaint.anonymised_at is not None, complaint.summary) == (True, ""), received

    # What was held or not yet due: untouched.
    kept = [HELD_CASE, *NOT_DUE_CASES]
    assert not Case.objects.filter(pk__in=[dataset.cases[key].pk for key in kept], anonymised_at__isnull=False)
    for key in kept:
        assert "" not in _names(dataset.cases[key]), key
    assert Referral.objects.get(pk=dataset.referrals["W3"].pk).anonymised_at is None
    for received in KEPT_COMPLAINTS:
        complaint = Complaint.objects.get(service=dataset.severn, received_on=received)
        assert (complaint.anonymised_at, complaint.summary) == (None, "About how long it took."), received
