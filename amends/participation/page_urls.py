"""The participant's own pages, behind their secure link, under /your-part/ (and /cy/your-part/ in Welsh)."""

from django.urls import URLPattern, path

from amends.participation import pages

urlpatterns: list[URLPattern] = [
    path("your-part/", pages.home, name="home"),
    path("your-part/leave/", pages.leave, name="leave"),
    path("your-part/left/", pages.left, name="left"),
    path("your-part/consent/", pages.consent, name="consent"),
    path("your-part/consent/withdraw/", pages.withdraw, name="withdraw"),
    path("your-part/consent/withdrawn/", pages.withdrawn, name="withdrawn"),
    path("your-part/messages/", pages.message_list, name="messages"),
    path("your-part/messages/write/", pages.write, name="write"),
    path("your-part/messages/<int:message_id>/", pages.message_detail, name="message"),
    path("your-part/messages/<int:message_id>/reply/", pages.reply, name="reply"),
    path("your-part/messages/<int:message_id>/files/<int:file_id>/", pages.message_file, name="message_file"),
    path("your-part/meeting/", pages.meeting, name="meeting"),
    path("your-part/meeting/<int:meeting_id>/calendar/", pages.meeting_invitation, name="meeting_invitation"),
    path("your-part/survey/", pages.survey, name="survey"),
    path("your-part/survey/sent/", pages.survey_sent, name="survey_sent"),
]
