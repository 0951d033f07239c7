"""Form fields shared across the product."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Day first, as people in the UK write dates; ISO is accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d %m %Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A date typed as day/month/year."""

    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


DATE_HINT = _("For example, 14/09/2026")


def _now_to_the_minute() -> datetime.time:
    return timezone.localtime().time().replace(second=0, microsecond=0)


class MomentForm(forms.Form):
    """A date and a time of day when something happened, offered as now: most records are made the same day."""

    occurred_on = DateField(label=_("Date"), help_text=DATE_HINT, initial=timezone.localdate)
    occurred_time = forms.TimeField(
        label=_("Time"),
        help_text=_("For example, 14:30"),
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}, format="%H:%M"),
        initial=_now_to_the_minute,
    )

    def occurred_at(self) -> datetime.datetime:
        naive = datetime.datetime.combine(self.cleaned_data["occurred_on"], self.cleaned_data["occurred_time"])
        return timezone.make_aware(naive)
