"""Who may do what: the one permissions module.

A person's capabilities in a service come only from their current roles there (a membership of the service, or a
partnership role covering it). The table below is the whole policy; the permission-matrix test proves every row.
Views never call this table directly: they fetch through the access helpers (amends/*/access.py), which use it.
"""

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q
from rules.permissions import add_perm
from rules.predicates import predicate

from amends.accounts.models import Membership, Partnership, Role

if TYPE_CHECKING:
    from django.db.models import QuerySet

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
    # Referrals and cases.
    CREATE_REFERRAL = "create_referral"
    TRIAGE_REFERRALS = "triage_referrals"
    ALLOCATE_CASES = "allocate_cases"
    VIEW_ALL_CASES = "view_all_cases"
    FACILITATE_CASES = "facilitate_cases"
    SUPERVISE_CASES = "supervise_cases"
    SIGN_OFF_RISK = "sign_off_risk"
    # Meetings.
    VIEW_VENUES = "view_venues"
    MANAGE_VENUES = "manage_venues"
    # Youth justice: the register of referral-order panel members.
    VIEW_PANEL_MEMBERS = "view_panel_members"
    MANAGE_PANEL_MEMBERS = "manage_panel_members"
    # Figures: every figure of the service, and the commissioner's view (aggregates with small counts suppressed).
    VIEW_FIGURES = "view_figures"
    VIEW_SUPPRESSED_FIGURES = "view_suppressed_figures"
    # The register of complaints and compliments: reading it, and recording and answering complaints.
    VIEW_COMPLAINTS = "view_complaints"
    HANDLE_COMPLAINTS = "handle_complaints"
    # Data protection: the organisation's settings, the retention schedule and the sharing agreements register; the
    # disclosure log; legal holds; people's requests under their rights (recorded by staff, decided by a coordinator).
    MANAGE_DATA_PROTECTION = "manage_data_protection"
    VIEW_DISCLOSURES = "view_disclosures"
    RECORD_DISCLOSURES = "record_disclosures"
    APPROVE_DISCLOSURES = "approve_disclosures"
    PLACE_LEGAL_HOLDS = "place_legal_holds"
    RECORD_RIGHTS_REQUESTS = "record_rights_requests"
    DECIDE_RIGHTS_REQUESTS = "decide_rights_requests"


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
    C.CREATE_REFERRAL: frozenset({R.COORDINATOR, R.FACILITATOR, R.REFERRER}),
    C.TRIAGE_REFERRALS: frozenset({R.COORDINATOR}),
    C.ALLOCATE_CASES: frozenset({R.COORDINATOR}),
    C.VIEW_ALL_CASES: frozenset({R.COORDINATOR}),
    C.FACILITATE_CASES: frozenset({R.COORDINATOR, R.FACILITATOR}),
    C.SUPERVISE_CASES: frozenset({R.SUPERVISOR}),
    C.SIGN_OFF_RISK: frozenset({R.COORDINATOR}),
    C.VIEW_VENUES: frozenset({R.COORDINATOR, R.FACILITATOR, R.SUPERVISOR, R.ADMINISTRATOR}),
    C.MANAGE_VENUES: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
    C.VIEW_PANEL_MEMBERS: frozenset({R.COORDINATOR, R.FACILITATOR, R.SUPERVISOR, R.ADMINISTRATOR}),
    C.MANAGE_PANEL_MEMBERS: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
    C.VIEW_FIGURES: frozenset({R.COORDINATOR, R.PARTNERSHIP_LEAD}),
    C.VIEW_SUPPRESSED_FIGURES: frozenset({R.COORDINATOR, R.PARTNERSHIP_LEAD, R.COMMISSIONER}),
    C.VIEW_COMPLAINTS: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
    C.HANDLE_COMPLAINTS: frozenset({R.COORDINATOR}),
    C.MANAGE_DATA_PROTECTION: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
    C.VIEW_DISCLOSURES: frozenset({R.COORDINATOR, R.ADMINISTRATOR}),
    C.RECORD_DISCLOSURES: frozenset({R.COORDINATOR, R.FACILITATOR}),
    C.APPROVE_DISCLOSURES: frozenset({R.COORDINATOR}),
    C.PLACE_LEGAL_HOLDS: frozenset({R.COORDINATOR}),
    C.RECORD_RIGHTS_REQUESTS: frozenset({R.COORDINATOR, R.FACILITATOR}),
    C.DECIDE_RIGHTS_REQUESTS: frozenset({R.COORDINATOR}),
}


