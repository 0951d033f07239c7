"""The complaints register, one complaint's page and the forms that record, hand over, acknowledge, answer and
escalate it: fetch through access, call one service, redirect."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import Service
from amends.complaints import access, presenters, selectors, services
from amends.complaints.forms import (
    AcknowledgementForm,
    ComplaintForm,
    EscalationForm,
    HandlerForm,
    RegisterFilterForm,
    ResponseForm,
)
from amends.complaints.models import Complaint
from amends.core.errors import DomainError
from amends.core.pages import save_form
from amends.permissions import Capability, CaseAccess, can, can_on_case

PER_PAGE = 25


def _register_url(service: Service) -> str:
    return reverse("complaint_list", kwargs={"service_id": service.pk})


def _form_page(
    request: HttpRequest, form: object, heading: str, button: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "complaints/form.html",
        {"form": form, "heading": heading, "button": button, "back_url": back_url, **extra},
    )


@require_safe
def complaint_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_register_for_user(user, service_id)
    filter_form = RegisterFilterForm(request.GET or None)
    page = access.complaint_register_page(
        user, service, show=filter_form.chosen(), page_number=request.GET.get("page"), per_page=PER_PAGE
    )
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "service": service,
            "page": page,
            "filter_form": filter_form,
            "can_handle": can(user, Capability.HANDLE_COMPLAINTS, service),
            "rows": presenters.register_rows(list(page), timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
def complaint_add(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_register_for_user(user, service_id, Capability.HANDLE_COMPLAINTS)
    form = ComplaintForm(
        request.POST if request.method == "POST" else None, handlers=access.handlers_for_user(user, service)
    )

    def record() -> Complaint:
        reference = form.cleaned_data["case_reference"].strip()
        case = access.find_case(user, service, reference=reference)
        if reference and case is None:
            raise DomainError(_("No case of this service has that reference."), field="case_reference")
        return services.record_complaint(
            service=service,
            actor=user,
            kind=form.cleaned_data["kind"],
            received_on=form.cleaned_data["received_on"],
            channel=form.cleaned_data["channel"],
            from_role=form.cleaned_data["from_role"],
            summary=form.cleaned_data["summary"],
            case=case,
            contact=form.cleaned_data["contact"],
            answer_by=form.cleaned_data["answer_by"],
            handler=form.chosen_handler(),
        )

    complaint = save_form(request, form, record, _("Recorded."))
    if complaint is not None:
        return redirect(presenters.complaint_url(complaint))
    return _form_page(
        request,
        form,
        _("Record a complaint, compliment or other feedback"),
        _("Record it"),
        _register_url(service),
        caption=service.name,
    )


@require_safe
def complaint_detail(request: HttpRequest, service_id: int, complaint_id: int) -> HttpResponse:
    user = signed_in_user(request)
    complaint = access.view_complaint_for_user(user, service_id, complaint_id)
    page = selectors.complaint_page(complaint)
    today = timezone.localdate()
    can_handle = can(user, Capability.HANDLE_COMPLAINTS, complaint.service)
    can_view_case = complaint.case is not None and can_on_case(user, CaseAccess.VIEW, complaint.case)
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "service": complaint.service,
            "complaint": complaint,
            "heading": presenters.heading(complaint),
            "rows": presenters.detail_rows(complaint, today, can_handle=can_handle, can_view_case=can_view_case),
            "task": presenters.task_text(page.task),
            "answer_rows": presenters.answer_rows(complaint),
            "escalation_rows": presenters.escalation_rows(complaint),
            "route": presenters.escalation_route(complaint.service) if complaint.is_complaint else "",
            "can_respond": can_handle and complaint.is_open,
            "can_escalate": can_handle and complaint.is_complaint,
        },
    )


def _complaint_form_page(
    request: HttpRequest, complaint: Complaint, form: object, heading: str, button: str, **extra: Any
) -> HttpResponse:
    return _form_page(
        request,
        form,
        heading,
        button,
        presenters.complaint_url(complaint),
        caption=presenters.heading(complaint),
        **extra,
    )


@require_http_methods(["GET", "POST"])
def complaint_handler(request: HttpRequest, service_id: int, complaint_id: int) -> HttpResponse:
    user = signed_in_user(request)
    complaint = access.get_handled_complaint_for_user(user, service_id, complaint_id)
    handlers = access.handlers_for_user(user, complaint.service)
    form = HandlerForm(
        request.POST if request.method == "POST" else None,
        handlers=handlers,
        initial={"handler": str(complaint.handler_id), "version": complaint.version},
    )
    saved = save_form(
        request,
        form,
        lambda: services.assign_handler(
            complaint=complaint,
            actor=user,
            handler=form.chosen_handler(),
            expected_version=form.expected_version(),
        ),
        _("Handler changed. The task to answer it moved with it."),
    )
    if saved is not None:
        return redirect(presenters.complaint_url(complaint))
    return _complaint_form_page(request, complaint, form, _("Change who answers the complaint"), _("Save"))


@require_http_methods(["GET", "POST"])
def complaint_acknowledge(request: HttpRequest, service_id: int, complaint_id: int) -> HttpResponse:
    user = signed_in_user(request)
    complaint = access.get_handled_complaint_for_user(user, service_id, complaint_id)
    initial: dict[str, Any] = {"version": complaint.version}
    if complaint.acknowledged_on is not None:
        initial["acknowledged_on"] = complaint.acknowledged_on
    form = AcknowledgementForm(request.POST if request.method == "POST" else None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda: services.record_acknowledgement(
            complaint=complaint,
            actor=user,
            acknowledged_on=form.cleaned_data["acknowledged_on"],
            expected_version=form.expected_version(),
        ),
        _("Acknowledgement recorded."),
    )
    if saved is not None:
        return redirect(presenters.complaint_url(complaint))
    return _complaint_form_page(request, complaint, form, _("Record the acknowledgement"), _("Save"))


@require_http_methods(["GET", "POST"])
def complaint_respond(request: HttpRequest, service_id: int, complaint_id: int) -> HttpResponse:
    user = signed_in_user(request)
    complaint = access.get_handled_complaint_for_user(user, service_id, complaint_id)
    form = ResponseForm(request.POST if request.method == "POST" else None, initial={"version": complaint.version})
    saved = save_form(
        request,
        form,
        lambda: services.respond_to_complaint(
            complaint=complaint,
            actor=user,
            responded_on=form.cleaned_data["responded_on"],
            outcome=form.cleaned_data["outcome"],
            response=form.cleaned_data["response"],
            expected_version=form.expected_version(),
        ),
        _("Answer recorded."),
    )
    if saved is not None:
        return redirect(presenters.complaint_url(complaint))
    return _complaint_form_page(
        request,
        complaint,
        form,
        _("Record the answer"),
        _("Record the answer"),
        intro=presenters.escalation_route(complaint.service),
    )


@require_http_methods(["GET", "POST"])
def complaint_escalate(request: HttpRequest, service_id: int, complaint_id: int) -> HttpResponse:
    user = signed_in_user(request)
    complaint = access.get_handled_complaint_for_user(user, service_id, complaint_id)
    form = EscalationForm(request.POST if request.method == "POST" else None, initial={"version": complaint.version})
    saved = save_form(
        request,
        form,
        lambda: services.escalate_complaint(
            complaint=complaint,
            actor=user,
            escalated_on=form.cleaned_data["escalated_on"],
            escalated_to=form.cleaned_data["escalated_to"],
            details=form.cleaned_data["details"],
            expected_version=form.expected_version(),
        ),
        _("Escalation recorded."),
    )
    if saved is not None:
        return redirect(presenters.complaint_url(complaint))
    return _complaint_form_page(
        request,
        complaint,
        form,
        _("Record where the complaint went"),
        _("Record the escalation"),
        intro=presenters.escalation_route(complaint.service),
    )
