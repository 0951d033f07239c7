"""Answers Amends gives when it cannot read a request or reach its database: JSON on the API, a plain GOV.UK page
elsewhere. Nothing here touches the database (no session, no user, no context processors), so they work when it is
gone."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

# How long a client should wait before trying again when the database cannot be reached: a restart or a fail-over
# takes about this long.
RETRY_AFTER_SECONDS = 30
MEGABYTE = 1024 * 1024


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def largest_upload_megabytes() -> int:
    return int(settings.AMENDS_RELAY_MAX_UPLOAD_MB)


def largest_request_bytes(request: HttpRequest) -> int | None:
    """The most a request may send, or None for no limit. A form with a file may carry the largest file Amends
    accepts besides its fields (Django limits the fields, not the files); anything else only what Django reads into
    memory."""
    fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if fields is None:
        return None
    if request.content_type == "multipart/form-data":
        return int(fields) + largest_upload_megabytes() * MEGABYTE
    return int(fields)


def _language(request: HttpRequest) -> str:
    # These answers may come before LocaleMiddleware has run: the language is the one the address asks for.
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def too_large(request: HttpRequest) -> HttpResponse:
    """413: the request is larger than Amends reads; nothing in it was read or kept."""
    with translation.override(_language(request)):
        if is_api(request):
            limit = largest_request_bytes(request)
            return JsonResponse(
                {
                    "detail": _("The request is too large: send at most %(bytes)s bytes.") % {"bytes": limit}
                    if limit is not None
                    else _("The request is too large."),
                    "field": None,
                },
                status=413,
            )
        page = render_to_string("413.html", {"megabytes": largest_upload_megabytes()})
    return HttpResponse(page, status=413)


def unreadable(request: HttpRequest) -> HttpResponse:
    """400 on the API: Django will not read the request (a Host it does not serve, say). The reason is not given, as
    Django's own page gives none."""
    with translation.override(_language(request)):
        return JsonResponse({"detail": _("The request cannot be read."), "field": None}, status=400)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database cannot be reached."""
    with translation.override(_language(request)):
        if is_api(request):
            response: HttpResponse = JsonResponse(
                {"detail": _("The service is unavailable: try again in a few minutes."), "field": None}, status=503
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Not a page to keep: the next request may well succeed.
    response["Cache-Control"] = "no-store"
    return response
