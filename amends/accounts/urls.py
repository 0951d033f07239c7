from django.urls import path

from amends.accounts import views

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("services/<int:service_id>/", views.service_detail, name="service_detail"),
    path("services/<int:service_id>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:service_id>/opening-hours/", views.opening_hours_edit, name="opening_hours_edit"),
    path("services/<int:service_id>/people/", views.people, name="people"),
    path("services/<int:service_id>/people/invite/", views.invite, name="invite"),
    path(
        "services/<int:service_id>/invitations/<int:invitation_id>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("services/<int:service_id>/people/<int:member_id>/", views.member_detail, name="member_detail"),
    path(
        "services/<int:service_id>/people/<int:member_id>/roles/<int:membership_id>/end/",
        views.end_membership,
        name="end_membership",
    ),
    path(
        "services/<int:service_id>/people/<int:member_id>/supervisor/",
        views.supervisor_edit,
        name="supervisor_edit",
    ),
    path(
        "services/<int:service_id>/people/<int:member_id>/record/",
        views.facilitator_record_edit,
        name="facilitator_record_edit",
    ),
    path(
        "services/<int:service_id>/people/<int:member_id>/<slug:kind>/add/",
        views.add_practice_entry,
        name="add_practice_entry",
    ),
    path("account/tokens/", views.access_tokens, name="access_tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.access_token_revoke, name="access_token_revoke"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
