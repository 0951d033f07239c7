"""The public pages of each service: what RJ is and how to take part, how to contact the service and when it is open,
its privacy notice and accessibility statement, and the feedback and complaints form. Nobody signs in to read them.

The feedback form records into the service's complaints register through amends.complaints.services. Nothing that
identifies the person goes into a URL or the session: the page after sending says only when a complaint is answered.
"""

import datetime
import re
from typing import Any

from allauth.core import ratelimit
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.models import Service
from amends.accounts.selectors import opening_hours_by_day
from amends.complaints import services as complaint_services
from amends.complaints.models import Channel
from amends.core.errors import DomainError, add_to_form
from amends.dataprotection import retention
from amends.dataprotection import settings_presenters as data_protection
from amends.dataprotection.settings_services import purpose_list
from amends.dataprotection.sharing_selectors import partner_kinds_in_force
from amends.public import hours, selectors
from amends.public.context import public_page
from amends.public.forms import FeedbackForm

WELSH = "cy"
# The day this accessibility statement was prepared (the GOV.UK model statement asks for it).
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 12, 5)
# Only whether the last form sent was a complaint, and if so when it is answered; nothing the person typed.
SENT_KEY = "public_feedback_sent"
_BLANK_LINE = re.compile(r"\n\s*\n")


def _contact_rows(service: Service) -> list[dict[str, Any]]:
    """Phone, email and areas covered, as summary list rows (the service's own text escaped)."""
    rows: list[dict[str, Any]] = []
    if service.phone:
        number = service.phone.replace(" ", "")
        link = format_html('<a class="govuk-link" href="tel:{}">{}</a>', number, service.phone)
        rows.append({"key": _("Phone"), "value": link})
    if service.email:
        link = format_html('<a class="govuk-link" href="mailto:{}">{}</a>', service.email, service.email)
        rows.append({"key": _("Email"), "value": link})
    if service.areas_covered.strip():
        rows.append({"key": _("Areas covered"), "value": linebreaksbr(service.areas_covered.strip(), autoescape=True)})
    return rows


def _paragraphs(text: str) -> list[str]:
    """A service's text split into paragraphs at blank lines (each shown with its line breaks, escaped)."""
    return [paragraph.strip() for paragraph in _BLANK_LINE.split(text) if paragraph.strip()]


def _in_page_language(english: str, welsh: str) -> str:
    """The service's own Welsh text on Welsh pages, falling back to its English text when it has none."""
    if get_language() == WELSH and welsh.strip():
        return welsh
    return english


@login_not_required
@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    return public_page(request, "public/index.html", {"services": list(selectors.public_service_list())}, service=None)


@login_not_required
@require_safe
def service_page(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.public_service_or_404(code)
    return public_page(request, "public/service.html", {"service": service}, service=service)


@login_not_required
@require_safe
def contact(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.public_service_or_404(code, with_hours=True)
    week = opening_hours_by_day(service)
    return public_page(
        request,
        "public/contact.html",
        {
            "service": service,
            "contact_rows": _contact_rows(service),
            "status": hours.status_text(hours.opening_status(week, timezone.now())),
            "hours_rows": hours.hours_table(week),
            "out_of_hours": _paragraphs(
                _in_page_language(service.out_of_hours_message, service.out_of_hours_message_cy)
            ),
        },
        service=service,
    )


@login_not_required
@require_safe
def privacy(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.public_service_or_404(code)
    organisation = service.organisation
    return public_page(
        request,
        "public/privacy.html",
        {
            "service": service,
            "notice": _paragraphs(_in_page_language(service.privacy_notice, service.privacy_notice_cy)),
            "organisation": organisation,
            "controller": organisation.controller_name or organisation.name,
            # The organisation's data protection settings: why it processes personal data and on what basis, and
            # how long the service keeps each kind of record.
            "purpose_rows": data_protection.notice_purpose_rows(purpose_list(organisation)),
            "retention_rows": data_protection.retention_rows(retention.rules_for(service).values()),
            "shared_with": partner_kinds_in_force(service, timezone.localdate()),
        },
        service=service,
    )


@login_not_required
@require_safe
def accessibility(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.public_service_or_404(code)
    return public_page(
        request,
        "public/accessibility.html",
        {"service": service, "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED},
        service=service,
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.public_service_or_404(code)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_honeypot_filled():
        # A program filled in the field people never see: it is told the form was sent, and nothing is kept.
        request.session.pop(SENT_KEY, None)
        return redirect("public:feedback_done", code=service.code.lower())
    if form.is_valid():
        if not ratelimit.consume(request, action="public_feedback"):
            return public_page(
                request, "public/feedback_refused.html", {"service": service}, service=service, status=429
            )
        try:
            complaint = complaint_services.record_complaint(
                service=service,
                actor=None,
                kind=form.cleaned_data["kind"],
                received_on=timezone.localdate(),
                channel=Channel.ONLINE_FORM,
                from_role=form.cleaned_data["from_role"],
                summary=form.cleaned_data["summary"],
                contact=form.contact(),
                answer_by=form.cleaned_data["answer_by"],
            )
        except DomainError as error:
            if error.field in form.fields:
                add_to_form(form, error)
            else:
                # The rule is about the service (it has nobody to answer complaints), not what they typed.
                form.add_error(None, _("Sorry, we could not send this. Please phone or email us instead."))
        else:
            request.session[SENT_KEY] = {"due_on": complaint.due_on.isoformat() if complaint.due_on else None}
            return redirect("public:feedback_done", code=service.code.lower())
    return public_page(request, "public/feedback.html", {"service": service, "form": form}, service=service)


@login_not_required
@require_safe
def feedback_done(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.public_service_or_404(code)
    # Shown once: someone using the same computer later is not told that a complaint was made.
    sent = request.session.pop(SENT_KEY, None) or {}
    due_on = sent.get("due_on") if isinstance(sent, dict) else None
    return public_page(
        request,
        "public/feedback_done.html",
        {"service": service, "due_on": datetime.date.fromisoformat(due_on) if due_on else None},
        service=service,
    )
