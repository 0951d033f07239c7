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
    """Show a refused rule on the form, beside the field it concerns when it names one the form has."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
