from django.urls import path

from amends.youth import views

ORDER = "cases/<int:case_id>/referral-order/"
REPORT = "cases/<int:case_id>/court-report/"
REGISTER = "services/<int:service_id>/panel-members/"

urlpatterns = [
    path(REGISTER, views.panel_member_list, name="panel_member_list"),
    path(f"{REGISTER}add/", views.panel_member_add, name="panel_member_add"),
    path(f"{REGISTER}<int:member_id>/", views.panel_member_edit, name="panel_member_edit"),
    path(ORDER, views.referral_order, name="referral_order"),
    path(f"{ORDER}record/", views.referral_order_record, name="referral_order_record"),
    path(f"{ORDER}victim-invitation/", views.referral_order_invitation, name="referral_order_invitation"),
    path(f"{ORDER}meetings/<int:meeting_id>/panel/", views.panel_seat, name="panel_seat"),
    path(f"{ORDER}breaches/add/", views.breach_add, name="breach_add"),
    path(f"{ORDER}final-meeting/", views.final_meeting, name="final_meeting"),
    path(REPORT, views.court_report, name="court_report"),
    path(f"{REPORT}send/", views.court_report_send, name="court_report_send"),
]
