"""Form fields shared across the product."""

from typing import Any

from django import forms

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
