"""Rows and cells for the GOV.UK components on the accounts pages: display only, no rules."""

from typing import Any

from django.template.defaultfilters import date as format_date
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.models import Day, FacilitatorRecord, Membership, OpeningHours, Role, Service, User, WelshSkill
from amends.accounts.selectors import Member, PracticeCompliance, Standing

STANDING_COLOURS = {Standing.MET: "green", Standing.DUE_SOON: "yellow", Standing.OVERDUE: "red", Standing.NEVER: "grey"}


def tag(text: str, colour: str = "") -> SafeString:
    return SafeString(render_to_string("govuk/components/tag.html", {"text": text, "colour": colour}))


def link(url: str, text: str, hidden: str = "") -> SafeString:
    if hidden:
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>', url, text, hidden
        )
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, text)


def lines(items: list[str]) -> SafeString:
    """Several values in one cell, one to a line."""
    if not items:
        return SafeString("")
    return format_html_join(SafeString("<br>"), "{}", ((item,) for item in items))


def role_names(roles: list[Role]) -> str:
    return ", ".join(str(Role(role).label) for role in roles)


def service_rows(service: Service, *, can_manage: bool) -> list[dict[str, Any]]:
    edit_url = reverse("service_edit", kwargs={"service_id": service.pk}) if can_manage else ""

    def row(key: str, value: Any) -> dict[str, Any]:
        return {"key": key, "value": value, "action_url": edit_url}

    return [
        row(_("Name"), service.name),
        {"key": _("Reference prefix"), "value": service.code},
        {"key": _("Organisation"), "value": service.organisation.name},
        row(_("Areas covered"), service.areas_covered or _("Not given")),
        row(_("Phone"), service.phone or _("Not given")),
        row(_("Email"), service.email or _("Not given")),
        row(_("Welsh Language Standards"), _("Apply") if service.welsh_language_standards else _("Do not apply")),
        row(_("Out-of-hours message"), service.out_of_hours_message or _("Not given")),
        row(_("Privacy notice"), _("Given") if service.privacy_notice else _("Not given")),
    ]


def opening_hours_rows(hours: list[tuple[Day, OpeningHours | None]]) -> list[list[Any]]:
    rows = []
    for day, row in hours:
        if row is None:
            text = _("Not set")
        elif row.closed or row.opens is None or row.closes is None:
            text = _("Closed")
        else:
            text = _("%(opens)s to %(closes)s") % {"opens": f"{row.opens:%H:%M}", "closes": f"{row.closes:%H:%M}"}
        rows.append([day.label, text])
    return rows


def standing_tag(standing: Standing) -> SafeString:
    labels = {
        Standing.MET: _("Up to date"),
        Standing.DUE_SOON: _("Due soon"),
        Standing.OVERDUE: _("Overdue"),
        Standing.NEVER: _("None recorded"),
    }
    return tag(labels[standing], STANDING_COLOURS[standing])


def cpd_tag(compliance: PracticeCompliance) -> SafeString:
    if compliance.cpd_standing == Standing.MET:
        return tag(_("Target met"), "green")
    return tag(_("Below target"), "yellow")


def member_rows(service: Service, members: list[Member]) -> list[list[Any]]:
    rows = []
    for member in members:
        url = reverse("member_detail", kwargs={"service_id": service.pk, "member_id": member.user.pk})
        compliance = member.compliance
        rows.append(
            [
                link(url, member.user.full_name),
                role_names(member.roles),
                str(member.record.get_rjc_level_display()) if member.record else "",
                standing_tag(compliance.supervision_standing) if compliance else "",
                cpd_tag(compliance) if compliance else "",
                standing_tag(compliance.registration_standing) if compliance else "",
            ]
        )
    return rows


