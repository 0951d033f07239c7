from django.urls import path

from amends.cases import views

urlpatterns = [
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
]
