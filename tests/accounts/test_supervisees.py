"""A facilitator's supervisor in a service reads (and does not work on) the cases the facilitator works on."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.accounts import services
from amends.accounts.demo import demo_email
from amends.accounts.models import Membership, Role, User
from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.access import cases_visible_to
from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.people.models import Participant
from amends.permissions import CaseAccess, can_on_case, case_filter
from tests.case_builders import build_case, make_trained
from tests.conftest import signed_in_client
from tests.factories import MembershipFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def facilitator_role(personas: Personas, user: User | None = None) -> Membership:
    return Membership.objects.current().get(
        service=personas.service, user=user or personas.facilitator, role=Role.FACILITATOR
    )


def supervise(personas: Personas, supervisor: User | None = None, facilitator: User | None = None) -> Membership:
    """Make the supervisor (ours by default) the facilitator's supervisor, as a coordinator does."""
    return services.assign_supervisor(
        membership=facilitator_role(personas, facilitator),
        supervisor=supervisor or personas.supervisor,
        actor=personas.coordinator,
    )


def case_led_by(personas: Personas, facilitator: User | None = None) -> Case:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=facilitator or personas.facilitator
    ).case


def reads(user: User, case: Case) -> bool:
    """Whether the user reads the case, asked both ways the policy answers, which must agree."""
    one = can_on_case(User.objects.get(pk=user.pk), CaseAccess.VIEW, Case.objects.get(pk=case.pk))
    listed = Case.objects.filter(case_filter(User.objects.get(pk=user.pk), CaseAccess.VIEW), pk=case.pk).exists()
    assert one == listed, f"can_on_case says {one}, case_filter says {listed}"
    return one


def another_supervisor(personas: Personas) -> User:
    person = UserFactory(full_name="Another Supervisor")
    MembershipFactory(user=person, service=personas.service, role=Role.SUPERVISOR)
    return person


class TestWhatASupervisorReads:
    def test_a_supervisor_reads_the_case_their_supervisee_leads_on_its_page_and_in_the_api(
        self, personas: Personas
    ) -> None:
        case = case_led_by(personas)
        supervise(personas)
        client = signed_in_client(personas.supervisor)
        assert client.get(f"/cases/{case.pk}/").status_code == 200
        response = client.get(f"/api/v1/cases/{case.pk}")
        assert response.status_code == 200
        assert response.json()["reference"] == case.reference
        assert reads(personas.supervisor, case)

    def test_a_supervisor_reads_the_case_their_supervisee_co_facilitates(self, personas: Personas) -> None:
        lead = UserFactory(full_name="Lead Facilitator")
        MembershipFactory(user=lead, service=personas.service, role=Role.FACILITATOR)
        case = case_led_by(personas, lead)
        make_trained(personas.facilitator)
        case_services.allocate_case(
            case=Case.objects.get(pk=case.pk),
            actor=personas.coordinator,
            lead=lead,
            co_facilitator=personas.facilitator,
        )
        assert not reads(personas.supervisor, case)
        supervise(personas)
        assert reads(personas.supervisor, case)

    def test_the_supervisees_case_is_in_the_supervisors_lists(self, personas: Personas) -> None:
        case = case_led_by(personas)
        client = signed_in_client(personas.supervisor)
        assert case.reference not in client.get("/cases/").content.decode()
        supervise(personas)
        assert case in cases_visible_to(User.objects.get(pk=personas.supervisor.pk))
        assert [row["id"] for row in client.get("/api/v1/cases").json()] == [case.pk]
        dashboard = client.get("/cases/").content.decode()
        assert "Cases I supervise" in dashboard
        assert case.reference in dashboard

    def test_the_rule_reaches_cases_through_a_relation(self, personas: Personas) -> None:
        case = case_led_by(personas)
        supervise(personas)
        supervisor = User.objects.get(pk=personas.supervisor.pk)
        participants = Participant.objects.filter(case_filter(supervisor, CaseAccess.VIEW, prefix="case__"))
        assert set(participants) == set(case.participants.all())

    def test_a_supervisor_cannot_work_on_a_supervisees_case(self, personas: Personas) -> None:
        case = case_led_by(personas)
        supervise(personas)
        supervisor = User.objects.get(pk=personas.supervisor.pk)
        assert not can_on_case(supervisor, CaseAccess.WORK, case)
        assert not Case.objects.filter(case_filter(supervisor, CaseAccess.WORK)).exists()
        client = signed_in_client(personas.supervisor)
        assert client.post(f"/cases/{case.pk}/notes/add/", {"text": "A supervisor's note"}).status_code == 404
        patched = client.patch(
            f"/api/v1/cases/{case.pk}", {"pre_sentence": True, "version": case.version}, content_type="application/json"
        )
        assert patched.status_code == 404
        with pytest.raises(DomainError):
            case_services.add_case_note(case=case, actor=supervisor, text="A supervisor's note")
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert f"/cases/{case.pk}/notes/add/" not in page

    def test_a_supervisor_who_does_not_supervise_the_lead_sees_nothing(self, personas: Personas) -> None:
        case = case_led_by(personas)
        supervise(personas)
        bystander = another_supervisor(personas)
        assert not reads(bystander, case)
        client = signed_in_client(bystander)
        assert client.get(f"/cases/{case.pk}/").status_code == 404
        assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
        assert client.get("/api/v1/cases").json() == []

    def test_a_supervisor_of_another_service_sees_nothing(self, personas: Personas) -> None:
        case = case_led_by(personas)
        elsewhere = UserFactory(full_name="Elsewhere Supervisor")
        MembershipFactory(user=elsewhere, service=personas.other_service, role=Role.SUPERVISOR)
        # The facilitator also works in the other service, where this person supervises them.
        there = MembershipFactory(user=personas.facilitator, service=personas.other_service, role=Role.FACILITATOR)
        services.assign_supervisor(membership=there, supervisor=elsewhere, actor=personas.other_coordinator)
        assert not reads(elsewhere, case)
        assert signed_in_client(elsewhere).get(f"/cases/{case.pk}/").status_code == 404

    def test_supervising_a_facilitator_in_another_service_opens_none_of_their_cases_here(
        self, personas: Personas
    ) -> None:
        """Even when the person is a supervisor here too: the relation is per service."""
        case = case_led_by(personas)
        both = another_supervisor(personas)
        MembershipFactory(user=both, service=personas.other_service, role=Role.SUPERVISOR)
        there = MembershipFactory(user=personas.facilitator, service=personas.other_service, role=Role.FACILITATOR)
        services.assign_supervisor(membership=there, supervisor=both, actor=personas.other_coordinator)
        assert not reads(both, case)