def supervisor_rows(
    service: Service, member: User, membership: Membership, *, can_change: bool
) -> list[dict[str, Any]]:
    """Who supervises a facilitator in the service, with a link to change it for those who may."""
    change_url = (
        reverse("supervisor_edit", kwargs={"service_id": service.pk, "member_id": member.pk}) if can_change else ""
    )
    supervisor = membership.supervisor
    return [
        {"key": _("Supervisor"), "value": supervisor.full_name if supervisor else _("None"), "action_url": change_url}
    ]


def practice_rows(record: FacilitatorRecord, compliance: PracticeCompliance, *, edit_url: str) -> list[dict[str, Any]]:
    def on(day: Any) -> str:
        return str(format_date(day, "j F Y")) if day else _("Never")

    return [
        {"key": _("RJC level"), "value": record.get_rjc_level_display(), "action_url": edit_url},
        {
            "key": _("RJC registration"),
            "value": format_html(
                "{} {}",
                _("%(number)s, expires %(date)s")
                % {"number": record.registration_number, "date": on(record.registration_expires_on)}
                if record.registration_number
                else _("Not registered"),
                standing_tag(compliance.registration_standing),
            ),
            "action_url": edit_url,
        },
        {
            "key": _("CPD in the last 12 months"),
            "value": format_html(
                "{} {}",
                _("%(hours)s of %(target)s hours") % {"hours": compliance.cpd_hours, "target": compliance.cpd_target},
                cpd_tag(compliance),
            ),
        },
        {
            "key": _("Last case supervision"),
            "value": format_html(
                "{} {}",
                _("%(last)s (next due %(due)s)")
                % {"last": on(compliance.last_supervision), "due": on(compliance.supervision_due)}
                if compliance.last_supervision
                else _("Never"),
                standing_tag(compliance.supervision_standing),
            ),
        },
        {
            "key": _("Last observed practice"),
            "value": format_html(
                "{} {}",
                _("%(last)s (next due %(due)s)")
                % {"last": on(compliance.last_observation), "due": on(compliance.observation_due)}
                if compliance.last_observation
                else _("Never"),
                standing_tag(compliance.observation_standing),
            ),
        },
        {"key": _("Welsh"), "value": WelshSkill(record.welsh_skill).label, "action_url": edit_url},
        {
            "key": _("Specialisms"),
            "value": lines(record.get_specialisms_display()) or _("None"),
            "action_url": edit_url,
        },
    ]


def service_list_rows(services: list[tuple[Service, list[Role]]]) -> list[list[Any]]:
    return [
        [
            link(reverse("service_detail", kwargs={"service_id": service.pk}), service.name),
            service.code,
            role_names(roles),
        ]
        for service, roles in services
    ]


def practice_tables(record: FacilitatorRecord) -> list[dict[str, Any]]:
    """The practice record's four histories as tables, newest first."""

    def on(day: Any) -> str:
        return str(format_date(day, "j M Y"))

    def yes_no(value: bool) -> str:
        return _("Yes") if value else _("No")

    return [
        {
            "caption": _("Training"),
            "head": [_("Course"), _("Provider"), _("Completed"), _("RJC-registered trainer")],
            "rows": [
                [t.title, t.provider, on(t.completed_on), yes_no(t.rjc_registered_trainer)]
                for t in record.training.all()
            ],
            "empty": _("No training recorded."),
        },
        {
            "caption": _("CPD"),
            "head": [_("Activity"), _("Date"), _("Hours"), _("RJC-approved")],
            "rows": [[c.activity, on(c.completed_on), str(c.hours), yes_no(c.rjc_approved)] for c in record.cpd.all()],
            "empty": _("No CPD recorded."),
        },
        {
            "caption": _("Case supervision"),
            "head": [_("Date"), _("Supervisor")],
            "rows": [[on(s.held_on), s.supervisor.full_name] for s in record.supervision.all()],
            "empty": _("No supervision recorded."),
        },
        {
            "caption": _("Observed practice"),
            "head": [_("Date"), _("Observer")],
            "rows": [[on(o.observed_on), o.observer.full_name] for o in record.observations.all()],
            "empty": _("No observed practice recorded."),
        },
    ]
