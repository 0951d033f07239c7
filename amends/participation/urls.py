"""The participant's secure link: opening it and the second check (links), what the participant can do behind it
(pages), and, for staff, issuing and revoking links."""

from django.urls import include, path

app_name = "participation"

urlpatterns = [
    path("", include("amends.participation.link_urls")),
    path("", include("amends.participation.page_urls")),
]
