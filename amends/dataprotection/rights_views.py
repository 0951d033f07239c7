"""The register of people's requests under their rights, one request's page, and the forms that record, check,
decide, extend, carry out and lift them: fetch through access_rights, call one service, redirect."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import ask_password_again, signed_in_user
from amends.accounts.models import Service
from amends.accounts.presenters import lines, link, tag
from amends.audit.models import AuditEvent
from amends.cases.presenters import day, name_of
from amends.core.pages import save_form
from amends.dataprotection import access_rights as access
from amends.dataprotection import rights, subject_access
from amends.dataprotection.models import (
    ANSWER_WITHIN_MONTHS,
    RightsRequest,
    RightsRequestKind,
    RightsRequestStatus,
)
from amends.dataprotection.rights_forms import (
    CompletionForm,
    DecisionForm,
    ExtensionForm,
    IdentityForm,
    LiftForm,
    RequestForm,
)
from amends.people.models import Participant
from amends.permissions import Capability, can

PER_PAGE = 25

STATUS_COLOURS = {
    RightsRequestStatus.RECEIVED: "blue",
    RightsRequestStatus.APPROVED: "turquoise",
    RightsRequestStatus.REFUSED: "grey",
    RightsRequestStatus.COMPLETED: "green",
}

# --- Display -------------------------------------------------------------------------------------------------------


def register_url(service: Service | int) -> str:
    service_id = service if isinstance(service, int) else service.pk
    return reverse("dataprotection:rights_list", kwargs={"service_id": service_id})


def request_url(request: RightsRequest, name: str = "rights_detail") -> str:
    return reverse(f"dataprotection:{name}", kwargs={"service_id": request.service_id, "request_id": request.pk})


def is_overdue(request: RightsRequest, today: datetime.date) -> bool:
    return request.status in rights.OPEN_STATUSES and today > request.answer_by


def status_cell(request: RightsRequest) -> SafeString:
    if request.kind == RightsRequestKind.RESTRICTION and request.status == RightsRequestStatus.COMPLETED:
        if request.lifted_at is not None:
            return tag(_("Restriction lifted"), "grey")
        return tag(_("Restriction in place"), "purple")
    return tag(request.get_status_display(), STATUS_COLOURS[RightsRequestStatus(request.status)])


def answer_by_cell(request: RightsRequest, today: datetime.date) -> SafeString:
    if is_overdue(request, today):
        return format_html("{} {}", tag(_("Overdue"), "red"), _("Was due %(day)s") % {"day": day(request.answer_by)})
    if request.status not in rights.OPEN_STATUSES:
        return format_html("{}", day(request.answer_by))
    return format_html("{}", _("Answer by %(day)s") % {"day": day(request.answer_by)})


def register_rows(requests: list[RightsRequest], today: datetime.date) -> list[list[Any]]:
    return [
        [
            link(request_url(request), day(request.received_on), request.get_kind_display()),
            request.person.full_name,
            request.get_kind_display(),
            answer_by_cell(request, today),
            status_cell(request),
        ]
        for request in requests
    ]


def _person_value(request: RightsRequest, participations: list[Participant]) -> SafeString:
    records = [
        link(
            reverse(
                "participant_detail", kwargs={"case_id": participation.case_id, "participant_id": participation.pk}
            ),
            participation.case.reference,
            participation.get_role_display(),
        )
        for participation in participations
    ]
    if not records:
        return format_html("{}", request.person.full_name)
    return format_html(
        "{}<br>{}", request.person.full_name, format_html_join(SafeString(", "), "{}", ((item,) for item in records))
    )


def request_rows(
    request: RightsRequest, participations: list[Participant], *, can_check_identity: bool
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"key": _("Person"), "value": _person_value(request, participations)},
        {"key": _("What they asked for"), "value": request.get_kind_display()},
        {"key": _("Date received"), "value": day(request.received_on)},
        {"key": _("How it came"), "value": request.get_received_by_display()},
        {"key": _("What they asked"), "value": lines(request.details.splitlines()) or _("Not recorded")},
    ]
    if request.kind == RightsRequestKind.RECTIFICATION:
        rows.append({"key": _("Detail to correct"), "value": request.get_field_display()})
        rows.append({"key": _("What it should say"), "value": request.corrected_value})
    rows.append(
        {
            "key": _("Identity checked"),
            "value": _("Yes") if request.identity_checked else _("Not yet"),
            "action_url": request_url(request, "rights_identity") if can_check_identity else "",
            "action_label": _("Record the check"),
        }
    )
    rows.append({"key": _("Recorded by"), "value": name_of(request.recorded_by)})
    return rows


def clock_rows(request: RightsRequest, today: datetime.date, *, can_extend: bool) -> list[dict[str, Any]]:
    due = _("%(day)s (one calendar month after it was received)") % {"day": day(request.due_on)}
    if is_overdue(request, today) and request.extended_on is None:
        due = format_html("{} {}", due, tag(_("Overdue"), "red"))
    rows: list[dict[str, Any]] = [{"key": _("Answer due"), "value": due}]
    if request.extended_on is not None:
        extended = format_html("{}", day(request.extended_on))
        if is_overdue(request, today):
            extended = format_html("{} {}", extended, tag(_("Overdue"), "red"))
        rows.append({"key": _("Extended to"), "value": extended})
        rows.append({"key": _("Why it needs longer"), "value": lines(request.extension_reason.splitlines())})
    else:
        rows.append(
            {
                "key": _("Extended"),
                "value": _("No"),
                "action_url": request_url(request, "rights_extend") if can_extend else "",
                "action_label": _("Extend"),
            }
        )
    rows.append({"key": _("Status"), "value": status_cell(request)})
    return rows


def decision_rows(request: RightsRequest) -> list[dict[str, Any]]:
    if request.decided_at is None:
        return []
    approved = request.status != RightsRequestStatus.REFUSED
    return [
        {"key": _("Decision"), "value": _("Approved") if approved else _("Refused")},
        {"key": _("Decided by"), "value": name_of(request.decided_by)},
        {"key": _("Date decided"), "value": day(timezone.localtime(request.decided_at))},
        {"key": _("Reason"), "value": lines(request.decision_reason.splitlines()) or _("None given")},
    ]


def completion_rows(request: RightsRequest) -> list[dict[str, Any]]:
    if request.completed_at is None:
        return []
    rows: list[dict[str, Any]] = [
        {
            "key": _("Released") if request.kind == RightsRequestKind.ACCESS else _("Carried out"),
            "value": day(timezone.localtime(request.completed_at)),
        },
        {"key": _("By"), "value": name_of(request.completed_by)},
    ]
    if request.kind == RightsRequestKind.ACCESS:
        rows.append({"key": _("How it was released"), "value": request.get_release_method_display()})
        if request.released_on is not None:
            rows.append({"key": _("Date released"), "value": day(request.released_on)})
        if request.withheld:
            rows.append({"key": _("Records withheld"), "value": str(len(request.withheld))})
    if request.kind == RightsRequestKind.RESTRICTION:
        lifted = day(timezone.localtime(request.lifted_at)) if request.lifted_at else _("Not yet: it is in place")
        rows.append({"key": _("Restriction lifted"), "value": lifted})
        if request.lifted_at is not None:
            rows += [
                {"key": _("Lifted by"), "value": name_of(request.lifted_by)},
                {"key": _("Why it was lifted"), "value": request.lift_reason},
            ]
    return rows


def download_rows(exports: list[AuditEvent]) -> list[dict[str, Any]]:
    """Each download of the export, latest first: what (PDF, JSON or the files, in which language), by whom, when."""
    formats = {"pdf": _("PDF"), "json": _("JSON"), "zip": _("The files of their messages (ZIP)")}
    languages = {"en": _("in English"), "cy": _("in Welsh")}
    rows = []
    for export in exports:
        what = formats.get(str(export.changes.get("format")), _("Export"))
        language = languages.get(str(export.changes.get("language")))
        rows.append(
            {
                "key": f"{what}, {language}" if language else what,
                "value": _("%(who)s, %(when)s")
                % {"who": name_of(export.actor), "when": day(timezone.localtime(export.occurred_at))},
            }
        )
    return rows


def complete_label(request: RightsRequest) -> str:
    return {
        RightsRequestKind.ACCESS: _("Record the release"),
        RightsRequestKind.RECTIFICATION: _("Make the correction"),
        RightsRequestKind.ERASURE: _("Erase their information"),
        RightsRequestKind.RESTRICTION: _("Restrict the use of their information"),
    }[RightsRequestKind(request.kind)]


def complete_intro(request: RightsRequest) -> str:
    if request.kind == RightsRequestKind.ACCESS:
        return _(
            "Release their information only as the export gives it, with other people's personal data redacted. "
            "Record how it reached them."
        )
    if request.kind == RightsRequestKind.RECTIFICATION:
        return _("Their %(detail)s will be changed to: %(value)s") % {
            "detail": request.get_field_display().lower(),
            "value": request.corrected_value,
        }
    if request.kind == RightsRequestKind.ERASURE:
        return _(
            "This erases their personal data everywhere in the service: their details, and every record about them "
            "in their cases. Where the case's other records name them or give their details, those words become "
            "“[erased]”. It cannot be undone. The cases stay, without it, for the anonymous figures."
        )
    return _(
        "While their information is restricted, nobody can contact them, pass a message on to them, give them a "
        "secure link, invite them to a meeting or record their feedback, and it is not shared under a sharing "
        "agreement. It stays restricted until a coordinator lifts the restriction."
    )


# --- Pages ---------------------------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: object, heading: str, button: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "dataprotection/rights/form.html",
        {"form": form, "heading": heading, "button": button, "back_url": back_url, **extra},
    )


def _caption(rights_request: RightsRequest) -> str:
    return _("%(kind)s: %(person)s") % {
        "kind": rights_request.get_kind_display(),
        "person": rights_request.person.full_name,
    }


@require_safe
def rights_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_register_for_user(user, service_id)
    page = access.request_list_page(user, service, page_number=request.GET.get("page"), per_page=PER_PAGE)
    return render(
        request,
        "dataprotection/rights/request_list.html",
        {"service": service, "page": page, "rows": register_rows(list(page), timezone.localdate())},
    )


@require_http_methods(["GET", "POST"])
def rights_add(request: HttpRequest, service_id: int, person_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service, person = access.get_person_for_user(user, service_id, person_id)
    form = RequestForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: rights.record_request(
            service=service,
            person=person,
            actor=user,
            kind=form.cleaned_data["kind"],
            received_on=form.cleaned_data["received_on"],
            received_by=form.cleaned_data["received_by"],
            details=form.cleaned_data["details"],
            identity_checked=form.cleaned_data["identity_checked"],
            field=form.cleaned_data["field"],
            corrected_value=form.cleaned_data["corrected_value"],
        ),
        _("Request recorded."),
    )
    if saved is not None:
        return redirect(request_url(saved))
    return _form_page(
        request,
        form,
        _("Record a data protection request"),
        _("Record the request"),
        register_url(service),
        caption=person.full_name,
        intro=_(
            "A request to see, correct, erase or restrict their information is answered within one calendar month "
            "of the day it was received. It need not use the words 'data protection'."
        ),
    )


@require_safe
def rights_detail(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = access.view_request_for_user(user, service_id, request_id)
    service = rights_request.service
    today = timezone.localdate()
    status = RightsRequestStatus(rights_request.status)
    can_decide = can(user, Capability.DECIDE_RIGHTS_REQUESTS, service)
    is_open = status in rights.OPEN_STATUSES
    kind = RightsRequestKind(rights_request.kind)
    # The export is a coordinator's to read before it is released (access_subject_access.py).
    shows_export = (
        can_decide
        and kind == RightsRequestKind.ACCESS
        and status in (RightsRequestStatus.APPROVED, RightsRequestStatus.COMPLETED)
    )
    return render(
        request,
        "dataprotection/rights/request_detail.html",
        {
            "service": service,
            "rights_request": rights_request,
            "heading": _caption(rights_request),
            "rows": request_rows(
                rights_request,
                access.person_cases(user, rights_request),
                can_check_identity=status == RightsRequestStatus.RECEIVED and not rights_request.identity_checked,
            ),
            "clock_rows": clock_rows(
                rights_request,
                today,
                can_extend=can_decide and is_open and today <= rights_request.due_on,
            ),
            "decision_rows": decision_rows(rights_request),
            "completion_rows": completion_rows(rights_request),
            "can_decide": can_decide and status == RightsRequestStatus.RECEIVED,
            # Erasure cannot be undone, and only a coordinator reads an export before it goes: a coordinator alone
            # carries out either (rights.complete_request).
            "can_complete": status == RightsRequestStatus.APPROVED
            and (can_decide or kind not in (RightsRequestKind.ERASURE, RightsRequestKind.ACCESS)),
            "complete_label": complete_label(rights_request),
            "can_lift": can_decide
            and kind == RightsRequestKind.RESTRICTION
            and status == RightsRequestStatus.COMPLETED
            and rights_request.lifted_at is None,
            "shows_export": shows_export,
            "download_rows": download_rows(rights.exports_of(rights_request)) if shows_export else [],
            "export_languages": subject_access.export_language_choices(rights_request.person),
            "export_files": len(subject_access.message_files(rights_request.person, service=rights_request.service))
            if can_decide and kind == RightsRequestKind.ACCESS
            else 0,
            "held": kind == RightsRequestKind.ERASURE and is_open and access.under_legal_hold(rights_request),
            "answer_within": ANSWER_WITHIN_MONTHS,
        },
    )


@require_http_methods(["GET", "POST"])
def rights_identity(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = access.get_request_for_user(user, service_id, request_id)
    form = IdentityForm(request.POST if request.method == "POST" else None, initial={"version": rights_request.version})
    saved = save_form(
        request,
        form,
        lambda: rights.record_identity_check(
            request=rights_request, actor=user, expected_version=form.expected_version()
        ),
        _("Identity check recorded."),
    )
    if saved is not None:
        return redirect(request_url(rights_request))
    return _form_page(
        request,
        form,
        _("Record that you have checked who they are"),
        _("We have checked who they are"),
        request_url(rights_request),
        caption=_caption(rights_request),
        intro=_(
            "Check that the request comes from the person themselves (or someone acting for them with their "
            "authority), using what the service already knows about them. Ask only for what you need."
        ),
    )


@require_http_methods(["GET", "POST"])
def rights_decide(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = access.get_decided_request_for_user(user, service_id, request_id)
    form = DecisionForm(request.POST if request.method == "POST" else None, initial={"version": rights_request.version})
    saved = save_form(
        request,
        form,
        lambda: rights.decide_request(
            request=rights_request,
            actor=user,
            approve=form.approved(),
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        ),
        _("Decision recorded."),
    )
    if saved is not None:
        return redirect(request_url(rights_request))
    return _form_page(
        request,
        form,
        _("Decide the request"),
        _("Record the decision"),
        request_url(rights_request),
        caption=_caption(rights_request),
    )


@require_http_methods(["GET", "POST"])
def rights_extend(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = access.get_decided_request_for_user(user, service_id, request_id)
    form = ExtensionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": rights_request.version,
            "extended_on": rights_request.latest_extension,
        },
    )
    saved = save_form(
        request,
        form,
        lambda: rights.extend_request(
            request=rights_request,
            actor=user,
            extended_on=form.cleaned_data["extended_on"],
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        ),
        _("Request extended."),
    )
    if saved is not None:
        return redirect(request_url(rights_request))
    return _form_page(
        request,
        form,
        _("Give the request longer"),
        _("Extend"),
        request_url(rights_request),
        caption=_caption(rights_request),
        intro=_(
            "A complex request, or one of many from the same person, may be given up to two more months, once. "
            "It is due on %(day)s."
        )
        % {"day": day(rights_request.due_on)},
    )


@require_http_methods(["GET", "POST"])
def rights_complete(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = access.get_request_for_user(user, service_id, request_id)
    if rights_request.kind == RightsRequestKind.ACCESS:
        # Recording the release of everything held about a person asks for the password again, as downloading it does.
        ask_password_again(request)
    form = CompletionForm(
        request.POST if request.method == "POST" else None,
        initial={"version": rights_request.version},
        needs_release_method=rights_request.kind == RightsRequestKind.ACCESS,
    )
    saved = save_form(
        request,
        form,
        lambda: rights.complete_request(
            request=rights_request,
            actor=user,
            release_method=form.chosen_release_method(),
            released_on=form.chosen_released_on(),
            expected_version=form.expected_version(),
        ),
        _("Done."),
    )
    if saved is not None:
        return redirect(request_url(rights_request))
    label = complete_label(rights_request)
    return _form_page(
        request,
        form,
        label,
        label,
        request_url(rights_request),
        caption=_caption(rights_request),
        intro=complete_intro(rights_request),
    )


@require_http_methods(["GET", "POST"])
def rights_lift(request: HttpRequest, service_id: int, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rights_request = access.get_decided_request_for_user(user, service_id, request_id)
    form = LiftForm(request.POST if request.method == "POST" else None, initial={"version": rights_request.version})
    saved = save_form(
        request,
        form,
        lambda: rights.lift_restriction(
            request=rights_request,
            actor=user,
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        ),
        _("Restriction lifted."),
    )
    if saved is not None:
        return redirect(request_url(rights_request))
    return _form_page(
        request,
        form,
        _("Lift the restriction"),
        _("Lift the restriction"),
        request_url(rights_request),
        caption=_caption(rights_request),
    )
