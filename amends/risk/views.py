"""Pages for risk assessments, their sign-off by a coordinator, and new risk information."""

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amends.accounts.access import signed_in_user
from amends.cases import access, workflow
from amends.core.errors import DomainError, add_to_form
from amends.core.pages import save_form
from amends.permissions import CaseAccess
from amends.risk import services
from amends.risk.forms import RiskAssessmentForm, RiskInformationForm, SignOffForm
from amends.risk.models import RiskInformationKind


@require_http_methods(["GET", "POST"])
def risk_assessment_add(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    today = timezone.localdate()
    valid_days = participant.case.service.risk_assessment_valid_days
    form = RiskAssessmentForm(
        request.POST if request.method == "POST" else None,
        initial={"assessed_on": today, "review_on": today + datetime.timedelta(days=valid_days)},
    )
    saved = save_form(
        request,
        form,
        lambda: services.record_risk_assessment(
            participant=participant,
            actor=user,
            factors=form.factors(),
            narrative=form.cleaned_data["narrative"],
            conditions=form.cleaned_data["conditions"],
            outcome=form.cleaned_data["outcome"],
            review_on=form.cleaned_data["review_on"],
            assessed_on=form.cleaned_data["assessed_on"],
        ),
        _("Risk assessment recorded."),
    )
    if saved is not None:
        return redirect("participant_detail", case_id=participant.case.pk, participant_id=participant.pk)
    return render(
        request,
        "risk/risk_assessment_add.html",
        {"case": participant.case, "participant": participant, "form": form, "valid_days": valid_days},
    )


@require_http_methods(["GET", "POST"])
def risk_sign_off(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    assessment = access.get_risk_assessment_for_user(user, case_id, assessment_id)
    participant = assessment.participant
    form = SignOffForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.sign_off_risk_assessment(
            assessment=assessment,
            actor=user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
        _("Sign-off recorded."),
    )
    if saved is not None:
        return redirect("participant_detail", case_id=participant.case.pk, participant_id=participant.pk)
    return render(
        request,
        "risk/risk_sign_off.html",
        {
            "case": participant.case,
            "participant": participant,
            "assessment": assessment,
            "needs_sign_off": workflow.needs_sign_off(participant.case, assessment),
            "summary_rows": [
                {"key": _("Participant"), "value": str(participant)},
                {"key": _("Version"), "value": assessment.version},
                {"key": _("Outcome"), "value": assessment.get_outcome_display()},
                {"key": _("Conditions"), "value": ", ".join(assessment.get_conditions_display()) or _("None")},
                {"key": _("Date assessed"), "value": date_format(assessment.assessed_on, "j F Y")},
                {"key": _("Assessed by"), "value": assessment.assessed_by.full_name},
                {"key": _("Review by"), "value": date_format(assessment.review_on, "j F Y")},
            ],
            "factor_rows": assessment.factor_rows(),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def risk_information_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    form = RiskInformationForm(
        request.POST if request.method == "POST" else None, participants=case.participants.select_related("person")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_risk_information(
                case=case,
                actor=user,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                participant=form.concerned(),
                referred_to=form.cleaned_data["referred_to"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            if form.cleaned_data["kind"] == RiskInformationKind.SAFEGUARDING:
                messages.success(
                    request,
                    _("Safeguarding concern recorded. The case is back in assessing and its facilitators are told."),
                )
            else:
                messages.success(
                    request, _("Risk information recorded. The assessments it concerns are now out of date.")
                )
            return redirect("case_detail", case_id=case.pk)
    return render(request, "risk/risk_information_add.html", {"case": case, "form": form})
