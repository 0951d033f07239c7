"""The meeting pages of a case, the calendar invitation of each attendee, and a service's venue register: fetch
through access, call one service, redirect."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import Service, User
from amends.cases.models import Case
from amends.core.pages import save_form
from amends.meetings import access, invitations, presenters, selectors, services
from amends.meetings.forms import BookingForm, CancelForm, MoveForm, PreChecksForm, RecordForm, VenueForm
from amends.meetings.models import Meeting
from amends.permissions import Capability, CaseAccess, can, can_on_case


def _can_work(user: object, case: Case) -> bool:
    return can_on_case(user, CaseAccess.WORK, case) and case.is_open


def _form_page(
    request: HttpRequest, case: Case, form: object, heading: str, button: str, **extra: object
) -> HttpResponse:
    return render(
        request,
        "meetings/meeting_form.html",
        {"case": case, "form": form, "heading": heading, "button": button, **extra},
    )


@require_safe
def meeting_list(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case, meetings = access.meeting_list(user, case_id)
    can_book = _can_work(user, case) and case.state in services.BOOKING_STATES
    return render(
        request,
        "meetings/meeting_list.html",
        {"case": case, "rows": presenters.meeting_rows(meetings), "can_book": can_book},
    )


@require_http_methods(["GET", "POST"])
def meeting_book(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_meetings_case_for_user(user, case_id, CaseAccess.WORK)
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        participants=selectors.participants_who_take_part(case),
        venues=list(selectors.venues_of(case.service, in_use_only=True)),
    )
    meeting = save_form(
        request,
        form,
        lambda: services.book_meeting(
            case=case,
            actor=user,
            purpose=form.cleaned_data["purpose"],
            starts_at=form.starts_at(),
            duration_minutes=form.cleaned_data["duration_minutes"],
            attendees=form.chosen(),
            venue=form.chosen_venue(),
            platform=form.cleaned_data["platform"],
            pre_checks_on=form.cleaned_data["pre_checks_on"],
            visit_booking_reference=form.cleaned_data["visit_booking_reference"],
            security_cleared=form.cleaned_data["security_cleared"],
            supporters_agreed=form.cleaned_data["supporters_agreed"],
            windows=form.windows(),
        ),
        _("Meeting booked. Send each person their own calendar invitation."),
    )
    if meeting is not None:
        return redirect("meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    return _form_page(
        request,
        case,
        form,
        _("Book a meeting"),
        _("Book meeting"),
        intro=_(
            "The four gates are checked again when you book. The two sides arrive and leave at different times, "
            "so they do not meet before or after."
        ),
    )


@require_safe
def meeting_detail(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = access.view_meeting_for_user(user, case_id, meeting_id)
    case = meeting.case
    can_change = _can_work(user, case) and meeting.is_booked
    attendees = list(meeting.attendees.all())
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "case": case,
            "meeting": meeting,
            "can_change": can_change,
            "summary_rows": presenters.meeting_summary(meeting),
            "attendee_rows": presenters.attendee_rows(
                meeting, attendees, can_invite=can_on_case(user, CaseAccess.WORK, case)
            ),
        },
    )


def _meeting_for_change(request: HttpRequest, case_id: int, meeting_id: int) -> Meeting:
    user = signed_in_user(request)
    return selectors.meeting_with_attendees(access.get_meeting_for_user(user, case_id, meeting_id, CaseAccess.WORK))


def _to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect("meeting_detail", case_id=meeting.case_id, meeting_id=meeting.pk)


def _heading(text: str, meeting: Meeting) -> str:
    return f"{text}: {meeting.get_purpose_display()}, {presenters.when(meeting.starts_at)}"


@require_http_methods(["GET", "POST"])
def meeting_move(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _meeting_for_change(request, case_id, meeting_id)
    form = MoveForm(request.POST if request.method == "POST" else None, initial={"version": meeting.version})
    saved = save_form(
        request,
        form,
        lambda: services.move_meeting(
            meeting=meeting,
            actor=user,
            starts_at=form.starts_at(),
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        ),
        _("Meeting moved. Send everyone their updated calendar invitation."),
    )
    if saved is not None:
        return _to_meeting(meeting)
    return _form_page(
        request,
        meeting.case,
        form,
        _heading(_("Move the meeting"), meeting),
        _("Move meeting"),
        meeting=meeting,
        intro=_("Everyone's arrival and departure move by the same amount, so the two sides stay apart."),
    )


@require_http_methods(["GET", "POST"])
def meeting_pre_checks(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _meeting_for_change(request, case_id, meeting_id)
    form = PreChecksForm(
        request.POST if request.method == "POST" else None,
        initial={"version": meeting.version, "checked_on": meeting.pre_checks_on},
    )
    saved = save_form(
        request,
        form,
        lambda: services.record_pre_checks(
            meeting=meeting,
            actor=user,
            checked_on=form.cleaned_data["checked_on"],
            expected_version=form.expected_version(),
        ),
        _("Connection test recorded."),
    )
    if saved is not None:
        return _to_meeting(meeting)
    heading = _heading(_("Record the connection test"), meeting)
    return _form_page(request, meeting.case, form, heading, _("Save"), meeting=meeting)


@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _meeting_for_change(request, case_id, meeting_id)
    form = CancelForm(request.POST if request.method == "POST" else None, initial={"version": meeting.version})
    saved = save_form(
        request,
        form,
        lambda: services.cancel_meeting(
            meeting=meeting, actor=user, reason=form.cleaned_data["reason"], expected_version=form.expected_version()
        ),
        _("Meeting cancelled. Tell everyone who was coming."),
    )
    if saved is not None:
        return _to_meeting(meeting)
    return _form_page(
        request, meeting.case, form, _heading(_("Cancel the meeting"), meeting), _("Cancel meeting"), meeting=meeting
    )


@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _meeting_for_change(request, case_id, meeting_id)
    attendees = list(meeting.attendees.all())
    form = RecordForm(
        request.POST if request.method == "POST" else None,
        attendees=attendees,
        initial={"version": meeting.version},
    )
    saved = save_form(
        request,
        form,
        lambda: services.record_meeting(
            meeting=meeting,
            actor=user,
            outcome=form.cleaned_data["outcome"],
            attended=form.attended_ids(),
            summary=form.cleaned_data["summary"],
            expected_version=form.expected_version(),
        ),
        _("Meeting recorded."),
    )
    if saved is not None:
        return _to_meeting(meeting)
    return _form_page(
        request, meeting.case, form, _heading(_("Record the meeting"), meeting), _("Record meeting"), meeting=meeting
    )


def invitation_file(user: User, case_id: int, meeting_id: int, attendee_id: int) -> HttpResponse:
    """One attendee's calendar invitation, with its audit: the page's download and the API's. Their own times and the
    place, nothing about anyone else; the file name names the meeting, never the person."""
    attendee = access.view_attendee_for_user(user, case_id, meeting_id, attendee_id)
    meeting = attendee.meeting
    response = HttpResponse(invitations.invitation(meeting, attendee), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-{attendee.pk}.ics"'
    return response


@require_safe
def attendee_invitation(request: HttpRequest, case_id: int, meeting_id: int, attendee_id: int) -> HttpResponse:
    """One attendee's calendar invitation: their own times and the place, nothing about anyone else."""
    return invitation_file(signed_in_user(request), case_id, meeting_id, attendee_id)


