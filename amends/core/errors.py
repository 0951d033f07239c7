"""Errors raised by services when a domain rule refuses an action."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.forms import BaseForm


class DomainError(Exception):
    """A rule refused the action; the message is safe to show to the person who asked."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def add_to_form(form: "BaseForm", error: DomainError) -> None:
    """Show a refused rule on the form, beside the field it concerns when it names one the form shows (a hidden
    field, such as the version read, has nowhere to show it: the refusal goes above the form)."""
    shown = error.field is not None and error.field in form.fields and not form.fields[error.field].widget.is_hidden
    field = error.field if shown else None
    form.add_error(field, error.message)
