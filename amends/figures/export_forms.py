"""The "Prepare a file" form of a dashboard: what to prepare, for which quarter or year, and in which format.

Its fields carry a prefix, so they do not clash with the dashboard's own period form on the same page.
"""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.figures.access import DashboardKind
from amends.figures.forms import QUARTER_CHOICES, financial_year_choices
from amends.figures.models import ExportFormat, ExportKind
from amends.figures.periods import Period, PeriodKind, financial_year_of
from amends.figures.tasks import FORMATS

PREFIX = "export"

KIND_LABELS = {
    ExportKind.DASHBOARD: _("Every figure with every breakdown, for the period shown"),
    ExportKind.QUARTERLY_RETURN: _("The quarterly commissioner return"),
    ExportKind.RJC_DATASET: _("The RJC Registered Service Provider annual dataset"),
}


def last_full_quarter(today: datetime.date | None = None) -> Period:
    """The latest quarter that has ended: the one a return is usually made for."""
    today = today or timezone.localdate()
    current = Period.containing(PeriodKind.QUARTER, today)
    return Period.containing(PeriodKind.QUARTER, current.start - datetime.timedelta(days=1))


def kinds_for(dashboard: DashboardKind) -> list[ExportKind]:
    """What a dashboard offers: the RJC dataset is a service's own, unsuppressed, so only its own dashboard has it."""
    kinds = [ExportKind.DASHBOARD, ExportKind.QUARTERLY_RETURN]
    if dashboard == DashboardKind.SERVICE:
        kinds.append(ExportKind.RJC_DATASET)
    return kinds


class PrepareExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to prepare"),
        help_text=_("The quarterly return hides small counts, as commissioners see them."),
        widget=forms.RadioSelect,
    )
    financial_year = forms.TypedChoiceField(
        label=_("Financial year"),
        help_text=_("For the quarterly return and the RJC dataset"),
        coerce=int,
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), help_text=_("For the quarterly return"), choices=QUARTER_CHOICES, coerce=int
    )
    format = forms.ChoiceField(
        label=_("Format"),
        help_text=_("The returns are prepared as a spreadsheet or CSV, not as a PDF."),
        choices=ExportFormat.choices,
        widget=forms.RadioSelect,
        initial=ExportFormat.XLSX.value,
    )

    def __init__(self, data: Any = None, *, dashboard: DashboardKind) -> None:
        super().__init__(data, prefix=PREFIX)
        self.dashboard = dashboard
        kinds = kinds_for(dashboard)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [(value.value, KIND_LABELS[value]) for value in kinds]
        kind.initial = ExportKind.DASHBOARD.value
        financial_year = cast(forms.TypedChoiceField, self.fields["financial_year"])
        financial_year.choices = financial_year_choices()
        quarter = last_full_quarter()
        self.initial.update({"financial_year": financial_year_of(quarter.start), "quarter": quarter.quarter_number})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, file_format = cleaned.get("kind"), cleaned.get("format")
        if kind and file_format and file_format not in FORMATS[ExportKind(kind)]:
            self.add_error("format", _("Choose a spreadsheet or CSV for the returns"))
        return cleaned

    def period(self, dashboard_period: Period) -> Period:
        """The period the file is for: the dashboard's, the chosen quarter, or the chosen financial year."""
        kind = ExportKind(self.cleaned_data["kind"])
        if kind == ExportKind.QUARTERLY_RETURN:
            return Period.quarter(self.cleaned_data["financial_year"], self.cleaned_data["quarter"])
        if kind == ExportKind.RJC_DATASET:
            return Period.year(self.cleaned_data["financial_year"])
        return dashboard_period
