"""The pages of the retention schedule and legal holds: what they show, the forms, and their query counts."""

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Case, State
from amends.core.workdays import add_months
from amends.dataprotection import legal_holds, retention
from amends.dataprotection.models import LegalHold, RecordType, RetentionRule
from tests.case_builders import build_case
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def _closed_long_ago(personas: Personas, months: int = 100) -> Case:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.CLOSED,
    )
    closed = add_months(timezone.localdate(), -months)
    Case.objects.filter(pk=built.case.pk).update(
        closed_at=timezone.make_aware(datetime.datetime.combine(closed, datetime.time(12)))
    )
    return Case.objects.get(pk=built.case.pk)


def _schedule(personas: Personas, rest: str = "") -> str:
    return f"/services/{personas.service.pk}/data-protection/retention/{rest}"


def test_the_schedule_shows_each_kind_its_rule_and_what_is_due_and_held(personas: Personas) -> None:
    _closed_long_ago(personas)
    held = _closed_long_ago(personas)
    legal_holds.place_legal_hold(case=held, actor=personas.coordinator, reason="A claim")
    retention.save_retention_rule(
        service=personas.service, actor=personas.coordinator, record_type=RecordType.COMPLAINT, keep_months=24
    )

    response = signed_in_client(personas.administrator).get(_schedule(personas))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row[0] for row in rows] == [kind.label for kind in RecordType]
    assert (rows[0][2], rows[0][3]) == (1, 1)
    assert "84 months after the case closed" in rows[0][1]
    assert "Default" in rows[0][1]
    assert "24 months after a complaint was answered" in rows[3][1]
    assert "own" in rows[3][1]
    assert "Until the youngest child who took part is 18" in rows[1][1]


def test_a_rule_is_changed_on_its_form_and_a_mistake_keeps_what_was_typed(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    page = client.get(_schedule(personas, "closed_case/"))
    assert "until_age" not in page.context["form"].fields

    refused = client.post(_schedule(personas, "closed_case/"), {"keep_months": "0"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["keep_months"]
    assert 'value="0"' in refused.content.decode()

    saved = client.post(_schedule(personas, "closed_case/"), {"keep_months": "96"})
    assert saved.status_code == 302
    rule = RetentionRule.objects.get(service=personas.service)
    assert (rule.record_type, rule.keep_months, rule.until_age) == (RecordType.CLOSED_CASE, 96, None)

    back = client.post(_schedule(personas, "closed_case/"), {"use_default": "1"})
    assert back.status_code == 302
    assert not RetentionRule.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.RETENTION_RULE_SAVED).count() == 2


def test_the_youth_rule_has_an_age(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    page = client.get(_schedule(personas, "youth_case/"))
    assert page.context["form"].initial == {"keep_months": 36, "until_age": 18}

    assert client.post(_schedule(personas, "youth_case/"), {"keep_months": "36", "until_age": "8"}).status_code == 200
    assert client.post(_schedule(personas, "youth_case/"), {"keep_months": "60", "until_age": ""}).status_code == 302
    rule = RetentionRule.objects.get(service=personas.service)
    assert (rule.keep_months, rule.until_age) == (60, None)


def test_an_unknown_kind_of_record_is_not_found(personas: Personas) -> None:
    assert signed_in_client(personas.coordinator).get(_schedule(personas, "everything/")).status_code == 404


def test_the_runs_show_this_services_counts(personas: Personas) -> None:
    retention.apply(timezone.localdate())  # nothing of ours due
    run = retention.apply(timezone.localdate())
    run.counts = {
        "closed_case": 9,
        "services": {
            str(personas.service.pk): {"closed_case": 2, "complaint": 1, "held": 1},
            str(personas.other_service.pk): {"closed_case": 7},
        },
    }
    run.save()

    response = signed_in_client(personas.coordinator).get(_schedule(personas, "runs/"))

    rows = response.context["rows"]
    assert len(rows) == 2
    assert rows[0][2:] == [2, 0, 0, 1, 1]
    assert rows[1][2:] == [0, 0, 0, 0, 0]


def test_a_coordinator_places_a_hold_from_the_case_page_and_lifts_it(personas: Personas) -> None:
    case = _closed_long_ago(personas)
    client = signed_in_client(personas.coordinator)
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/legal-hold/" in case_page

    refused = client.post(f"/cases/{case.pk}/legal-hold/", {"reason": "  "})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]

    placed = client.post(f"/cases/{case.pk}/legal-hold/", {"reason": "The person harmed is bringing a claim."})
    assert placed.status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert hold.reason == "The person harmed is bringing a claim."

    page = client.get(f"/cases/{case.pk}/legal-hold/")
    assert "The person harmed is bringing a claim." in page.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, target_id=str(hold.pk)).exists()

    lifted = client.post(f"/cases/{case.pk}/legal-hold/lift/")
    assert lifted.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == personas.coordinator
    assert client.get(f"/cases/{case.pk}/legal-hold/lift/").status_code == 404


def test_the_case_page_offers_a_hold_only_to_coordinators(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    page = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/").content.decode()
    assert "legal-hold" not in page


def test_the_list_of_holds_links_to_each_case_for_coordinators_only(personas: Personas) -> None:
    case = _closed_long_ago(personas)
    legal_holds.place_legal_hold(case=case, actor=personas.coordinator, reason="Inquiry")
    path = f"/services/{personas.service.pk}/data-protection/legal-holds/"

    for_coordinator = signed_in_client(personas.coordinator).get(path).content.decode()
    for_administrator = signed_in_client(personas.administrator).get(path).content.decode()

    assert f"/cases/{case.pk}/legal-hold/" in for_coordinator
    assert case.reference in for_administrator
    assert f"/cases/{case.pk}/legal-hold/" not in for_administrator
    assert "Inquiry" not in for_coordinator


def test_the_data_protection_page_leads_to_the_schedule(personas: Personas) -> None:
    page = signed_in_client(personas.coordinator).get(f"/services/{personas.service.pk}/data-protection/")
    assert _schedule(personas) in page.content.decode()
    assert f"/services/{personas.service.pk}/data-protection/legal-holds/" in page.content.decode()


def _add_holds(personas: Personas, count: int) -> None:
    for _number in range(count):
        case = _closed_long_ago(personas)
        legal_holds.place_legal_hold(case=case, actor=personas.coordinator, reason="A claim")


def _add_runs(count: int) -> None:
    for _number in range(count):
        retention.apply(timezone.localdate())


@pytest.mark.parametrize("page", ["retention/", "legal-holds/", "retention/runs/"])
def test_it_keeps_the_query_count_flat(personas: Personas, page: str) -> None:
    client = signed_in_client(personas.coordinator)
    path = f"/services/{personas.service.pk}/data-protection/{page}"
    _add_holds(personas, 1)
    _add_runs(1)
    few = queries_for(client, path)
    _add_holds(personas, 4)
    _add_runs(4)
    many = queries_for(client, path)
    assert many == few, f"{page}: {few} queries with little data, {many} with more"


def test_the_case_page_asks_no_more_queries_for_its_hold_section(personas: Personas) -> None:
    case = _closed_long_ago(personas)
    client = signed_in_client(personas.coordinator)
    before = queries_for(client, f"/cases/{case.pk}/")
    legal_holds.place_legal_hold(case=case, actor=personas.coordinator, reason="A claim")
    assert queries_for(client, f"/cases/{case.pk}/") == before
