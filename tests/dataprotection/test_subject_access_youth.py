"""The subject access export in a youth case, and the audit trail of a person's own records: the child's export holds
their referral order, its breaches and the report to the court; the person harmed's holds the decision whether to
invite them to the panel, and nothing of the child's order."""

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Case
from amends.dataprotection import subject_access
from amends.people import services as people_services
from amends.people.models import Person
from amends.youth import services as youth_services
from tests.case_builders import BuiltCase
from tests.dataprotection.test_subject_access import _all_text, _part, _section
from tests.personas import Personas
from tests.youth.builders import record_order, referral_order_case
from tests.youth.test_services import pre_sentence

pytestmark = pytest.mark.django_db


def _report(built: BuiltCase, role: str) -> subject_access.Report:
    participant = built.harmed if role == "harmed" else built.responsible
    person = Person.objects.get(pk=participant.person_id)
    return subject_access.build_report(person, service=person.service)


def _youth_case(personas: Personas) -> BuiltCase:
    built = referral_order_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator
    )
    record_order(built.case, personas.facilitator)
    case = Case.objects.select_related("service").get(pk=built.case.pk)
    youth_services.record_victim_involvement(
        case=case,
        actor=personas.facilitator,
        involvement="declined",
        declined_contribution="statement",
        details="She asked to meet him; the risk is low.",
    )
    youth_services.record_breach(
        case=Case.objects.select_related("service").get(pk=built.case.pk),
        actor=personas.facilitator,
        occurred_on=timezone.localdate() - datetime.timedelta(days=1),
        what_happened="Missed the reparation session at the allotment.",
        referred_to_court=False,
    )
    return built


def test_the_childs_export_holds_their_order_and_its_breaches_but_not_the_invitation(personas: Personas) -> None:
    built = _youth_case(personas)
    report = _report(built, "responsible")
    case_section = _section(report, f"Case {built.case.reference}")
    order = _part(case_section, "Referral order")
    headings = [record["heading"] for record in order["records"]]
    assert headings[0] == "Your referral order"
    assert any(heading.startswith("Breach of the order on") for heading in headings)
    text = _all_text(report)
    assert "Gloucester Youth Court" in text
    assert "Missed the reparation session at the allotment." in text
    assert "She asked to meet him" not in text


def test_the_person_harmeds_export_holds_the_invitation_and_nothing_of_the_order(personas: Personas) -> None:
    built = _youth_case(personas)
    report = _report(built, "harmed")
    order = _part(_section(report, f"Case {built.case.reference}"), "Referral order")
    assert [record["heading"] for record in order["records"]] == [
        "Whether you were invited to the youth offender panel"
    ]
    text = _all_text(report)
    assert "She asked to meet him; the risk is low." in text
    assert "They want to send a statement to the panel" in text
    assert "Missed the reparation session" not in text
    assert "Gloucester Youth Court" not in text


def test_the_court_report_is_the_childs_alone(personas: Personas) -> None:
    built = pre_sentence(personas)
    child = _part(_section(_report(built, "responsible"), f"Case {built.case.reference}"), "Deferred sentence")
    assert [record["heading"] for record in child["records"]] == ["The report to the court"]
    harmed = _section(_report(built, "harmed"), f"Case {built.case.reference}")
    assert "Deferred sentence" not in [part["heading"] for part in harmed["parts"]]


def test_the_audit_trail_of_their_own_records_names_who_changed_what_but_no_value(personas: Personas) -> None:
    built = _youth_case(personas)
    person = Person.objects.get(pk=built.harmed.person_id)
    for changed_person, phone in ((person, "07700 900222"), (built.responsible.person, "07700 900333")):
        people_services.update_person(
            person=changed_person,
            actor=personas.facilitator,
            case=built.case,
            details={"phone": phone},
            expected_version=None,
        )
    report = _report(built, "harmed")
    trail = _section(report, "Who has read or changed your records")
    changed = [record for record in trail["records"] if "Phone" in _all_text(record)]  # type: ignore[arg-type]
    assert changed, trail
    rows = {row["key"]: row["value"] for row in changed[-1]["rows"]}
    assert rows["By"] == personas.facilitator.full_name
    assert "07700 900222" not in _all_text(trail)  # type: ignore[arg-type]
    assert "07700 900333" not in _all_text(report)
    assert str(AuditAction.PERSON_UPDATED.label) in _all_text(trail)  # type: ignore[arg-type]
    # Only their own records: their details and their part in the case, not the person responsible's.
    own = AuditEvent.objects.filter(target_type="people.person", target_id=str(person.pk)).count()
    own += AuditEvent.objects.filter(target_type="people.participant", target_id=str(built.harmed.pk)).count()
    assert AuditEvent.objects.filter(target_type="people.person", target_id=str(built.responsible.person_id)).exists()
    assert len(trail["records"]) == own
