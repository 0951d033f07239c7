"""Forms of the retention schedule and legal holds. The rules live in retention.py and legal_holds.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.dataprotection.models import RecordType
from amends.dataprotection.retention import KEEP_MONTHS_MAX, KEEP_MONTHS_MIN, UNTIL_AGE_MAX, UNTIL_AGE_MIN


class RetentionRuleForm(forms.Form):
    keep_months = forms.IntegerField(
        label=_("Keep for (months)"),
        min_value=KEEP_MONTHS_MIN,
        max_value=KEEP_MONTHS_MAX,
        help_text=_("Between 1 and 1200 months. For example, 84 months is 7 years."),
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    until_age = forms.IntegerField(
        label=_("And until the youngest child who took part is (years old)"),
        min_value=UNTIL_AGE_MIN,
        max_value=UNTIL_AGE_MAX,
        required=False,
        help_text=_("Between 10 and 30. Leave blank to count only the months after the case closed."),
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
    )

    def __init__(self, *args: Any, record_type: RecordType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record_type != RecordType.YOUTH_CASE:
            del self.fields["until_age"]

    def chosen_until_age(self) -> int | None:
        value = self.cleaned_data.get("until_age")
        return int(value) if value is not None else None


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the case be kept?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, a claim, a complaint, an inquiry or a request that needs the case."),
    )
