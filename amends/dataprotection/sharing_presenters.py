"""Rows, cells and words of the sharing agreements register and the disclosure log: display only."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.presenters import lines, link, tag
from amends.cases.presenters import case_link, day, name_of
from amends.dataprotection.models import Disclosure, SharingAgreement, SharingBasis
from amends.dataprotection.sharing import lacks_sharing_agreement
from amends.dataprotection.sharing_selectors import AgreementStatus, agreement_status
from amends.referrals.models import Referral

STATUS_COLOURS = {
    AgreementStatus.NOT_YET: "blue",
    AgreementStatus.IN_FORCE: "green",
    AgreementStatus.REVIEW_OVERDUE: "red",
    AgreementStatus.ENDED: "grey",
}


def status_tag(agreement: SharingAgreement, today: datetime.date) -> SafeString:
    status = agreement_status(agreement, today)
    words = {
        AgreementStatus.NOT_YET: _("Not yet in force"),
        AgreementStatus.IN_FORCE: _("In force"),
        AgreementStatus.REVIEW_OVERDUE: _("Review overdue"),
        AgreementStatus.ENDED: _("Ended"),
    }[status]
    return tag(words, STATUS_COLOURS[status])


def _url(name: str, agreement: SharingAgreement) -> str:
    return reverse(f"dataprotection:{name}", kwargs={"service_id": agreement.service_id, "agreement_id": agreement.pk})


def agreement_rows(agreements: list[SharingAgreement], today: datetime.date, *, can_manage: bool) -> list[list[Any]]:
    rows = []
    for agreement in agreements:
        actions: list[str] = []
        if can_manage:
            actions.append(link(_url("agreement_edit", agreement), _("Change"), agreement.partner))
            if agreement_status(agreement, today) != AgreementStatus.ENDED:
                actions.append(link(_url("agreement_end", agreement), _("End"), agreement.partner))
        rows.append(
            [
                format_html(
                    "{}<br><span class='govuk-body-s'>{}</span>",
                    agreement.partner,
                    agreement.get_partner_kind_display(),
                ),
                agreement.reference,
                agreement.purpose,
                lines(
                    [
                        _("From %(day)s") % {"day": day(agreement.starts_on)},
                        *([_("Review by %(day)s") % {"day": day(agreement.review_on)}] if agreement.review_on else []),
                        *([_("Ends %(day)s") % {"day": day(agreement.ends_on)}] if agreement.ends_on else []),
                    ]
                ),
                status_tag(agreement, today),
                lines(list(actions)) if actions else "",
            ]
        )
    return rows


def agreement_name(agreement: SharingAgreement | None) -> str:
    if agreement is None:
        return ""
    if agreement.reference:
        return f"{agreement.partner} ({agreement.reference})"
    return agreement.partner


def basis_text(disclosure: Disclosure) -> str:
    if disclosure.basis == SharingBasis.AGREEMENT and disclosure.agreement is not None:
        return _("Agreement with %(agreement)s") % {"agreement": agreement_name(disclosure.agreement)}
    return str(disclosure.get_basis_display())


def disclosure_url(disclosure: Disclosure) -> str:
    return reverse(
        "dataprotection:disclosure_detail",
        kwargs={"service_id": disclosure.service_id, "disclosure_id": disclosure.pk},
    )


def log_rows(disclosures: list[Disclosure], *, can_view_cases: bool) -> list[list[Any]]:
    return [
        [
            link(disclosure_url(disclosure), day(disclosure.shared_on), disclosure.recipient),
            format_html(
                "{}<br><span class='govuk-body-s'>{}</span>",
                disclosure.recipient,
                disclosure.get_recipient_kind_display(),
            ),
            _case_cell(disclosure, can_view_cases),
            basis_text(disclosure),
            name_of(disclosure.approved_by),
        ]
        for disclosure in disclosures
    ]


def _case_cell(disclosure: Disclosure, can_view_case: bool) -> Any:
    if disclosure.case is None:
        return ""
    return case_link(disclosure.case) if can_view_case else disclosure.case.reference


def case_rows(disclosures: list[Disclosure], *, can_read_log: bool) -> list[list[Any]]:
    """The case page's table: when, with whom, whose information, on what basis, approved by whom."""
    return [
        [
            link(disclosure_url(disclosure), day(disclosure.shared_on), disclosure.recipient)
            if can_read_log
            else day(disclosure.shared_on),
            format_html(
                "{}<br><span class='govuk-body-s'>{}</span>",
                disclosure.recipient,
                disclosure.get_recipient_kind_display(),
            ),
            disclosure.person.full_name if disclosure.person is not None else "",
            basis_text(disclosure),
            name_of(disclosure.approved_by),
        ]
        for disclosure in disclosures
    ]


def _whose(disclosure: Disclosure) -> str:
    if disclosure.person is None:
        return _("Not recorded")
    return disclosure.person.full_name if disclosure.person.anonymised_at is None else _("Erased")


def detail_rows(disclosure: Disclosure, *, can_view_case: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"key": _("Date shared"), "value": day(disclosure.shared_on)},
        {"key": _("Shared with"), "value": disclosure.recipient},
        {"key": _("Kind of organisation"), "value": disclosure.get_recipient_kind_display()},
        {"key": _("Case"), "value": _case_cell(disclosure, can_view_case) or _("Not from a case")},
        {"key": _("Whose information"), "value": _whose(disclosure)},
        # Erased with the person (or their case): the entry stays, for accountability, without what it said.
        {"key": _("What was shared"), "value": lines(disclosure.what.splitlines()) or _("Erased")},
        {"key": _("On what basis"), "value": basis_text(disclosure)},
    ]
    if disclosure.necessity:
        rows.append(
            {
                "key": _("Why it was necessary and proportionate"),
                "value": lines(disclosure.necessity.splitlines()),
            }
        )
    rows += [
        {"key": _("Approved by"), "value": name_of(disclosure.approved_by)},
        {"key": _("Recorded by"), "value": name_of(disclosure.recorded_by)},
    ]
    return rows


def no_agreement_text(referral: Referral) -> str:
    """What the triage queue and the referral's page say of a partner's referral with no agreement in force."""
    return _("No sharing agreement with %(organisation)s") % {"organisation": referral.referrer_organisation.strip()}


def referral_sharing_rows(referral: Referral) -> list[dict[str, Any]]:
    """Whether a partner's referral came under an agreement, or why it was received without one."""
    if referral.sharing_agreement_id is not None and referral.sharing_agreement is not None:
        return [{"key": _("Information sharing agreement"), "value": agreement_name(referral.sharing_agreement)}]
    if referral.received_without_agreement:
        return [
            {"key": _("Information sharing agreement"), "value": tag(no_agreement_text(referral), "orange")},
            {"key": _("Why it was received without one"), "value": referral.received_without_agreement},
        ]
    return [{"key": _("Information sharing agreement"), "value": tag(no_agreement_text(referral), "orange")}]


def with_agreement_check(referral: Referral, cell: SafeString | str) -> SafeString | str:
    """The triage queue's "From" cell, tagged when a partner's referral came with no sharing agreement in force."""
    if not lacks_sharing_agreement(referral):
        return cell
    return format_html("{}<br>{}", cell, tag(no_agreement_text(referral), "orange"))
