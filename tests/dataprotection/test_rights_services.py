"""People's requests under their rights, through the services: the one-month clock and its one extension, the
coordinator's decision and its refusals, and carrying out each kind (release, correction, erasure, restriction)."""

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import Role, User
from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Task, TaskKind
from amends.core.errors import DomainError
from amends.core.fields import blind_index
from amends.core.workdays import add_months
from amends.dataprotection import rights
from amends.dataprotection.models import (
    LegalHold,
    RightsRequest,
    RightsRequestKind,
    RightsRequestStatus,
)
from amends.people.models import Person
from amends.referrals.models import ReferredPerson
from tests.case_builders import BuiltCase, build_case, make_referral
from tests.conftest import signed_in_client
from tests.factories import MembershipFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def a_case(personas: Personas) -> BuiltCase:
    return build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)


def make_request(
    personas: Personas,
    person: Person,
    kind: RightsRequestKind = RightsRequestKind.ACCESS,
    *,
    actor: User | None = None,
    received_on: datetime.date | None = None,
    identity_checked: bool = True,
    **extra: Any,
) -> RightsRequest:
    return rights.record_request(
        service=person.service,
        person=person,
        actor=actor or personas.facilitator,
        kind=kind,
        received_on=received_on or timezone.localdate(),
        received_by="letter",
        details="Please send me everything you hold about me.",
        identity_checked=identity_checked,
        **extra,
    )


def download_export(personas: Personas, request: RightsRequest, language: str = "en") -> None:
    """The coordinator downloads the export, as before any release."""
    url = reverse("dataprotection:access_json", kwargs={"service_id": request.service_id, "request_id": request.pk})
    assert signed_in_client(personas.coordinator).post(url, {"language": language}).status_code == 200


def release(personas: Personas, request: RightsRequest, method: str = "email") -> RightsRequest:
    """An approved access request downloaded and released today by the coordinator."""
    download_export(personas, request)
    return rights.complete_request(
        request=request, actor=personas.coordinator, release_method=method, released_on=timezone.localdate()
    )


def approved(personas: Personas, person: Person, kind: RightsRequestKind, **extra: Any) -> RightsRequest:
    coordinator = personas.coordinator if person.service_id == personas.service.pk else personas.other_coordinator
    request = make_request(personas, person, kind, actor=coordinator, **extra)
    return rights.decide_request(request=request, actor=coordinator, approve=True, reason="")


def test_it_may_be_extended_to_three_months_after_it_came_not_two_after_a_clamped_due_date() -> None:
    request = RightsRequest(received_on=datetime.date(2025, 1, 31), due_on=datetime.date(2025, 2, 28))
    assert request.latest_extension == datetime.date(2025, 4, 30)
    assert RightsRequest(received_on=datetime.date(2025, 3, 14)).latest_extension == datetime.date(2025, 6, 14)


def test_the_answer_is_due_one_calendar_month_after_the_request_came() -> None:
    assert RightsRequest.due_for(datetime.date(2025, 1, 31)) == datetime.date(2025, 2, 28)
    assert RightsRequest.due_for(datetime.date(2024, 1, 31)) == datetime.date(2024, 2, 29)
    assert RightsRequest.due_for(datetime.date(2025, 3, 14)) == datetime.date(2025, 4, 14)


def test_it_records_a_request_due_a_month_later_audited_without_its_words(personas: Personas) -> None:
    person = a_case(personas).harmed.person
    request = make_request(personas, person, received_on=datetime.date(2024, 1, 31))
    assert request.due_on == datetime.date(2024, 2, 29)
    assert request.answer_by == datetime.date(2024, 2, 29)
    assert request.status == RightsRequestStatus.RECEIVED
    event = AuditEvent.objects.get(action=AuditAction.RIGHTS_REQUEST_SAVED, target_id=str(request.pk))
    assert event.changes["details"] == "[encrypted]"
    assert "everything" not in str(event.changes)


def test_it_refuses_a_request_about_someone_of_another_service(personas: Personas) -> None:
    person = a_case(personas).harmed.person
    with pytest.raises(DomainError, match="not known to this service"):
        rights.record_request(
            service=personas.other_service,
            person=person,
            actor=personas.other_coordinator,
            kind=RightsRequestKind.ACCESS,
            received_on=timezone.localdate(),
            received_by="email",
            details="",
            identity_checked=False,
        )


