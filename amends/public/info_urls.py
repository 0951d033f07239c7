"""What RJ is, how to get involved, contact details with opening hours, privacy, accessibility, and feedback."""

from django.urls import URLPattern, path

from amends.public import views

urlpatterns: list[URLPattern] = [
    path("", views.service_list, name="index"),
    path("<str:code>/", views.service_page, name="service"),
    path("<str:code>/contact/", views.contact, name="contact"),
    path("<str:code>/privacy/", views.privacy, name="privacy"),
    path("<str:code>/accessibility/", views.accessibility, name="accessibility"),
    path("<str:code>/feedback/", views.feedback, name="feedback"),
    path("<str:code>/feedback/sent/", views.feedback_done, name="feedback_done"),
]
