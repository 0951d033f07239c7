"""The way in to prepared files of figures: a file is open to whoever may open the dashboard it comes from.

That is its requester while they still may, and anyone else with the same capability across the whole service or
partnership (access.open_dashboard decides, so an export follows exactly the rules of its dashboard). Anything
else, and anything missing, is 404.
"""

from django.http import Http404

from amends.accounts.models import User
from amends.figures import access, tasks
from amends.figures.models import Export
from amends.figures.tasks import dashboard_id, dashboard_kind
from amends.permissions import can

RECENT = 5


def get_export_for_user(user: User, export_id: int) -> Export:
    export = Export.objects.select_related("service", "partnership").filter(pk=export_id).first()
    if export is None:
        raise Http404
    access.open_dashboard(user, dashboard_kind(export), dashboard_id(export))
    return export


def recent_exports_for(user: User, dashboard: access.OpenDashboard) -> list[Export]:
    """The person's recent files of the dashboard's service or partnership that they may open: those of views whose
    capability they hold across the whole scope (one query; the roles are cached for the request)."""
    scope = {"partnership_id": dashboard.id} if dashboard.is_partnership else {"service_id": dashboard.id}
    found = Export.objects.filter(requested_by=user, **scope).select_related("service", "partnership")[:RECENT]
    return [
        export
        for export in found
        if all(can(user, tasks.capability_of(export.view), pk) for pk in dashboard.scope.service_ids)
    ]