@pytest.mark.parametrize("person", ["supervisor", "administrator", "referrer", "other_coordinator"])
def test_only_coordinators_and_facilitators_of_the_service_record_requests(personas: Personas, person: str) -> None:
    harmed = a_case(personas).harmed.person
    with pytest.raises(DomainError, match="cannot record data protection requests"):
        make_request(personas, harmed, actor=getattr(personas, person))


def test_it_refuses_a_date_received_in_the_future(personas: Personas) -> None:
    harmed = a_case(personas).harmed.person
    with pytest.raises(DomainError, match="cannot be in the future"):
        make_request(personas, harmed, received_on=timezone.localdate() + datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("", "Anne", "Choose the detail to correct"),
        ("given_name", "  ", "Enter the correct value"),
        ("date_of_birth", "1980-05-01", "day/month/year"),
        ("date_of_birth", "01/05/2099", "must be in the past"),
        ("email", "not an address", "Enter an email address"),
        ("given_name", "A" * 101, "at most 100 characters"),
    ],
)
def test_a_correction_names_the_detail_and_a_value_it_can_hold(
    personas: Personas, field: str, value: str, message: str
) -> None:
    harmed = a_case(personas).harmed.person
    with pytest.raises(DomainError, match=message):
        make_request(personas, harmed, RightsRequestKind.RECTIFICATION, field=field, corrected_value=value)


def test_only_a_correction_keeps_a_detail_and_value(personas: Personas) -> None:
    harmed = a_case(personas).harmed.person
    request = make_request(personas, harmed, RightsRequestKind.ERASURE, field="email", corrected_value="x@y.example")
    assert (request.field, request.corrected_value) == ("", "")


def test_a_facilitator_records_but_does_not_decide(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person)
    with pytest.raises(DomainError, match="Only a coordinator"):
        rights.decide_request(request=request, actor=personas.facilitator, approve=True, reason="")
    request.refresh_from_db()
    assert request.status == RightsRequestStatus.RECEIVED


def test_refusing_needs_a_reason(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person)
    with pytest.raises(DomainError, match="Say why the request is refused"):
        rights.decide_request(request=request, actor=personas.coordinator, approve=False, reason="  ")
    refused = rights.decide_request(
        request=request,
        actor=personas.coordinator,
        approve=False,
        reason="Manifestly unfounded: a copy went last week.",
    )
    assert refused.status == RightsRequestStatus.REFUSED
    assert refused.decided_by == personas.coordinator
    event = AuditEvent.objects.get(action=AuditAction.RIGHTS_REQUEST_DECIDED, target_id=str(request.pk))
    assert event.changes == {"status": {"before": "received", "after": "refused"}, "decision_reason": "[encrypted]"}


def test_approving_needs_the_persons_identity_checked(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person, identity_checked=False)
    with pytest.raises(DomainError, match="Check who they are"):
        rights.decide_request(request=request, actor=personas.coordinator, approve=True, reason="")
    rights.record_identity_check(request=request, actor=personas.facilitator)
    decided = rights.decide_request(request=request, actor=personas.coordinator, approve=True, reason="")
    assert decided.status == RightsRequestStatus.APPROVED
    with pytest.raises(DomainError, match="already been decided"):
        rights.decide_request(request=request, actor=personas.coordinator, approve=False, reason="Changed my mind")


def test_only_an_approved_request_is_carried_out(personas: Personas) -> None:
    person = a_case(personas).harmed.person
    request = make_request(personas, person, RightsRequestKind.RESTRICTION)
    with pytest.raises(DomainError, match="Only an approved request"):
        rights.complete_request(request=request, actor=personas.coordinator)
    rights.decide_request(request=request, actor=personas.coordinator, approve=False, reason="Not theirs to ask")
    with pytest.raises(DomainError, match="Only an approved request"):
        rights.complete_request(request=request, actor=personas.coordinator)
    person.refresh_from_db()
    assert person.restricted_since is None


