"""The panel member register, the referral order page and its forms, and the court report page."""

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case
from amends.youth import services
from amends.youth.models import Breach, CourtReport, PanelMember, PanelSeat, ReferralOrder
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_query_counts import queries_for
from tests.youth.builders import book_panel, make_panel, record_order, referral_order_case

pytestmark = pytest.mark.django_db


def preparing(personas: Personas) -> BuiltCase:
    return referral_order_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator
    )


def test_a_coordinator_adds_a_panel_member_and_a_facilitator_only_reads_the_register(personas: Personas) -> None:
    url = f"/services/{personas.service.pk}/panel-members/"
    coordinator = signed_in_client(personas.coordinator)
    response = coordinator.post(
        f"{url}add/", {"name": "Gwen Price", "role": "community", "trained_on": "05/01/2025", "in_use": "on"}
    )
    assert response.status_code == 302
    member = PanelMember.objects.get(name="Gwen Price")
    assert member.trained_on == datetime.date(2025, 1, 5)
    facilitator = signed_in_client(personas.facilitator)
    page = facilitator.get(url).content.decode()
    assert "Gwen Price" in page
    assert f"{url}add/" not in page
    assert facilitator.get(f"{url}add/").status_code == 404


def test_a_refused_panel_member_keeps_what_was_typed(personas: Personas) -> None:
    make_panel(personas.service, personas.coordinator)
    client = signed_in_client(personas.coordinator)
    response = client.post(
        f"/services/{personas.service.pk}/panel-members/add/", {"name": "Gwen Price", "role": "youth_justice"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already has a panel member" in page
    assert 'value="Gwen Price"' in page


def test_the_register_runs_the_same_queries_with_few_or_many_members(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    url = f"/services/{personas.service.pk}/panel-members/"
    few = queries_for(client, url)
    for number in range(6):
        PanelMember.objects.create(service=personas.service, name=f"Member {number}", role="community")
    assert queries_for(client, url) == few


def test_the_facilitator_records_the_order_and_the_decision_on_the_page(personas: Personas) -> None:
    built = preparing(personas)
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/referral-order/"
    assert "No referral order has been recorded yet." in client.get(url).content.decode()
    made_on = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    refused = client.post(
        f"{url}record/", {"made_on": made_on, "length_months": "14", "court": "Gloucester Youth Court"}
    )
    assert refused.status_code == 200
    assert "between 3 and 12 months" in refused.content.decode()
    assert 'value="Gloucester Youth Court"' in refused.content.decode()
    response = client.post(
        f"{url}record/", {"made_on": made_on, "length_months": "6", "court": "Gloucester Youth Court"}
    )
    assert response.status_code == 302
    order = ReferralOrder.objects.get(case=built.case)
    no_reasons = client.post(
        f"{url}victim-invitation/",
        {"involvement": "not_invited", "not_invited_reason": "other", "details": "", "version": order.version},
    )
    assert no_reasons.status_code == 200
    assert "Give the reasons for not inviting them." in no_reasons.content.decode()
    # A choice left from another answer is dropped, not refused.
    response = client.post(
        f"{url}victim-invitation/",
        {
            "involvement": "declined",
            "declined_contribution": "other_way",
            "not_invited_reason": "other",
            "details": "Mrs Hill wants to send a recorded message.",
            "version": order.version,
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.victim_involvement, order.not_invited_reason) == ("declined", "")
    page = client.get(url).content.decode()
    assert "Gloucester Youth Court" in page
    assert "Invited, and declined to attend" in page
    assert "They want to take part another way" in page
    assert "Mrs Hill wants to send a recorded message." in page
    assert "Reviews expected:" in page
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, target_id=str(order.pk)).exists()


def test_the_facilitator_seats_a_panel_and_sees_who_sits(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    meeting = book_panel(built.case, personas.facilitator)
    gwen, tom, sara = make_panel(personas.service, personas.coordinator)
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/referral-order/meetings/{meeting.pk}/panel/"
    refused = client.post(url, {"members": [str(gwen.pk), str(sara.pk)]})
    assert refused.status_code == 200
    assert "two community panel members" in refused.content.decode()
    response = client.post(url, {"members": [str(gwen.pk), str(tom.pk), str(sara.pk)]})
    assert response.status_code == 302
    assert PanelSeat.objects.filter(meeting=meeting).count() == 3
    page = client.get(f"/cases/{built.case.pk}/referral-order/").content.decode()
    assert "Sara Khan (Youth justice service officer)" in page


def test_the_page_shows_the_contract_from_the_outcome_agreement(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    page = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/referral-order/").content.decode()
    assert "No contract has been agreed yet." in page
    assert f"/cases/{built.case.pk}/agreement/" in page


def test_a_breach_is_recorded_on_the_page(personas: Personas) -> None:
    built = preparing(personas)
    order = record_order(built.case, personas.facilitator)
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/referral-order/breaches/add/"
    response = client.post(
        url,
        {
            "occurred_on": order.made_on.strftime("%d/%m/%Y"),
            "what_happened": "Missed two reparation sessions.",
            "referred_to_court": "no",
        },
    )
    assert response.status_code == 302
    assert Breach.objects.get(order=order).what_happened == "Missed two reparation sessions."


def test_a_supervisor_reads_the_order_but_has_no_buttons_and_no_forms(personas: Personas) -> None:
    built = preparing(personas)
    case_services.allocate_case(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.coordinator,
        lead=personas.facilitator,
        supervisor=personas.supervisor,
    )
    record_order(built.case, personas.facilitator)
    client = signed_in_client(personas.supervisor)
    url = f"/cases/{built.case.pk}/referral-order/"
    page = client.get(url).content.decode()
    assert "Gloucester Youth Court" in page
    assert f"{url}breaches/add/" not in page
    assert client.get(f"{url}breaches/add/").status_code == 404


def test_the_referral_order_page_runs_the_same_queries_with_more_meetings(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/referral-order/"
    first = book_panel(built.case, personas.facilitator)
    first.case = Case.objects.select_related("service").get(pk=built.case.pk)
    services.seat_panel(
        meeting=first, actor=personas.facilitator, members=make_panel(personas.service, personas.coordinator)
    )
    few = queries_for(client, url)
    for days in (2, 3):
        more = book_panel(built.case, personas.facilitator, purpose="review", days=days)
        more.case = first.case
        services.seat_panel(
            meeting=more, actor=personas.facilitator, members=make_panel(personas.service, personas.coordinator)
        )
    assert queries_for(client, url) == few


def pre_sentence(personas: Personas, days: int = 30) -> BuiltCase:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    today = timezone.localdate()
    case_services.update_case_details(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.facilitator,
        details={
            "pre_sentence": True,
            "deferment_order_on": today,
            "deferred_until": today + datetime.timedelta(days=days),
        },
        expected_version=None,
    )
    return built


def test_the_court_report_page_shows_the_deadline_and_records_the_report(personas: Personas) -> None:
    built = pre_sentence(personas)
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/court-report/"
    page = client.get(url).content.decode()
    assert "Days left until the sentence date" in page
    assert "30 days (" in page
    report = CourtReport.objects.get(case=built.case)
    refused = client.post(f"{url}send/", {"sent_on": timezone.localdate().strftime("%d/%m/%Y"), "summary": " "})
    assert refused.status_code == 200
    response = client.post(
        f"{url}send/",
        {
            "sent_on": timezone.localdate().strftime("%d/%m/%Y"),
            "summary": "They met; an apology was given.",
            "version": report.version,
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "They met; an apology was given." in page
    assert f"{url}send/" not in page


def test_a_case_without_a_deferment_says_so(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    page = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/court-report/").content.decode()
    assert "This case has no deferred sentence" in page
