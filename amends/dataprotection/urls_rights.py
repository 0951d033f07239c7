"""URLs: see urls.py. People's requests under their rights."""

from django.urls import URLPattern, path

from amends.dataprotection import rights_views as views

REGISTER = "services/<int:service_id>/data-protection/requests/"
REQUEST = f"{REGISTER}<int:request_id>/"

urlpatterns: list[URLPattern] = [
    path(REGISTER, views.rights_list, name="rights_list"),
    path(f"{REGISTER}new/<int:person_id>/", views.rights_add, name="rights_add"),
    path(REQUEST, views.rights_detail, name="rights_detail"),
    path(f"{REQUEST}identity/", views.rights_identity, name="rights_identity"),
    path(f"{REQUEST}decide/", views.rights_decide, name="rights_decide"),
    path(f"{REQUEST}extend/", views.rights_extend, name="rights_extend"),
    path(f"{REQUEST}complete/", views.rights_complete, name="rights_complete"),
    path(f"{REQUEST}lift/", views.rights_lift, name="rights_lift"),
]
