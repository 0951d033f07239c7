from django.urls import path

from amends.relay import views

MESSAGES = "cases/<int:case_id>/messages/"
MESSAGE = f"{MESSAGES}<int:message_id>/"

urlpatterns = [
    path(MESSAGES, views.message_list, name="message_list"),
    path(f"{MESSAGES}add/", views.message_add, name="message_add"),
    path(MESSAGE, views.message_detail, name="message_detail"),
    path(f"{MESSAGE}edit/", views.message_edit, name="message_edit"),
    path(f"{MESSAGE}files/add/", views.file_add, name="message_file_add"),
    path(f"{MESSAGE}files/<int:file_id>/", views.file_download, name="message_file"),
    path(f"{MESSAGE}flags/<int:flag_id>/", views.flag_resolve, name="message_flag_resolve"),
    path(f"{MESSAGE}steps/<slug:step>/", views.message_step, name="message_step"),
]
