"""The follow-up page of a case and its forms: fetch through access, call one service, redirect."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.cases.models import Case
from amends.cases.presenters import day
from amends.core.pages import save_form
from amends.followup import access, presenters, selectors, services
from amends.followup.forms import (
    OnwardReferralForm,
    OnwardReferralUpdateForm,
    ReoffendingForm,
    SurveyForm,
    survey_initial,
)
from amends.people.models import ParticipantRole
from amends.permissions import CaseAccess, can_on_case


def _to_follow_up(case: Case) -> HttpResponse:
    return redirect("follow_up_detail", case_id=case.pk)


def _form_page(
    request: HttpRequest, case: Case, form: object, heading: str, button: str, **extra: object
) -> HttpResponse:
    return render(
        request,
        "followup/follow_up_form.html",
        {"case": case, "form": form, "heading": heading, "button": button, **extra},
    )


@require_safe
def follow_up_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.view_follow_up_case_for_user(user, case_id)
    page = selectors.follow_up_page(case)
    can_work = can_on_case(user, CaseAccess.WORK, case)
    # A closed case shows its follow-up but takes nothing new, except a reoffending check (see services).
    can_survey = can_work and case.is_open and case.state in services.SURVEY_STATES
    can_refer = can_work and case.is_open
    can_check = can_work and page.process_on is not None
    return render(
        request,
        "followup/follow_up_detail.html",
        {
            "case": case,
            "process_on": page.process_on,
            "can_survey": can_survey,
            "can_refer": can_refer,
            "can_check": can_check,
            "task_rows": presenters.task_rows(page.tasks, timezone.localdate()),
            "surveys": presenters.survey_list(case.pk, page.participants, page.surveys, can_change=can_survey),
            "check_rows": presenters.check_rows(page.checks),
            "change": presenters.change_text(page.change),
            "referral_rows": presenters.referral_rows(case.pk, page.referrals, can_change=can_refer),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_add(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    case = participant.case
    form = SurveyForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.record_survey(
            case=case,
            actor=user,
            participant=participant,
            taken_on=form.cleaned_data["taken_on"],
            method=form.cleaned_data["method"],
            answers=form.answers(),
        ),
        _("Feedback survey recorded."),
    )
    if saved is not None:
        return _to_follow_up(case)
    return _form_page(
        request,
        case,
        form,
        _("Feedback survey: %(name)s") % {"name": participant.person.full_name},
        _("Record survey"),
        intro=_("The survey is voluntary: leave any question they did not want to answer as not answered."),
    )


@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, case_id: int, survey_id: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = access.get_survey_for_user(user, case_id, survey_id, CaseAccess.WORK)
    case = survey.case
    form = SurveyForm(request.POST if request.method == "POST" else None, initial=survey_initial(survey))
    saved = save_form(
        request,
        form,
        lambda: services.correct_survey(
            survey=survey,
            actor=user,
            taken_on=form.cleaned_data["taken_on"],
            method=form.cleaned_data["method"],
            answers=form.answers(),
            expected_version=form.expected_version(),
        ),
        _("Feedback survey corrected."),
    )
    if saved is not None:
        return _to_follow_up(case)
    return _form_page(
        request,
        case,
        form,
        _("Correct the feedback survey: %(name)s") % {"name": survey.participant.person.full_name},
        _("Save survey"),
    )


@require_http_methods(["GET", "POST"])
def reoffending_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_follow_up_case_for_user(user, case_id, CaseAccess.WORK)
    page = selectors.follow_up_page(case)
    responsible = [p for p in page.participants if p.role == ParticipantRole.PERSON_RESPONSIBLE]
    form = ReoffendingForm(
        request.POST if request.method == "POST" else None,
        participants=responsible,
        initial={"process_on": page.process_on},
    )
    saved = save_form(
        request,
        form,
        lambda: services.record_reoffending_check(
            case=case,
            actor=user,
            participant=form.participant(),
            process_on=form.cleaned_data["process_on"],
            offences_before=form.cleaned_data["offences_before"],
            offences_after=form.cleaned_data["offences_after"],
            source=form.cleaned_data["source"],
            checked_on=form.cleaned_data["checked_on"],
        ),
        _("Reoffending check recorded."),
    )
    if saved is not None:
        return _to_follow_up(case)
    return _form_page(
        request,
        case,
        form,
        _("Record a reoffending check"),
        _("Record check"),
        intro=_("Count proven offences only: convictions, cautions and other out-of-court disposals."),
    )


@require_http_methods(["GET", "POST"])
def onward_referral_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_follow_up_case_for_user(user, case_id, CaseAccess.WORK)
    participants = selectors.follow_up_page(case).participants
    form = OnwardReferralForm(request.POST if request.method == "POST" else None, participants=participants)
    saved = save_form(
        request,
        form,
        lambda: services.make_onward_referral(
            case=case,
            actor=user,
            participant=form.participant(),
            support_kind=form.cleaned_data["support_kind"],
            organisation=form.cleaned_data["organisation"],
            status=form.cleaned_data["status"],
            status_on=form.cleaned_data["status_on"],
            notes=form.cleaned_data["notes"],
        ),
        _("Onward referral recorded."),
    )
    if saved is not None:
        return _to_follow_up(case)
    return _form_page(request, case, form, _("Signpost or refer to other support"), _("Save referral"))


@require_http_methods(["GET", "POST"])
def onward_referral_update(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    user = signed_in_user(request)
    referral = access.get_onward_referral_for_user(user, case_id, referral_id, CaseAccess.WORK)
    case = referral.case
    form = OnwardReferralUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={"version": referral.version, "notes": referral.notes},
    )
    saved = save_form(
        request,
        form,
        lambda: services.update_onward_referral(
            referral=referral,
            actor=user,
            status=form.cleaned_data["status"],
            status_on=form.cleaned_data["status_on"],
            notes=form.cleaned_data["notes"],
            expected_version=form.expected_version(),
        ),
        _("Onward referral updated."),
    )
    if saved is not None:
        return _to_follow_up(case)
    return _form_page(
        request,
        case,
        form,
        _("Update the referral: %(what)s") % {"what": referral.label()},
        _("Save update"),
        intro=_("%(name)s: %(status)s on %(day)s")
        % {
            "name": referral.participant.person.full_name,
            "status": referral.get_status_display(),
            "day": day(referral.status_on),
        },
    )
