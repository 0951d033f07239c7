from django.urls import path

from amends.audit import views

urlpatterns = [path("", views.audit_list, name="audit_list")]
