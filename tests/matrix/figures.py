"""Permission-matrix rows for the figures' pages: the index, what each figure means, and the four dashboards.

A service's own figures are for its coordinators and the lead of its partnership; the commissioner's view is for
them and the service's commissioner. A partnership's dashboards need the capability in every service of it: in
our service's partnership (our service alone) the coordinator has it too. The other service's partnership is made
by the path, and nobody here holds a role in it.
"""

from amends.accounts.models import Partnership
from tests.factories import PartnershipFactory
from tests.matrix.base import Endpoint, Target

FIGURE_READERS = frozenset({"coordinator", "partnership_lead"})
COMMISSIONER_VIEW = FIGURE_READERS | {"commissioner"}


def _partnership(t: Target) -> int:
    """A partnership of the target's service alone."""
    found = Partnership.objects.filter(services=t.service).first()
    if found is None:
        found = PartnershipFactory()
        found.services.add(t.service)
    return found.pk


ENDPOINTS = (
    Endpoint("figures", "GET", lambda t: "/figures/", COMMISSIONER_VIEW, service_scoped=False),
    Endpoint("about the figures", "GET", lambda t: "/figures/definitions/", COMMISSIONER_VIEW, service_scoped=False),
    Endpoint("service figures", "GET", lambda t: f"/figures/services/{t.service.pk}/", FIGURE_READERS),
    Endpoint("partnership figures", "GET", lambda t: f"/figures/partnerships/{_partnership(t)}/", FIGURE_READERS),
    Endpoint(
        "commissioner's service figures",
        "GET",
        lambda t: f"/figures/commissioner/services/{t.service.pk}/",
        COMMISSIONER_VIEW,
    ),
    Endpoint(
        "commissioner's partnership figures",
        "GET",
        lambda t: f"/figures/commissioner/partnerships/{_partnership(t)}/",
        COMMISSIONER_VIEW,
    ),
)

URL_NAMES = (
    "figures:index",
    "figures:definitions",
    "figures:service",
    "figures:partnership",
    "figures:commissioner_service",
    "figures:commissioner_partnership",
)
