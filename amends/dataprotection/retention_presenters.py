"""Rows and cells of the retention schedule, its runs and the legal holds: display only."""

import datetime
from typing import Any

from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.models import Service
from amends.accounts.presenters import lines, link, tag
from amends.cases.presenters import case_link, day, name_of
from amends.dataprotection.models import LegalHold, RecordType, RetentionRun
from amends.dataprotection.retention import ORDER, Rule, ScheduleRow, run_counts


def rule_url(service: Service, record_type: RecordType) -> str:
    return reverse("dataprotection:retention_rule", kwargs={"service_id": service.pk, "record_type": record_type.value})


def rule_cell(rule: Rule) -> SafeString:
    own = tag(_("The service's own"), "blue") if rule.own else tag(_("Default"), "grey")
    return format_html("{}<br>{}", rule.describe(), own)


def schedule_rows(service: Service, rows: list[ScheduleRow], *, can_change: bool) -> list[list[Any]]:
    return [
        [
            row.record_type.label,
            rule_cell(row.rule),
            row.due,
            row.held,
            link(rule_url(service, row.record_type), _("Change"), str(row.record_type.label)) if can_change else "",
        ]
        for row in rows
    ]


def moment(value: datetime.datetime | None) -> str:
    return format_date(value, "j F Y H:i") if value else ""


def run_rows(runs: list[RetentionRun], service: Service) -> list[list[Any]]:
    rows = []
    for run in runs:
        counts = run_counts(run, service)
        rows.append(
            [
                moment(run.started_at),
                moment(run.finished_at) or _("Not finished"),
                *(counts[kind.value] for kind in ORDER),
                counts["held"],
            ]
        )
    return rows


def hold_rows(holds: list[LegalHold], *, can_open: bool) -> list[list[Any]]:
    return [
        [
            link(reverse("dataprotection:case_legal_hold", kwargs={"case_id": hold.case_id}), hold.case.reference)
            if can_open
            else hold.case.reference,
            day(hold.created_at),
            name_of(hold.placed_by),
        ]
        for hold in holds
    ]


def hold_detail_rows(hold: LegalHold) -> list[dict[str, Any]]:
    return [
        {"key": _("Case"), "value": case_link(hold.case)},
        {"key": _("Placed"), "value": day(hold.created_at)},
        {"key": _("Placed by"), "value": name_of(hold.placed_by)},
        {"key": _("Why it must be kept"), "value": lines(hold.reason.splitlines())},
    ]
