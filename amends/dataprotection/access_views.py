"""A subject access export: the page a coordinator reads before it is released, and its downloads as PDF and JSON.
Each view and download is audited; the file is named by the request, never by the person. A download is a POST that
asks for the password again (allauth's reauthentication, as inviting someone does): it carries everything held about
a person out of Amends."""

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import asks_password_again, signed_in_user
from amends.accounts.models import User
from amends.accounts.presenters import lines
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.core.pages import save_form
from amends.dataprotection import rights, subject_access
from amends.dataprotection.access_subject_access import get_access_request_for_user, view_access_request_for_user
from amends.dataprotection.models import RightsRequest, RightsRequestStatus
from amends.dataprotection.rights_forms import WithholdForm


def _shown(rows: list[subject_access.Row]) -> list[dict[str, Any]]:
    """Rows for the summary list component: a value of several lines keeps its lines."""
    return [{"key": row["key"], "value": lines(row["value"].splitlines())} for row in rows]


def _page_sections(report: subject_access.Report, withheld: Collection[str]) -> list[dict[str, Any]]:
    """The report's sections for the page, each record withheld from the downloads marked so in its heading."""

    def shown(record: subject_access.Record) -> dict[str, Any]:
        heading = record["heading"]
        if record.get("key") in withheld:
            heading = _("%(heading)s (withheld)") % {"heading": heading}
        return {"heading": heading, "rows": _shown(record["rows"])}

    return [
        {
            "heading": section["heading"],
            "rows": _shown(section["rows"]),
            "records": [shown(record) for record in section["records"]],
            "parts": [
                {"heading": part["heading"], "records": [shown(record) for record in part["records"]]}
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


@require_safe
def access_preview(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = view_access_request_for_user(user, service_id, request_id)
    # Everything, so that what is withheld can be read and given back; marked where it is withheld.
    report = subject_access.build_report(rights_request.person, service=rights_request.service)
    return render(
        request,
        "dataprotection/subject_access/preview.html",
        {
            "service": rights_request.service,
            "rights_request": rights_request,
            "report": report,
            "sections": _page_sections(report, set(rights_request.withheld)),
            "withheld": len(set(rights_request.withheld) & {key for key, _record in _keyed(report)}),
            "can_withhold": rights_request.status == RightsRequestStatus.APPROVED,
            "export_languages": subject_access.export_language_choices(rights_request.person),
            "export_files": len(subject_access.message_files(rights_request.person, service=rights_request.service)),
        },
    )


def _download(request: HttpRequest, rights_request: RightsRequest, extension: str) -> HttpResponse:
    """The export in the language asked for (language=en or cy), else in the person's own language."""
    user = signed_in_user(request)
    language = request.POST.get("language", "")
    if language not in subject_access.EXPORT_LANGUAGES:
        language = subject_access.export_languages(rights_request.person)[0]
    _audited(user, rights_request, AuditAction.SUBJECT_ACCESS_EXPORTED, format=extension, language=language)
    with translation.override(language):
        report = subject_access.release_report(rights_request)
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


@asks_password_again
@require_http_methods(["POST"])
def access_json(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    return _download(request, get_access_request_for_user(signed_in_user(request), service_id, request_id), "json")


@asks_password_again
@require_http_methods(["POST"])
def access_pdf(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    return _download(request, get_access_request_for_user(signed_in_user(request), service_id, request_id), "pdf")


@asks_password_again
@require_http_methods(["POST"])
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


def _keyed(report: subject_access.Report) -> list[tuple[str, str]]:
    """The records that may be withheld, as choices: the key, and where the record is and what it is."""
    return [
        (record["key"], f"{heading}: {record['heading']}") for heading, record in subject_access.keyed_records(report)
    ]


@require_http_methods(["GET", "POST"])
def access_withhold(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    """Choose the records of the export the person is not given, and why (rights.withhold_records)."""
    user = signed_in_user(request)
    fetch = view_access_request_for_user if request.method == "GET" else get_access_request_for_user
    rights_request = fetch(user, service_id, request_id)
    preview_url = reverse(
        "dataprotection:access_preview", kwargs={"service_id": service_id, "request_id": rights_request.pk}
    )
    report = subject_access.build_report(rights_request.person, service=rights_request.service)
    form = WithholdForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": rights_request.version,
            "withhold": rights_request.withheld,
            "reason": rights_request.withholding_reason,
        },
        choices=_keyed(report),
    )
    saved = save_form(
        request,
        form,
        lambda: rights.withhold_records(
            request=rights_request,
            actor=user,
            keys=form.chosen(),
            reason=str(form.cleaned_data.get("reason") or ""),
            expected_version=form.expected_version(),
        ),
        _("Saved what is withheld."),
    )
    if saved is not None:
        return redirect(preview_url)
    heading = _("Withhold records from the export")
    return render(
        request,
        "dataprotection/rights/form.html",
        {
            "form": form,
            "heading": heading,
            "button": _("Save"),
            "back_url": preview_url,
            "caption": rights_request.person.full_name,
            "intro": _(
                "The export tells them how many records were withheld and on what ground. Withhold as little as you "
                "can: a record is withheld whole, so first consider whether redacting names is enough."
            ),
        },
    )
