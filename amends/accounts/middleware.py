"""Two-factor sign-in is mandatory: a signed-in user without a second factor can reach only the enrolment pages."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

# Recovery codes alone are a fallback, not a second factor.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]

# URL names a signed-in user without a second factor may still use: setting one up, and signing out.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
    }
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not self._allowed_without_second_factor(request)
            and not is_mfa_enabled(user, SECOND_FACTORS)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Set up two-factor sign-in before using the API."}, status=403)
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _allowed_without_second_factor(request: HttpRequest) -> bool:
        if request.path.startswith("/static/"):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in ENROLMENT_URL_NAMES