class TestWhenTheRelationEnds:
    def test_the_supervisor_loses_the_cases_when_the_facilitators_role_ends(self, personas: Personas) -> None:
        case = case_led_by(personas)
        supervise(personas)
        services.end_membership(membership=facilitator_role(personas), actor=personas.coordinator)
        assert not reads(personas.supervisor, case)
        assert signed_in_client(personas.supervisor).get(f"/cases/{case.pk}/").status_code == 404

    def test_the_supervisor_loses_the_cases_when_the_facilitator_is_given_no_supervisor(
        self, personas: Personas
    ) -> None:
        case = case_led_by(personas)
        membership = supervise(personas)
        services.assign_supervisor(membership=membership, supervisor=None, actor=personas.coordinator)
        assert not reads(personas.supervisor, case)

    def test_the_old_supervisor_loses_the_cases_when_another_is_chosen(self, personas: Personas) -> None:
        case = case_led_by(personas)
        membership = supervise(personas)
        successor = another_supervisor(personas)
        services.assign_supervisor(membership=membership, supervisor=successor, actor=personas.coordinator)
        assert not reads(personas.supervisor, case)
        assert reads(successor, case)

    def test_the_supervisor_loses_the_cases_when_their_own_role_ends(self, personas: Personas) -> None:
        case = case_led_by(personas)
        supervise(personas)
        own_role = Membership.objects.current().get(
            service=personas.service, user=personas.supervisor, role=Role.SUPERVISOR
        )
        services.end_membership(membership=own_role, actor=personas.coordinator)
        assert not reads(personas.supervisor, case)
        assert facilitator_role(personas).supervisor is None
        cleared = AuditEvent.objects.filter(action=AuditAction.SUPERVISOR_ASSIGNED).latest("pk")
        assert cleared.changes == {"supervisor": {"before": personas.supervisor.pk, "after": None}}

    def test_the_policy_itself_asks_for_a_current_supervisor_role(self, personas: Personas) -> None:
        """Not only the clean-up when the role ends: a role ended any other way (the Django admin, say) counts too."""
        case = case_led_by(personas)
        supervise(personas)
        Membership.objects.filter(user=personas.supervisor, role=Role.SUPERVISOR).update(ended_at=timezone.now())
        assert facilitator_role(personas).supervisor == personas.supervisor
        assert not reads(personas.supervisor, case)