def test_an_access_request_is_released_by_a_coordinator_once_downloaded_by_a_method_on_a_day(
    personas: Personas,
) -> None:
    request = approved(personas, a_case(personas).harmed.person, RightsRequestKind.ACCESS)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="Only a coordinator"):
        rights.complete_request(request=request, actor=personas.facilitator, release_method="post", released_on=today)
    with pytest.raises(DomainError, match="nothing has been downloaded yet"):
        rights.complete_request(request=request, actor=personas.coordinator, release_method="post", released_on=today)
    download_export(personas, request, language="cy")
    with pytest.raises(DomainError, match="Choose how their information was released"):
        rights.complete_request(request=request, actor=personas.coordinator, released_on=today)
    with pytest.raises(DomainError, match="Enter the date it was released") as missing:
        rights.complete_request(request=request, actor=personas.coordinator, release_method="post")
    assert missing.value.field == "released_on"
    for wrong in (today + datetime.timedelta(days=1), request.received_on - datetime.timedelta(days=1)):
        with pytest.raises(DomainError, match="between the day the request came and today"):
            rights.complete_request(
                request=request, actor=personas.coordinator, release_method="post", released_on=wrong
            )
    released = rights.complete_request(
        request=request, actor=personas.coordinator, release_method="post", released_on=today
    )
    assert (released.status, released.release_method, released.released_on) == (
        RightsRequestStatus.COMPLETED,
        "post",
        today,
    )
    assert released.completed_by == personas.coordinator
    completed = AuditEvent.objects.get(action=AuditAction.RIGHTS_REQUEST_COMPLETED, target_id=str(request.pk))
    assert completed.changes["release_method"] == "post"
    assert completed.changes["released"] == [{"format": "json", "language": "cy"}]


def test_someone_who_cannot_see_the_person_does_not_carry_it_out(personas: Personas) -> None:
    request = approved(personas, a_case(personas).harmed.person, RightsRequestKind.ACCESS)
    stranger = UserFactory(full_name="Second Facilitator")
    MembershipFactory(user=stranger, service=personas.service, role=Role.FACILITATOR)
    with pytest.raises(DomainError, match="cannot see this person"):
        rights.complete_request(request=request, actor=stranger, release_method="post")


def test_a_request_is_extended_once_by_up_to_two_months_with_a_reason(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person)
    latest = add_months(request.due_on, 2)
    with pytest.raises(DomainError, match="Only a coordinator"):
        rights.extend_request(request=request, actor=personas.facilitator, extended_on=latest, reason="Complex")
    with pytest.raises(DomainError, match="two months at most"):
        rights.extend_request(
            request=request, actor=personas.coordinator, extended_on=latest + datetime.timedelta(days=1), reason="x"
        )
    with pytest.raises(DomainError, match="Choose a date after"):
        rights.extend_request(request=request, actor=personas.coordinator, extended_on=request.due_on, reason="x")
    with pytest.raises(DomainError, match="Say why it needs longer"):
        rights.extend_request(request=request, actor=personas.coordinator, extended_on=latest, reason=" ")
    extended = rights.extend_request(
        request=request, actor=personas.coordinator, extended_on=latest, reason="Records in three cases to search."
    )
    assert extended.answer_by == latest
    with pytest.raises(DomainError, match="only once"):
        rights.extend_request(request=request, actor=personas.coordinator, extended_on=latest, reason="Again")