class CaseAccess(enum.StrEnum):
    """What a person may do with one case; cases add the person's part in the case to their roles."""

    VIEW = "view_case"
    WORK = "work_on_case"


# Who reaches a case, one line per way in: a capability across the service, or a capability plus a part in the case.
#   view: coordinators every case of their service; facilitators the cases they lead or co-facilitate;
#         supervisors the cases they supervise. Referrers, commissioners, administrators and partnership leads: none.
#   work: coordinators every case of their service; facilitators the cases they lead or co-facilitate.
CASE_ACCESS: dict[CaseAccess, tuple[tuple[Capability, tuple[str, ...]], ...]] = {
    CaseAccess.VIEW: (
        (C.VIEW_ALL_CASES, ()),
        (C.FACILITATE_CASES, ("lead_facilitator_id", "co_facilitator_id")),
        (C.SUPERVISE_CASES, ("supervisor_id",)),
    ),
    CaseAccess.WORK: (
        (C.VIEW_ALL_CASES, ()),
        (C.FACILITATE_CASES, ("lead_facilitator_id", "co_facilitator_id")),
    ),
}

# Who also reaches a case through someone they supervise: a person with the capability in the case's service reaches
# every case in which one of these parts is held by a facilitator whose current role there names them as supervisor.
#   view: supervisors the cases their supervisees lead or co-facilitate. Work: nobody (supervisors read, not work).
CASE_ACCESS_THROUGH_SUPERVISEES: dict[CaseAccess, tuple[tuple[Capability, tuple[str, ...]], ...]] = {
    CaseAccess.VIEW: ((C.SUPERVISE_CASES, ("lead_facilitator_id", "co_facilitator_id")),),
    CaseAccess.WORK: (),
}


def _supervisees_of(user: "User | Any") -> "QuerySet[Membership]":
    """The current facilitator roles, in any service, whose supervisor is the user."""
    return Membership.objects.current().filter(role=R.FACILITATOR, supervisor_id=user.pk)


def can_on_case(user: "User | Any", access: CaseAccess, case: Any) -> bool:
    """Whether the user may view or work on the case (anything with service_id and the part fields)."""
    for capability, parts in CASE_ACCESS[access]:
        if can(user, capability, case.service_id) and (
            not parts or any(getattr(case, part) == user.pk for part in parts)
        ):
            return True
    for capability, parts in CASE_ACCESS_THROUGH_SUPERVISEES[access]:
        people = [person for part in parts if (person := getattr(case, part)) is not None]
        if (
            people
            and can(user, capability, case.service_id)
            and _supervisees_of(user).filter(service_id=case.service_id, user_id__in=people).exists()
        ):
            return True
    return False


def case_filter(user: "User | Any", access: CaseAccess, prefix: str = "") -> Q:
    """The same rule as a query filter over cases (prefix reaches a case through a relation, e.g. "case__")."""
    condition = Q(pk__in=[])
    for capability, parts in CASE_ACCESS[access]:
        service_ids = service_ids_with(user, capability)
        if not service_ids:
            continue
        in_service = Q(**{f"{prefix}service_id__in": service_ids})
        if not parts:
            condition |= in_service
            continue
        part_of = Q(pk__in=[])
        for part in parts:
            part_of |= Q(**{f"{prefix}{part}": user.pk})
        condition |= in_service & part_of
    for capability, parts in CASE_ACCESS_THROUGH_SUPERVISEES[access]:
        service_ids = service_ids_with(user, capability)
        if not service_ids:
            continue
        held_by_supervisee = Q()
        for part in parts:
            held_by_supervisee |= Q(user_id=OuterRef(f"{prefix}{part}"))
        supervisee_holds_part = _supervisees_of(user).filter(
            held_by_supervisee, service_id=OuterRef(f"{prefix}service_id")
        )
        condition |= Q(**{f"{prefix}service_id__in": service_ids}) & Q(Exists(supervisee_holds_part))
    return condition


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
