"""URLs: see urls.py. The register of sharing agreements and the disclosure log of a service, and recording a
disclosure from a case."""

from django.urls import URLPattern, path

from amends.dataprotection import sharing_views as views

AGREEMENTS = "services/<int:service_id>/data-protection/agreements/"
AGREEMENT = f"{AGREEMENTS}<int:agreement_id>/"
DISCLOSURES = "services/<int:service_id>/data-protection/disclosures/"

urlpatterns: list[URLPattern] = [
    path(AGREEMENTS, views.agreement_list, name="agreement_list"),
    path(f"{AGREEMENTS}add/", views.agreement_add, name="agreement_add"),
    path(AGREEMENT, views.agreement_edit, name="agreement_edit"),
    path(f"{AGREEMENT}end/", views.agreement_end, name="agreement_end"),
    path(DISCLOSURES, views.disclosure_list, name="disclosure_list"),
    path(f"{DISCLOSURES}<int:disclosure_id>/", views.disclosure_detail, name="disclosure_detail"),
    path("cases/<int:case_id>/disclosures/add/", views.disclosure_add, name="disclosure_add"),
]
