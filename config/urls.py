"""URL wiring. Pages live under i18n_patterns: English without a prefix, Welsh under /cy/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from amends.api import api
from amends.core import views as core_views

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", core_views.health, name="health"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("amends.accounts.urls")),
    path("audit/", include("amends.audit.urls")),
    prefix_default_language=False,
)
