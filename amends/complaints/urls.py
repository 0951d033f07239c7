from django.urls import path

from amends.complaints import views

REGISTER = "services/<int:service_id>/complaints/"
COMPLAINT = f"{REGISTER}<int:complaint_id>/"

urlpatterns = [
    path(REGISTER, views.complaint_list, name="complaint_list"),
    path(f"{REGISTER}add/", views.complaint_add, name="complaint_add"),
    path(COMPLAINT, views.complaint_detail, name="complaint_detail"),
    path(f"{COMPLAINT}handler/", views.complaint_handler, name="complaint_handler"),
    path(f"{COMPLAINT}acknowledge/", views.complaint_acknowledge, name="complaint_acknowledge"),
    path(f"{COMPLAINT}respond/", views.complaint_respond, name="complaint_respond"),
    path(f"{COMPLAINT}escalate/", views.complaint_escalate, name="complaint_escalate"),
]
