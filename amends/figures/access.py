"""The one way in to the figures for views, exports and tasks: which dashboards a person may open.

A service's own figures need VIEW_FIGURES there; a partnership's need it in every service of the partnership (a
partnership lead); the commissioner's view of a service or partnership needs VIEW_SUPPRESSED_FIGURES in every
service of it. Anything else, and anything missing, is 404.
"""

import enum
from dataclasses import dataclass

from django.http import Http404

from amends.accounts.models import Partnership, Service, User
from amends.figures.dashboards import View
from amends.figures.definitions import Scope
from amends.permissions import Capability, can, can_anywhere, service_ids_with


class DashboardKind(enum.StrEnum):
    """Which dashboard: each names its page, "figures:<kind>", which takes the service's or partnership's id."""

    SERVICE = "service"
    PARTNERSHIP = "partnership"
    COMMISSIONER_SERVICE = "commissioner_service"
    COMMISSIONER_PARTNERSHIP = "commissioner_partnership"


VIEWS = {
    DashboardKind.SERVICE: View.SERVICE,
    DashboardKind.PARTNERSHIP: View.PARTNERSHIP,
    DashboardKind.COMMISSIONER_SERVICE: View.COMMISSIONER,
    DashboardKind.COMMISSIONER_PARTNERSHIP: View.COMMISSIONER,
}


@dataclass(frozen=True)
class OpenDashboard:
    """A dashboard the person may open: what it is called, what it counts and how it is shown."""

    kind: DashboardKind
    id: int
    title: str
    scope: Scope

    @property
    def view(self) -> View:
        return VIEWS[self.kind]

    @property
    def url_name(self) -> str:
        return f"figures:{self.kind.value}"

    @property
    def is_partnership(self) -> bool:
        return self.kind in {DashboardKind.PARTNERSHIP, DashboardKind.COMMISSIONER_PARTNERSHIP}


def _service(service_id: int) -> Service:
    service = Service.objects.filter(pk=service_id).only("pk", "name").first()
    if service is None:
        raise Http404
    return service


def _partnership_scope(user: User, partnership_id: int, capability: Capability) -> tuple[Partnership, Scope]:
    partnership = Partnership.objects.filter(pk=partnership_id).only("pk", "name").first()
    if partnership is None:
        raise Http404
    service_ids = sorted(partnership.services.values_list("pk", flat=True))
    if not service_ids or not all(can(user, capability, service_id) for service_id in service_ids):
        raise Http404
    return partnership, Scope(tuple(service_ids))


def service_dashboard(user: User, service_id: int) -> OpenDashboard:
    """A service's own figures, unsuppressed: for its coordinators and partnership leads."""
    if not can(user, Capability.VIEW_FIGURES, service_id):
        raise Http404
    service = _service(service_id)
    return OpenDashboard(DashboardKind.SERVICE, service.pk, service.name, Scope((service.pk,)))


def partnership_dashboard(user: User, partnership_id: int) -> OpenDashboard:
    """A partnership's services side by side, unsuppressed: for those who see every one of them (its lead)."""
    partnership, scope = _partnership_scope(user, partnership_id, Capability.VIEW_FIGURES)
    return OpenDashboard(DashboardKind.PARTNERSHIP, partnership.pk, partnership.name, scope)


def commissioner_dashboard(user: User, kind: DashboardKind | str, dashboard_id: int) -> OpenDashboard:
    """The commissioner's view of a service or a partnership: small counts suppressed, no personal data."""
    kind = DashboardKind(kind)
    if kind in {DashboardKind.SERVICE, DashboardKind.COMMISSIONER_SERVICE}:
        if not can(user, Capability.VIEW_SUPPRESSED_FIGURES, dashboard_id):
            raise Http404
        service = _service(dashboard_id)
        return OpenDashboard(DashboardKind.COMMISSIONER_SERVICE, service.pk, service.name, Scope((service.pk,)))
    partnership, scope = _partnership_scope(user, dashboard_id, Capability.VIEW_SUPPRESSED_FIGURES)
    return OpenDashboard(DashboardKind.COMMISSIONER_PARTNERSHIP, partnership.pk, partnership.name, scope)


def open_dashboard(user: User, kind: DashboardKind | str, dashboard_id: int) -> OpenDashboard:
    """Any dashboard by its kind and id (for exports, which serve all four); 404 for an unknown kind."""
    try:
        kind = DashboardKind(kind)
    except ValueError:
        raise Http404 from None
    if kind == DashboardKind.SERVICE:
        return service_dashboard(user, dashboard_id)
    if kind == DashboardKind.PARTNERSHIP:
        return partnership_dashboard(user, dashboard_id)
    return commissioner_dashboard(user, kind, dashboard_id)


def may_see_figures(user: User) -> bool:
    """Whether the person may open any dashboard (the navigation's "Figures")."""
    return can_anywhere(user, Capability.VIEW_SUPPRESSED_FIGURES)


def require_figures(user: User) -> None:
    """404 for those who may open no dashboard (the figures' index and their definitions)."""
    if not may_see_figures(user):
        raise Http404


def dashboards_for(user: User) -> list[OpenDashboard]:
    """Every dashboard the person may open: their services', then their partnerships', then the commissioner's
    views of each; by name within each. Three queries."""
    own = set(service_ids_with(user, Capability.VIEW_FIGURES))
    suppressed = set(service_ids_with(user, Capability.VIEW_SUPPRESSED_FIGURES))
    if not suppressed:
        return []
    names = dict(Service.objects.filter(pk__in=own | suppressed).values_list("pk", "name"))
    partnerships = list(
        Partnership.objects.filter(services__in=suppressed).distinct().prefetch_related("services").order_by("name")
    )

    def services(kind: DashboardKind, allowed: set[int]) -> list[OpenDashboard]:
        ordered = sorted(allowed & set(names), key=lambda pk: names[pk])
        return [OpenDashboard(kind, pk, names[pk], Scope((pk,))) for pk in ordered]

    def covered(kind: DashboardKind, allowed: set[int]) -> list[OpenDashboard]:
        found = []
        for partnership in partnerships:
            service_ids = sorted(service.pk for service in partnership.services.all())
            if service_ids and set(service_ids) <= allowed:
                found.append(OpenDashboard(kind, partnership.pk, partnership.name, Scope(tuple(service_ids))))
        return found

    return [
        *services(DashboardKind.SERVICE, own),
        *covered(DashboardKind.PARTNERSHIP, own),
        *services(DashboardKind.COMMISSIONER_SERVICE, suppressed),
        *covered(DashboardKind.COMMISSIONER_PARTNERSHIP, suppressed),
    ]
