"""What every page's layout needs: the service name, the navigation and the language switch."""

from typing import Any, TypedDict

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

WELSH = "cy"
ENGLISH = "en-gb"


class NavigationItem(TypedDict):
    label: str
    url: str
    active: bool


class LanguageSwitch(TypedDict):
    url: str
    code: str
    label: str


# (label, URL name, permission needed or None). Items whose URL is not defined are left out.
_SIGNED_IN_NAVIGATION: list[tuple[Any, str, str | None]] = [
    (_("Home"), "home", None),
    (_("Services"), "service_list", None),
    (_("Audit"), "audit_list", "amends.view_audit"),
    # Coordinators, partnership leads and commissioners: the dashboards of figures.
    (_("Figures"), "figures:index", "amends.view_suppressed_figures"),
    (_("Your account"), "mfa_index", None),
    # Signing out is a POST; this link goes to allauth's confirmation page, which has the button.
    (_("Sign out"), "account_logout", None),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    """Context for templates/base.html."""
    current_language = get_language() or ENGLISH
    return {
        "service_name": _("Amends"),
        "current_language": current_language,
        "navigation": _navigation(request),
        "language_switch": _language_switch(request, current_language),
    }


def _navigation(request: HttpRequest) -> list[NavigationItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    home_url = _reverse_or_none("home")
    items: list[NavigationItem] = []
    for label, url_name, permission in _SIGNED_IN_NAVIGATION:
        if permission is not None and not user.has_perm(permission):
            continue
        url = _reverse_or_none(url_name)
        if url is None:
            continue
        # Home is active only on itself; every other item is active on the pages under it.
        active = request.path == url if url == home_url else request.path.startswith(url)
        items.append({"label": str(label), "url": url, "active": active})
    # Cases and referrals come after Home and Services, for those who work on them.
    items[2:2] = _case_navigation(request, user)
    return items


def _case_navigation(request: HttpRequest, user: Any) -> list[NavigationItem]:
    from amends.permissions import Capability, can_anywhere, service_ids_with

    items: list[NavigationItem] = []
    case_capabilities = (Capability.VIEW_ALL_CASES, Capability.FACILITATE_CASES, Capability.SUPERVISE_CASES)
    cases_url = _reverse_or_none("dashboard")
    if cases_url and any(can_anywhere(user, capability) for capability in case_capabilities):
        items.append({"label": str(_("Cases")), "url": cases_url, "active": request.path.startswith(cases_url)})
    triage_services = service_ids_with(user, Capability.TRIAGE_REFERRALS)
    referrals_url = (
        _reverse_or_none_with("triage_queue", service_id=triage_services[0])
        if triage_services
        else _reverse_or_none("my_referrals")
        if can_anywhere(user, Capability.CREATE_REFERRAL)
        else None
    )
    if referrals_url:
        items.append(
            {"label": str(_("Referrals")), "url": referrals_url, "active": request.path.startswith(referrals_url)}
        )
    return items


def _reverse_or_none_with(url_name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _reverse_or_none(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _language_switch(request: HttpRequest, current_language: str) -> LanguageSwitch:
    """A link to this same page in the other language (English has no URL prefix, Welsh lives under /cy/)."""
    # Language names are written in their own language, so they are not translated.
    if current_language == WELSH:
        return {"url": _url_in(request, ENGLISH), "code": ENGLISH, "label": "English"}
    return {"url": _url_in(request, WELSH), "code": WELSH, "label": "Cymraeg"}


def _url_in(request: HttpRequest, language: str) -> str:
    path = request.get_full_path()
    url = translate_url(path, language)
    if url != path:
        return url
    # translate_url leaves a path it cannot resolve (a "Page not found" page) alone; swap the prefix by hand.
    welsh_prefix = f"/{WELSH}/"
    if language == WELSH:
        return path if path.startswith(welsh_prefix) else welsh_prefix + path.lstrip("/")
    return "/" + path.removeprefix(welsh_prefix) if path.startswith(welsh_prefix) else path
