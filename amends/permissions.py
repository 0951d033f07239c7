"""Who may do what: the one permissions module.

A person's capabilities in a service come only from their current roles there (a membership of the service, or a
partnership role covering it). The table below is the whole policy; the permission-matrix test proves every row.
Views never call this table directly: they fetch through the access helpers (amends/*/access.py), which use it.
"""

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rules.permissions import add_perm
from rules.predicates import predicate

from amends.accounts.models import Membership, Partnership, Role

if TYPE_CHECKING:
    from amends.accounts.models import Service, User


class Capability(enum.StrEnum):
    VIEW_SERVICE = "view_service"
    MANAGE_SERVICE = "manage_service"
    VIEW_PEOPLE = "view_people"
    MANAGE_PEOPLE = "manage_people"
    VIEW_PRACTICE_RECORDS = "view_practice_records"
    MANAGE_PRACTICE_RECORDS = "manage_practice_records"
    RECORD_SUPERVISION = "record_supervision"
    VIEW_AUDIT = "view_audit"


C, R = Capability, Role

# Each capability and the roles that hold it in a service. One line each; read it as a sentence.
CAPABILITY_ROLES: dict[Capability, frozenset[Role]] = {
    C.VIEW_SERVICE: frozenset(R),
    C.MANAGE_SERVICE: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
    C.VIEW_PEOPLE: frozenset({R.COORDINATOR, R.SUPERVISOR, R.ADMINISTRATOR}),
    C.MANAGE_PEOPLE: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
    C.VIEW_PRACTICE_RECORDS: frozenset({R.COORDINATOR, R.SUPERVISOR}),
    C.MANAGE_PRACTICE_RECORDS: frozenset({R.COORDINATOR}),
    C.RECORD_SUPERVISION: frozenset({R.COORDINATOR, R.SUPERVISOR}),
    C.VIEW_AUDIT: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
}

_CACHE_ATTRIBUTE = "_amends_roles_by_service"


def roles_by_service(user: "User | Any") -> dict[int, frozenset[Role]]:
    """Every service the user has a current role in, with those roles; two queries, once per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached: dict[int, frozenset[Role]] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    found: dict[int, set[Role]] = {}
    partnership_roles: dict[int, set[Role]] = {}
    for service_id, partnership_id, role in (
        Membership.objects.current().filter(user=user).values_list("service_id", "partnership_id", "role")
    ):
        if service_id is not None:
            found.setdefault(service_id, set()).add(Role(role))
        else:
            partnership_roles.setdefault(partnership_id, set()).add(Role(role))
    if partnership_roles:
        covered = Partnership.services.through.objects.filter(partnership_id__in=partnership_roles).values_list(
            "partnership_id", "service_id"
        )
        for partnership_id, service_id in covered:
            found.setdefault(service_id, set()).update(partnership_roles[partnership_id])
    result = {service_id: frozenset(roles) for service_id, roles in found.items()}
    setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def forget_roles(user: "User") -> None:
    """Drop the per-request cache after the user's memberships change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def roles_in(user: "User | Any", service: "Service | int") -> frozenset[Role]:
    service_id = service if isinstance(service, int) else service.pk
    return roles_by_service(user).get(service_id, frozenset())


def can(user: "User | Any", capability: Capability, service: "Service | int") -> bool:
    """Whether the user holds the capability in the service."""
    return bool(roles_in(user, service) & CAPABILITY_ROLES[capability])


def service_ids_with(user: "User | Any", capability: Capability) -> list[int]:
    """The services in which the user holds the capability."""
    allowed = CAPABILITY_ROLES[capability]
    return sorted(service_id for service_id, roles in roles_by_service(user).items() if roles & allowed)


def can_anywhere(user: "User | Any", capability: Capability) -> bool:
    return bool(service_ids_with(user, capability))


def capabilities_of(roles: Iterable[Role]) -> frozenset[Capability]:
    roles = frozenset(roles)
    return frozenset(capability for capability, holders in CAPABILITY_ROLES.items() if roles & holders)


# The same table through Django's permission API (user.has_perm), for templates and rules-aware code.
def _predicate_for(capability: Capability) -> Any:
    def holds(user: Any, service: Any) -> bool:
        if service is None:
            return can_anywhere(user, capability)
        return can(user, capability, service)

    return predicate(holds, name=capability.value)


for _capability in Capability:
    add_perm(f"amends.{_capability.value}", _predicate_for(_capability))
