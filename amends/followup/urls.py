from django.urls import path

from amends.followup import views

FOLLOW_UP = "cases/<int:case_id>/follow-up/"

urlpatterns = [
    path(FOLLOW_UP, views.follow_up_detail, name="follow_up_detail"),
    path(f"{FOLLOW_UP}participants/<int:participant_id>/survey/", views.survey_add, name="survey_add"),
    path(f"{FOLLOW_UP}surveys/<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path(f"{FOLLOW_UP}reoffending/add/", views.reoffending_add, name="reoffending_add"),
    path(f"{FOLLOW_UP}referrals/add/", views.onward_referral_add, name="onward_referral_add"),
    path(
        f"{FOLLOW_UP}referrals/<int:referral_id>/update/", views.onward_referral_update, name="onward_referral_update"
    ),
]
