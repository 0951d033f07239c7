"""Self-referral: asking the service for RJ without a police report."""

from django.urls import path

from amends.public import referral

urlpatterns = [
    path("<str:code>/refer/", referral.refer, name="refer"),
    path("<str:code>/refer/sent/", referral.refer_done, name="refer_done"),
]
