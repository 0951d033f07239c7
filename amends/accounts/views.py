"""Pages for services, their people and practitioners' records: fetch through access, call a service, redirect."""

from collections.abc import Callable

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as format_date
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts import access, practice, presenters, selectors, services, tokens
from amends.accounts.adapters import MFAAdapter
from amends.accounts.forms import (
    AcceptInvitationForm,
    AccessTokenForm,
    CPDForm,
    FacilitatorRecordForm,
    InvitationForm,
    ObservationForm,
    OpeningHoursForm,
    ServiceForm,
    SupervisionForm,
    SupervisorForm,
    TrainingForm,
)
from amends.accounts.models import PersonalAccessToken, RJCLevel, Role, Service, Specialism, User, WelshSkill
from amends.core.errors import DomainError, add_to_form
from amends.dataprotection.access import shows_hub
from amends.permissions import Capability, can, roles_in


@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in_user(request)
    services_with_roles = [
        (service, sorted(roles_in(user, service), key=list(Role).index))
        for service in access.services_visible_to(user).order_by("name")
    ]
    return render(request, "accounts/service_list.html", {"rows": presenters.service_list_rows(services_with_roles)})


@require_safe
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id)
    can_manage = can(user, Capability.MANAGE_SERVICE, service)
    return render(
        request,
        "accounts/service_detail.html",
        {
            "service": service,
            "rows": presenters.service_rows(service, can_manage=can_manage),
            "hours_rows": presenters.opening_hours_rows(selectors.opening_hours_by_day(service)),
            "partnerships": list(service.partnerships.all()),
            "can_manage": can_manage,
            "can_view_people": can(user, Capability.VIEW_PEOPLE, service),
            "can_view_venues": can(user, Capability.VIEW_VENUES, service),
            "can_view_panel_members": can(user, Capability.VIEW_PANEL_MEMBERS, service),
            "can_view_figures": can(user, Capability.VIEW_FIGURES, service),
            "shows_data_protection": shows_hub(user, service),
            "can_view_suppressed_figures": can(user, Capability.VIEW_SUPPRESSED_FIGURES, service),
            "my_roles": presenters.role_names(sorted(roles_in(user, service), key=list(Role).index)),
        },
    )


@reauthentication_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.MANAGE_SERVICE)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(service=service, actor=user, details=form.cleaned_data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Service details saved."))
            return redirect("service_detail", service_id=service.pk)
    service.refresh_from_db()
    return render(request, "accounts/service_edit.html", {"service": service, "form": form})


@reauthentication_required
@require_http_methods(["GET", "POST"])
def opening_hours_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.MANAGE_SERVICE)
    current = dict(selectors.opening_hours_by_day(service))
    form = OpeningHoursForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_opening_hours(service=service, actor=user, hours=form.hours())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("service_detail", service_id=service.pk)
    return render(request, "accounts/opening_hours_edit.html", {"service": service, "form": form})


@require_safe
def people(request: HttpRequest, service_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.VIEW_PEOPLE)
    members = access.people_of(user, service)
    can_manage = can(user, Capability.MANAGE_PEOPLE, service)
    return render(
        request,
        "accounts/people.html",
        {
            "service": service,
            "member_rows": presenters.member_rows(service, members),
            "invitations": list(selectors.open_invitations(service)) if can_manage else [],
            "can_manage": can_manage,
        },
    )


@reauthentication_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, service_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.MANAGE_PEOPLE)
    form = InvitationForm(request.POST or None, roles=services.invitable_roles(actor=user, service=service))
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                service=service,
                actor=user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=Role(form.cleaned_data["role"]),
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent. The link in it works once and expires in %(days)s days.")
                % {"days": settings.AMENDS_INVITATION_DAYS},
            )
            return redirect("people", service_id=service.pk)
    return render(request, "accounts/invite.html", {"service": service, "form": form})


@reauthentication_required
@require_http_methods(["GET", "POST"])
def withdraw_invitation(request: HttpRequest, service_id: int, invitation_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.MANAGE_PEOPLE)
    invitation = access.get_invitation_for_user(user, service, invitation_id)
    error = None
    if request.method == "POST":
        try:
            services.withdraw_invitation(invitation=invitation, actor=user)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Invitation withdrawn."))
            return redirect("people", service_id=service.pk)
    return render(
        request,
        "accounts/withdraw_invitation.html",
        {"service": service, "invitation": invitation, "error": error},
    )


def _member_context(
    request: HttpRequest, service_id: int, member_id: int, *, for_display: bool = False
) -> tuple[User, Service, User]:
    user = access.signed_in_user(request)
    own = member_id == user.pk
    service = access.get_service_for_user(user, service_id)
    fetch = access.view_member_for_user if for_display else access.get_member_for_user
    member = fetch(user, service, member_id, Capability.VIEW_SERVICE if own else Capability.VIEW_PEOPLE)
    return user, service, member


