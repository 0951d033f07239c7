from django.urls import path

from amends.consent import views

PARTICIPANT = "cases/<int:case_id>/participants/<int:participant_id>/"

urlpatterns = [
    path(f"{PARTICIPANT}information/add/", views.information_add, name="information_add"),
    path(f"{PARTICIPANT}responsibility/add/", views.responsibility_add, name="responsibility_add"),
    path(f"{PARTICIPANT}consent/give/", views.consent_give, name="consent_give"),
    path(f"{PARTICIPANT}consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
