"""The participant's own pages, behind their secure link: their part in the case, consent, messages, meetings and the
feedback survey. Each page reads and writes through amends.participation.actions, for the link's participant only."""

from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.core.languages import bilingual_form
from amends.core.pages import save_form
from amends.meetings import invitations
from amends.participation import actions, presenters, session
from amends.participation.forms import ConsentForm, LetterForm, MessageForm, SurveyForm, WithdrawForm
from amends.participation.session import ParticipantRequest
from amends.people.languages import participant_languages
from amends.public.context import public_page
from amends.relay import files


def _page(request: ParticipantRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A participant's page, in each language they read. Words that presenters write are given as partials, so
    that the page writes them once in each of its languages."""
    participant = request.participant_link.participant
    return public_page(
        request,
        f"participation/{template}",
        {"participant": participant, **context},
        service=participant.case.service,
        status=status,
        reader=participant,
    )


def _form[FormT: forms.BaseForm](request: ParticipantRequest, form: FormT) -> FormT:
    """The form with its words in each language the participant reads, before it checks anything, so that its
    error messages are too."""
    return bilingual_form(form, participant_languages(request.participant_link.participant))


@session.participant_page
@require_safe
def home(request: ParticipantRequest) -> HttpResponse:
    participant = request.participant_link.participant
    case = participant.case
    summary = actions.summary(participant)
    return _page(
        request,
        "home.html",
        {
            "first_name": presenters.first_name(participant),
            "facilitator": case.lead_facilitator,
            "summary": summary,
            "new_messages": partial(presenters.new_count_words, summary.new_messages),
        },
    )


@session.participant_page
@require_http_methods(["POST"])
def leave(request: ParticipantRequest) -> HttpResponse:
    session.end(request)
    return redirect("participation:left")


@login_not_required
@require_safe
def left(request: HttpRequest) -> HttpResponse:
    """After "Leave": no link is needed to see this, and it shows nothing of anyone's."""
    return public_page(request, "participation/left.html", {}, service=None)


# Consent ------------------------------------------------------------------------------------------------------------


@session.participant_page
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: ParticipantRequest) -> HttpResponse:
    participant = request.participant_link.participant
    records = actions.consent_records(participant)
    may_give = actions.may_give_consent(participant, records)
    form = _form(
        request,
        ConsentForm(request.POST if request.method == "POST" else None, processes=actions.process_choices(participant)),
    )
    if (
        may_give
        and save_form(
            request,
            form,
            lambda: actions.give_consent(
                participant=participant,
                scopes=form.cleaned_data["scopes"],
                process_kinds=form.cleaned_data["process_kinds"],
                share_with=form.cleaned_data["share_with"],
            ),
            _("Thank you. Your consent is recorded, and your facilitator can see it."),
        )
        is not None
    ):
        return redirect("participation:consent")
    return _page(
        request,
        "consent.html",
        {
            "rows": partial(presenters.consent_rows, records),
            "is_given": actions.consent_is_given(records),
            "may_give": may_give,
            "form": form if may_give else None,
        },
    )


@session.participant_page
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: ParticipantRequest) -> HttpResponse:
    participant = request.participant_link.participant
    form = _form(request, WithdrawForm(request.POST if request.method == "POST" else None))
    if save_form(
        request, form, lambda: actions.withdraw_consent(participant=participant, reason=form.cleaned_data["reason"])
    ):
        return redirect("participation:withdrawn")
    records = actions.consent_records(participant)
    return _page(request, "withdraw.html", {"form": form, "is_given": actions.consent_is_given(records)})


@session.participant_page
@require_safe
def withdrawn(request: ParticipantRequest) -> HttpResponse:
    return _page(request, "withdrawn.html", {})


# Messages -----------------------------------------------------------------------------------------------------------


@session.participant_page
@require_safe
def message_list(request: ParticipantRequest) -> HttpResponse:
    participant = request.participant_link.participant
    received = actions.messages_to(participant)
    return _page(
        request,
        "messages.html",
        {
            "rows": partial(presenters.message_rows, received),
            "sent_rows": partial(presenters.sent_rows, actions.messages_from(participant)),
            "may_write_letter": actions.may_write(participant) and bool(actions.counterparts(participant)),
        },
    )


