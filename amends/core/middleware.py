"""Request-wide plumbing: a request id for logs and audit events, clear answers to a request too large to read or a
database that cannot be reached, the sign-in requirement, and no caching of what a signed-in person is shown."""

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from amends.core import plain
from amends.core.log import request_id_context

logger = logging.getLogger(__name__)

# What Django raises when the database cannot be reached, or a connection to it has broken.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (or keep a well-formed one from a trusted load balancer) and echo it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "") if settings.AMENDS_TRUST_REQUEST_ID else ""
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_context.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestTooLargeMiddleware:
    """A request that says it is larger than Amends reads answers 413 before anything reads it. Django would refuse
    it later as a bad request (400), or as a server error where a library reads the body itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = plain.largest_request_bytes(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return plain.too_large(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 with Retry-After, never a server error. Placed before the
    session and sign-in middleware, which would otherwise be the first to fail. Nothing is kept between requests:
    Django opens a connection for each one, so the first request after the database returns is answered as usual."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The health check says for itself what is unreachable.
        if request.path_info != reverse("health"):
            try:
                connections[DEFAULT_DB_ALIAS].ensure_connection()
            except DATABASE_UNREACHABLE:
                logger.warning("The database cannot be reached: answered 503")
                return plain.unavailable(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The database went away while a page was being made."""
        if isinstance(exception, DATABASE_UNREACHABLE):
            logger.error("The database failed during the request: answered 503", exc_info=exception)
            return plain.unavailable(request)
        return None


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's sign-in requirement for pages; the API answers 401 itself rather than redirecting."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class NoStoreWhenSignedInMiddleware:
    """Nothing shown to a signed-in person is kept by the browser or a proxy: on a shared office computer, the Back
    button after signing out must not bring a case back. A response that says how it may be cached keeps its own
    header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
