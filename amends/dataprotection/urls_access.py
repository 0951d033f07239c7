"""URLs: see urls.py. A subject access export: its preview page and its downloads."""

from django.urls import URLPattern, path

from amends.dataprotection import access_views

REQUEST = "services/<int:service_id>/data-requests/<int:request_id>/"

urlpatterns: list[URLPattern] = [
    path(f"{REQUEST}export/", access_views.access_preview, name="access_preview"),
    path(f"{REQUEST}export/withhold/", access_views.access_withhold, name="access_withhold"),
    path(f"{REQUEST}export.json", access_views.access_json, name="access_json"),
    path(f"{REQUEST}export.pdf", access_views.access_pdf, name="access_pdf"),
    path(f"{REQUEST}export-files.zip", access_views.access_files, name="access_files"),
]
