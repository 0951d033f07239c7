"""URLs: see urls.py."""

from django.urls import URLPattern, path

from amends.dataprotection import retention_views as views

SCHEDULE = "services/<int:service_id>/data-protection/retention/"
CASE_HOLD = "cases/<int:case_id>/legal-hold/"

urlpatterns: list[URLPattern] = [
    path(SCHEDULE, views.retention_schedule, name="retention_schedule"),
    path(f"{SCHEDULE}runs/", views.retention_runs, name="retention_runs"),
    path(f"{SCHEDULE}<str:record_type>/", views.retention_rule, name="retention_rule"),
    path("services/<int:service_id>/data-protection/legal-holds/", views.legal_hold_list, name="legal_hold_list"),
    path(CASE_HOLD, views.case_legal_hold, name="case_legal_hold"),
    path(f"{CASE_HOLD}lift/", views.legal_hold_lift, name="legal_hold_lift"),
]
