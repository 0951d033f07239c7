"""The data protection pages, one module of URLs per part (namespace "dataprotection")."""

from amends.dataprotection import urls_access, urls_retention, urls_rights, urls_settings, urls_sharing

app_name = "dataprotection"

urlpatterns = [
    *urls_settings.urlpatterns,
    *urls_retention.urlpatterns,
    *urls_rights.urlpatterns,
    *urls_access.urlpatterns,
    *urls_sharing.urlpatterns,
]