class TestAssigningASupervisor:
    def test_it_names_the_supervisor_and_records_the_change(self, personas: Personas) -> None:
        membership = supervise(personas)
        membership.refresh_from_db()
        assert membership.supervisor == personas.supervisor
        event = AuditEvent.objects.get(action=AuditAction.SUPERVISOR_ASSIGNED)
        assert event.actor == personas.coordinator
        assert event.service == personas.service
        assert event.target_id == str(membership.pk)
        assert event.changes == {"supervisor": {"before": None, "after": personas.supervisor.pk}}

    def test_it_records_nothing_when_nothing_changes(self, personas: Personas) -> None:
        supervise(personas)
        supervise(personas)
        assert AuditEvent.objects.filter(action=AuditAction.SUPERVISOR_ASSIGNED).count() == 1

    def test_it_refuses_someone_who_is_not_a_supervisor_in_the_service(self, personas: Personas) -> None:
        elsewhere = UserFactory()
        MembershipFactory(user=elsewhere, service=personas.other_service, role=Role.SUPERVISOR)
        for person in (personas.coordinator, elsewhere):
            with pytest.raises(DomainError, match="is not a supervisor in"):
                supervise(personas, supervisor=person)
        assert facilitator_role(personas).supervisor is None

    def test_it_refuses_a_supervisor_whose_role_has_ended(self, personas: Personas) -> None:
        Membership.objects.filter(user=personas.supervisor).update(ended_at="2020-01-01T00:00:00Z")
        with pytest.raises(DomainError, match="is not a supervisor in"):
            supervise(personas)

    def test_it_refuses_to_make_a_facilitator_their_own_supervisor(self, personas: Personas) -> None:
        MembershipFactory(user=personas.facilitator, service=personas.service, role=Role.SUPERVISOR)
        with pytest.raises(DomainError, match="cannot supervise themselves"):
            supervise(personas, supervisor=personas.facilitator)

    def test_it_gives_a_supervisor_only_to_a_facilitators_role(self, personas: Personas) -> None:
        coordinator_role = Membership.objects.get(user=personas.coordinator, service=personas.service)
        with pytest.raises(DomainError, match="Only a facilitator"):
            services.assign_supervisor(
                membership=coordinator_role, supervisor=personas.supervisor, actor=personas.coordinator
            )
        partnership_role = Membership.objects.get(user=personas.partnership_lead)
        with pytest.raises(DomainError, match="Only a facilitator"):
            services.assign_supervisor(
                membership=partnership_role, supervisor=personas.supervisor, actor=personas.coordinator
            )

    def test_it_refuses_a_role_that_has_ended(self, personas: Personas) -> None:
        membership = facilitator_role(personas)
        services.end_membership(membership=membership, actor=personas.coordinator)
        with pytest.raises(DomainError, match="This role has ended"):
            services.assign_supervisor(
                membership=membership, supervisor=personas.supervisor, actor=personas.coordinator
            )

    def test_it_lets_only_those_who_manage_the_services_people_choose(self, personas: Personas) -> None:
        for actor in (personas.facilitator, personas.supervisor, personas.referrer, personas.other_coordinator):
            with pytest.raises(DomainError, match="You do not have permission"):
                services.assign_supervisor(
                    membership=facilitator_role(personas), supervisor=personas.supervisor, actor=actor
                )
        services.assign_supervisor(
            membership=facilitator_role(personas), supervisor=personas.supervisor, actor=personas.administrator
        )
        assert facilitator_role(personas).supervisor == personas.supervisor

    def test_the_database_keeps_supervisors_to_facilitators_roles(self, personas: Personas) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(user=personas.coordinator).update(supervisor=personas.supervisor)


