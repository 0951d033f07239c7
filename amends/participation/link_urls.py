from django.urls import path

from amends.participation import link_views

PARTICIPANT = "cases/<int:case_id>/participants/<int:participant_id>/"

urlpatterns = [
    path("link/check/", link_views.check, name="check"),
    path("link/ended/", link_views.ended, name="ended"),
    path("link/exit/", link_views.exit_now, name="exit"),
    path("link/<str:token>/", link_views.open_link, name="open"),
    path(f"{PARTICIPANT}secure-link/", link_views.issue, name="issue_link"),
    path(f"{PARTICIPANT}secure-link/<int:link_id>/revoke/", link_views.revoke, name="revoke_link"),
]
