"""Pages recording what a participant was told, the person responsible's responsibility, and consent."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amends.accounts.access import signed_in_user
from amends.cases import access
from amends.cases.models import State
from amends.consent import services
from amends.consent.forms import ConsentForm, InformationForm, ResponsibilityForm, WithdrawConsentForm
from amends.core.errors import DomainError, add_to_form
from amends.core.pages import save_form
from amends.people.models import Participant
from amends.permissions import CaseAccess


def _to_participant(participant: Participant) -> HttpResponse:
    return redirect("participant_detail", case_id=participant.case.pk, participant_id=participant.pk)


@require_http_methods(["GET", "POST"])
def information_add(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    form = InformationForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.record_information_given(
            participant=participant,
            actor=user,
            items=form.cleaned_data["items"],
            given_on=form.cleaned_data["given_on"],
            format=form.cleaned_data["format"],
            language=form.cleaned_data["language"],
        ),
        _("Information given recorded."),
    )
    if saved is not None:
        return _to_participant(participant)
    return render(
        request, "consent/information_add.html", {"case": participant.case, "participant": participant, "form": form}
    )


@require_http_methods(["GET", "POST"])
def responsibility_add(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    if not participant.is_person_responsible:
        raise Http404
    form = ResponsibilityForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.record_responsibility(
            participant=participant,
            actor=user,
            basis=form.cleaned_data["basis"],
            level=form.cleaned_data["level"],
            in_their_words=form.cleaned_data["in_their_words"],
            recorded_on=form.cleaned_data["recorded_on"],
        ),
        _("Responsibility recorded."),
    )
    if saved is not None:
        return _to_participant(participant)
    return render(
        request, "consent/responsibility_add.html", {"case": participant.case, "participant": participant, "form": form}
    )


@require_http_methods(["GET", "POST"])
def consent_give(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.give_consent(
            participant=participant,
            actor=user,
            scopes=form.cleaned_data["scopes"],
            process_kinds=form.cleaned_data["process_kinds"],
            method=form.cleaned_data["method"],
            occurred_at=form.occurred_at(),
            witnessed_by=form.cleaned_data["witnessed_by"],
            evidence=form.cleaned_data["evidence"],
            share_with=form.cleaned_data["share_with"],
        ),
        _("Consent recorded."),
    )
    if saved is not None:
        return _to_participant(participant)
    return render(
        request, "consent/consent_give.html", {"case": participant.case, "participant": participant, "form": form}
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    form = WithdrawConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        state_before = participant.case.state
        try:
            services.withdraw_consent(participant=participant, actor=user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            case = access.get_case_for_user(user, case_id)
            if case.state == State.ASSESSING and state_before != State.ASSESSING:
                messages.success(
                    request,
                    _("Consent withdrawn. The case has gone back to assessing and its facilitators have been told."),
                )
            else:
                messages.success(request, _("Consent withdrawn."))
            return _to_participant(participant)
    return render(
        request, "consent/consent_withdraw.html", {"case": participant.case, "participant": participant, "form": form}
    )
