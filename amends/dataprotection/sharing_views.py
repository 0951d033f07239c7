"""The register of information sharing agreements, the disclosure log, one disclosure's page, and the form that
records a disclosure from a case: fetch through access, call one service, redirect."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import Service
from amends.core.pages import save_form
from amends.dataprotection import access_sharing as access
from amends.dataprotection import sharing, sharing_presenters, sharing_selectors
from amends.dataprotection.sharing_forms import AgreementForm, DisclosureFilterForm, DisclosureForm, EndAgreementForm
from amends.permissions import Capability, CaseAccess, can, can_on_case

PER_PAGE = 25


def _register_url(service: Service) -> str:
    return reverse("dataprotection:agreement_list", kwargs={"service_id": service.pk})


def _log_url(service: Service) -> str:
    return reverse("dataprotection:disclosure_list", kwargs={"service_id": service.pk})


def _form_page(
    request: HttpRequest, form: object, heading: str, button: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "dataprotection/sharing/form.html",
        {"form": form, "heading": heading, "button": button, "back_url": back_url, **extra},
    )


@require_safe
def agreement_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_register_for_user(user, service_id)
    can_manage = can(user, Capability.MANAGE_DATA_PROTECTION, service)
    agreements = list(sharing_selectors.agreement_list(service))
    return render(
        request,
        "dataprotection/sharing/agreement_list.html",
        {
            "service": service,
            "can_manage": can_manage,
            "rows": sharing_presenters.agreement_rows(agreements, timezone.localdate(), can_manage=can_manage),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_add(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_register_for_user(user, service_id, Capability.MANAGE_DATA_PROTECTION)
    form = AgreementForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: sharing.save_sharing_agreement(service=service, actor=user, details=form.details()),
        _("Agreement added to the register."),
    )
    if saved is not None:
        return redirect(_register_url(service))
    return _form_page(
        request,
        form,
        _("Add an information sharing agreement"),
        _("Save"),
        _register_url(service),
        caption=service.name,
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, service_id: int, agreement_id: int) -> HttpResponse:
    user = signed_in_user(request)
    agreement = access.get_agreement_for_user(user, service_id, agreement_id)
    form = AgreementForm(
        request.POST if request.method == "POST" else None, initial=AgreementForm.initial_for(agreement)
    )
    saved = save_form(
        request,
        form,
        lambda: sharing.save_sharing_agreement(
            service=agreement.service, actor=user, details=form.details(), agreement=agreement
        ),
        _("Agreement saved."),
    )
    if saved is not None:
        return redirect(_register_url(agreement.service))
    return _form_page(
        request,
        form,
        _("Change the agreement with %(partner)s") % {"partner": agreement.partner},
        _("Save"),
        _register_url(agreement.service),
        caption=agreement.service.name,
    )


@require_http_methods(["GET", "POST"])
def agreement_end(request: HttpRequest, service_id: int, agreement_id: int) -> HttpResponse:
    user = signed_in_user(request)
    agreement = access.get_agreement_for_user(user, service_id, agreement_id)
    form = EndAgreementForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: sharing.end_sharing_agreement(agreement=agreement, actor=user, ends_on=form.cleaned_data["ends_on"]),
        _("End date recorded."),
    )
    if saved is not None:
        return redirect(_register_url(agreement.service))
    return _form_page(
        request,
        form,
        _("End the agreement with %(partner)s") % {"partner": agreement.partner},
        _("Record the end date"),
        _register_url(agreement.service),
        caption=agreement.service.name,
        intro=_(
            "Sharing after this day is no longer recorded under it, and referrals from %(partner)s received after it "
            "are accepted only with a reason."
        )
        % {"partner": agreement.partner},
    )


@require_safe
def disclosure_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_register_for_user(user, service_id)
    filter_form = DisclosureFilterForm(request.GET or None)
    disclosures = sharing_selectors.disclosure_list(service, filter_form.chosen())
    page = access.disclosure_page(user, service, disclosures, page_number=request.GET.get("page"), per_page=PER_PAGE)
    return render(
        request,
        "dataprotection/sharing/disclosure_list.html",
        {
            "service": service,
            "page": page,
            "filter_form": filter_form,
            "rows": sharing_presenters.log_rows(
                list(page), can_view_cases=can(user, Capability.VIEW_ALL_CASES, service)
            ),
        },
    )


@require_safe
def disclosure_detail(request: HttpRequest, service_id: int, disclosure_id: int) -> HttpResponse:
    user = signed_in_user(request)
    disclosure = access.view_disclosure_for_user(user, service_id, disclosure_id)
    can_view_case = disclosure.case is not None and can_on_case(user, CaseAccess.VIEW, disclosure.case)
    return render(
        request,
        "dataprotection/sharing/disclosure_detail.html",
        {
            "service": disclosure.service,
            "disclosure": disclosure,
            "rows": sharing_presenters.detail_rows(disclosure, can_view_case=can_view_case),
        },
    )


@require_http_methods(["GET", "POST"])
def disclosure_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_disclosure(user, case_id)
    approvers = access.approvers_for_user(user, case)
    initial: dict[str, Any] = {}
    if any(approver.pk == user.pk for approver in approvers):
        initial["approved_by"] = str(user.pk)
    form = DisclosureForm(
        request.POST if request.method == "POST" else None,
        participants=sharing_selectors.participants_of(case),
        agreements=list(sharing_selectors.agreement_list(case.service)),
        approvers=approvers,
        initial=initial,
    )
    saved = save_form(
        request,
        form,
        lambda: sharing.record_disclosure(case=case, actor=user, **form.chosen()),
        _("Disclosure recorded."),
    )
    case_url = reverse("case_detail", kwargs={"case_id": case.pk})
    if saved is not None:
        return redirect(f"{case_url}#disclosures")
    return _form_page(
        request,
        form,
        _("Record a disclosure"),
        _("Record it"),
        case_url,
        case=case,
        intro=_(
            "Record every sharing of personal data from this case outside the service: with the police, a court, "
            "another service or anyone else."
        ),
    )
