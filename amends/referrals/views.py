"""Referral pages: intake, the triage queue, a referral and its triage, and a referrer's own referrals."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts import access as account_access
from amends.accounts.access import signed_in_user
from amends.accounts.presenters import link
from amends.cases import access, presenters, selectors
from amends.core.errors import DomainError, add_to_form
from amends.core.pages import save_form
from amends.dataprotection import sharing, sharing_presenters
from amends.permissions import Capability
from amends.referrals import presenters as referral_presenters
from amends.referrals import services
from amends.referrals.clocks import right_4_due, victims_code_clocks
from amends.referrals.forms import ReferralForm, TriageForm, VerificationForm
from amends.referrals.models import Referral, TriageDecision


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = account_access.get_service_for_user(user, service_id, Capability.CREATE_REFERRAL)
    form = ReferralForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.create_referral(
                service=service, actor=user, details=form.details(), people=form.people()
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Referral received."))
            return redirect("referral_detail", referral_id=referral.pk)
    return render(request, "referrals/referral_new.html", {"service": service, "form": form})


@require_safe
def triage_queue(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = account_access.get_service_for_user(user, service_id, Capability.TRIAGE_REFERRALS)
    waiting, decided = access.triage_queue(user, service)
    today = timezone.localdate()
    return render(
        request,
        "referrals/triage_queue.html",
        {
            "service": service,
            "waiting_rows": [
                [
                    link(_detail_url(referral), _("Referral %(number)s") % {"number": referral.pk}),
                    sharing_presenters.with_agreement_check(referral, referral_presenters.source_cell(referral)),
                    presenters.day(referral.received_on),
                    str(selectors.days_waiting(referral, today)),
                    presenters.day(right_4_due(referral.received_on)),
                    referral.get_offence_category_display(),
                ]
                for referral in waiting
            ],
            "decided_rows": [
                [
                    link(_detail_url(referral), _("Referral %(number)s") % {"number": referral.pk}),
                    presenters.decision_tag(referral.decision),
                    presenters.day(referral.decided_at),
                    presenters.case_link(referral.case) if referral.case else "",
                ]
                for referral in decided
            ],
        },
    )


def _detail_url(referral: Referral) -> str:
    return presenters.reverse_or_empty("referral_detail", referral_id=referral.pk)


def _triage_context(referral: Referral, form: TriageForm | None) -> dict[str, Any]:
    people = selectors.referred_people(referral)
    return {
        "referral": referral,
        "may_triage": True,
        "rows": referral_presenters.referral_rows(referral),
        "self_referral_rows": referral_presenters.self_referral_rows(referral) if referral.is_self_referral else [],
        "needs_check": services.needs_check(referral),
        "lacks_agreement": sharing.lacks_sharing_agreement(referral),
        "sharing_rows": sharing_presenters.referral_sharing_rows(referral)
        if sharing.checks_sharing_agreement(referral)
        else [],
        "may_check": services.awaiting_check(referral),
        "people": people,
        "clock_rows": presenters.clock_rows(victims_code_clocks(referral)),
        "duplicates": selectors.possible_duplicates(referral, people),
        "status_rows": presenters.referral_status_rows(referral),
        "form": form if referral.decision == TriageDecision.AWAITING else None,
    }


@require_safe
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = signed_in_user(request)
    referral = access.view_referral_for_user(user, referral_id)
    if not access.may_triage(user, referral):
        return render(
            request,
            "referrals/referral_detail.html",
            {"referral": referral, "may_triage": False, "status_rows": presenters.referral_status_rows(referral)},
        )
    form = TriageForm(
        initial={"version": referral.version}, asks_why_without_agreement=sharing.lacks_sharing_agreement(referral)
    )
    return render(request, "referrals/referral_detail.html", _triage_context(referral, form))


@require_http_methods(["GET", "POST"])
def referral_triage(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = signed_in_user(request)
    referral = access.get_referral_for_user(user, referral_id)
    if not access.may_triage(user, referral):
        raise Http404
    form = TriageForm(
        request.POST or None,
        initial={"version": referral.version},
        asks_why_without_agreement=sharing.lacks_sharing_agreement(referral),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data.get("version")
        try:
            if data["decision"] == TriageForm.ACCEPT:
                case = services.accept_referral(
                    referral=referral,
                    actor=user,
                    reason=data["reason"],
                    flags=data["flags"],
                    expected_version=version,
                    received_without_agreement=data.get("received_without_agreement") or "",
                )
            elif data["decision"] == TriageForm.DECLINE:
                services.decline_referral(
                    referral=referral, actor=user, reason=data["reason"], expected_version=version
                )
            else:
                services.redirect_referral(
                    referral=referral,
                    actor=user,
                    reason=data["reason"],
                    redirected_to=data["redirected_to"],
                    expected_version=version,
                )
        except DomainError as error:
            add_to_form(form, error)
        else:
            if data["decision"] == TriageForm.ACCEPT:
                messages.success(request, _("Referral accepted: case %(reference)s opened.") % {"reference": case})
                return redirect("case_detail", case_id=case.pk)
            messages.success(request, _("Triage decision recorded."))
            return redirect("triage_queue", service_id=referral.service_id)
    referral.refresh_from_db()
    return render(request, "referrals/referral_detail.html", _triage_context(referral, form))


@require_http_methods(["GET", "POST"])
def verify_self_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Record that a self-referral was checked: the coordinator called the person back, say."""
    user = signed_in_user(request)
    referral = access.get_self_referral_to_verify(user, referral_id, for_display=request.method == "GET")
    form = VerificationForm(request.POST or None, initial={"version": referral.version})
    if save_form(
        request,
        form,
        lambda: services.verify_self_referral(
            referral=referral,
            actor=user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data.get("version"),
        ),
        _("Check recorded."),
    ):
        return redirect("referral_detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/referral_verify.html",
        {
            "referral": referral,
            "form": form,
            "check_rows": referral_presenters.self_referral_rows(referral),
            "people": [referral_presenters.contact_rows(named) for named in selectors.referred_people(referral)],
        },
    )


@require_safe
def my_referrals(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    referrals = access.referrals_entered_by(user).order_by("-received_on", "-pk")
    return render(
        request,
        "referrals/my_referrals.html",
        {
            "rows": [
                [
                    link(_detail_url(referral), _("Referral %(number)s") % {"number": referral.pk}),
                    referral.service.name,
                    presenters.day(referral.received_on),
                    presenters.decision_tag(referral.decision),
                    referral.case.reference if referral.case else "",
                ]
                for referral in referrals
            ]
        },
    )