# The venue register.


def _to_venues(service: Service) -> HttpResponse:
    return redirect("venue_list", service_id=service.pk)


@require_safe
def venue_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_service_venues_for_user(user, service_id)
    can_manage = can(user, Capability.MANAGE_VENUES, service)
    return render(
        request,
        "meetings/venue_list.html",
        {
            "service": service,
            "can_manage": can_manage,
            "rows": presenters.venue_rows(list(selectors.venues_of(service)), can_manage=can_manage),
        },
    )


def _venue_page(request: HttpRequest, service: Service, form: VenueForm, heading: str) -> HttpResponse:
    return render(request, "meetings/venue_form.html", {"service": service, "form": form, "heading": heading})


@require_http_methods(["GET", "POST"])
def venue_add(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_service_venues_for_user(user, service_id, Capability.MANAGE_VENUES)
    form = VenueForm(request.POST if request.method == "POST" else None)
    saved = save_form(
        request,
        form,
        lambda: services.save_venue(service=service, actor=user, details=form.details()),
        _("Venue added."),
    )
    if saved is not None:
        return _to_venues(service)
    return _venue_page(request, service, form, _("Add a venue"))


@require_http_methods(["GET", "POST"])
def venue_edit(request: HttpRequest, service_id: int, venue_id: int) -> HttpResponse:
    user = signed_in_user(request)
    venue = access.get_venue_for_user(user, service_id, venue_id)
    form = VenueForm(request.POST if request.method == "POST" else None, initial=VenueForm.initial_for(venue))
    saved = save_form(
        request,
        form,
        lambda: services.save_venue(
            service=venue.service,
            actor=user,
            venue=venue,
            details=form.details(),
            expected_version=form.expected_version(),
        ),
        _("Venue saved."),
    )
    if saved is not None:
        return _to_venues(venue.service)
    return _venue_page(request, venue.service, form, _("Change %(venue)s") % {"venue": venue.name})
