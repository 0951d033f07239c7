"""URLs: see urls.py. The data protection page of a service, and its organisation's settings."""

from django.urls import URLPattern, path

from amends.dataprotection import settings_views, views

SETTINGS = "services/<int:service_id>/data-protection/settings/"
PURPOSE = f"{SETTINGS}purposes/<int:purpose_id>/"

urlpatterns: list[URLPattern] = [
    path("services/<int:service_id>/data-protection/", views.service_data_protection, name="service"),
    path(SETTINGS, settings_views.data_protection_settings, name="settings"),
    path(f"{SETTINGS}controller/", settings_views.controller_edit, name="controller_edit"),
    path(f"{SETTINGS}purposes/add/", settings_views.purpose_add, name="purpose_add"),
    path(PURPOSE, settings_views.purpose_edit, name="purpose_edit"),
    path(f"{PURPOSE}remove/", settings_views.purpose_remove, name="purpose_remove"),
]
