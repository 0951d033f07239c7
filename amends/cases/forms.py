"""Forms for the case pages: they parse input; the rules live in cases/services.py and workflow.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.cases import workflow
from amends.cases.models import ClosureReason, HoldReason, ProcessKind, SensitivityFlag, State
from amends.cases.selectors import Candidate
from amends.core.widgets import DateField

YES_NO = (("yes", _("Yes")), ("no", _("No")))


class VersionedForm(forms.Form):
    """A form for a record that may change under it: the version it was read at travels with it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None


class ConflictForm(forms.Form):
    has_conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest with anyone in this case?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_("For example, you know someone in the case, or you have worked with them before."),
    )
    details = forms.CharField(
        label=_("What is the conflict?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed if you answer yes."),
    )


class CaseDetailsForm(VersionedForm):
    sensitivity_flags = forms.MultipleChoiceField(
        label=_("Sensitive or complex"),
        choices=SensitivityFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A sensitive case needs a more experienced lead and a coordinator's sign-off of risk."),
    )
    process_kind = forms.ChoiceField(
        label=_("The process the participants chose"),
        choices=[("", _("Not chosen yet")), *ProcessKind.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    pre_sentence = forms.BooleanField(label=_("Pre-sentence RJ (the court deferred sentence)"), required=False)
    deferment_order_on = DateField(
        label=_("Date of the deferment order"), required=False, help_text=_("For example, 27/03/2026")
    )
    deferred_until = DateField(
        label=_("Sentence deferred until"), required=False, help_text=_("For example, 27/09/2026")
    )

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}))


class TransitionForm(VersionedForm):
    """The fields a step of the workflow needs, and no others."""

    def __init__(self, *args: Any, transition: workflow.Transition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = transition.needs
        if workflow.Needs.CLOSURE_REASON in needs:
            self.fields["closure_reason"] = forms.ChoiceField(
                label=_("Why is the case closing?"), choices=ClosureReason.choices, widget=forms.RadioSelect
            )
        if workflow.Needs.HOLD in needs:
            self.fields["hold_reason"] = forms.ChoiceField(
                label=_("Why is the case going on hold?"), choices=HoldReason.choices, widget=forms.RadioSelect
            )
            self.fields["hold_review_on"] = DateField(
                label=_("Review the hold by"), help_text=_("For example, 27/04/2026")
            )
        if needs & (workflow.Needs.REASON | workflow.Needs.HOLD | workflow.Needs.CLOSURE_REASON):
            self.fields["reason"] = forms.CharField(
                label=_("Reason"),
                required=workflow.Needs.REASON in needs,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def arguments(self) -> dict[str, Any]:
        names = ("reason", "closure_reason", "hold_reason", "hold_review_on")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class AllocationForm(VersionedForm):
    lead = forms.ChoiceField(label=_("Lead facilitator"), widget=forms.RadioSelect)
    co_facilitator = forms.ChoiceField(label=_("Co-facilitator"), required=False, widget=forms.RadioSelect)
    supervisor = forms.ChoiceField(label=_("Supervisor"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, facilitators: list[Candidate], supervisors: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people: dict[str, User] = {str(c.user.pk): c.user for c in [*facilitators, *supervisors]}
        facilitator_choices = [(str(c.user.pk), _label(c)) for c in facilitators]
        self._set_choices("lead", facilitator_choices)
        self._set_choices("co_facilitator", [("", _("None")), *facilitator_choices])
        self._set_choices("supervisor", [("", _("None")), *((str(c.user.pk), _label(c)) for c in supervisors)])

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices

    def person(self, name: str) -> User | None:
        return self.people.get(self.cleaned_data.get(name) or "")


def _label(candidate: Candidate) -> str:
    parts = [candidate.user.full_name]
    if candidate.rjc_level:
        parts.append(str(candidate.rjc_level))
    text = ", ".join(parts)
    if candidate.problems:
        text += " (" + " ".join(candidate.problems) + ")"
    return text


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", _("All states")), *State.choices]
