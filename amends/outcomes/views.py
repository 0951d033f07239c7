"""The outcome agreement page of a case and its forms: fetch through access, call one service, redirect."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import User
from amends.cases.models import Case
from amends.core.pages import save_form
from amends.outcomes import access, presenters, printing, selectors, services
from amends.outcomes.forms import (
    ActionForm,
    AgreementForm,
    ParticipantAgreementForm,
    PaymentForm,
    VerifyForm,
    WithdrawActionForm,
)
from amends.outcomes.models import AgreementAction
from amends.permissions import CaseAccess, can_on_case


def _to_agreement(case: Case) -> HttpResponse:
    return redirect("agreement_detail", case_id=case.pk)


def _form_page(
    request: HttpRequest, case: Case, form: object, heading: str, button: str, **extra: object
) -> HttpResponse:
    return render(
        request,
        "outcomes/agreement_form.html",
        {"case": case, "form": form, "heading": heading, "button": button, **extra},
    )


@require_safe
def agreement_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    page = access.view_agreement_for_user(user, case_id)
    case = page.case
    can_change = can_on_case(user, CaseAccess.WORK, case) and case.is_open and case.state in services.AGREEMENT_STATES
    edit_url = reverse("agreement_edit", kwargs={"case_id": case.pk}) if can_change else ""
    return render(
        request,
        "outcomes/agreement_detail.html",
        {
            "case": case,
            "agreement": page.agreement,
            "can_change": can_change,
            "agreement_rows": presenters.agreement_rows(page.agreement, edit_url) if page.agreement else [],
            "agreed_rows": presenters.participant_agreement_rows(page.agreements),
            "action_rows": presenters.action_rows(case.pk, page.actions, timezone.localdate(), can_change=can_change),
            "payment_rows": presenters.payment_rows(page.actions),
            "print_links": presenters.print_links(case, page.participants)
            if page.agreement and can_on_case(user, CaseAccess.WORK, case)
            else [],
        },
    )


def agreement_file(user: User, case_id: int, participant_id: int) -> HttpResponse:
    """The agreement as a PDF for one participant who takes part, in their language, with its audit: the page's
    download and the API's. The file name names the case, never the person."""
    participant, page = access.view_agreement_for_participant(user, case_id, participant_id)
    assert page.agreement is not None  # noqa: S101 - the access helper answers 404 without one
    pdf = printing.agreement_pdf(page.agreement, page.actions, page.agreements, participant)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="agreement-{participant.case.reference}-{participant.pk}.pdf"'
    )
    return response


@require_safe
def agreement_print(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    """The agreement as a PDF for one participant to keep, in their language."""
    return agreement_file(signed_in_user(request), case_id, participant_id)


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_agreement_case_for_user(user, case_id, CaseAccess.WORK)
    agreement = selectors.agreement_page(case).agreement
    initial = (
        {"made_on": agreement.made_on, "summary": agreement.summary, "version": agreement.version} if agreement else {}
    )
    form = AgreementForm(request.POST if request.method == "POST" else None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda: services.make_agreement(
            case=case,
            actor=user,
            made_on=form.cleaned_data["made_on"],
            summary=form.cleaned_data["summary"],
            expected_version=form.expected_version(),
        ),
        _("Outcome agreement saved."),
    )
    if saved is not None:
        return _to_agreement(case)
    heading = _("Change the outcome agreement") if agreement else _("Record the outcome agreement")
    return _form_page(request, case, form, heading, _("Save agreement"))


@require_http_methods(["GET", "POST"])
def participant_agreement_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_agreement_case_for_user(user, case_id, CaseAccess.WORK)
    participants = selectors.agreement_page(case).participants
    form = ParticipantAgreementForm(request.POST if request.method == "POST" else None, participants=participants)
    saved = save_form(
        request,
        form,
        lambda: services.record_participant_agreement(
            case=case,
            actor=user,
            participant=form.participant("participant_id"),
            agreed_on=form.cleaned_data["agreed_on"],
            method=form.cleaned_data["method"],
        ),
        _("Agreement to the outcome recorded."),
    )
    if saved is not None:
        return _to_agreement(case)
    return _form_page(
        request,
        case,
        form,
        _("Record a participant's agreement"),
        _("Record agreement"),
        intro=_("Record it only once they have agreed freely to the outcome, knowing what it asks of whom."),
    )


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_agreement_case_for_user(user, case_id, CaseAccess.WORK)
    participants = selectors.agreement_page(case).participants
    form = ActionForm(request.POST if request.method == "POST" else None, participants=participants)
    saved = save_form(
        request,
        form,
        lambda: services.add_action(
            case=case,
            actor=user,
            kind=form.cleaned_data["kind"],
            support_kind=form.cleaned_data["support_kind"],
            description=form.cleaned_data["description"],
            owner=form.participant("owner_id"),
            due_on=form.cleaned_data["due_on"],
            amount=form.cleaned_data["amount"],
        ),
        _("Action added."),
    )
    if saved is not None:
        return _to_agreement(case)
    return _form_page(request, case, form, _("Add an action"), _("Add action"))


def _action_heading(heading: str, action: AgreementAction) -> str:
    return f"{heading}: {action.label()}"


@require_http_methods(["GET", "POST"])
def payment_add(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    user = signed_in_user(request)
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    case = action.agreement.case
    form = PaymentForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.record_payment(
            action=action, actor=user, amount=form.cleaned_data["amount"], paid_on=form.cleaned_data["paid_on"]
        ),
        _("Payment recorded."),
    )
    if saved is not None:
        return _to_agreement(case)
    return _form_page(request, case, form, _action_heading(_("Record a payment"), action), _("Record payment"))


@require_http_methods(["GET", "POST"])
def action_verify(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    user = signed_in_user(request)
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    case = action.agreement.case
    form = VerifyForm(request.POST if request.method == "POST" else None, initial={"version": action.version})
    saved = save_form(
        request,
        form,
        lambda: services.verify_action(
            action=action,
            actor=user,
            completed=form.cleaned_data["outcome"] == "completed",
            note=form.cleaned_data["note"],
            expected_version=form.expected_version(),
        ),
        _("Saved. Tell the person harmed whether the action was completed: a task is on your list."),
    )
    if saved is not None:
        return _to_agreement(case)
    return _form_page(
        request, case, form, _action_heading(_("Record whether it was done"), action), _("Save"), action=action
    )


@require_http_methods(["GET", "POST"])
def action_withdraw(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    user = signed_in_user(request)
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    case = action.agreement.case
    form = WithdrawActionForm(request.POST if request.method == "POST" else None, initial={"version": action.version})
    saved = save_form(
        request,
        form,
        lambda: services.withdraw_action(
            action=action, actor=user, reason=form.cleaned_data["reason"], expected_version=form.expected_version()
        ),
        _("Action withdrawn."),
    )
    if saved is not None:
        return _to_agreement(case)
    return _form_page(
        request, case, form, _action_heading(_("Withdraw an action"), action), _("Withdraw action"), action=action
    )