def test_a_request_due_at_a_clamped_month_end_is_extended_to_three_months_from_receipt(personas: Personas) -> None:
    request = make_request(
        personas, a_case(personas).harmed.person, received_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    # As for a request of 31 January, due on 28 February: its due date falls short of a month from receipt.
    RightsRequest.objects.filter(pk=request.pk).update(due_on=request.due_on - datetime.timedelta(days=3))
    request.refresh_from_db()
    latest = add_months(request.received_on, 3)
    assert latest > add_months(request.due_on, 2)
    with pytest.raises(DomainError, match="two months at most"):
        rights.extend_request(
            request=request, actor=personas.coordinator, extended_on=latest + datetime.timedelta(days=1), reason="x"
        )
    extended = rights.extend_request(request=request, actor=personas.coordinator, extended_on=latest, reason="Complex")
    assert extended.answer_by == latest


def test_a_request_past_its_due_date_is_not_extended(personas: Personas) -> None:
    received = timezone.localdate() - datetime.timedelta(days=40)
    request = make_request(personas, a_case(personas).harmed.person, received_on=received)
    with pytest.raises(DomainError, match="only before it is due"):
        rights.extend_request(
            request=request, actor=personas.coordinator, extended_on=add_months(request.due_on, 1), reason="Complex"
        )


def test_a_correction_changes_the_detail_its_match_key_and_version(personas: Personas) -> None:
    built = a_case(personas)
    person = built.harmed.person
    key, version = person.match_key, person.version
    request = approved(
        personas, person, RightsRequestKind.RECTIFICATION, field="date_of_birth", corrected_value="02/05/1980"
    )
    rights.complete_request(request=request, actor=personas.facilitator)
    person.refresh_from_db()
    assert person.date_of_birth == datetime.date(1980, 5, 2)
    assert person.match_key == blind_index("Ann", "Harmed", "1980-05-02")
    assert person.match_key != key
    assert person.version > version
    update = AuditEvent.objects.get(action=AuditAction.PERSON_UPDATED, target_id=str(person.pk))
    assert update.changes["date_of_birth"] == {"before": "[encrypted]", "after": "[encrypted]"}
    assert built.case.timeline.filter(kind="person_updated").exists()


def test_a_correction_reaches_someone_named_only_in_a_referral(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.coordinator)
    person = ReferredPerson.objects.filter(referral=referral).first().person  # type: ignore[union-attr]
    key = person.match_key
    request = approved(personas, person, RightsRequestKind.RECTIFICATION, field="family_name", corrected_value="Harmer")
    rights.complete_request(request=request, actor=personas.coordinator)
    person.refresh_from_db()
    assert person.family_name == "Harmer"
    assert person.match_key == blind_index("Ann", "Harmer", "1980-05-01") != key
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_UPDATED, target_id=str(person.pk)).exists()


def test_a_restriction_is_put_in_place_and_lifted_by_a_coordinator_with_a_reason(personas: Personas) -> None:
    person = a_case(personas).harmed.person
    request = approved(personas, person, RightsRequestKind.RESTRICTION)
    rights.complete_request(request=request, actor=personas.facilitator)
    person.refresh_from_db()
    assert person.restricted_since is not None
    with pytest.raises(DomainError, match="Only a coordinator"):
        rights.lift_restriction(request=request, actor=personas.facilitator, reason="Accuracy confirmed")
    with pytest.raises(DomainError, match="Say why the restriction is lifted"):
        rights.lift_restriction(request=request, actor=personas.coordinator, reason="")
    lifted = rights.lift_restriction(request=request, actor=personas.coordinator, reason="Accuracy confirmed")
    person.refresh_from_db()
    assert person.restricted_since is None
    lifted.refresh_from_db()
    assert lifted.lifted_at is not None
    assert (lifted.lifted_by, lifted.lift_reason) == (personas.coordinator, "Accuracy confirmed")
    assert "Accuracy confirmed" not in lifted.decision_reason
    with pytest.raises(DomainError, match="already been lifted"):
        rights.lift_restriction(request=request, actor=personas.coordinator, reason="Again")


def test_only_a_restriction_in_place_is_lifted(personas: Personas) -> None:
    person = a_case(personas).harmed.person
    request = approved(personas, person, RightsRequestKind.RESTRICTION)
    with pytest.raises(DomainError, match="Only a restriction in place"):
        rights.lift_restriction(request=request, actor=personas.coordinator, reason="Early")
    access = approved(personas, person, RightsRequestKind.ACCESS)
    release(personas, access)
    with pytest.raises(DomainError, match="Only a restriction in place"):
        rights.lift_restriction(request=access, actor=personas.coordinator, reason="Wrong one")


def test_an_erasure_is_refused_under_a_legal_hold_and_stays_approved(personas: Personas) -> None:
    built = a_case(personas)
    request = approved(personas, built.harmed.person, RightsRequestKind.ERASURE)
    LegalHold.objects.create(case=built.case, reason="Civil claim pending", placed_by=personas.coordinator)
    with pytest.raises(DomainError, match="legal hold"):
        rights.complete_request(request=request, actor=personas.coordinator)
    request.refresh_from_db()
    assert request.status == RightsRequestStatus.APPROVED
    person = Person.objects.get(pk=built.harmed.person_id)
    assert person.anonymised_at is None
    assert person.given_name == "Ann"


