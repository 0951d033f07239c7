"""What every form page does with a valid POST: call one service, and show a refused rule on the form."""

from collections.abc import Callable

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest

from amends.core.errors import DomainError, add_to_form


def save_form[Saved](
    request: HttpRequest, form: BaseForm, save: Callable[[], Saved], success: str = ""
) -> Saved | None:
    """On a valid POST, call `save` and queue `success` (if any: a page of its own may say it instead); return what
    it saved, or None when there is nothing to save yet or a rule refused it (then the refusal is on the form, and
    what was typed is kept)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except DomainError as error:
        add_to_form(form, error)
        return None
    if success:
        messages.success(request, success)
    return saved
