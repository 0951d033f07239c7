"""The register of people's requests under their rights, a request's page and its forms: who reaches them, what they
show (the clock, overdue requests, the decision), what they keep when refused, and their query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.audit.models import AuditAction, AuditEvent
from amends.core.workdays import add_months
from amends.dataprotection.models import LegalHold, RightsRequest, RightsRequestKind, RightsRequestStatus
from amends.people.models import Person
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.dataprotection.test_rights_services import approved, download_export, make_request, release
from tests.factories import TEST_PASSWORD, FacilitatorRecordFactory, MembershipFactory, UserFactory
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def a_case(personas: Personas) -> BuiltCase:
    return build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)


def register(personas: Personas) -> str:
    return f"/services/{personas.service.pk}/data-protection/requests/"


def page_of(request: RightsRequest, rest: str = "") -> str:
    return f"/services/{request.service_id}/data-protection/requests/{request.pk}/{rest}"


def participant_page(built: BuiltCase) -> str:
    return f"/cases/{built.case.pk}/participants/{built.harmed.pk}/"


def _request_form(**values: str) -> dict[str, str]:
    return {
        "kind": "access",
        "received_on": timezone.localdate().strftime("%d/%m/%Y"),
        "received_by": "email",
        "details": "Send me a copy of my file.",
        "identity_checked": "on",
        **values,
    }


def test_a_facilitator_records_a_request_from_the_persons_page(personas: Personas) -> None:
    built = a_case(personas)
    client = signed_in_client(personas.facilitator)
    add_url = f"{register(personas)}new/{built.harmed.person_id}/"
    person_page = client.get(participant_page(built)).content.decode()
    assert f'href="{add_url}">Record a data protection request</a>' in person_page

    received = datetime.date(2024, 1, 31)
    response = client.post(add_url, _request_form(received_on="31/01/2024"))
    request = RightsRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_of(request)
    assert (request.person_id, request.received_on, request.due_on) == (
        built.harmed.person_id,
        received,
        add_months(received, 1),
    )
    assert request.due_on == datetime.date(2024, 2, 29)
    page = client.get(page_of(request)).content.decode()
    assert "29 February 2024 (one calendar month after it was received)" in page
    assert "Send me a copy of my file." in page
    assert "Ann Harmed" in page
    assert "Decide the request" not in page
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, target_type="dataprotection.rightsrequest", target_id=str(request.pk)
    ).exists()


def test_a_refused_request_keeps_what_was_typed(personas: Personas) -> None:
    built = a_case(personas)
    client = signed_in_client(personas.facilitator)
    response = client.post(
        f"{register(personas)}new/{built.harmed.person_id}/",
        _request_form(kind="rectification", field="date_of_birth", corrected_value="1980-05-02"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the date of birth as day/month/year" in page
    assert 'value="1980-05-02"' in page
    assert "Send me a copy of my file." in page
    assert not RightsRequest.objects.exists()


def test_an_access_request_goes_from_received_to_released(personas: Personas) -> None:
    built = a_case(personas)
    request = make_request(personas, built.harmed.person, identity_checked=False)
    coordinator = signed_in_client(personas.coordinator)
    refused = coordinator.post(page_of(request, "decide/"), {"approve": "approve", "version": request.version})
    assert "Check who they are before approving" in refused.content.decode()

    assert coordinator.post(page_of(request, "identity/"), {"version": request.version}).status_code == 302
    request.refresh_from_db()
    assert request.identity_checked
    response = coordinator.post(page_of(request, "decide/"), {"approve": "approve", "version": request.version})
    assert response.status_code == 302
    page = coordinator.get(page_of(request)).content.decode()
    assert "Record the release" in page
    export = reverse(
        "dataprotection:access_preview", kwargs={"service_id": personas.service.pk, "request_id": request.pk}
    )
    assert export in page
    assert f"{export[: -len('export/')]}export.pdf" in page

    assert "Download the export and check it before you record its release." in page
    request.refresh_from_db()
    facilitator = signed_in_client(personas.facilitator)
    # Only a coordinator reads the export, so only a coordinator records its release.
    assert "Record the release" not in facilitator.get(page_of(request)).content.decode()
    refused = facilitator.post(page_of(request, "complete/"), {"version": request.version, "release_method": "post"})
    assert "Only a coordinator" in refused.content.decode()
    not_yet = coordinator.post(page_of(request, "complete/"), {"version": request.version, "release_method": "post"})
    assert "nothing has been downloaded yet" in not_yet.content.decode()
    assert re.search(r'value="post"[^>]*checked', not_yet.content.decode())  # what was chosen is kept

    assert coordinator.post(f"{export[: -len('export/')]}export.json", {"language": "cy"}).status_code == 200
    page = coordinator.get(page_of(request)).content.decode()
    assert "Downloads of the export" in page
    assert "JSON, in Welsh" in page
    missing = coordinator.post(page_of(request, "complete/"), {"version": request.version, "released_on": ""})
    assert "Choose how their information was released" in missing.content.decode()
    today = timezone.localdate()
    released = coordinator.post(
        page_of(request, "complete/"),
        {
            "version": request.version,
            "release_method": "in_person",
            "released_on": today.strftime("%d/%m/%Y"),
        },
    )
    assert released.status_code == 302, released.content.decode()[:3000]
    request.refresh_from_db()
    assert (request.status, request.released_on) == (RightsRequestStatus.COMPLETED, today)
    page = facilitator.get(page_of(request)).content.decode()
    assert "Handed over in person" in page
    assert f"{today.day} {today:%B %Y}" in page
    assert export not in page
    assert "Record the release" not in page


def test_recording_a_release_asks_for_the_password_again_and_keeps_what_was_chosen(personas: Personas) -> None:
    request = approved(personas, a_case(personas).harmed.person, RightsRequestKind.ACCESS)
    download_export(personas, request)
    client = signed_in_client(personas.coordinator, recently_authenticated=False)
    today = timezone.localdate()
    chosen = {"version": request.version, "release_method": "in_person", "released_on": today.strftime("%d/%m/%Y")}
    asked = client.post(page_of(request, "complete/"), chosen)
    assert asked.status_code == 302
    password_page = asked["Location"]
    assert password_page.startswith("/accounts/reauthenticate/")

    wrong = client.post(password_page, {"password": "not-my-password"})
    assert "Incorrect password." in wrong.content.decode()
    request.refresh_from_db()
    assert request.status == RightsRequestStatus.APPROVED

    given = client.post(password_page, {"password": TEST_PASSWORD})
    assert given.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.release_method, request.released_on) == (
        RightsRequestStatus.COMPLETED,
        "in_person",
        today,
    )


def test_carrying_out_another_kind_of_request_does_not_ask_for_the_password_again(personas: Personas) -> None:
    request = approved(personas, a_case(personas).harmed.person, RightsRequestKind.RESTRICTION)
    client = signed_in_client(personas.coordinator, recently_authenticated=False)
    assert client.get(page_of(request, "complete/")).status_code == 200


def test_a_facilitator_finds_no_decision_extension_or_lift(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person)
    client = signed_in_client(personas.facilitator)
    for form in ("decide/", "extend/", "lift/"):
        assert client.get(page_of(request, form)).status_code == 404
        assert client.post(page_of(request, form), {"reason": "x", "approve": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == RightsRequestStatus.RECEIVED


def test_a_refusal_without_a_reason_keeps_the_choice(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person)
    client = signed_in_client(personas.coordinator)
    response = client.post(page_of(request, "decide/"), {"approve": "refuse", "reason": "", "version": request.version})
    page = response.content.decode()
    assert "Say why the request is refused" in page
    assert re.search(r'value="refuse"[^>]*checked', page)
    request.refresh_from_db()
    assert request.status == RightsRequestStatus.RECEIVED


def test_an_overdue_request_shows_in_red_first_in_the_register(personas: Personas) -> None:
    built = a_case(personas)
    today = timezone.localdate()
    overdue = make_request(personas, built.harmed.person, received_on=today - datetime.timedelta(days=45))
    waiting = make_request(personas, built.responsible.person, RightsRequestKind.ERASURE, received_on=today)
    done = approved(
        personas, built.harmed.person, RightsRequestKind.ACCESS, received_on=today - datetime.timedelta(days=60)
    )
    release(personas, done, "post")
    page = signed_in_client(personas.coordinator).get(register(personas)).content.decode()
    assert page.index(page_of(overdue)) < page.index(page_of(waiting)) < page.index(page_of(done))
    row = page[page.index(page_of(overdue)) :].split("</tr>")[0]
    assert "govuk-tag--red" in row
    assert "Overdue" in row
    assert f"Was due {overdue.due_on.day} {overdue.due_on:%B %Y}" in row
    later = page[page.index(page_of(waiting)) :].split("</tr>")[0]
    assert "Overdue" not in later
    assert "Rob Responsible" in later
    detail = signed_in_client(personas.coordinator).get(page_of(overdue)).content.decode()
    assert "govuk-tag--red" in detail


def test_an_extended_request_answers_by_its_new_date(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person)
    client = signed_in_client(personas.coordinator)
    form = client.get(page_of(request, "extend/")).content.decode()
    latest = add_months(request.due_on, 2)
    assert latest.strftime("%d/%m/%Y") in form
    response = client.post(
        page_of(request, "extend/"),
        {"extended_on": latest.strftime("%d/%m/%Y"), "reason": "Three cases to search.", "version": request.version},
    )
    assert response.status_code == 302
    page = client.get(page_of(request)).content.decode()
    assert f"{latest.day} {latest:%B %Y}" in page
    assert "Three cases to search." in page
    assert page_of(request, "extend/") not in page


def _second_facilitator(personas: Personas) -> User:
    other: User = UserFactory(full_name="Second Facilitator")
    MembershipFactory(user=other, service=personas.service, role="facilitator")
    FacilitatorRecordFactory(user=other)
    return other


def test_a_facilitator_sees_only_requests_about_people_in_their_cases(personas: Personas) -> None:
    mine = make_request(personas, a_case(personas).harmed.person)
    other = _second_facilitator(personas)
    theirs_case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=other)
    theirs = make_request(personas, theirs_case.harmed.person, actor=personas.coordinator)
    facilitator = signed_in_client(personas.facilitator)
    page = facilitator.get(register(personas)).content.decode()
    assert page_of(mine) in page
    assert page_of(theirs) not in page
    assert facilitator.get(page_of(theirs)).status_code == 404
    assert facilitator.get(page_of(theirs, "complete/")).status_code == 404
    assert facilitator.get(f"{register(personas)}new/{theirs_case.harmed.person_id}/").status_code == 404
    everything = signed_in_client(personas.coordinator).get(register(personas)).content.decode()
    assert page_of(mine) in everything
    assert page_of(theirs) in everything


def test_a_correction_made_through_the_pages_changes_the_detail(personas: Personas) -> None:
    built = a_case(personas)
    request = approved(
        personas, built.harmed.person, RightsRequestKind.RECTIFICATION, field="given_name", corrected_value="Anne"
    )
    client = signed_in_client(personas.facilitator)
    form = client.get(page_of(request, "complete/")).content.decode()
    assert "Their first name will be changed to: Anne" in form
    assert client.post(page_of(request, "complete/"), {"version": request.version}).status_code == 302
    person = Person.objects.get(pk=built.harmed.person_id)
    assert person.given_name == "Anne"


def test_an_erasure_under_a_legal_hold_says_so_and_is_refused(personas: Personas) -> None:
    built = a_case(personas)
    request = approved(personas, built.harmed.person, RightsRequestKind.ERASURE)
    LegalHold.objects.create(case=built.case, reason="Civil claim pending", placed_by=personas.coordinator)
    client = signed_in_client(personas.coordinator)
    page = client.get(page_of(request)).content.decode()
    assert "A legal hold is in force on one of their cases" in page
    response = client.post(page_of(request, "complete/"), {"version": request.version})
    assert response.status_code == 200
    assert "A legal hold is in force on a case this concerns" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RightsRequestStatus.APPROVED


def test_an_erased_person_shows_as_erased(personas: Personas) -> None:
    built = a_case(personas)
    request = approved(personas, built.harmed.person, RightsRequestKind.ERASURE)
    client = signed_in_client(personas.coordinator)
    assert client.post(page_of(request, "complete/"), {"version": request.version}).status_code == 302
    person_page = client.get(participant_page(built)).content.decode()
    assert "Their personal data was erased on" in person_page
    assert "Record a data protection request" not in person_page
    assert "Personal details erased" in client.get(register(personas)).content.decode()


def test_a_restriction_shows_on_the_persons_page_until_it_is_lifted(personas: Personas) -> None:
    built = a_case(personas)
    request = approved(personas, built.harmed.person, RightsRequestKind.RESTRICTION)
    client = signed_in_client(personas.coordinator)
    assert client.post(page_of(request, "complete/"), {"version": request.version}).status_code == 302
    assert "has been restricted at their request since" in client.get(participant_page(built)).content.decode()
    page = client.get(page_of(request)).content.decode()
    assert "Restriction in place" in page
    request.refresh_from_db()
    kept = client.post(page_of(request, "lift/"), {"reason": "", "version": request.version})
    assert "Say why the restriction is lifted" in kept.content.decode()
    assert (
        client.post(page_of(request, "lift/"), {"reason": "Accuracy checked.", "version": request.version}).status_code
        == 302
    )
    assert "has been restricted" not in client.get(participant_page(built)).content.decode()
    assert "Restriction lifted" in client.get(page_of(request)).content.decode()


def test_the_data_protection_page_leads_to_the_register(personas: Personas) -> None:
    hub = f"/services/{personas.service.pk}/data-protection/"
    for person in (personas.coordinator, personas.facilitator):
        assert register(personas) in signed_in_client(person).get(hub).content.decode()
    assert register(personas) not in signed_in_client(personas.administrator).get(hub).content.decode()


def test_the_register_and_a_request_take_the_same_queries_however_many_there_are(personas: Personas) -> None:
    built = a_case(personas)
    client = signed_in_client(personas.facilitator)
    first = make_request(personas, built.harmed.person)
    few = queries_for(client, register(personas))
    one = queries_for(client, page_of(first))
    today = timezone.localdate()
    for number in range(6):
        make_request(personas, built.responsible.person, received_on=today - datetime.timedelta(days=10 * number))
        approved(personas, built.harmed.person, RightsRequestKind.RESTRICTION)
    assert queries_for(client, register(personas)) == few
    assert queries_for(client, page_of(first)) == one
    coordinator = signed_in_client(personas.coordinator)
    assert queries_for(coordinator, register(personas)) <= few


def test_the_register_goes_on_to_a_second_page(personas: Personas) -> None:
    person = a_case(personas).harmed.person
    for _number in range(26):
        make_request(personas, person)
    client = signed_in_client(personas.coordinator)
    first = client.get(register(personas)).content.decode()
    assert "?page=2" in first
    second = client.get(f"{register(personas)}?page=2").content.decode()
    assert len(re.findall(r"/data-protection/requests/\d+/", first)) == 25
    assert len(re.findall(r"/data-protection/requests/\d+/", second)) == 1
