"""Cells and rows for the referral pages that say where a referral came from and whether a self-referral was
checked: display only, no rules."""

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.presenters import lines, tag
from amends.cases import presenters as case_presenters
from amends.people.models import Person
from amends.referrals.models import Initiator, Referral, ReferredPerson


def entered_by(referral: Referral) -> str:
    """Who entered the referral: a member of staff, or nobody, when the person asked through the public form."""
    if referral.entered_by is None:
        return _("Self-referral through the service's website")
    return referral.entered_by.full_name


def check_text(referral: Referral) -> str:
    """Whether a self-referral was checked, and when and by whom."""
    if referral.verified_at is None:
        return _("Not checked yet")
    return _("Checked on %(day)s by %(name)s") % {
        "day": case_presenters.day(referral.verified_at),
        "name": referral.verified_by.full_name if referral.verified_by else "",
    }


def source_cell(referral: Referral) -> SafeString | str:
    """The triage queue's "From" cell: a self-referral is tagged, with its check; others give their source."""
    if not referral.is_self_referral:
        return referral.get_source_display()
    if referral.verified_at is None:
        return format_html("{} {}", tag(_("Self-referral"), "purple"), tag(_("Not checked yet"), "yellow"))
    return format_html("{}<br>{}", tag(_("Self-referral"), "purple"), check_text(referral))


def referral_rows(referral: Referral) -> list[dict[str, Any]]:
    """The referral's details for those who triage, beginning with who entered it."""
    return [{"key": _("Entered by"), "value": entered_by(referral)}, *case_presenters.referral_rows(referral)]


def self_referral_rows(referral: Referral) -> list[dict[str, Any]]:
    """Who asked, through the public form, and whether the request was checked."""
    rows: list[dict[str, Any]] = [
        {"key": _("How it came"), "value": tag(_("Self-referral"), "purple")},
        {"key": _("Who asked"), "value": _asked_by(referral)},
    ]
    if referral.initiated_by == Initiator.OTHER:
        not_given = _("Not given")
        rows += [
            {"key": _("Name of the person asking"), "value": referral.referrer_name or not_given},
            {"key": _("How they know the person"), "value": referral.referrer_organisation or not_given},
            {"key": _("Their phone or email"), "value": referral.referrer_contact or not_given},
        ]
    rows.append({"key": _("Checked"), "value": check_text(referral)})
    if referral.verification_note:
        rows.append({"key": _("How it was checked"), "value": referral.verification_note})
    return rows


def _asked_by(referral: Referral) -> str:
    return {
        Initiator.PERSON_HARMED: _("The person harmed, for themselves"),
        Initiator.PERSON_RESPONSIBLE: _("The person responsible, for themselves"),
    }.get(Initiator(referral.initiated_by), _("Someone else, on the person's behalf"))


def contact_rows(named: ReferredPerson) -> list[dict[str, Any]]:
    """How to reach someone a self-referral names, and what to avoid: what the person checking it needs."""
    person: Person = named.person
    not_given = _("Not given")
    avoid = [
        text
        for wanted, text in (
            (person.no_voicemail, _("Do not leave voicemail")),
            (person.no_letters, _("Do not send letters")),
        )
        if wanted
    ]
    return [
        {"key": _("Name"), "value": person.full_name},
        {"key": _("Part in the case"), "value": named.get_role_display()},
        {"key": _("Phone"), "value": person.phone or not_given},
        {"key": _("Email"), "value": person.email or not_given},
        {"key": _("Address"), "value": person.address or not_given},
        {"key": _("Safe times to contact"), "value": person.safe_times or not_given},
        {"key": _("What to avoid"), "value": lines(avoid) if avoid else _("Nothing said")},
        {"key": _("Other safe contact arrangements"), "value": person.safe_contact_notes or not_given},
        {"key": _("Language for letters and messages"), "value": person.get_correspondence_language_display()},
        {"key": _("Interpreter needed for"), "value": person.interpreter_language or _("No interpreter needed")},
        {"key": _("Accessibility needs"), "value": lines(person.get_access_needs_display()) or _("None given")},
        {"key": _("More about accessibility needs"), "value": person.access_needs_notes or not_given},
    ]