class TestTheSupervisorPage:
    def test_the_member_page_names_the_supervisor_with_a_change_link_for_coordinators(self, personas: Personas) -> None:
        supervise(personas)
        path = f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/"
        change = f"{path}supervisor/"
        page = signed_in_client(personas.coordinator).get(path).content.decode()
        assert "Supervisor" in page
        assert personas.supervisor.full_name in page
        assert change in page
        for viewer in (personas.supervisor, personas.facilitator):
            page = signed_in_client(viewer).get(path).content.decode()
            assert personas.supervisor.full_name in page
            assert change not in page

    def test_the_member_page_says_none_when_there_is_no_supervisor(self, personas: Personas) -> None:
        path = f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/"
        page = signed_in_client(personas.coordinator).get(path).content.decode()
        assert "Supervisor" in page
        assert "None" in page

    def test_a_coordinator_chooses_the_supervisor_on_the_form(self, personas: Personas) -> None:
        client = signed_in_client(personas.coordinator)
        path = f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/supervisor/"
        form = client.get(path).content.decode()
        assert personas.supervisor.full_name in form
        assert "No supervisor" in form
        response = client.post(path, {"supervisor": str(personas.supervisor.pk)}, follow=True)
        assert response.redirect_chain[-1][0] == f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/"
        assert "Supervisor saved." in response.content.decode()
        assert facilitator_role(personas).supervisor == personas.supervisor
        client.post(path, {"supervisor": "none"})
        assert facilitator_role(personas).supervisor is None

    def test_the_form_asks_for_a_choice(self, personas: Personas) -> None:
        supervise(personas)
        path = f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/supervisor/"
        response = signed_in_client(personas.coordinator).post(path, {"supervisor": ""})
        assert response.status_code == 200
        assert "Choose their supervisor, or no supervisor." in response.content.decode()
        assert facilitator_role(personas).supervisor == personas.supervisor

    def test_a_refusal_shows_on_the_form_and_keeps_the_choice(self, personas: Personas) -> None:
        MembershipFactory(user=personas.facilitator, service=personas.service, role=Role.SUPERVISOR)
        path = f"/services/{personas.service.pk}/people/{personas.facilitator.pk}/supervisor/"
        response = signed_in_client(personas.coordinator).post(path, {"supervisor": str(personas.facilitator.pk)})
        assert response.status_code == 200
        page = response.content.decode()
        assert "A facilitator cannot supervise themselves." in page
        assert "govuk-error-summary" in page
        assert re.search(rf'value="{personas.facilitator.pk}"[^>]*\bchecked\b', page), "the choice is kept"
        assert facilitator_role(personas).supervisor is None

    def test_the_form_is_only_for_a_facilitators_role(self, personas: Personas) -> None:
        path = f"/services/{personas.service.pk}/people/{personas.supervisor.pk}/supervisor/"
        assert signed_in_client(personas.coordinator).get(path).status_code == 404


def test_the_demo_supervisor_supervises_the_demo_facilitator_and_loading_twice_changes_nothing() -> None:
    call_command("load_demo", stdout=io.StringIO())
    events = AuditEvent.objects.filter(action=AuditAction.SUPERVISOR_ASSIGNED).count()
    call_command("load_demo", stdout=io.StringIO())
    assert AuditEvent.objects.filter(action=AuditAction.SUPERVISOR_ASSIGNED).count() == events == 2
    for slug in ("sv", "dy"):
        membership = Membership.objects.current().get(
            user__email=demo_email(Role.FACILITATOR, slug), role=Role.FACILITATOR
        )
        assert membership.supervisor == User.objects.get(email=demo_email(Role.SUPERVISOR, slug))


def add_supervised_cases(personas: Personas, count: int) -> None:
    """Facilitators the supervisor supervises, each leading a case."""
    for _ in range(count):
        facilitator = UserFactory()
        MembershipFactory(user=facilitator, service=personas.service, role=Role.FACILITATOR)
        supervise(personas, facilitator=facilitator)
        case_led_by(personas, facilitator)


@pytest.mark.parametrize("path", ["/cases/", "/api/v1/cases"])
def test_the_supervisors_case_lists_keep_their_query_count_flat(personas: Personas, path: str) -> None:
    client = signed_in_client(personas.supervisor)
    add_supervised_cases(personas, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_supervised_cases(personas, 4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.status_code == 200
    assert len(many) == len(few), f"{path}: {len(few)} queries with one supervised case, {len(many)} with five"
    assert response.content.decode().count(f"{personas.service.code}-") >= 5
