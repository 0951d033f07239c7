from django.urls import include, path

from amends.figures import views

app_name = "figures"

urlpatterns = [
    path("", views.index, name="index"),
    path("definitions/", views.about, name="definitions"),
    path("services/<int:service_id>/", views.service, name="service"),
    path("partnerships/<int:partnership_id>/", views.partnership, name="partnership"),
    path("commissioner/services/<int:service_id>/", views.commissioner_service, name="commissioner_service"),
    path(
        "commissioner/partnerships/<int:partnership_id>/",
        views.commissioner_partnership,
        name="commissioner_partnership",
    ),
    path("", include("amends.figures.export_urls")),
]