@session.participant_page
@require_safe
def message_detail(request: ParticipantRequest, message_id: int) -> HttpResponse:
    participant = request.participant_link.participant
    message = actions.message_to(participant, message_id)
    opened = actions.open_message(participant=participant, message=message)
    return _page(
        request,
        "message.html",
        {
            "message": message,
            "heading": partial(presenters.message_heading, message),
            "opened": opened,
            "summary_rows": partial(presenters.message_summary, message),
            "file_rows": partial(presenters.file_rows, actions.files_of(message)) if opened else [],
            "may_reply": opened and actions.may_write(participant),
        },
    )


@session.participant_page
@require_safe
def message_file(request: ParticipantRequest, message_id: int, file_id: int) -> HttpResponse:
    """A file of a message passed on to them, as a download under a plain name: never shown in the browser."""
    participant = request.participant_link.participant
    message_file = actions.file_of(participant, message_id, file_id)
    files_of_message = actions.files_of(message_file.message)
    number = next(index for index, item in enumerate(files_of_message, start=1) if item.pk == message_file.pk)
    try:
        data = files.read_decrypted(message_file.stored_name)
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(data, content_type=message_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{presenters.file_download_name(message_file, number)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@session.participant_page
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request: ParticipantRequest, message_id: int) -> HttpResponse:
    participant = request.participant_link.participant
    message = actions.message_to(participant, message_id)
    opened = actions.open_message(participant=participant, message=message)
    form = _form(request, MessageForm(request.POST if request.method == "POST" else None))
    if save_form(
        request,
        form,
        lambda: actions.reply(participant=participant, message=message, body=form.cleaned_data["body"]),
        _("Your message has gone to your facilitator. They will read it before it is passed on."),
    ):
        return redirect("participation:messages")
    return _page(
        request,
        "write.html",
        {
            "form": form,
            "message": message,
            "may_write": opened and actions.may_write(participant),
            "heading": lambda: _("Reply to %(part)s") % {"part": presenters.part_of(message.sender)},
        },
    )


@session.participant_page
@require_http_methods(["GET", "HEAD", "POST"])
def write(request: ParticipantRequest) -> HttpResponse:
    participant = request.participant_link.participant
    others = actions.counterparts(participant)
    by_id = {str(other.pk): other for other in others}
    form = _form(
        request,
        LetterForm(request.POST if request.method == "POST" else None, recipients=presenters.recipient_choices(others)),
    )
    if save_form(
        request,
        form,
        lambda: actions.write_letter(
            participant=participant, recipient=by_id[form.cleaned_data["recipient"]], body=form.cleaned_data["body"]
        ),
        _("Your letter has gone to your facilitator. They will read it before it is passed on."),
    ):
        return redirect("participation:messages")
    return _page(
        request,
        "write.html",
        {
            "form": form,
            "message": None,
            "may_write": bool(others) and actions.may_write(participant),
            "heading": partial(_letter_heading, others),
        },
    )


def _letter_heading(others: list[Any]) -> str:
    if len(others) != 1:
        return _("Write a letter")
    return _("Write a letter to %(part)s") % {"part": presenters.part_of(others[0])}


# Meetings -----------------------------------------------------------------------------------------------------------


@session.participant_page
@require_safe
def meeting(request: ParticipantRequest) -> HttpResponse:
    participant = request.participant_link.participant
    places = [
        {
            "heading": partial(presenters.place_heading, place),
            "rows": partial(presenters.place_rows, place),
            "cancelled": presenters.is_cancelled(place),
            "meeting_id": place.meeting_id,
        }
        for place in actions.places_of(participant)
    ]
    return _page(request, "meeting.html", {"places": places})


@session.participant_page
@require_safe
def meeting_invitation(request: ParticipantRequest, meeting_id: int) -> HttpResponse:
    """Their own calendar invitation, in their language: their times and the place, nothing about anyone else."""
    place = actions.place_at(request.participant_link.participant, meeting_id)
    response = HttpResponse(invitations.invitation(place.meeting, place), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{place.meeting_id}.ics"'
    response["Cache-Control"] = "no-store, private"
    return response


# The feedback survey ------------------------------------------------------------------------------------------------


@session.participant_page
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: ParticipantRequest) -> HttpResponse:
    participant = request.participant_link.participant
    is_open = actions.survey_is_open(participant)
    form = _form(request, SurveyForm(request.POST if request.method == "POST" else None))
    if (
        is_open
        and save_form(request, form, lambda: actions.answer_survey(participant=participant, answers=form.answers()))
        is not None
    ):
        return redirect("participation:survey_sent")
    return _page(request, "survey.html", {"form": form if is_open else None})


@session.participant_page
@require_safe
def survey_sent(request: ParticipantRequest) -> HttpResponse:
    return _page(request, "survey_sent.html", {})
