from django.urls import path

from amends.risk import views

urlpatterns = [
    path(
        "cases/<int:case_id>/participants/<int:participant_id>/risk/add/",
        views.risk_assessment_add,
        name="risk_assessment_add",
    ),
    path("cases/<int:case_id>/risk/<int:assessment_id>/sign-off/", views.risk_sign_off, name="risk_sign_off"),
    path("cases/<int:case_id>/risk-information/add/", views.risk_information_add, name="risk_information_add"),
]