def test_an_erasure_erases_the_person_and_is_recorded(personas: Personas) -> None:
    built = a_case(personas)
    request = approved(personas, built.harmed.person, RightsRequestKind.ERASURE)
    with pytest.raises(DomainError, match="Only a coordinator"):
        rights.complete_request(request=request, actor=personas.facilitator)
    assert Person.objects.get(pk=built.harmed.person_id).anonymised_at is None
    rights.complete_request(request=request, actor=personas.coordinator)
    person = Person.objects.get(pk=built.harmed.person_id)
    assert person.anonymised_at is not None
    assert person.given_name == ""
    request.refresh_from_db()
    assert request.status == RightsRequestStatus.COMPLETED
    assert request.details == ""
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_ERASED, target_id=str(person.pk)).exists()
    assert AuditEvent.objects.filter(action=AuditAction.RIGHTS_REQUEST_COMPLETED, target_id=str(request.pk)).exists()
    with pytest.raises(DomainError, match="already been erased"):
        make_request(personas, person)


def test_an_identity_check_is_recorded_only_while_the_request_waits(personas: Personas) -> None:
    request = make_request(personas, a_case(personas).harmed.person, identity_checked=False)
    checked = rights.record_identity_check(request=request, actor=personas.facilitator)
    assert checked.identity_checked
    assert AuditEvent.objects.filter(
        action=AuditAction.RIGHTS_REQUEST_SAVED, target_id=str(request.pk), changes__identity_checked__after=True
    ).exists()
    refused = make_request(personas, a_case(personas).harmed.person, identity_checked=False)
    rights.decide_request(request=refused, actor=personas.coordinator, approve=False, reason="Not them")
    with pytest.raises(DomainError, match="already been decided"):
        rights.record_identity_check(request=refused, actor=personas.facilitator)


def test_a_person_already_restricted_is_not_restricted_twice(personas: Personas) -> None:
    person = a_case(personas).harmed.person
    first = approved(personas, person, RightsRequestKind.RESTRICTION)
    second = approved(personas, person, RightsRequestKind.RESTRICTION)
    rights.complete_request(request=first, actor=personas.coordinator)
    with pytest.raises(DomainError, match=r"restricted since .* already"):
        rights.complete_request(request=second, actor=personas.coordinator)
    second.refresh_from_db()
    assert second.status == RightsRequestStatus.APPROVED


def _register_tasks(personas: Personas) -> list[tuple[int, datetime.date]]:
    return sorted(
        Task.objects.open()
        .filter(service=personas.service, kind=TaskKind.RIGHTS_REQUEST, case=None, referral=None)
        .values_list("assigned_to_id", "due_on")
    )


def test_each_coordinator_has_one_task_due_by_the_earliest_open_request_until_none_is_left(
    personas: Personas,
) -> None:
    built = a_case(personas)
    assert _register_tasks(personas) == []
    later = make_request(personas, built.harmed.person)
    earlier = make_request(
        personas, built.responsible.person, received_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    assert _register_tasks(personas) == [(personas.coordinator.pk, earlier.due_on)]
    extended_on = add_months(earlier.due_on, 2)
    rights.extend_request(request=earlier, actor=personas.coordinator, extended_on=extended_on, reason="Complex")
    assert _register_tasks(personas) == [(personas.coordinator.pk, min(later.due_on, extended_on))]
    rights.decide_request(request=earlier, actor=personas.coordinator, approve=False, reason="Manifestly unfounded")
    assert _register_tasks(personas) == [(personas.coordinator.pk, later.due_on)]
    rights.decide_request(request=later, actor=personas.coordinator, approve=True, reason="")
    assert _register_tasks(personas) == [(personas.coordinator.pk, later.due_on)]
    release(personas, RightsRequest.objects.get(pk=later.pk))
    assert _register_tasks(personas) == []
    done = Task.objects.get(kind=TaskKind.RIGHTS_REQUEST, assigned_to=personas.coordinator)
    assert done.completed_by == personas.coordinator
    assert not Task.objects.filter(kind=TaskKind.RIGHTS_REQUEST, assigned_to=personas.facilitator).exists()
