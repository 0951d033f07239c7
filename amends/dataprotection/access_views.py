"""A subject access export: the page a coordinator reads before it is released, and its downloads as PDF and JSON.
Each view and download is audited; the file is named by the request, never by the person."""

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from amends.accounts.access import signed_in_user
from amends.accounts.models import User
from amends.accounts.presenters import lines
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.dataprotection import subject_access
from amends.dataprotection.access_subject_access import get_access_request_for_user
from amends.dataprotection.models import RightsRequest


def _shown(rows: list[subject_access.Row]) -> list[dict[str, Any]]:
    """Rows for the summary list component: a value of several lines keeps its lines."""
    return [{"key": row["key"], "value": lines(row["value"].splitlines())} for row in rows]


def _page_sections(report: subject_access.Report) -> list[dict[str, Any]]:
    return [
        {
            "heading": section["heading"],
            "rows": _shown(section["rows"]),
            "records": [{"heading": r["heading"], "rows": _shown(r["rows"])} for r in section["records"]],
            "parts": [
                {
                    "heading": part["heading"],
                    "records": [{"heading": r["heading"], "rows": _shown(r["rows"])} for r in part["records"]],
                }
                for part in section["parts"]
            ],
        }
        for section in report["sections"]
    ]


def _audited(user: User, rights_request: RightsRequest, action: AuditAction, **changes: str) -> None:
    with transaction.atomic():
        record_event(
            action=action, actor=user, target=rights_request, service=rights_request.service, changes=changes or None
        )


@require_http_methods(["GET"])
def access_preview(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = get_access_request_for_user(user, service_id, request_id)
    _audited(user, rights_request, AuditAction.RECORD_VIEWED)
    report = subject_access.build_report(rights_request.person, service=rights_request.service)
    return render(
        request,
        "dataprotection/subject_access/preview.html",
        {
            "service": rights_request.service,
            "rights_request": rights_request,
            "report": report,
            "sections": _page_sections(report),
            "export_languages": subject_access.export_language_choices(rights_request.person),
            "export_files": len(subject_access.message_files(rights_request.person, service=rights_request.service)),
        },
    )


def _download(request: HttpRequest, rights_request: RightsRequest, extension: str) -> HttpResponse:
    """The export in the language asked for (?language=en or cy), else in the person's own language."""
    user = signed_in_user(request)
    language = request.GET.get("language", "")
    if language not in subject_access.EXPORT_LANGUAGES:
        language = subject_access.export_languages(rights_request.person)[0]
    _audited(user, rights_request, AuditAction.SUBJECT_ACCESS_EXPORTED, format=extension, language=language)
    with translation.override(language):
        report = subject_access.build_report(rights_request.person, service=rights_request.service)
        render = subject_access.render_pdf if extension == "pdf" else subject_access.render_json
        content = render(report)
    content_type = "application/pdf" if extension == "pdf" else "application/json; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-request-{rights_request.pk}-{language}.{extension}"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def access_json(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    return _download(request, get_access_request_for_user(signed_in_user(request), service_id, request_id), "json")


@require_http_methods(["GET"])
def access_pdf(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    return _download(request, get_access_request_for_user(signed_in_user(request), service_id, request_id), "pdf")


@require_http_methods(["GET"])
def access_files(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    """The files of the messages in the export, as one ZIP named by the request."""
    user = signed_in_user(request)
    rights_request = get_access_request_for_user(user, service_id, request_id)
    files = subject_access.message_files(rights_request.person, service=rights_request.service)
    if not files:
        raise Http404
    _audited(user, rights_request, AuditAction.SUBJECT_ACCESS_EXPORTED, format="zip")
    response = HttpResponse(subject_access.render_files(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-request-{rights_request.pk}-files.zip"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
