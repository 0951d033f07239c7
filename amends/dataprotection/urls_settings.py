"""URLs: see urls.py."""

from django.urls import URLPattern, path

from amends.dataprotection import views

urlpatterns: list[URLPattern] = [
    path("services/<int:service_id>/data-protection/", views.service_data_protection, name="service"),
]
