import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from amends.accounts import practice, services
from amends.accounts.models import Membership, RJCLevel, Role, Service, Specialism, WelshSkill
from amends.accounts.selectors import Standing, compliance_of
from amends.audit.models import AuditAction, AuditEvent
from amends.core.errors import DomainError
from tests.factories import (
    CPDRecordFactory,
    FacilitatorRecordFactory,
    ObservedPracticeFactory,
    SupervisionSessionFactory,
    UserFactory,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _token_from_last_email() -> str:
    body = mail.outbox[-1].body
    return body.split("/invitation/")[1].split("/")[0]


class TestInvitations:
    def test_it_emails_a_one_time_link_and_keeps_only_its_hash(
        self, personas: Personas, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invite_member(
                service=personas.service,
                actor=personas.coordinator,
                email="New.Person@Example.org",
                full_name="New Person",
                role=Role.FACILITATOR,
            )
        token = _token_from_last_email()
        assert mail.outbox[-1].to == ["new.person@example.org"]
        assert token not in invitation.token_hash
        assert services.find_open_invitation(token) == invitation
        assert AuditEvent.objects.filter(action=AuditAction.INVITATION_SENT, target_id=str(invitation.pk)).exists()

    def test_it_keeps_personal_details_out_of_the_email(
        self, personas: Personas, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_member(
                service=personas.service,
                actor=personas.coordinator,
                email="someone@example.org",
                full_name="Gwenllian Prydderch",
                role=Role.FACILITATOR,
            )
        assert "Gwenllian" not in mail.outbox[-1].body
        assert "Gwenllian" not in mail.outbox[-1].subject

    def test_it_lets_only_administrators_make_administrators(self, personas: Personas) -> None:
        with pytest.raises(DomainError):
            services.invite_member(
                service=personas.service,
                actor=personas.coordinator,
                email="admin@example.org",
                full_name="Would-be Admin",
                role=Role.ADMINISTRATOR,
            )
        services.invite_member(
            service=personas.service,
            actor=personas.administrator,
            email="admin@example.org",
            full_name="Real Admin",
            role=Role.ADMINISTRATOR,
        )

    def test_it_refuses_people_who_cannot_manage_people(self, personas: Personas) -> None:
        with pytest.raises(DomainError):
            services.invite_member(
                service=personas.service,
                actor=personas.facilitator,
                email="x@example.org",
                full_name="X",
                role=Role.FACILITATOR,
            )

    def test_it_refuses_to_invite_someone_to_a_role_they_hold(self, personas: Personas) -> None:
        with pytest.raises(DomainError):
            services.invite_member(
                service=personas.service,
                actor=personas.coordinator,
                email=personas.facilitator.email,
                full_name="Again",
                role=Role.FACILITATOR,
            )

    def test_it_creates_the_account_with_the_role_and_closes_the_invitation(
        self, personas: Personas, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invite_member(
                service=personas.service,
                actor=personas.coordinator,
                email="new@example.org",
                full_name="New Person",
                role=Role.SUPERVISOR,
            )
        user = services.create_account_from_invitation(
            invitation=invitation, full_name="New Person", password="a-long-unusual-passphrase"
        )
        assert Membership.objects.current().filter(user=user, service=personas.service, role=Role.SUPERVISOR).exists()
        assert services.find_open_invitation(_token_from_last_email()) is None

    def test_it_refuses_a_weak_password_and_creates_nothing(self, personas: Personas) -> None:
        invitation = services.invite_member(
            service=personas.service,
            actor=personas.coordinator,
            email="weak@example.org",
            full_name="Weak Password",
            role=Role.FACILITATOR,
        )
        with pytest.raises(DomainError) as refused:
            services.create_account_from_invitation(invitation=invitation, full_name="Weak", password="password")
        assert refused.value.field == "password1"
        assert not Membership.objects.filter(user__email="weak@example.org").exists()

    def test_it_refuses_an_expired_or_withdrawn_invitation(self, personas: Personas) -> None:
        invitation = services.invite_member(
            service=personas.service,
            actor=personas.coordinator,
            email="late@example.org",
            full_name="Late",
            role=Role.FACILITATOR,
        )
        services.withdraw_invitation(invitation=invitation, actor=personas.coordinator)
        with pytest.raises(DomainError):
            services.create_account_from_invitation(
                invitation=invitation, full_name="Late", password="long-enough-pass"
            )
        invitation.revoked_at = None
        invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
        invitation.save()
        invited = UserFactory(email="late@example.org")
        with pytest.raises(DomainError, match="expired"):
            services.accept_invitation(invitation=invitation, user=invited)

    def test_it_refuses_an_invitation_accepted_by_another_address(self, personas: Personas) -> None:
        invitation = services.invite_member(
            service=personas.service,
            actor=personas.coordinator,
            email="intended@example.org",
            full_name="Intended",
            role=Role.FACILITATOR,
        )
        with pytest.raises(DomainError):
            services.accept_invitation(invitation=invitation, user=personas.outsider)


class TestMemberships:
    def test_it_keeps_at_least_one_coordinator(self, personas: Personas) -> None:
        membership = Membership.objects.get(user=personas.coordinator, service=personas.service)
        with pytest.raises(DomainError):
            services.end_membership(membership=membership, actor=personas.administrator)
        assert Membership.objects.get(pk=membership.pk).ended_at is None

    def test_it_ends_a_role_and_the_access_that_came_with_it(self, personas: Personas) -> None:
        membership = Membership.objects.get(user=personas.facilitator, service=personas.service)
        services.end_membership(membership=membership, actor=personas.coordinator)
        membership.refresh_from_db()
        assert membership.ended_at is not None
        assert AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_ENDED, target_id=str(membership.pk)).exists()

    def test_it_refuses_people_who_cannot_manage_people(self, personas: Personas) -> None:
        membership = Membership.objects.get(user=personas.referrer, service=personas.service)
        with pytest.raises(DomainError):
            services.end_membership(membership=membership, actor=personas.facilitator)
        with pytest.raises(DomainError):
            services.end_membership(membership=membership, actor=personas.other_coordinator)

    def test_it_does_not_give_a_partnership_role_in_one_service(self, personas: Personas) -> None:
        assert Role.PARTNERSHIP_LEAD not in services.invitable_roles(
            actor=personas.administrator, service=personas.service
        )

    def test_it_lets_only_administrators_end_an_administrator(self, personas: Personas) -> None:
        membership = Membership.objects.get(user=personas.administrator, service=personas.service)
        with pytest.raises(DomainError):
            services.end_membership(membership=membership, actor=personas.coordinator)


class TestPracticeRecords:
    def test_it_lets_only_a_coordinator_set_the_level(self, personas: Personas) -> None:
        with pytest.raises(DomainError):
            practice.save_facilitator_record(
                member=personas.facilitator,
                actor=personas.supervisor,
                service=personas.service,
                rjc_level=RJCLevel.ADVANCED,
            )
        record = practice.save_facilitator_record(
            member=personas.facilitator,
            actor=personas.coordinator,
            service=personas.service,
            rjc_level=RJCLevel.ADVANCED,
            registration_number="RJC-1",
            registration_expires_on=timezone.localdate() + datetime.timedelta(days=100),
            welsh_skill=WelshSkill.FLUENT,
            specialisms=[Specialism.HATE_CRIME],
        )
        assert record.cpd_hours_target == 16
        event = AuditEvent.objects.filter(action=AuditAction.FACILITATOR_RECORD_SAVED).latest("id")
        assert event.changes["rjc_level"] == {"before": "intermediate", "after": "advanced"}

    def test_it_refuses_a_coordinator_setting_their_own_level(self, personas: Personas) -> None:
        with pytest.raises(DomainError):
            practice.save_facilitator_record(
                member=personas.coordinator,
                actor=personas.coordinator,
                service=personas.service,
                rjc_level=RJCLevel.ADVANCED,
            )

    def test_it_lets_practitioners_record_their_own_cpd_but_not_others(self, personas: Personas) -> None:
        practice.record_cpd(
            member=personas.facilitator,
            actor=personas.facilitator,
            service=personas.service,
            activity="Reading",
            completed_on=timezone.localdate(),
            hours=Decimal("2"),
            rjc_approved=False,
        )
        FacilitatorRecordFactory(user=personas.supervisor)
        with pytest.raises(DomainError):
            practice.record_cpd(
                member=personas.supervisor,
                actor=personas.facilitator,
                service=personas.service,
                activity="Reading",
                completed_on=timezone.localdate(),
                hours=Decimal("2"),
                rjc_approved=False,
            )

    def test_it_refuses_cpd_dated_in_the_future_or_out_of_range(self, personas: Personas) -> None:
        for day, hours in (
            (timezone.localdate() + datetime.timedelta(days=1), Decimal("1")),
            (timezone.localdate(), Decimal("0")),
        ):
            with pytest.raises(DomainError):
                practice.record_cpd(
                    member=personas.facilitator,
                    actor=personas.facilitator,
                    service=personas.service,
                    activity="Reading",
                    completed_on=day,
                    hours=hours,
                    rjc_approved=False,
                )

    def test_it_refuses_self_supervision(self, personas: Personas) -> None:
        FacilitatorRecordFactory(user=personas.supervisor)
        with pytest.raises(DomainError):
            practice.record_supervision(
                member=personas.supervisor,
                actor=personas.supervisor,
                service=personas.service,
                held_on=timezone.localdate(),
            )

    def test_it_refuses_supervision_from_someone_of_another_service(self, personas: Personas) -> None:
        with pytest.raises(DomainError):
            practice.record_supervision(
                member=personas.facilitator,
                actor=personas.other_coordinator,
                service=personas.service,
                held_on=timezone.localdate(),
            )


class TestCompliance:
    def test_it_warns_at_ten_weeks_and_is_overdue_after_twelve(self, personas: Personas) -> None:
        record = personas.facilitator.facilitator_record
        today = timezone.localdate()
        assert compliance_of(record, today).supervision_standing == Standing.NEVER
        SupervisionSessionFactory(record=record, held_on=today - datetime.timedelta(weeks=9, days=6))
        assert compliance_of(record, today).supervision_standing == Standing.MET
        assert compliance_of(record, today + datetime.timedelta(days=1)).supervision_standing == Standing.DUE_SOON
        assert (
            compliance_of(record, today + datetime.timedelta(weeks=2, days=2)).supervision_standing == Standing.OVERDUE
        )

    def test_it_counts_cpd_in_the_last_twelve_months_against_the_level(self, personas: Personas) -> None:
        record = personas.facilitator.facilitator_record  # intermediate: 12 hours
        today = timezone.localdate()
        CPDRecordFactory(record=record, hours=Decimal("8"), completed_on=today - datetime.timedelta(days=10))
        CPDRecordFactory(record=record, hours=Decimal("8"), completed_on=today - datetime.timedelta(days=400))
        SupervisionSessionFactory(record=record)
        SupervisionSessionFactory(record=record)
        compliance = compliance_of(record, today)
        assert compliance.cpd_hours == Decimal("8")
        assert compliance.cpd_standing == Standing.DUE_SOON
        CPDRecordFactory(record=record, hours=Decimal("4"), completed_on=today)
        assert compliance_of(record, today).cpd_standing == Standing.MET

    def test_it_expects_observed_practice_once_a_year(self, personas: Personas) -> None:
        record = personas.facilitator.facilitator_record
        today = timezone.localdate()
        ObservedPracticeFactory(record=record, observed_on=today - datetime.timedelta(days=366))
        assert compliance_of(record, today).observation_standing == Standing.OVERDUE

    def test_it_warns_before_registration_expires(self, personas: Personas) -> None:
        record = personas.facilitator.facilitator_record
        today = timezone.localdate()
        record.registration_expires_on = today + datetime.timedelta(days=30)
        assert compliance_of(record, today).registration_standing == Standing.DUE_SOON
        record.registration_expires_on = today - datetime.timedelta(days=1)
        assert compliance_of(record, today).registration_standing == Standing.OVERDUE


class TestSettingUpAService:
    def test_it_creates_the_service_and_invites_its_first_coordinator(
        self, db: None, django_capture_on_commit_callbacks: Any
    ) -> None:
        output = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "set_up_service",
                organisation="Gwent Victim Care",
                organisation_kind="victim_service",
                service="Gwent Restorative Justice Service",
                code="gw",
                coordinator_email="lead@gwent.example",
                coordinator_name="Rhys Powell",
                welsh_language_standards=True,
                administrator_email="admin@gwent.example",
                administrator_name="Alys Jenkins",
                stdout=output,
            )
        service = Service.objects.get(code="GW")
        assert service.welsh_language_standards
        assert sorted(invitation.role for invitation in service.invitations.all()) == ["administrator", "coordinator"]
        assert sorted(message.to[0] for message in mail.outbox) == ["admin@gwent.example", "lead@gwent.example"]
        assert "Gwahoddir chi" in mail.outbox[-1].body or "gwahodd" in mail.outbox[-1].body.lower()
        assert "lead@gwent.example" not in output.getvalue()
        assert AuditEvent.objects.filter(action=AuditAction.SERVICE_CREATED, service=service).exists()

    def test_it_refuses_a_prefix_already_in_use(self, personas: Personas) -> None:
        with pytest.raises(CommandError, match="already uses"):
            call_command(
                "set_up_service",
                organisation="Another",
                service="Another Service",
                code=personas.service.code,
                coordinator_email="x@example.org",
                coordinator_name="X",
                stdout=io.StringIO(),
            )

    def test_it_refuses_a_badly_formed_prefix_and_creates_nothing(self, db: None) -> None:
        with pytest.raises(CommandError):
            call_command(
                "set_up_service",
                organisation="Badly Formed",
                service="Badly Formed Service",
                code="A1",
                coordinator_email="x@example.org",
                coordinator_name="X",
                stdout=io.StringIO(),
            )
        assert not Service.objects.filter(name="Badly Formed Service").exists()
