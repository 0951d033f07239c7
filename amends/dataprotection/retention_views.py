"""The retention schedule of a service, the form that changes one kind of record's rule, the runs of the schedule,
and legal holds (the service's list, and placing and lifting a hold on a case): fetch through access, call one
service, redirect."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.core.errors import DomainError
from amends.core.pages import save_form
from amends.dataprotection import access_retention as access
from amends.dataprotection import legal_holds, retention
from amends.dataprotection import retention_presenters as presenters
from amends.dataprotection.models import RecordType
from amends.dataprotection.retention_forms import LegalHoldForm, RetentionRuleForm
from amends.permissions import Capability, can

RUNS_SHOWN = 30


def _schedule_url(service_id: int) -> str:
    return reverse("dataprotection:retention_schedule", kwargs={"service_id": service_id})


def _hold_url(case_id: int) -> str:
    return reverse("dataprotection:case_legal_hold", kwargs={"case_id": case_id})


@require_safe
def retention_schedule(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_schedule_for_user(user, service_id)
    rows = retention.schedule_of(service, timezone.localdate())
    return render(
        request,
        "dataprotection/retention/schedule.html",
        {"service": service, "rows": presenters.schedule_rows(service, rows, can_change=True)},
    )


@require_http_methods(["GET", "POST"])
def retention_rule(request: HttpRequest, service_id: int, record_type: str) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_schedule_for_user(user, service_id)
    kind = access.record_type_or_404(record_type)
    rule = retention.rule_for(service, kind)
    if request.method == "POST" and "use_default" in request.POST:
        retention.use_default_rule(service=service, actor=user, record_type=kind)
        messages.success(request, _("The default rule applies again."))
        return redirect(_schedule_url(service.pk))
    initial = {"keep_months": rule.keep_months, "until_age": rule.until_age}
    form = RetentionRuleForm(request.POST if request.method == "POST" else None, initial=initial, record_type=kind)
    saved = save_form(
        request,
        form,
        lambda: retention.save_retention_rule(
            service=service,
            actor=user,
            record_type=kind,
            keep_months=form.cleaned_data["keep_months"],
            until_age=form.chosen_until_age() if kind == RecordType.YOUTH_CASE else None,
        ),
        _("Retention rule saved."),
    )
    if saved is not None:
        return redirect(_schedule_url(service.pk))
    return render(
        request,
        "dataprotection/retention/rule_form.html",
        {
            "service": service,
            "form": form,
            "caption": service.name,
            "heading": _("How long to keep: %(kind)s") % {"kind": kind.label},
            "button": _("Save the rule"),
            "back_url": _schedule_url(service.pk),
            "rule": rule,
            "default": retention.default_rule(kind),
        },
    )


@require_safe
def retention_runs(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_schedule_for_user(user, service_id)
    return render(
        request,
        "dataprotection/retention/runs.html",
        {"service": service, "rows": presenters.run_rows(retention.recent_runs(RUNS_SHOWN), service)},
    )


@require_safe
def legal_hold_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service, holds = access.view_holds_for_user(user, service_id)
    # Only those who may place a hold open a case's hold (it shows the reason).
    can_open = can(user, Capability.PLACE_LEGAL_HOLDS, service)
    return render(
        request,
        "dataprotection/retention/holds.html",
        {"service": service, "rows": presenters.hold_rows(holds, can_open=can_open)},
    )


@require_http_methods(["GET", "POST"])
def case_legal_hold(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case, hold = access.view_case_hold_for_user(user, case_id)
    if hold is not None:
        return render(
            request,
            "dataprotection/retention/case_hold.html",
            {"case": case, "hold": hold, "rows": presenters.hold_detail_rows(hold)},
        )
    form = LegalHoldForm(request.POST if request.method == "POST" else None)
    placed = save_form(
        request,
        form,
        lambda: legal_holds.place_legal_hold(case=case, actor=user, reason=form.cleaned_data["reason"]),
        _("Legal hold placed. The case will be kept until it is lifted."),
    )
    if placed is not None:
        return redirect(_hold_url(case.pk))
    return render(request, "dataprotection/retention/case_hold.html", {"case": case, "hold": None, "form": form})


@require_http_methods(["GET", "POST"])
def legal_hold_lift(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    hold = access.get_hold_in_force_for_user(user, case_id)
    error = None
    if request.method == "POST":
        try:
            legal_holds.lift_legal_hold(hold=hold, actor=user)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Legal hold lifted. The case follows the retention schedule again."))
            return redirect(_hold_url(case_id))
    return render(request, "dataprotection/retention/lift_hold.html", {"case": hold.case, "error": error})
