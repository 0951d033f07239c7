from django.urls import path

from amends.meetings import views

MEETINGS = "cases/<int:case_id>/meetings/"
MEETING = f"{MEETINGS}<int:meeting_id>/"
VENUES = "services/<int:service_id>/venues/"

urlpatterns = [
    path(MEETINGS, views.meeting_list, name="meeting_list"),
    path(f"{MEETINGS}book/", views.meeting_book, name="meeting_book"),
    path(MEETING, views.meeting_detail, name="meeting_detail"),
    path(f"{MEETING}move/", views.meeting_move, name="meeting_move"),
    path(f"{MEETING}cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{MEETING}connection-test/", views.meeting_pre_checks, name="meeting_pre_checks"),
    path(f"{MEETING}record/", views.meeting_record, name="meeting_record"),
    path(f"{MEETING}attendees/<int:attendee_id>/invitation.ics", views.attendee_invitation, name="attendee_invitation"),
    path(VENUES, views.venue_list, name="venue_list"),
    path(f"{VENUES}add/", views.venue_add, name="venue_add"),
    path(f"{VENUES}<int:venue_id>/", views.venue_edit, name="venue_edit"),
]
