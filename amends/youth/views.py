"""The panel member register, a case's referral order (with its panels, the contract, reviews and breaches) and its
report to the court: fetch through access, call one service, redirect."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import Service
from amends.cases.models import Case, ProcessKind
from amends.cases.presenters import day, name_of
from amends.core.pages import save_form
from amends.permissions import Capability, CaseAccess, can, can_on_case
from amends.youth import access, presenters, selectors, services
from amends.youth.forms import (
    BreachForm,
    CourtReportForm,
    FinalMeetingForm,
    InvolvementForm,
    PanelMemberForm,
    ReferralOrderForm,
    SeatForm,
)


def _can_work(user: object, case: Case) -> bool:
    return can_on_case(user, CaseAccess.WORK, case) and case.is_open


def _form_page(
    request: HttpRequest, form: object, heading: str, button: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": heading, "button": button, "back_url": back_url, **extra},
    )


# The panel member register.


def _register_url(service: Service) -> str:
    return reverse("panel_member_list", kwargs={"service_id": service.pk})


@require_safe
def panel_member_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_panel_register_for_user(user, service_id)
    can_manage = can(user, Capability.MANAGE_PANEL_MEMBERS, service)
    members = access.panel_member_list(user, service)
    return render(
        request,
        "youth/panel_member_list.html",
        {
            "service": service,
            "can_manage": can_manage,
            "rows": presenters.panel_member_rows(members, can_manage=can_manage),
        },
    )


@require_http_methods(["GET", "POST"])
def panel_member_add(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_panel_register_for_user(user, service_id, Capability.MANAGE_PANEL_MEMBERS)
    form = PanelMemberForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.save_panel_member(service=service, actor=user, details=form.details()),
        _("Panel member added."),
    )
    if saved is not None:
        return redirect(_register_url(service))
    return _form_page(request, form, _("Add a panel member"), _("Save"), _register_url(service), caption=service.name)


@require_http_methods(["GET", "POST"])
def panel_member_edit(request: HttpRequest, service_id: int, member_id: int) -> HttpResponse:
    user = signed_in_user(request)
    member = access.get_panel_member_for_user(user, service_id, member_id)
    form = PanelMemberForm(
        request.POST if request.method == "POST" else None, initial=PanelMemberForm.initial_for(member)
    )
    saved = save_form(
        request,
        form,
        lambda: services.save_panel_member(
            service=member.service,
            actor=user,
            member=member,
            details=form.details(),
            expected_version=form.expected_version(),
        ),
        _("Panel member saved."),
    )
    if saved is not None:
        return redirect(_register_url(member.service))
    return _form_page(
        request,
        form,
        _("Change %(name)s") % {"name": member.name},
        _("Save"),
        _register_url(member.service),
        caption=member.service.name,
    )


# The referral order.


def _order_url(case: Case) -> str:
    return reverse("referral_order", kwargs={"case_id": case.pk})


@require_safe
def referral_order(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    page = access.view_referral_order_for_user(user, case_id)
    case = page.case
    order = page.order
    can_work = _can_work(user, case)
    is_panel_process = case.process_kind == ProcessKind.REFERRAL_ORDER_PANEL
    open_order = order is not None and not order.final_outcome
    today = timezone.localdate()
    task = page.review_task
    return render(
        request,
        "youth/referral_order.html",
        {
            "case": case,
            "order": order,
            "is_panel_process": is_panel_process,
            "can_record_order": can_work and is_panel_process and (order is None or open_order),
            "can_work_on_order": can_work and open_order,
            "can_record_final": can_work and open_order and bool(page.held_meetings),
            "order_rows": presenters.order_rows(order) if order else [],
            "invitation_rows": presenters.invitation_rows(order) if order else [],
            "final_rows": presenters.final_rows(order) if order else [],
            "meeting_rows": presenters.panel_meeting_rows(page.meetings, can_seat=can_work and open_order),
            "agreement": page.agreement,
            "agreement_url": reverse("agreement_detail", kwargs={"case_id": case.pk}),
            "contract_rows": presenters.contract_rows(page.actions, today),
            "breach_rows": presenters.breach_rows(page.breaches),
            "reviews": [day(review) for review in page.reviews],
            "review_rows": (
                [
                    {
                        "key": _("Next review task"),
                        "value": _("%(who)s, due %(day)s")
                        % {"who": name_of(task.assigned_to), "day": day(task.due_on)},
                    }
                ]
                if task
                else []
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def referral_order_record(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    order = selectors.referral_order_page(case).order
    initial = (
        {"made_on": order.made_on, "length_months": order.length_months, "court": order.court, "version": order.version}
        if order
        else {}
    )
    form = ReferralOrderForm(request.POST if request.method == "POST" else None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda: services.record_referral_order(
            case=case,
            actor=user,
            made_on=form.cleaned_data["made_on"],
            length_months=form.cleaned_data["length_months"],
            court=form.cleaned_data["court"],
            expected_version=form.expected_version(),
        ),
        _("Referral order saved. The review meeting is on the lead facilitator's tasks."),
    )
    if saved is not None:
        return redirect(_order_url(case))
    return _form_page(
        request, form, _("Record the referral order"), _("Save the order"), _order_url(case), caption=case.reference
    )


@require_http_methods(["GET", "POST"])
def referral_order_invitation(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    order = selectors.referral_order_page(case).order
    initial = InvolvementForm.initial_for(order) if order is not None else {}
    form = InvolvementForm(request.POST if request.method == "POST" else None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda: services.record_victim_involvement(
            case=case,
            actor=user,
            involvement=form.cleaned_data["involvement"],
            not_invited_reason=form.cleaned_data["not_invited_reason"],
            declined_contribution=form.cleaned_data["declined_contribution"],
            details=form.cleaned_data["details"],
            expected_version=form.expected_version(),
        ),
        _("Recorded."),
    )
    if saved is not None:
        return redirect(_order_url(case))
    return _form_page(
        request,
        form,
        _("The person harmed at the panel"),
        _("Save"),
        _order_url(case),
        caption=case.reference,
        intro=_(
            "The person harmed is usually invited to the panel, and may bring a supporter. If they decline to attend, "
            "they may still send a statement or take part another way."
        ),
    )


@require_http_methods(["GET", "POST"])
def panel_seat(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = access.get_panel_meeting_for_user(user, case_id, meeting_id)
    case = meeting.case
    members = list(selectors.panel_members_of(case.service, in_use_only=True))
    current = [str(seat.member_id) for seat in meeting.panel_seats.all()]
    form = SeatForm(request.POST if request.method == "POST" else None, members=members, initial={"members": current})
    saved = save_form(
        request,
        form,
        lambda: services.seat_panel(meeting=meeting, actor=user, members=form.chosen()),
        _("Panel chosen."),
    )
    if saved is not None:
        return redirect(_order_url(case))
    return _form_page(
        request,
        form,
        _("Choose the panel: %(meeting)s") % {"meeting": presenters.meeting_label(meeting)},
        _("Save the panel"),
        _order_url(case),
        caption=case.reference,
        register_url=reverse("panel_member_list", kwargs={"service_id": case.service_id}),
    )


@require_http_methods(["GET", "POST"])
def breach_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    form = BreachForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.record_breach(
            case=case,
            actor=user,
            occurred_on=form.cleaned_data["occurred_on"],
            what_happened=form.cleaned_data["what_happened"],
            referred_to_court=form.referred(),
        ),
        _("Breach recorded."),
    )
    if saved is not None:
        return redirect(_order_url(case))
    return _form_page(
        request,
        form,
        _("Record a breach of the order"),
        _("Record the breach"),
        _order_url(case),
        caption=case.reference,
    )


@require_http_methods(["GET", "POST"])
def final_meeting(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    page = selectors.referral_order_page(case)
    held = page.held_meetings
    form = FinalMeetingForm(
        request.POST if request.method == "POST" else None,
        meetings=held,
        labels={meeting.pk: presenters.meeting_label(meeting) for meeting in held},
        initial={"version": page.order.version} if page.order else {},
    )
    saved = save_form(
        request,
        form,
        lambda: services.record_final_meeting(
            case=case,
            actor=user,
            meeting=form.chosen(),
            outcome=form.cleaned_data["outcome"],
            expected_version=form.expected_version(),
        ),
        _("Final meeting recorded."),
    )
    if saved is not None:
        return redirect(_order_url(case))
    return _form_page(
        request,
        form,
        _("Record the final panel meeting"),
        _("Record the final meeting"),
        _order_url(case),
        caption=case.reference,
    )


# The report to the court.


def _report_url(case: Case) -> str:
    return reverse("court_report", kwargs={"case_id": case.pk})


@require_safe
def court_report(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    page = access.view_court_report_for_user(user, case_id)
    case = page.case
    report = page.report
    today = timezone.localdate()
    scheduled = report is not None and case.pre_sentence and case.deferred_until is not None
    rows = []
    if report is not None and case.deferred_until is not None and scheduled:
        rows = presenters.court_rows(
            deferment_order_on=case.deferment_order_on, deferred_until=case.deferred_until, report=report, today=today
        )
    can_send = (
        scheduled
        and _can_work(user, case)
        and report is not None
        and not report.is_sent
        and case.deferred_until is not None
        and today <= case.deferred_until
    )
    return render(
        request,
        "youth/court_report.html",
        {
            "case": case,
            "report": report if scheduled else None,
            "rows": rows,
            "can_send": can_send,
            "past_sentence": bool(
                case.deferred_until and today > case.deferred_until and report and not report.is_sent
            ),
            "task": (
                _("%(who)s, due %(day)s") % {"who": name_of(page.task.assigned_to), "day": day(page.task.due_on)}
                if page.task
                else ""
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def court_report_send(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    report = selectors.court_report_page(case).report
    form = CourtReportForm(
        request.POST if request.method == "POST" else None,
        initial={"sent_on": timezone.localdate(), "version": report.version if report else None},
    )
    saved = save_form(
        request,
        form,
        lambda: services.send_court_report(
            case=case,
            actor=user,
            sent_on=form.cleaned_data["sent_on"],
            summary=form.cleaned_data["summary"],
            expected_version=form.expected_version(),
        ),
        _("Report to the court recorded as sent."),
    )
    if saved is not None:
        return redirect(_report_url(case))
    return _form_page(
        request,
        form,
        _("Send the report to the court"),
        _("Record the report as sent"),
        _report_url(case),
        caption=case.reference,
        intro=_("Send the report itself to the court as the court asked; record here when it went and what it said."),
    )
