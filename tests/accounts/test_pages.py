"""The accounts pages: what a coordinator and a practitioner see and do."""

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from amends.accounts import services
from amends.accounts.models import FacilitatorRecord, Membership, Role
from amends.audit.models import AuditAction, AuditEvent
from tests.conftest import signed_in_client
from tests.factories import MembershipFactory, SupervisionSessionFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_it_shows_the_service_with_its_opening_hours(personas: Personas) -> None:
    page = signed_in_client(personas.facilitator).get(f"/services/{personas.service.pk}/").content.decode()
    assert personas.service.name in page
    assert "Opening hours" in page
    assert "Change opening hours" not in page


def test_it_keeps_what_was_typed_when_the_welsh_version_is_missing(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    data = {
        "name": personas.service.name,
        "areas_covered": "Gwynedd",
        "phone": "01000 111111",
        "email": "rj@example.org",
        "out_of_hours_message": "We are closed until nine.",
        "out_of_hours_message_cy": "",
        "welsh_language_standards": "on",
        "privacy_notice": "",
        "privacy_notice_cy": "",
    }
    response = client.post(f"/services/{personas.service.pk}/edit/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "give the out-of-hours message in Welsh too" in page
    assert "We are closed until nine." in page
    personas.service.refresh_from_db()
    assert personas.service.areas_covered == ""


def test_it_saves_opening_hours_and_refuses_closing_before_opening(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    data = {f"day_{day}_closed": "on" for day in range(8)}
    data.update({"day_0_closed": "", "day_0_opens": "17:00", "day_0_closes": "09:00"})
    response = client.post(f"/services/{personas.service.pk}/opening-hours/", data)
    assert response.status_code == 200
    assert "Monday: give an opening time before the closing time" in response.content.decode()
    data.update({"day_0_opens": "09:00", "day_0_closes": "17:00"})
    assert client.post(f"/services/{personas.service.pk}/opening-hours/", data).status_code == 302
    assert personas.service.opening_hours.get(day=0).closes.hour == 17
    assert AuditEvent.objects.filter(action=AuditAction.OPENING_HOURS_UPDATED).exists()


def test_a_coordinator_invites_a_facilitator_who_joins_and_must_enrol(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in_client(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/services/{personas.service.pk}/people/invite/",
            {"full_name": "Nia Evans", "email": "nia@example.org", "role": Role.FACILITATOR.value},
        )
    assert response.status_code == 302
    link = re.search(r"https?://\S+/invitation/(\S+)/", mail.outbox[-1].body)
    assert link is not None
    path = f"/invitation/{link.group(1)}/"
    newcomer = Client()
    page = newcomer.get(path).content.decode()
    assert 'value="Nia Evans"' in page
    response = newcomer.post(path, {"full_name": "Nia Evans", "password1": "short", "password2": "short"})
    assert response.status_code == 200  # too short: the name typed is kept
    assert 'value="Nia Evans"' in response.content.decode()
    response = newcomer.post(
        path,
        {"full_name": "Nia Evans", "password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"},
    )
    assert response["Location"] == "/accounts/2fa/"
    assert newcomer.get(f"/services/{personas.service.pk}/")["Location"] == "/accounts/2fa/"
    assert newcomer.get("/accounts/2fa/totp/activate/").status_code == 200
    assert Membership.objects.current().filter(user__email="nia@example.org", role=Role.FACILITATOR).exists()
    assert Client().get(path).status_code == 404  # the link worked once


def test_it_records_who_viewed_a_practitioner_record(personas: Personas) -> None:
    signed_in_client(personas.supervisor).get(f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/")
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, actor=personas.supervisor, target_id=str(personas.facilitator.pk)
    ).exists()


def test_an_administrator_sees_people_but_not_their_practice_records(personas: Personas) -> None:
    page = (
        signed_in_client(personas.administrator)
        .get(f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/")
        .content.decode()
    )
    assert personas.facilitator.full_name in page
    assert "Practice record" not in page


def test_a_facilitator_adds_their_own_cpd(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    path = f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/cpd/add/"
    response = client.post(path, {"activity": "Reading on shame", "completed_on": "1/2/2020", "hours": "abc"})
    assert response.status_code == 200
    assert 'value="Reading on shame"' in response.content.decode()
    response = client.post(path, {"activity": "Reading on shame", "completed_on": "01/02/2020", "hours": "2.5"})
    assert response.status_code == 302
    assert FacilitatorRecord.objects.get(user=personas.facilitator).cpd.get().hours == 2.5


def test_a_coordinator_ends_a_role_after_confirming(personas: Personas) -> None:
    membership = Membership.objects.get(user=personas.facilitator, service=personas.service)
    client = signed_in_client(personas.coordinator)
    path = f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/roles/{membership.pk}/end/"
    assert "End the role of Facilitator?" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert signed_in_client(personas.facilitator).get(f"/services/{personas.service.pk}/").status_code == 404


def test_it_refuses_to_end_the_last_coordinator_with_a_reason(personas: Personas) -> None:
    membership = Membership.objects.get(user=personas.coordinator, service=personas.service)
    client = signed_in_client(personas.administrator)
    path = f"/services/{personas.service.pk}/people/{personas.coordinator.pk}/roles/{membership.pk}/end/"
    response = client.post(path)
    assert response.status_code == 200
    assert "at least one coordinator" in response.content.decode()


def test_it_records_what_changed_when_a_service_is_edited(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    data = {
        "name": personas.service.name,
        "areas_covered": "Stroud",
        "phone": "01000 222222",
        "email": "rj@example.org",
        "out_of_hours_message": "",
        "out_of_hours_message_cy": "",
        "privacy_notice": "",
        "privacy_notice_cy": "",
    }
    assert client.post(f"/services/{personas.service.pk}/edit/", data).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SERVICE_UPDATED)
    assert event.changes["areas_covered"] == {"before": "", "after": "Stroud"}
    assert event.changes["phone"]["after"] == "01000 222222"


@pytest.mark.parametrize(
    "path",
    [
        "/services/{service}/edit/",
        "/services/{service}/opening-hours/",
        "/services/{service}/people/invite/",
        "/services/{service}/invitations/{invitation}/withdraw/",
        "/services/{service}/people/{member}/roles/{membership}/end/",
        "/services/{service}/people/{member}/record/",
    ],
)
def test_it_asks_for_the_password_again_before_sensitive_changes(personas: Personas, path: str) -> None:
    invitation = services.invite_member(
        service=personas.service,
        actor=personas.coordinator,
        email="someone@example.org",
        full_name="Someone",
        role=Role.FACILITATOR,
    )
    membership = Membership.objects.get(user=personas.facilitator, service=personas.service)
    url = path.format(
        service=personas.service.pk, invitation=invitation.pk, member=personas.facilitator.pk, membership=membership.pk
    )
    client = signed_in_client(personas.coordinator, recently_authenticated=False)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
    assert Membership.objects.get(pk=membership.pk).ended_at is None


def test_it_keeps_a_last_security_key(personas: Personas) -> None:
    user = personas.coordinator
    user.authenticator_set.all().delete()
    key = Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Only key"})
    client = signed_in_client(user)
    response = client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")
    assert response.status_code == 302
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_it_removes_a_security_key_when_another_second_factor_remains(personas: Personas) -> None:
    user = personas.coordinator  # has TOTP from the factory
    key = Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Spare key"})
    signed_in_client(user).post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")
    assert not Authenticator.objects.filter(pk=key.pk).exists()


def test_a_coordinator_sees_only_their_own_services_in_the_audit(personas: Personas) -> None:
    signed_in_client(personas.other_coordinator).get("/audit/")  # another service's coordinator reads their audit
    services.invite_member(
        service=personas.other_service,
        actor=personas.other_coordinator,
        email="elsewhere@example.org",
        full_name="Elsewhere",
        role=Role.FACILITATOR,
    )
    services.invite_member(
        service=personas.service,
        actor=personas.coordinator,
        email="here@example.org",
        full_name="Here",
        role=Role.FACILITATOR,
    )
    page = signed_in_client(personas.coordinator).get("/audit/").content.decode()
    assert page.count("Invitation sent</td>") == 1
    assert "Other Coordinator" not in page


def test_a_service_lists_only_its_own_supervision_of_a_shared_practitioner(personas: Personas) -> None:
    MembershipFactory(user=personas.facilitator, service=personas.other_service, role=Role.FACILITATOR)
    record = personas.facilitator.facilitator_record
    SupervisionSessionFactory(record=record, service=personas.other_service, supervisor=personas.other_coordinator)
    SupervisionSessionFactory(record=record, service=personas.service, supervisor=personas.supervisor)
    page = (
        signed_in_client(personas.coordinator)
        .get(f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/")
        .content.decode()
    )
    assert personas.supervisor.full_name in page
    assert personas.other_coordinator.full_name not in page


def test_a_past_member_is_no_longer_visible_to_the_service(personas: Personas) -> None:
    membership = Membership.objects.get(user=personas.facilitator, service=personas.service)
    services.end_membership(membership=membership, actor=personas.coordinator)
    response = signed_in_client(personas.coordinator).get(
        f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/"
    )
    assert response.status_code == 404
