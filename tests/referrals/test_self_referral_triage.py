"""Self-referrals in triage: how they are received, marked and checked, and the rule that a service which checks
self-referrals accepts one only once it has been checked."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.accounts.models import Service
from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Task, TaskKind
from amends.core.errors import DomainError
from amends.people.models import ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.models import (
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    Setting,
    TriageDecision,
)
from tests.case_builders import make_referral
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def make_self_referral(
    service: Service,
    *,
    role: ParticipantRole = ParticipantRole.PERSON_HARMED,
    person: dict[str, Any] | None = None,
    **details: Any,
) -> Referral:
    """A self-referral from the person harmed (or as `details` and `role` say), as the public form makes one."""
    initiator = {
        ParticipantRole.PERSON_HARMED: Initiator.PERSON_HARMED,
        ParticipantRole.PERSON_RESPONSIBLE: Initiator.PERSON_RESPONSIBLE,
    }[role]
    return referral_services.create_self_referral(
        service=service,
        details={"initiated_by": initiator, "offence_category": OffenceCategory.CRIMINAL_DAMAGE, **details},
        people=[
            referral_services.NamedPerson(
                role, person if person is not None else {"given_name": "Sam", "phone": "07700 900123"}
            )
        ],
    )


def check(
    personas: Personas, referral: Referral, note: str = "Called back on the number given; it was them."
) -> Referral:
    return referral_services.verify_self_referral(referral=referral, actor=personas.coordinator, note=note)


def accept(personas: Personas, referral: Referral):  # type: ignore[no-untyped-def]
    return referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="In scope")


# Receiving ---------------------------------------------------------------------------------------------------------


def test_it_receives_a_self_referral_with_nobody_entering_it(personas: Personas) -> None:
    referral = make_self_referral(personas.service, crime_reference=" ab/1 ", summary="They broke my window.")

    referral.refresh_from_db()
    assert referral.source == ReferralSource.SELF
    assert referral.is_self_referral
    assert referral.entered_by is None
    assert referral.initiated_by == Initiator.PERSON_HARMED
    assert referral.justice_stage == JusticeStage.NOT_REPORTED
    assert referral.setting == Setting.CRIMINAL_JUSTICE
    assert referral.crime_reference == "AB/1"
    assert referral.summary == "They broke my window."
    assert referral.decision == TriageDecision.AWAITING
    assert referral.verified_at is None


def test_it_audits_the_self_referral_with_no_actor(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_CREATED, target_id=str(referral.pk))
    assert event.actor is None
    assert event.service == personas.service
    assert event.changes["source"]["after"] == ReferralSource.SELF


def test_it_gives_the_coordinator_the_triage_and_tell_about_rj_tasks(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    kinds = set(Task.objects.filter(referral=referral, assigned_to=personas.coordinator).values_list("kind", flat=True))
    assert kinds == {TaskKind.TRIAGE, TaskKind.TELL_ABOUT_RJ}


def test_it_gives_no_tell_about_rj_task_when_the_person_responsible_asks(personas: Personas) -> None:
    referral = make_self_referral(personas.service, role=ParticipantRole.PERSON_RESPONSIBLE)

    assert list(Task.objects.filter(referral=referral).values_list("kind", flat=True)) == [TaskKind.TRIAGE]
    assert referral.initiated_by == Initiator.PERSON_RESPONSIBLE


def test_it_records_someone_asking_on_the_persons_behalf(personas: Personas) -> None:
    referral = referral_services.create_self_referral(
        service=personas.service,
        details={
            "initiated_by": Initiator.OTHER,
            "referrer_name": "Pat Parent",
            "referrer_organisation": "Their mother",
            "referrer_contact": "07700 900456",
            "offence_category": OffenceCategory.NOT_A_CRIME,
        },
        people=[referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, {"given_name": "Kim"})],
    )

    referral.refresh_from_db()
    assert referral.initiated_by == Initiator.OTHER
    assert (referral.referrer_name, referral.referrer_organisation, referral.referrer_contact) == (
        "Pat Parent",
        "Their mother",
        "07700 900456",
    )
    # Harm that is not a crime belongs to the community setting.
    assert referral.setting == Setting.COMMUNITY


def test_it_asks_who_is_asking_on_someones_behalf(personas: Personas) -> None:
    with pytest.raises(DomainError) as refused:
        referral_services.create_self_referral(
            service=personas.service,
            details={"initiated_by": Initiator.OTHER, "offence_category": OffenceCategory.THEFT},
            people=[referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, {"given_name": "Kim", "phone": "1"})],
        )

    assert refused.value.field == "referrer_name"


def test_it_forgets_referrer_details_sent_by_someone_asking_for_themselves(personas: Personas) -> None:
    referral = make_self_referral(personas.service, referrer_name="Someone", referrer_contact="elsewhere")

    referral.refresh_from_db()
    assert (referral.referrer_name, referral.referrer_contact) == ("", "")


def test_it_needs_a_way_to_reach_someone(personas: Personas) -> None:
    with pytest.raises(DomainError) as refused:
        make_self_referral(personas.service, person={"given_name": "Sam", "safe_times": "Evenings"})

    assert refused.value.field == "phone"
    assert not Referral.objects.exists()


def test_it_needs_more_than_an_address_when_letters_are_not_safe(personas: Personas) -> None:
    with pytest.raises(DomainError) as refused:
        make_self_referral(personas.service, person={"given_name": "Sam", "address": "1 High St", "no_letters": True})

    assert refused.value.field == "phone"


def test_it_needs_the_language_answer_where_the_welsh_language_standards_apply(personas: Personas) -> None:
    personas.service.welsh_language_standards = True
    personas.service.save(update_fields=["welsh_language_standards"])

    with pytest.raises(DomainError) as refused:
        make_self_referral(personas.service)

    assert refused.value.field == "correspondence_language"


def test_it_refuses_staff_only_details(personas: Personas) -> None:
    with pytest.raises(DomainError):
        make_self_referral(personas.service, risk_information="Known to police")
    with pytest.raises(DomainError):
        make_self_referral(personas.service, person={"given_name": "Sam", "phone": "1", "language_asked_on": None})


def test_it_names_exactly_one_person_harmed_or_responsible(personas: Personas) -> None:
    with pytest.raises(DomainError):
        make_self_referral(
            personas.service, role=ParticipantRole.PERSON_HARMED, initiated_by=Initiator.PERSON_RESPONSIBLE
        )
    with pytest.raises(DomainError):
        referral_services.create_self_referral(
            service=personas.service,
            details={"initiated_by": Initiator.PERSON_HARMED, "offence_category": OffenceCategory.THEFT},
            people=[
                referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, {"given_name": "A", "phone": "1"}),
                referral_services.NamedPerson(ParticipantRole.PERSON_RESPONSIBLE, {"given_name": "B"}),
            ],
        )


def test_it_leaves_staff_referrals_as_they_were(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)

    assert referral.entered_by == personas.referrer
    assert not referral.is_self_referral
    assert not referral_services.needs_check(referral)


# Checking and accepting --------------------------------------------------------------------------------------------


def test_it_refuses_to_accept_a_self_referral_not_yet_checked(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    with pytest.raises(DomainError, match="not been checked"):
        accept(personas, referral)

    referral.refresh_from_db()
    assert referral.decision == TriageDecision.AWAITING


def test_it_accepts_a_self_referral_once_checked(personas: Personas) -> None:
    referral = check(personas, make_self_referral(personas.service))

    case = accept(personas, referral)

    assert case.participants.get().person.given_name == "Sam"


def test_it_accepts_without_a_check_where_the_service_does_not_ask_for_one(personas: Personas) -> None:
    personas.service.verify_self_referrals = False
    personas.service.save(update_fields=["verify_self_referrals"])
    referral = make_self_referral(personas.service)

    case = accept(personas, referral)

    assert case.pk is not None


def test_it_lets_an_unchecked_self_referral_be_declined_or_redirected(personas: Personas) -> None:
    declined = referral_services.decline_referral(
        referral=make_self_referral(personas.service), actor=personas.coordinator, reason="Could not reach them"
    )
    redirected = referral_services.redirect_referral(
        referral=make_self_referral(personas.service),
        actor=personas.coordinator,
        reason="Out of area",
        redirected_to="Another service",
    )

    assert (declined.decision, redirected.decision) == (TriageDecision.DECLINED, TriageDecision.REDIRECTED)


def test_it_records_the_check_with_its_note_audited(personas: Personas) -> None:
    referral = make_self_referral(personas.service)
    version = referral.version

    checked = check(personas, referral, note="  Called back; confirmed it was them.  ")

    checked.refresh_from_db()
    assert checked.verified_by == personas.coordinator
    assert checked.verified_at is not None
    assert checked.verification_note == "Called back; confirmed it was them."
    assert checked.version == version + 1
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_VERIFIED)
    assert (event.actor, event.target_id) == (personas.coordinator, str(referral.pk))
    assert "Called back" not in str(event.changes)


def test_it_needs_a_note_to_record_the_check(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    with pytest.raises(DomainError) as refused:
        check(personas, referral, note="   ")

    assert refused.value.field == "note"


def test_it_checks_only_self_referrals(personas: Personas) -> None:
    with pytest.raises(DomainError, match="Only a self-referral"):
        check(personas, make_referral(service=personas.service, actor=personas.referrer))


def test_it_checks_a_self_referral_once(personas: Personas) -> None:
    referral = check(personas, make_self_referral(personas.service))

    with pytest.raises(DomainError, match="already been checked"):
        check(personas, referral)


def test_it_checks_only_before_triage(personas: Personas) -> None:
    referral = referral_services.decline_referral(
        referral=make_self_referral(personas.service), actor=personas.coordinator, reason="Out of scope"
    )

    with pytest.raises(DomainError, match="already been triaged"):
        check(personas, referral)


@pytest.mark.parametrize("who", ["facilitator", "referrer", "administrator", "other_coordinator", "outsider"])
def test_it_lets_only_a_coordinator_of_the_service_record_the_check(personas: Personas, who: str) -> None:
    referral = make_self_referral(personas.service)

    with pytest.raises(DomainError):
        referral_services.verify_self_referral(referral=referral, actor=getattr(personas, who), note="Called back")

    referral.refresh_from_db()
    assert referral.verified_at is None


def test_it_refuses_a_check_on_a_stale_version(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    with pytest.raises(DomainError) as refused:
        referral_services.verify_self_referral(
            referral=referral, actor=personas.coordinator, note="Called back", expected_version=referral.version + 1
        )

    assert refused.value.field == "version"


# Pages -------------------------------------------------------------------------------------------------------------


def test_the_queue_marks_self_referrals_and_whether_they_were_checked(personas: Personas) -> None:
    unchecked = make_self_referral(personas.service)
    checked = check(personas, make_self_referral(personas.service))
    staff = make_referral(service=personas.service, actor=personas.referrer)
    client = signed_in_client(personas.coordinator)

    page = client.get(f"/services/{personas.service.pk}/referrals/").content.decode()

    assert page.count("Self-referral") == 2
    assert page.count("Not checked yet") == 1
    assert f"Checked on {checked.verified_at:%-d %B %Y} by {personas.coordinator.full_name}" in page
    assert f"Referral {unchecked.pk}" in page
    assert f"Referral {staff.pk}" in page


def test_the_referral_page_shows_a_self_referral_and_the_way_to_check_it(personas: Personas) -> None:
    referral = make_self_referral(personas.service)
    client = signed_in_client(personas.coordinator)

    page = client.get(f"/referrals/{referral.pk}/").content.decode()

    assert "Self-referral through the service&#x27;s website" in page
    assert "Not checked yet" in page
    assert "Check this self-referral before accepting it" in page
    assert f'href="/referrals/{referral.pk}/check/"' in page


def test_the_referral_page_names_who_entered_a_staff_referral(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)

    page = signed_in_client(personas.coordinator).get(f"/referrals/{referral.pk}/").content.decode()

    assert personas.referrer.full_name in page
    assert "/check/" not in page


def test_the_referral_page_shows_the_check_once_made(personas: Personas) -> None:
    referral = check(personas, make_self_referral(personas.service), note="Rang back, all fine.")

    page = signed_in_client(personas.coordinator).get(f"/referrals/{referral.pk}/").content.decode()

    assert f"by {personas.coordinator.full_name}" in page
    assert "Rang back, all fine." in page
    assert "Check this self-referral before accepting it" not in page
    assert f"/referrals/{referral.pk}/check/" not in page


def test_the_check_page_shows_how_to_reach_the_person_safely_and_audits_the_view(personas: Personas) -> None:
    referral = make_self_referral(
        personas.service,
        person={"given_name": "Sam", "phone": "07700 900123", "safe_times": "After 6pm", "no_voicemail": True},
    )

    page = signed_in_client(personas.coordinator).get(f"/referrals/{referral.pk}/check/").content.decode()

    assert "07700 900123" in page
    assert "After 6pm" in page
    assert "Do not leave voicemail" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, actor=personas.coordinator, target_id=str(referral.pk)
    ).exists()


def test_the_check_page_records_the_check(personas: Personas) -> None:
    referral = make_self_referral(personas.service)
    client = signed_in_client(personas.coordinator)

    response = client.post(
        f"/referrals/{referral.pk}/check/", {"note": "Called back on the number given.", "version": referral.version}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.pk}/"
    referral.refresh_from_db()
    assert referral.verification_note == "Called back on the number given."


def test_the_check_page_asks_for_the_note_and_keeps_the_page(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    response = signed_in_client(personas.coordinator).post(f"/referrals/{referral.pk}/check/", {"note": ""})

    assert response.status_code == 200
    assert "Say how you checked it" in response.content.decode()
    referral.refresh_from_db()
    assert referral.verified_at is None


def test_the_check_page_shows_a_refusal_from_the_rules(personas: Personas) -> None:
    referral = check(personas, make_self_referral(personas.service))

    response = signed_in_client(personas.coordinator).post(f"/referrals/{referral.pk}/check/", {"note": "Again"})

    assert response.status_code == 200
    assert "already been checked" in response.content.decode()


def test_there_is_no_check_page_for_a_staff_referral(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)

    assert signed_in_client(personas.coordinator).get(f"/referrals/{referral.pk}/check/").status_code == 404


def test_the_triage_page_shows_why_an_unchecked_self_referral_cannot_be_accepted(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    response = signed_in_client(personas.coordinator).post(
        f"/referrals/{referral.pk}/triage/", {"decision": "accept", "reason": "In scope"}
    )

    assert response.status_code == 200
    assert "not been checked yet" in response.content.decode()


def test_the_check_page_runs_a_fixed_number_of_queries(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)

    def queries() -> int:
        referral = make_self_referral(personas.service)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/referrals/{referral.pk}/check/").status_code == 200
        return len(captured)

    first = queries()
    for _ in range(5):
        make_self_referral(personas.service)
    assert queries() == first


def test_the_queue_runs_a_fixed_number_of_queries_with_checked_self_referrals(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    path = f"/services/{personas.service.pk}/referrals/"
    check(personas, make_self_referral(personas.service))

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    few = len(captured)
    for _ in range(5):
        check(personas, make_self_referral(personas.service))
        make_referral(service=personas.service, actor=personas.referrer)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)

    assert len(captured) == few


# API ---------------------------------------------------------------------------------------------------------------


def test_the_api_records_the_check(personas: Personas) -> None:
    referral = make_self_referral(personas.service)
    client = signed_in_client(personas.coordinator)

    response = client.post(
        f"/api/v1/referrals/{referral.pk}/verification",
        {"note": "Called back.", "version": referral.version},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["self_referral"] is True
    assert body["needs_check"] is False
    assert body["verified_by_id"] == personas.coordinator.pk


def test_the_api_refuses_a_check_of_a_staff_referral(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)

    response = signed_in_client(personas.coordinator).post(
        f"/api/v1/referrals/{referral.pk}/verification",
        {"note": "Called back.", "version": referral.version},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert "Only a self-referral" in response.json()["detail"]


def test_the_api_says_a_self_referral_needs_its_check(personas: Personas) -> None:
    referral = make_self_referral(personas.service)

    body = signed_in_client(personas.coordinator).get(f"/api/v1/referrals/{referral.pk}").json()

    assert (body["self_referral"], body["needs_check"], body["verified_at"]) == (True, True, None)
