"""Writes about services, the people in them and practitioners' records. Each records its audit event."""

import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amends.accounts.models import (
    Day,
    Invitation,
    Membership,
    OpeningHours,
    Organisation,
    OrganisationKind,
    Role,
    Service,
    User,
)
from amends.audit.models import AuditAction
from amends.audit.services import changes_between, created_values, field_values, record_event
from amends.core.errors import DomainError, NotPermittedError
from amends.permissions import Capability, can, forget_roles, roles_in

SERVICE_DETAIL_FIELDS = (
    "name",
    "areas_covered",
    "phone",
    "email",
    "out_of_hours_message",
    "out_of_hours_message_cy",
    "welsh_language_standards",
    "privacy_notice",
    "privacy_notice_cy",
    "first_follow_up_days",
    "second_follow_up_days",
    "export_keep_days",
)


def update_service(*, service: Service, actor: User, details: Mapping[str, Any]) -> Service:
    """Change a service's contact details, messages and Welsh Language Standards flag."""
    _require(actor, Capability.MANAGE_SERVICE, service)
    unknown = set(details) - set(SERVICE_DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("These details cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    if details.get("welsh_language_standards", service.welsh_language_standards):
        for field, label in (
            ("out_of_hours_message", _("out-of-hours message")),
            ("privacy_notice", _("privacy notice")),
        ):
            english = details.get(field, getattr(service, field))
            welsh = details.get(f"{field}_cy", getattr(service, f"{field}_cy"))
            if english and not welsh:
                raise DomainError(
                    _("The Welsh Language Standards apply, so give the %(label)s in Welsh too.") % {"label": label},
                    field=f"{field}_cy",
                )
    with transaction.atomic():
        # Read the stored values: a ModelForm may already have changed the instance in memory.
        before = field_values(Service.objects.select_for_update().get(pk=service.pk), SERVICE_DETAIL_FIELDS)
        for name, value in details.items():
            setattr(service, name, value)
        try:
            service.full_clean()
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from None
        service.save(update_fields=[*details, "updated_at"])
        changes = changes_between(service, before, field_values(service, SERVICE_DETAIL_FIELDS))
        if changes:
            record_event(
                action=AuditAction.SERVICE_UPDATED, actor=actor, target=service, service=service, changes=changes
            )
    return service


@dataclass(frozen=True)
class DayHours:
    closed: bool
    opens: datetime.time | None = None
    closes: datetime.time | None = None


def set_opening_hours(*, service: Service, actor: User, hours: Mapping[Day, DayHours]) -> None:
    """Replace the opening hours for the days given."""
    _require(actor, Capability.MANAGE_SERVICE, service)
    for day, day_hours in hours.items():
        if not day_hours.closed and (
            day_hours.opens is None or day_hours.closes is None or day_hours.opens >= day_hours.closes
        ):
            raise DomainError(
                _("%(day)s: give an opening time before the closing time, or mark the day closed.")
                % {"day": Day(day).label},
                field=f"day_{int(day)}_opens",
            )
    with transaction.atomic():
        existing = {row.day: row for row in service.opening_hours.all()}
        changes: dict[str, Any] = {}
        for day, day_hours in hours.items():
            opens = None if day_hours.closed else day_hours.opens
            closes = None if day_hours.closed else day_hours.closes
            row = existing.get(day)
            before = (row.closed, row.opens, row.closes) if row else None
            after = (day_hours.closed, opens, closes)
            if before == after:
                continue
            OpeningHours.objects.update_or_create(
                service=service, day=day, defaults={"closed": day_hours.closed, "opens": opens, "closes": closes}
            )
            changes[Day(day).name.lower()] = {
                "before": _describe_hours(before),
                "after": _describe_hours(after),
            }
        if changes:
            record_event(
                action=AuditAction.OPENING_HOURS_UPDATED, actor=actor, target=service, service=service, changes=changes
            )


def _describe_hours(hours: tuple[bool, datetime.time | None, datetime.time | None] | None) -> str | None:
    if hours is None:
        return None
    closed, opens, closes = hours
    if closed or opens is None or closes is None:
        return "closed"
    return f"{opens:%H:%M}-{closes:%H:%M}"


def set_up_service(
    *,
    organisation_name: str,
    organisation_kind: OrganisationKind,
    service_name: str,
    code: str,
    coordinator_email: str,
    coordinator_name: str,
    welsh_language_standards: bool = False,
    administrator_email: str = "",
    administrator_name: str = "",
) -> tuple[Service, Invitation]:
    """Create a service (and its organisation if new) and invite its first coordinator: how a new service starts."""
    code = code.strip().upper()
    if Service.objects.filter(code=code).exists():
        raise DomainError(_("Another service already uses the reference prefix %(code)s.") % {"code": code})
    with transaction.atomic():
        organisation, created = Organisation.objects.get_or_create(
            name=organisation_name.strip(), defaults={"kind": organisation_kind}
        )
        if created:
            record_event(
                action=AuditAction.ORGANISATION_SAVED,
                actor=None,
                target=organisation,
                changes=created_values(organisation, ("name", "kind")),
            )
        service = Service(
            organisation=organisation,
            name=service_name.strip(),
            code=code,
            welsh_language_standards=welsh_language_standards,
        )
        try:
            service.full_clean()
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from None
        service.save()
        record_event(
            action=AuditAction.SERVICE_CREATED,
            actor=None,
            target=service,
            service=service,
            changes=created_values(service, ("name", "code", "organisation", "welsh_language_standards")),
        )
        invitation = _invite(
            service=service, actor=None, email=coordinator_email, full_name=coordinator_name, role=Role.COORDINATOR
        )
        if administrator_email:
            # Only administrators make administrators, so a new service's first one comes from set-up too.
            _invite(
                service=service,
                actor=None,
                email=administrator_email,
                full_name=administrator_name or administrator_email,
                role=Role.ADMINISTRATOR,
            )
    return service, invitation


def _require(actor: User, capability: Capability, service: Service) -> None:
    """The service's own check, so pages, the API and commands meet the same rule."""
    if not can(actor, capability, service):
        raise DomainError(_("You do not have permission to do this in %(service)s.") % {"service": service.name})


def invitable_roles(*, actor: User, service: Service) -> list[Role]:
    """The roles the actor may give in the service: only administrators make administrators."""
    held = roles_in(actor, service)
    if not can(actor, Capability.MANAGE_PEOPLE, service):
        return []
    # A partnership lead's role covers a partnership, so it is not given in one service.
    return [
        role
        for role in Role
        if role != Role.PARTNERSHIP_LEAD and (role != Role.ADMINISTRATOR or Role.ADMINISTRATOR in held)
    ]


def invite_member(*, service: Service, actor: User, email: str, full_name: str, role: Role) -> Invitation:
    """Invite a person to join the service in a role, and email them a link that works once."""
    if role not in invitable_roles(actor=actor, service=service):
        raise NotPermittedError(_("You cannot give the role of %(role)s.") % {"role": role.label}, field="role")
    email = User.objects.normalize_email(email).strip().lower()
    if Membership.objects.current().filter(service=service, role=role, user__email=email).exists():
        raise DomainError(_("This person already has that role in this service."), field="email")
    return _invite(service=service, actor=actor, email=email, full_name=full_name, role=role)


def _invite(*, service: Service, actor: User | None, email: str, full_name: str, role: Role) -> Invitation:
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            service=service,
            role=role,
            email=User.objects.normalize_email(email).strip().lower(),
            full_name=full_name.strip(),
            token_hash=Invitation.hash_token(token),
            invited_by=actor,
            expires_at=timezone.now() + datetime.timedelta(days=settings.AMENDS_INVITATION_DAYS),
        )
        record_event(
            action=AuditAction.INVITATION_SENT,
            actor=actor,
            target=invitation,
            service=service,
            changes=created_values(invitation, ("role", "email", "full_name", "expires_at")),
        )
        # The token exists only in this email: it is never stored, logged or passed to a task queue.
        transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation


def invitation_url(token: str) -> str:
    return reverse("accept_invitation", kwargs={"token": token})


def _send_invitation(invitation: Invitation, token: str) -> None:
    base_url = settings.AMENDS_BASE_URL
    context = {
        "service": invitation.service.name,
        "role": Role(invitation.role).label,
        "url": f"{base_url}{invitation_url(token)}",
        "expires_at": invitation.expires_at,
    }
    # The invitee's language is not known yet: services under the Welsh Language Standards write in both, Welsh first.
    languages = ["cy", "en-gb"] if invitation.service.welsh_language_standards else ["en-gb"]
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            subjects.append(_("You are invited to join %(service)s on Amends") % {"service": invitation.service.name})
            bodies.append(render_to_string("accounts/email/invitation.txt", context))
    send_mail(" / ".join(subjects), "\n\n---\n\n".join(bodies), None, [invitation.email])


def withdraw_invitation(*, invitation: Invitation, actor: User) -> None:
    _require(actor, Capability.MANAGE_PEOPLE, invitation.service)
    if not invitation.is_open:
        raise DomainError(_("This invitation has already been accepted, withdrawn or has expired."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            action=AuditAction.INVITATION_WITHDRAWN, actor=actor, target=invitation, service=invitation.service
        )


def find_open_invitation(token: str) -> Invitation | None:
    """The invitation a token belongs to, if it can still be accepted."""
    invitation = Invitation.objects.select_related("service").filter(token_hash=Invitation.hash_token(token)).first()
    return invitation if invitation is not None and invitation.is_open else None


def account_exists_for(invitation: Invitation) -> bool:
    return User.objects.filter(email__iexact=invitation.email).exists()


def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Give an existing account the invited role. The account's email must be the one invited."""
    if user.email.lower() != invitation.email.lower():
        raise DomainError(_("This invitation was sent to a different email address."))
    with transaction.atomic():
        # Lock and look again, so two people opening the link at once cannot both accept it.
        invitation = Invitation.objects.select_for_update().select_related("service").get(pk=invitation.pk)
        if not invitation.is_open:
            raise DomainError(_("This invitation has already been accepted, withdrawn or has expired."))
        membership = _start_membership(service=invitation.service, user=user, role=Role(invitation.role), actor=user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        record_event(action=AuditAction.INVITATION_ACCEPTED, actor=user, target=invitation, service=invitation.service)
    return membership


def create_account_from_invitation(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create the staff account an invitation is for, and give it the invited role."""
    if account_exists_for(invitation):
        raise DomainError(_("An account already exists for this email address: sign in to accept."))
    candidate = User(email=invitation.email, full_name=full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password1") from None
    with transaction.atomic():
        user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
        accept_invitation(invitation=invitation, user=user)
    return user


def grant_role(*, service: Service, user: User, role: Role, actor: User | None) -> Membership:
    """Give a person a role directly: for set-up commands and the demo (actor None), or those who manage people."""
    if actor is not None and role not in invitable_roles(actor=actor, service=service):
        raise NotPermittedError(_("You cannot give the role of %(role)s.") % {"role": role.label}, field="role")
    with transaction.atomic():
        return _start_membership(service=service, user=user, role=role, actor=actor)


def _start_membership(*, service: Service, user: User, role: Role, actor: User | None) -> Membership:
    existing = Membership.objects.current().filter(service=service, user=user, role=role).first()
    if existing is not None:
        return existing
    membership = Membership.objects.create(service=service, user=user, role=role)
    record_event(
        action=AuditAction.MEMBERSHIP_STARTED,
        actor=actor,
        target=membership,
        service=service,
        changes={"user": {"before": None, "after": user.pk}, "role": {"before": None, "after": role.value}},
    )
    forget_roles(user)
    return membership


def end_membership(*, membership: Membership, actor: User) -> None:
    """End a person's role in a service. A service always keeps at least one coordinator."""
    if not membership.is_current:
        raise DomainError(_("This role has already ended."))
    if membership.service is None:
        raise DomainError(_("Partnership roles are ended by the partnership's administrators."))
    service = membership.service
    _require(actor, Capability.MANAGE_PEOPLE, service)
    if membership.role == Role.ADMINISTRATOR and Role.ADMINISTRATOR not in roles_in(actor, service):
        raise NotPermittedError(_("Only an administrator can end an administrator's role."))
    with transaction.atomic():
        if membership.role == Role.COORDINATOR:
            coordinators = (
                Membership.objects.current().select_for_update().filter(service=service, role=Role.COORDINATOR)
            )
            if len(coordinators) <= 1:
                raise DomainError(_("A service must keep at least one coordinator. Give someone else the role first."))
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at", "updated_at"])
        record_event(
            action=AuditAction.MEMBERSHIP_ENDED,
            actor=actor,
            target=membership,
            service=service,
            changes={"role": {"before": membership.role, "after": None}},
        )
        if membership.role == Role.SUPERVISOR:
            # Their supervisees are left without a supervisor rather than with one who no longer holds the role.
            for supervisee in (
                Membership.objects.current().select_for_update().filter(service=service, supervisor=membership.user)
            ):
                supervisee.supervisor = None
                supervisee.save(update_fields=["supervisor", "updated_at"])
                record_event(
                    action=AuditAction.SUPERVISOR_ASSIGNED,
                    actor=actor,
                    target=supervisee,
                    service=service,
                    changes={"supervisor": {"before": membership.user_id, "after": None}},
                )
    forget_roles(membership.user)


def assign_supervisor(*, membership: Membership, supervisor: User | None, actor: User) -> Membership:
    """Name (or, with None, clear) the supervisor of a facilitator in their service: they read the facilitator's
    cases."""
    service = membership.service
    if service is None:
        raise DomainError(_("Only a facilitator has a supervisor."))
    _require(actor, Capability.MANAGE_PEOPLE, service)
    if membership.role != Role.FACILITATOR:
        raise DomainError(_("Only a facilitator has a supervisor."))
    if supervisor is not None:
        if supervisor.pk == membership.user_id:
            raise DomainError(_("A facilitator cannot supervise themselves."), field="supervisor")
        if not Membership.objects.current().filter(service=service, user=supervisor, role=Role.SUPERVISOR).exists():
            raise DomainError(
                _("%(name)s is not a supervisor in %(service)s.")
                % {"name": supervisor.full_name, "service": service.name},
                field="supervisor",
            )
    with transaction.atomic():
        # Read the stored role under a lock: one ended meanwhile is refused, and two changes at once are both
        # recorded truthfully.
        stored = Membership.objects.current().select_for_update().filter(pk=membership.pk).first()
        if stored is None:
            raise DomainError(_("This role has ended, so it cannot be given a supervisor."))
        before = stored.supervisor_id
        after = supervisor.pk if supervisor is not None else None
        membership.supervisor = supervisor
        if before != after:
            membership.save(update_fields=["supervisor", "updated_at"])
            record_event(
                action=AuditAction.SUPERVISOR_ASSIGNED,
                actor=actor,
                target=membership,
                service=service,
                changes={"supervisor": {"before": before, "after": after}},
            )
    return membership