@require_safe
def member_detail(request: HttpRequest, service_id: int, member_id: int) -> HttpResponse:
    user, service, member = _member_context(request, service_id, member_id, for_display=True)
    may_see_record = access.may_see_practice_record(user, service, member)
    record = access.get_facilitator_record_for_user(user, service, member) if may_see_record else None
    detail = selectors.practice_record_detail(record, service) if record else None
    compliance = selectors.compliance_of(record) if record else None
    own = member.pk == user.pk
    can_manage_record = can(user, Capability.MANAGE_PRACTICE_RECORDS, service)
    can_manage_people = can(user, Capability.MANAGE_PEOPLE, service)
    memberships = list(selectors.member_memberships(service=service, member=member))
    facilitator_role = next((m for m in memberships if m.role == Role.FACILITATOR and m.is_current), None)
    edit_url = (
        reverse("facilitator_record_edit", kwargs={"service_id": service.pk, "member_id": member.pk})
        if can_manage_record
        else ""
    )
    return render(
        request,
        "accounts/member_detail.html",
        {
            "service": service,
            "member": member,
            "memberships": memberships,
            "supervisor_rows": presenters.supervisor_rows(
                service, member, facilitator_role, can_change=can_manage_people
            )
            if facilitator_role
            else [],
            "may_see_record": may_see_record,
            "record": detail,
            "practice_rows": presenters.practice_rows(detail, compliance, edit_url=edit_url)
            if detail and compliance
            else [],
            "practice_tables": presenters.practice_tables(detail) if detail else [],
            "can_manage_people": can_manage_people,
            "can_manage_record": can_manage_record,
            "can_add_learning": own or can(user, Capability.MANAGE_PRACTICE_RECORDS, service),
            "can_record_supervision": not own and can(user, Capability.RECORD_SUPERVISION, service),
        },
    )


@reauthentication_required
@require_http_methods(["GET", "POST"])
def end_membership(request: HttpRequest, service_id: int, member_id: int, membership_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.MANAGE_PEOPLE)
    member = access.get_member_for_user(user, service, member_id, Capability.MANAGE_PEOPLE)
    membership = access.get_membership_for_user(user, service, member, membership_id)
    error = None
    if request.method == "POST":
        try:
            services.end_membership(membership=membership, actor=user)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Role ended."))
            return redirect("member_detail", service_id=service.pk, member_id=member.pk)
    return render(
        request,
        "accounts/end_membership.html",
        {"service": service, "member": member, "membership": membership, "error": error},
    )


@reauthentication_required
@require_http_methods(["GET", "POST"])
def supervisor_edit(request: HttpRequest, service_id: int, member_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.MANAGE_PEOPLE)
    member = access.get_member_for_user(user, service, member_id, Capability.MANAGE_PEOPLE)
    membership = access.get_facilitator_membership_for_user(user, service, member)
    form = SupervisorForm(
        request.POST or None,
        initial={"supervisor": str(membership.supervisor_id or SupervisorForm.NONE)},
        supervisors=access.supervisors_in(user, service),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_supervisor(membership=membership, supervisor=form.chosen(), actor=user)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Supervisor saved."))
            return redirect("member_detail", service_id=service.pk, member_id=member.pk)
    return render(request, "accounts/supervisor_edit.html", {"service": service, "member": member, "form": form})


@reauthentication_required
@require_http_methods(["GET", "POST"])
def facilitator_record_edit(request: HttpRequest, service_id: int, member_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.MANAGE_PRACTICE_RECORDS)
    member = access.get_member_for_user(user, service, member_id, Capability.MANAGE_PRACTICE_RECORDS)
    record = access.get_facilitator_record_for_user(user, service, member)
    initial = (
        {
            "rjc_level": record.rjc_level,
            "registration_number": record.registration_number,
            "registration_expires_on": record.registration_expires_on,
            "welsh_skill": record.welsh_skill,
            "specialisms": record.specialisms,
        }
        if record
        else {"welsh_skill": WelshSkill.NONE}
    )
    form = FacilitatorRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice.save_facilitator_record(
                member=member,
                actor=user,
                service=service,
                rjc_level=RJCLevel(data["rjc_level"]),
                registration_number=data["registration_number"],
                registration_expires_on=data["registration_expires_on"],
                welsh_skill=WelshSkill(data["welsh_skill"]),
                specialisms=[Specialism(value) for value in data["specialisms"]],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Facilitator record saved."))
            return redirect("member_detail", service_id=service.pk, member_id=member.pk)
    return render(
        request, "accounts/facilitator_record_edit.html", {"service": service, "member": member, "form": form}
    )


# The four practice entries share one shape: a form, a service to call, and who may use it.
PRACTICE_ENTRIES: dict[str, tuple[type[forms.Form], Callable[..., object], str, bool]] = {
    "training": (TrainingForm, practice.record_training, _("Training recorded."), True),
    "cpd": (CPDForm, practice.record_cpd, _("CPD recorded."), True),
    "supervision": (SupervisionForm, practice.record_supervision, _("Supervision session recorded."), False),
    "observation": (ObservationForm, practice.record_observed_practice, _("Observed practice recorded."), False),
}


@require_http_methods(["GET", "POST"])
def add_practice_entry(request: HttpRequest, service_id: int, member_id: int, kind: str) -> HttpResponse:
    if kind not in PRACTICE_ENTRIES:
        return render(request, "404.html", status=404)
    form_class, record, done_message, own_allowed = PRACTICE_ENTRIES[kind]
    user = access.signed_in_user(request)
    own = member_id == user.pk
    if own_allowed:
        capability = Capability.VIEW_SERVICE if own else Capability.MANAGE_PRACTICE_RECORDS
    else:
        capability = Capability.RECORD_SUPERVISION
    service = access.get_service_for_user(user, service_id, capability)
    member = access.get_member_for_user(user, service, member_id, capability)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if kind == "training":
            data["level"] = RJCLevel(data["level"]) if data["level"] else None
        try:
            record(member=member, actor=user, service=service, **data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, str(done_message))
            return redirect("member_detail", service_id=service.pk, member_id=member.pk)
    return render(
        request,
        "accounts/practice_entry.html",
        {"service": service, "member": member, "form": form, "kind": kind},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_open_invitation(token)
    if invitation is None:
        return render(
            request, "accounts/invitation_invalid.html", {"days": settings.AMENDS_INVITATION_DAYS}, status=404
        )
    if request.user.is_authenticated:
        user = access.signed_in_user(request)
        error = None
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, user=user)
            except DomainError as refused:
                error = refused.message
            else:
                messages.success(
                    request, _("You now have the role of %(role)s.") % {"role": Role(invitation.role).label}
                )
                return redirect("service_detail", service_id=invitation.service_id)
        return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "error": error})
    if services.account_exists_for(invitation):
        login_url = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "sign_in_url": login_url})
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.create_account_from_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            # They have just chosen their password: count it as the recent check allauth wants before enrolment.
            record_authentication(request, new_user, method="password", reauthenticated=True)
            messages.success(request, _("Your account is ready. Now set up two-factor sign-in."))
            return redirect("mfa_index")
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form})


