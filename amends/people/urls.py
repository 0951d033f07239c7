from django.urls import path

from amends.people import views

PARTICIPANT = "cases/<int:case_id>/participants/<int:participant_id>/"

urlpatterns = [
    path("cases/<int:case_id>/participants/add/", views.participant_add, name="participant_add"),
    path(PARTICIPANT, views.participant_detail, name="participant_detail"),
    path(f"{PARTICIPANT}edit/", views.person_edit, name="person_edit"),
    path(f"{PARTICIPANT}part/", views.participant_part_edit, name="participant_part_edit"),
    path(f"{PARTICIPANT}equality/", views.equality_edit, name="equality_edit"),
    path(f"{PARTICIPANT}contacts/add/", views.contact_add, name="contact_add"),
    path(f"{PARTICIPANT}identifying-details/add/", views.identifying_detail_add, name="identifying_detail_add"),
]
