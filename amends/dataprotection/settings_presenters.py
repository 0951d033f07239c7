"""Rows and words of an organisation's data protection settings, for its settings page and the privacy notice:
display only."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amends.accounts.models import Organisation, Service
from amends.accounts.presenters import lines, link, tag
from amends.dataprotection.models import ProcessingPurpose
from amends.dataprotection.retention import Rule
from amends.dataprotection.settings_services import basis_fits

WELSH = "cy"


def settings_rows(organisation: Organisation, edit_url: str) -> list[dict[str, Any]]:
    not_given = _("Not given")

    def row(key: str, value: Any) -> dict[str, Any]:
        return {"key": key, "value": value, "action_url": edit_url}

    return [
        row(_("Data controller"), organisation.controller_name or organisation.name),
        row(_("ICO registration number"), organisation.ico_registration_number or not_given),
        row(_("Data controller address"), lines(organisation.controller_address.splitlines()) or not_given),
        row(_("Data protection officer email"), organisation.data_protection_officer_email or not_given),
        row(_("Data protection regime"), organisation.get_regime_display()),
        row(_("Appropriate policy document"), organisation.appropriate_policy_url or not_given),
    ]


def purpose_rows(service: Service, purposes: list[ProcessingPurpose]) -> list[list[Any]]:
    regime = service.organisation.regime
    rows = []
    for purpose in purposes:
        kwargs = {"service_id": service.pk, "purpose_id": purpose.pk}
        basis: Any = purpose.get_lawful_basis_display()
        if not basis_fits(regime, purpose.lawful_basis):
            basis = lines([basis, tag(_("Does not fit the regime"), "red")])
        label = purpose.get_purpose_display()
        rows.append(
            [
                label,
                basis,
                purpose.get_condition_display() if purpose.condition else _("None"),
                purpose.explanation or _("Not given"),
                lines(
                    [
                        link(reverse("dataprotection:purpose_edit", kwargs=kwargs), _("Change"), label),
                        link(reverse("dataprotection:purpose_remove", kwargs=kwargs), _("Remove"), label),
                    ]
                ),
            ]
        )
    return rows


def explanation(purpose: ProcessingPurpose) -> str:
    """The plain words of a purpose in the page's language: the Welsh on Welsh pages, when there is any."""
    if get_language() == WELSH and purpose.explanation_cy.strip():
        return purpose.explanation_cy
    return purpose.explanation


def notice_purpose_rows(purposes: list[ProcessingPurpose]) -> list[list[Any]]:
    """The privacy notice's table: why, what it means, the lawful basis, the condition."""
    return [
        [
            purpose.get_purpose_display(),
            explanation(purpose),
            purpose.get_lawful_basis_display(),
            purpose.get_condition_display() if purpose.condition else _("None"),
        ]
        for purpose in purposes
    ]


def retention_rows(rules: Iterable[Rule]) -> list[list[Any]]:
    """The privacy notice's table of how long each kind of record is kept."""
    return [[rule.record_type.label, rule.describe()] for rule in rules]
