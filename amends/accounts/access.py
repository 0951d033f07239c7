"""The one way in to services, memberships and practitioners' records for views and the API.

A record that does not exist and one the user may not see both answer 404, so nothing leaks by its absence.
"""

from collections.abc import Callable
from typing import cast

from allauth.account.decorators import reauthentication_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from amends.accounts.models import FacilitatorRecord, Invitation, Membership, Role, Service, User
from amends.accounts.selectors import Member, member_list
from amends.audit.reads import Listed, record_list_view, record_view
from amends.permissions import Capability, can, service_ids_with

ViewFunction = Callable[..., HttpResponse]


def signed_in_user(request: HttpRequest) -> User:
    """The person making the request; sign-in middleware lets nobody else reach a view that asks."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def asks_password_again(view: ViewFunction) -> ViewFunction:
    """allauth's reauthentication_required, typed: the view asks for the password again unless it was given in the
    last ACCOUNT_REAUTHENTICATION_TIMEOUT, as inviting someone does. allauth's middleware answers with its password
    page (rate limited, a wrong password audited as a failed sign-in), keeps what was sent, and sends it on once the
    password is given."""
    return cast(ViewFunction, reauthentication_required(view))


def _let_through(request: HttpRequest) -> None:
    return None


def ask_password_again(request: HttpRequest) -> None:
    """The same, for a view that knows only once it has fetched its record whether the action needs it."""
    reauthentication_required(_let_through)(request)


def services_visible_to(user: User) -> QuerySet[Service]:
    """The services in which the user holds any current role."""
    return Service.objects.filter(pk__in=service_ids_with(user, Capability.VIEW_SERVICE)).select_related("organisation")


def get_service_for_user(user: User, service_id: int, capability: Capability = Capability.VIEW_SERVICE) -> Service:
    """The service, if the user holds the capability in it; otherwise 404."""
    if not can(user, capability, service_id):
        raise Http404
    try:
        return Service.objects.select_related("organisation").get(pk=service_id)
    except Service.DoesNotExist:
        raise Http404 from None


def get_member_for_user(user: User, service: Service, member_id: int, capability: Capability) -> User:
    """A person with a current role in the service, if the user holds the capability there."""
    if not can(user, capability, service):
        raise Http404
    member = (
        User.objects.filter(pk=member_id, memberships__service=service, memberships__ended_at__isnull=True)
        .distinct()
        .first()
    )
    if member is None:
        raise Http404
    return member


def view_member_for_user(user: User, service: Service, member_id: int, capability: Capability) -> User:
    """A person's page in the service, to show: the view is recorded."""
    member = get_member_for_user(user, service, member_id, capability)
    record_view(actor=user, target=member, service=service)
    return member


def may_see_practice_record(user: User, service: Service, member: User) -> bool:
    """Practitioners see their own record; practice leads (coordinators, supervisors) those of their service."""
    return member.pk == user.pk or can(user, Capability.VIEW_PRACTICE_RECORDS, service)


def get_facilitator_record_for_user(user: User, service: Service, member: User) -> FacilitatorRecord | None:
    """A member's practitioner record (None if they have none yet); 404 for those who may not see it."""
    if not may_see_practice_record(user, service, member):
        raise Http404
    return FacilitatorRecord.objects.filter(user=member).first()


def get_invitation_for_user(user: User, service: Service, invitation_id: int) -> Invitation:
    if not can(user, Capability.MANAGE_PEOPLE, service):
        raise Http404
    try:
        return Invitation.objects.get(pk=invitation_id, service=service)
    except Invitation.DoesNotExist:
        raise Http404 from None


def memberships_visible_to(user: User, service: Service) -> QuerySet[Membership]:
    """The service's people, for those who may see them."""
    if not can(user, Capability.VIEW_PEOPLE, service):
        raise Http404
    return Membership.objects.filter(service=service).select_related("user")


def people_of(user: User, service: Service) -> list[Member]:
    """The service's current people with their roles, for those who may see them, the view recorded with how many:
    the list names the service's staff and says what each may do."""
    members = member_list(service=service, memberships=memberships_visible_to(user, service))
    record_list_view(actor=user, listed=Listed.PEOPLE, count=len(members), service=service)
    return members


def get_membership_for_user(user: User, service: Service, member: User, membership_id: int) -> Membership:
    """One of a member's roles in the service, for those who manage the service's people."""
    if not can(user, Capability.MANAGE_PEOPLE, service):
        raise Http404
    try:
        return Membership.objects.select_related("service", "user").get(pk=membership_id, service=service, user=member)
    except Membership.DoesNotExist:
        raise Http404 from None


def get_facilitator_membership_for_user(user: User, service: Service, member: User) -> Membership:
    """A member's current facilitator role in the service, for those who manage the service's people."""
    if not can(user, Capability.MANAGE_PEOPLE, service):
        raise Http404
    membership = (
        Membership.objects.current()
        .select_related("service", "user", "supervisor")
        .filter(service=service, user=member, role=Role.FACILITATOR)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def supervisors_in(user: User, service: Service) -> list[User]:
    """The people with a current supervisor role in the service, by name, for those who manage its people."""
    if not can(user, Capability.MANAGE_PEOPLE, service):
        raise Http404
    return list(
        User.objects.filter(
            pk__in=Membership.objects.current().filter(service=service, role=Role.SUPERVISOR).values("user_id")
        ).order_by("full_name", "pk")
    )
