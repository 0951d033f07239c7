"""Forms of the register of sharing agreements and the disclosure log. The rules live in
amends.dataprotection.sharing."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.core.widgets import DATE_HINT, DateField
from amends.dataprotection.models import PartnerKind, SharingAgreement, SharingBasis
from amends.dataprotection.sharing_selectors import DisclosureFilter
from amends.people.models import Participant


class AgreementForm(forms.Form):
    partner = forms.CharField(
        label=_("Partner organisation"),
        max_length=200,
        error_messages={"required": _("Name the partner organisation.")},
        help_text=_(
            "Its name as it appears on the referrals it sends, for example Western Area Police: referrals from it are "
            "checked against this agreement."
        ),
    )
    partner_kind = forms.ChoiceField(
        label=_("Kind of partner"),
        choices=PartnerKind.choices,
        error_messages={"required": _("Choose what kind of organisation the partner is.")},
    )
    reference = forms.CharField(label=_("Agreement reference"), max_length=60, required=False)
    purpose = forms.CharField(
        label=_("What it covers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is shared, in which direction, and what for."),
        error_messages={"required": _("Say what the agreement covers.")},
    )
    starts_on = DateField(
        label=_("In force from"),
        help_text=DATE_HINT,
        error_messages={"required": _("Enter the date the agreement is in force from.")},
    )
    review_on = DateField(label=_("Review by"), required=False, help_text=DATE_HINT)
    ends_on = DateField(
        label=_("Ends"),
        required=False,
        help_text=format_lazy("{} {}", _("Leave blank while it has no end date."), DATE_HINT),
    )
    document = forms.CharField(
        label=_("Where the signed agreement is kept"),
        max_length=300,
        required=False,
        help_text=_("For example, a folder or a document reference."),
    )

    @classmethod
    def initial_for(cls, agreement: SharingAgreement) -> dict[str, Any]:
        return {name: getattr(agreement, name) for name in cls.base_fields}

    def details(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class EndAgreementForm(forms.Form):
    ends_on = DateField(
        label=_("Date it ends"),
        help_text=format_lazy("{} {}", _("The last day it is in force."), DATE_HINT),
        initial=timezone.localdate,
        error_messages={"required": _("Enter the date it ends.")},
    )


class DisclosureForm(forms.Form):
    person = forms.ChoiceField(
        label=_("Whose information was shared?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose information was shared.")},
    )
    shared_on = DateField(
        label=_("Date shared"),
        help_text=DATE_HINT,
        initial=timezone.localdate,
        error_messages={"required": _("Enter the date it was shared.")},
    )
    recipient = forms.CharField(
        label=_("Shared with (organisation)"),
        max_length=200,
        error_messages={"required": _("Name the organisation it was shared with.")},
    )
    recipient_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=PartnerKind.choices,
        error_messages={"required": _("Choose what kind of organisation it was shared with.")},
    )
    what = forms.CharField(
        label=_("What was shared"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only what was shared, not the information itself: for example, their address and phone number."),
        error_messages={"required": _("Say what was shared.")},
    )
    basis = forms.ChoiceField(
        label=_("On what basis?"),
        choices=SharingBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the basis it was shared on.")},
    )
    agreement = forms.ChoiceField(
        label=_("Under the agreement"),
        required=False,
        help_text=_("Needed when it was shared under an information sharing agreement."),
    )
    necessity = forms.CharField(
        label=_("Why sharing it was necessary and proportionate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Needed when it was shared with the police (Victims and Prisoners Act 2024, section 28): why they needed "
            "it, and why no less would do."
        ),
    )
    approved_by = forms.ChoiceField(
        label=_("Approved by"),
        widget=forms.RadioSelect,
        required=False,
        help_text=_("A coordinator of the service approves every disclosure."),
    )

    def __init__(
        self,
        *args: Any,
        participants: list[Participant],
        agreements: list[SharingAgreement],
        approvers: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = {str(participant.person_id): participant.person for participant in participants}
        self._agreements = {str(agreement.pk): agreement for agreement in agreements}
        self._approvers = {str(person.pk): person for person in approvers}
        self._choices(
            "person",
            [
                (str(participant.person_id), f"{participant.person.full_name} ({participant.get_role_display()})")
                for participant in participants
            ],
        )
        self._choices(
            "agreement",
            [("", _("None")), *((str(agreement.pk), agreement_label(agreement)) for agreement in agreements)],
        )
        self._choices("approved_by", [(str(person.pk), person.full_name) for person in approvers])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices

    def chosen(self) -> dict[str, Any]:
        """The form's values as record_disclosure takes them."""
        data = self.cleaned_data
        return {
            "person": self._people.get(data["person"]),
            "shared_on": data["shared_on"],
            "recipient": data["recipient"],
            "recipient_kind": data["recipient_kind"],
            "what": data["what"],
            "basis": data["basis"],
            "agreement": self._agreements.get(data.get("agreement") or ""),
            "necessity": data["necessity"],
            "approved_by": self._approvers.get(data.get("approved_by") or ""),
        }


def agreement_label(agreement: SharingAgreement) -> str:
    """An agreement as a choice: its partner, reference and dates."""
    reference = f" ({agreement.reference})" if agreement.reference else ""
    starts = agreement.starts_on.strftime("%d/%m/%Y")
    if agreement.ends_on is None:
        dates = _("from %(day)s") % {"day": starts}
    else:
        dates = _("%(start)s to %(end)s") % {"start": starts, "end": agreement.ends_on.strftime("%d/%m/%Y")}
    return f"{agreement.partner}{reference}, {dates}"


KIND_CHOICES = (("", _("Any kind")), *PartnerKind.choices)


class DisclosureFilterForm(forms.Form):
    recipient_kind = forms.ChoiceField(label=_("Shared with"), choices=KIND_CHOICES, required=False)
    shared_from = DateField(label=_("Shared on or after"), required=False, help_text=DATE_HINT)
    shared_to = DateField(label=_("Shared on or before"), required=False, help_text=DATE_HINT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("shared_from"), cleaned.get("shared_to")
        if start and end and end < start:
            self.add_error("shared_to", _("The second date must be the same as or after the first."))
        return cleaned

    def chosen(self) -> DisclosureFilter:
        if not self.is_bound or not self.is_valid():
            return DisclosureFilter()
        data = self.cleaned_data
        return DisclosureFilter(
            recipient_kind=data["recipient_kind"], shared_from=data["shared_from"], shared_to=data["shared_to"]
        )
