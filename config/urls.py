"""URL wiring. Pages live under i18n_patterns: English without a prefix, Welsh under /cy/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from amends.accounts import views as account_views
from amends.api import api
from amends.core import views as core_views

# A body too large to read answers 413 rather than 400 (most are refused earlier, by RequestTooLargeMiddleware).
handler400 = "amends.core.views.bad_request"

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", core_views.health, name="health"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    # Ours first: allauth's removal of a security key would let the last second factor go.
    path("accounts/2fa/webauthn/keys/<int:pk>/remove/", account_views.remove_security_key, name="mfa_remove_webauthn"),
    path("accounts/", include("allauth.urls")),
    path("", include("amends.accounts.urls")),
    path("audit/", include("amends.audit.urls")),
    path("", include("amends.cases.urls")),
    path("", include("amends.referrals.urls")),
    path("", include("amends.people.urls")),
    path("", include("amends.consent.urls")),
    path("", include("amends.risk.urls")),
    path("", include("amends.outcomes.urls")),
    path("", include("amends.meetings.urls")),
    path("", include("amends.relay.urls")),
    path("", include("amends.followup.urls")),
    path("", include("amends.youth.urls")),
    path("", include("amends.complaints.urls")),
    path("", include("amends.dataprotection.urls")),
    path("figures/", include("amends.figures.urls")),
    # The public side: the services' own pages and forms, and the participant's secure link. No staff sign-in.
    path("rj/", include("amends.public.urls")),
    path("", include("amends.participation.urls")),
    prefix_default_language=False,
)
