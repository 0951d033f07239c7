from django.urls import path

from amends.outcomes import views

AGREEMENT = "cases/<int:case_id>/agreement/"
ACTION = f"{AGREEMENT}actions/<int:action_id>/"

urlpatterns = [
    path(AGREEMENT, views.agreement_detail, name="agreement_detail"),
    path(f"{AGREEMENT}edit/", views.agreement_edit, name="agreement_edit"),
    path(f"{AGREEMENT}print/<int:participant_id>/", views.agreement_print, name="agreement_print"),
    path(f"{AGREEMENT}agreed/", views.participant_agreement_add, name="participant_agreement_add"),
    path(f"{AGREEMENT}actions/add/", views.action_add, name="action_add"),
    path(f"{ACTION}payments/add/", views.payment_add, name="payment_add"),
    path(f"{ACTION}verify/", views.action_verify, name="action_verify"),
    path(f"{ACTION}withdraw/", views.action_withdraw, name="action_withdraw"),
]
