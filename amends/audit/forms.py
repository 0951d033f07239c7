from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.core.widgets import DateField

# Record types people can filter by, with their names in the UI.
RECORD_TYPES = [
    ("accounts.user", _("Person")),
    ("accounts.service", _("Service")),
    ("accounts.membership", _("Role")),
    ("accounts.invitation", _("Invitation")),
    ("accounts.facilitatorrecord", _("Facilitator record")),
    ("accounts.trainingrecord", _("Training")),
    ("accounts.cpdrecord", _("CPD")),
    ("accounts.supervisionsession", _("Supervision session")),
    ("accounts.observedpractice", _("Observed practice")),
    ("mfa.authenticator", _("Second factor")),
]


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    action = forms.ChoiceField(label=_("What"), required=False, choices=[("", _("Any action")), *AuditAction.choices])
    target_type = forms.ChoiceField(
        label=_("Record type"), required=False, choices=[("", _("Any record")), *RECORD_TYPES]
    )
    target_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    date_from = DateField(label=_("From"), required=False, help_text=_("For example, 01/11/2026"))
    date_to = DateField(label=_("To"), required=False, help_text=_("For example, 30/11/2026"))

    def __init__(self, *args: Any, actors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date must be the same as or after the start date."))
        return cleaned
