"""Opening a secure link and its second check (the participant's side), and issuing and revoking links (staff)."""

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amends.accounts.access import signed_in_user
from amends.cases import access
from amends.core.errors import DomainError
from amends.core.languages import bilingual_form
from amends.core.pages import save_form
from amends.participation import links, selectors, session
from amends.participation.link_forms import CodeForm, DateOfBirthForm, IssueLinkForm
from amends.participation.models import ParticipantLink, SecondCheck
from amends.people.languages import participant_languages
from amends.permissions import CaseAccess
from amends.public.context import public_page

PENDING_KEY = "amends_pending_link"


def _ended(request: HttpRequest, link: ParticipantLink | None, status: int = 200) -> HttpResponse:
    service = link.participant.case.service if link is not None else None
    locked = link is not None and link.locked_at is not None
    return public_page(request, "participation/link_ended.html", {"locked": locked}, service=service, status=status)


@login_not_required
@require_http_methods(["GET"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """The address in the email, text or letter. The token leaves the address bar at once: the check page finds the
    link through the session."""
    link = selectors.link_by_token(token)
    if link is None or not link.is_live:
        return _ended(request, link, status=404 if link is None else 200)
    session.end(request)
    request.session[PENDING_KEY] = link.pk
    return redirect("participation:check")


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    link = selectors.link_by_id(request.session.get(PENDING_KEY))
    if link is None or not link.is_live:
        return _ended(request, link)
    form_class = DateOfBirthForm if link.second_check == SecondCheck.DATE_OF_BIRTH else CodeForm
    form = bilingual_form(
        form_class(request.POST if request.method == "POST" else None), participant_languages(link.participant)
    )
    service = link.participant.case.service
    if request.method == "POST":
        if not ratelimit.consume(request, action="participant_check"):
            return public_page(request, "participation/link_busy.html", {}, service=service, status=429)
        if form.is_valid():
            if links.check_link(link=link, answer=form.cleaned_data["answer"]):
                request.session.pop(PENDING_KEY, None)
                session.begin(request, link)
                return redirect("participation:home")
            if link.locked_at is not None:
                request.session.pop(PENDING_KEY, None)
                return _ended(request, link)
            form.add_error(
                "answer",
                _("That does not match what we hold. You have %(tries)s tries left.")
                % {"tries": links.tries_left(link)},
            )
    return public_page(
        request, "participation/link_check.html", {"form": form, "link": link}, service=service, reader=link.participant
    )


@login_not_required
@require_http_methods(["GET"])
def exit_now(request: HttpRequest) -> HttpResponse:
    """ "Exit this page" from a participant's page: their session ends, then the browser goes to the everyday site.
    A GET, because the button is a link that must work at once and without JavaScript; it can only sign them out."""
    session.end(request)
    return redirect(settings.AMENDS_EXIT_PAGE_URL)


@login_not_required
@require_http_methods(["GET"])
def ended(request: HttpRequest) -> HttpResponse:
    return _ended(request, None)


@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, case_id: int, participant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    form = IssueLinkForm(request.POST if request.method == "POST" else None)
    issued = save_form(
        request,
        form,
        lambda: links.issue_link(
            participant=participant,
            actor=user,
            channel=form.cleaned_data["channel"],
            second_check=form.cleaned_data["second_check"],
            days=form.cleaned_data["days"],
        ),
        _("Secure link issued. Any earlier link for them no longer works."),
    )
    back_url = reverse("participant_detail", kwargs={"case_id": case_id, "participant_id": participant_id})
    if issued is not None:
        # Shown once, straight from the POST: the link and the code are never stored or shown again.
        return render(
            request,
            "participation/link_issued.html",
            {"case": participant.case, "participant": participant, "issued": issued, "back_url": back_url},
        )
    return render(
        request,
        "participation/link_issue.html",
        {
            "case": participant.case,
            "participant": participant,
            "form": form,
            "heading": _("Give %(name)s a secure link") % {"name": participant.person.full_name},
            "button": _("Issue the link"),
            "back_url": back_url,
        },
    )


@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, case_id: int, participant_id: int, link_id: int) -> HttpResponse:
    user = signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    link = selectors.link_of(participant, link_id)
    if link is None:
        raise Http404
    back_url = reverse("participant_detail", kwargs={"case_id": case_id, "participant_id": participant_id})
    if request.method == "POST":
        try:
            links.revoke_link(link=link, actor=user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The link no longer works."))
        return redirect(back_url)
    return render(
        request,
        "participation/link_revoke.html",
        {"case": participant.case, "participant": participant, "link": link, "back_url": back_url},
    )
