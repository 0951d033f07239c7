"""The public pages of each service, under /rj/<its reference prefix in lower case>/ (and /cy/rj/... in Welsh)."""

from django.urls import include, path

app_name = "public"

urlpatterns = [
    path("", include("amends.public.info_urls")),
    path("", include("amends.public.referral_urls")),
]