def _token_rows(found: list[PersonalAccessToken], *, csrf_token: str) -> list[list[object]]:
    """One table row per token; a token still working gets a button that revokes it."""
    rows: list[list[object]] = []
    for token in found:
        action: str
        if token.revoked_at is None:
            button = render_to_string(
                "govuk/components/button.html",
                {"text": _("Revoke"), "variant": "warning", "classes": "govuk-!-margin-bottom-0"},
            )
            action = format_html(
                '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">{}</form>',
                reverse("access_token_revoke", args=[token.pk]),
                csrf_token,
                SafeString(button),
            )
        else:
            action = format_date(token.revoked_at, "j M Y H:i")
        rows.append(
            [
                token.name,
                f"{token.prefix}…",
                format_date(token.created_at, "j M Y"),
                format_date(token.expires_at, "j M Y"),
                format_date(token.last_used_at, "j M Y H:i") if token.last_used_at else _("Never"),
                action,
            ]
        )
    return rows


# A token outlives the idle timeout by up to a year, so making one asks for the password again, as inviting someone
# does; what was typed is kept while the password is asked for, and the form is sent on once it is given.
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def access_tokens(request: HttpRequest) -> HttpResponse:
    """The person's API tokens, and a form to make one: the token itself is shown once, on the page that makes it."""
    user = access.signed_in_user(request)
    form = AccessTokenForm(request.POST or None, initial={"days": 90})
    plain_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, plain_token = tokens.create_access_token(
                user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            # Not a redirect: the token is never stored, so this answer is the only place it can be shown.
            form = AccessTokenForm(initial={"days": 90})
    return render(
        request,
        "accounts/access_tokens.html",
        {
            "form": form,
            "plain_token": plain_token,
            "head": [_("Name"), _("Starts with"), _("Created"), _("Expires"), _("Last used"), _("Revoked")],
            "rows": _token_rows(list(tokens.tokens_of(user)), csrf_token=get_token(request)),
        },
    )


@require_http_methods(["POST"])
def access_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = access.signed_in_user(request)
    token = tokens.get_token_for_user(user, token_id)
    try:
        tokens.revoke_access_token(token=token, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token revoked: it no longer works."))
    return redirect("access_tokens")


class RemoveSecurityKeyView(RemoveWebAuthnView):
    """allauth's removal of a security key, refused when it is the account's last second factor."""

    def form_valid(self, form: forms.Form) -> HttpResponse:
        if not MFAAdapter().can_delete_authenticator(self.get_object()):
            messages.error(self.request, _("You cannot remove your only second factor. Add another one first."))
            return redirect("mfa_list_webauthn")
        response: HttpResponse = super().form_valid(form)
        return response


remove_security_key = reauthentication_required(RemoveSecurityKeyView.as_view())
