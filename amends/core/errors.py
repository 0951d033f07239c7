"""Errors raised by services when a domain rule refuses an action."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.forms import BaseForm


@dataclass(frozen=True)
class Reason:
    """One of several things a refusal names, and the page that puts it right (if there is one)."""

    text: str
    url: str = ""


class DomainError(Exception):
    """A rule refused the action; the message is safe to show to the person who asked.

    `reasons`, when given, lists each thing that stops the action, so a page can show one line (and one link) each.
    """

    def __init__(self, message: str, *, field: str | None = None, reasons: Sequence[Reason] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reasons = list(reasons)


class NotPermittedError(DomainError):
    """The person may not do this (their role, or their part in the case): the API answers 403."""


def add_to_form(form: "BaseForm", error: DomainError) -> None:
    """Show a refused rule on the form, beside the field it concerns when it names one the form shows (a hidden
    field, such as the version read, has nowhere to show it: the refusal goes above the form); a refusal that names
    several things shows each on its own line, linked to the page that puts it right."""
    if error.reasons:
        fixes: dict[str, str] = getattr(form, "fix_urls", {})
        for reason in error.reasons:
            form.add_error(None, reason.text)
            if reason.url:
                fixes[reason.text] = reason.url
        # Read by the error summary (the govuk_error_href filter) to link each line to its fix.
        form.fix_urls = fixes  # type: ignore[attr-defined]
        return
    shown = error.field is not None and error.field in form.fields and not form.fields[error.field].widget.is_hidden
    field = error.field if shown else None
    form.add_error(field, error.message)
