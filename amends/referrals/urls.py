from django.urls import path

from amends.referrals import views

urlpatterns = [
    path("services/<int:service_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("services/<int:service_id>/referrals/", views.triage_queue, name="triage_queue"),
    path("referrals/mine/", views.my_referrals, name="my_referrals"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:referral_id>/triage/", views.referral_triage, name="referral_triage"),
    path("referrals/<int:referral_id>/check/", views.verify_self_referral, name="verify_self_referral"),
]
