"""An organisation's data protection settings, reached through one of its services: the controller's details and
regime, and the purposes it processes personal data for: fetch through access, call one service, redirect."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import Service
from amends.core.pages import save_form
from amends.dataprotection import access_settings as access
from amends.dataprotection import settings_presenters as presenters
from amends.dataprotection import settings_services as services
from amends.dataprotection.settings_forms import PurposeForm, SettingsForm


def _settings_url(service: Service) -> str:
    return reverse("dataprotection:settings", kwargs={"service_id": service.pk})


def _form_page(
    request: HttpRequest, service: Service, form: object, heading: str, button: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "dataprotection/settings/form.html",
        {
            "form": form,
            "heading": heading,
            "button": button,
            "back_url": _settings_url(service),
            "caption": service.organisation.name,
            **extra,
        },
    )


@require_safe
def data_protection_settings(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_settings_for_user(user, service_id)
    organisation = service.organisation
    purposes = services.purpose_list(organisation)
    return render(
        request,
        "dataprotection/settings/settings.html",
        {
            "service": service,
            "organisation": organisation,
            "rows": presenters.settings_rows(
                organisation, reverse("dataprotection:controller_edit", kwargs={"service_id": service.pk})
            ),
            "purpose_rows": presenters.purpose_rows(service, purposes),
            "misfits": [purpose.get_purpose_display() for purpose in services.misfits(organisation, purposes)],
            "can_add": bool(services.purposes_left(purposes)),
        },
    )


@require_http_methods(["GET", "POST"])
def controller_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_settings_for_user(user, service_id)
    form = SettingsForm(
        request.POST if request.method == "POST" else None, initial=SettingsForm.initial_for(service.organisation)
    )
    saved = save_form(
        request,
        form,
        lambda: services.save_data_protection_settings(
            organisation=service.organisation, service=service, actor=user, details=form.details()
        ),
        _("Data protection settings saved."),
    )
    if saved is not None:
        return redirect(_settings_url(service))
    return _form_page(
        request,
        service,
        form,
        _("Change the controller's details"),
        _("Save"),
        intro=_("These settings belong to %(organisation)s: they apply to each of its services.")
        % {"organisation": service.organisation.name},
    )


@require_http_methods(["GET", "POST"])
def purpose_add(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = access.get_settings_for_user(user, service_id)
    left = services.purposes_left(services.purpose_list(service.organisation))
    form = PurposeForm(request.POST if request.method == "POST" else None, purposes=left)
    saved = save_form(
        request,
        form,
        lambda: services.save_purpose(
            organisation=service.organisation, service=service, actor=user, details=form.details()
        ),
        _("Purpose added."),
    )
    if saved is not None:
        return redirect(_settings_url(service))
    return _form_page(
        request,
        service,
        form,
        _("Add a purpose"),
        _("Save"),
        intro=_("The organisation processes under: %(regime)s.")
        % {"regime": service.organisation.get_regime_display()},
    )


@require_http_methods(["GET", "POST"])
def purpose_edit(request: HttpRequest, service_id: int, purpose_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service, purpose = access.get_purpose_for_user(user, service_id, purpose_id)
    form = PurposeForm(request.POST if request.method == "POST" else None, initial=PurposeForm.initial_for(purpose))
    saved = save_form(
        request,
        form,
        lambda: services.save_purpose(
            organisation=service.organisation, service=service, actor=user, details=form.details(), purpose=purpose
        ),
        _("Purpose saved."),
    )
    if saved is not None:
        return redirect(_settings_url(service))
    return _form_page(
        request,
        service,
        form,
        _("Change “%(purpose)s”") % {"purpose": purpose.get_purpose_display()},
        _("Save"),
        intro=_("The organisation processes under: %(regime)s.")
        % {"regime": service.organisation.get_regime_display()},
    )


@require_http_methods(["GET", "POST"])
def purpose_remove(request: HttpRequest, service_id: int, purpose_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service, purpose = access.get_purpose_for_user(user, service_id, purpose_id)
    form = forms.Form(request.POST if request.method == "POST" else None)
    removed = save_form(
        request,
        form,
        lambda: services.remove_purpose(purpose=purpose, service=service, actor=user),
        _("Purpose removed."),
    )
    if removed is not None:
        return redirect(_settings_url(service))
    return _form_page(
        request,
        service,
        form,
        _("Remove “%(purpose)s”?") % {"purpose": purpose.get_purpose_display()},
        _("Remove it"),
        intro=_(
            "The privacy notice will no longer list it. Remove it only if the organisation no longer processes "
            "personal data for it."
        ),
    )
