"""Writing one text in several languages at once, for a reader who reads Welsh and English together.

Which languages a reader reads is decided elsewhere (amends.people.languages); this module only writes: each part
under its own language, marked with its lang attribute so that a screen reader speaks it in the right voice.
"""

import copy
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ENGLISH = "en"
# What sits between the languages of a text written inline: a title, a label, a subject line.
BETWEEN = " / "


def django_language(code: str) -> str:
    """The code to activate for `code`: English is the site's own "en-gb", so that addresses reversed while it is
    active carry no language prefix."""
    return settings.LANGUAGE_CODE if code == ENGLISH else code


def in_each(languages: Sequence[str], write: Callable[[], str]) -> list[tuple[str, str]]:
    """(language, what `write` gives with that language active), for each language in order."""
    written = []
    for code in languages:
        with translation.override(django_language(code)):
            written.append((code, str(write())))
    return written


def inline_html(languages: Sequence[str], write: Callable[[], str]) -> SafeString:
    """`write`'s text in each language, side by side, each part in a span with its lang attribute. `write` gives
    plain text, which is escaped here."""
    return format_html_join(
        BETWEEN, '<span lang="{}">{}</span>', ((code, text) for code, text in in_each(languages, write))
    )


def bilingual(text: "StrOrPromise", languages: Sequence[str]) -> "StrOrPromise":
    """A lazily translated `text` in each of `languages` (inline, marked with lang), or left as it is (to be
    translated into the page's language) for a reader of one language."""
    if len(languages) < 2:
        return text
    return inline_html(languages, lambda: str(text))


def plain(languages: Sequence[str], text: "StrOrPromise") -> str:
    """`text` in each of `languages` side by side as plain text: for a message that is formatted with its
    parameters (an error message) or shown where no markup can be (a title, a subject line)."""
    return BETWEEN.join(written for _code, written in in_each(languages, lambda: str(text)))


def _validator(validator: Any, languages: Sequence[str]) -> Any:
    if not isinstance(getattr(validator, "message", None), str | Promise):
        return validator
    # The field's validators are shared with the form class: change a copy.
    changed = copy.copy(validator)
    changed.message = plain(languages, validator.message)
    return changed


def _choices(choices: Any, languages: Sequence[str]) -> list[tuple[Any, Any]]:
    return [(value, bilingual(label, languages)) for value, label in choices]


def bilingual_form[FormT: forms.BaseForm](form: FormT, languages: Sequence[str]) -> FormT:
    """Put each field's label, hint, choices, "(optional)" and error messages in every one of `languages`, for a
    reader who reads more than one: the form itself is shown once, however many languages its words are in."""
    if len(languages) < 2:
        return form
    for field in form.fields.values():
        if field.label:
            field.label = bilingual(field.label, languages)
        if field.help_text:
            field.help_text = bilingual(field.help_text, languages)
        if isinstance(field, forms.ChoiceField):
            field.choices = _choices(field.choices, languages)
        # Error messages are formatted with their parameters, which markup would not survive: plain text.
        field.error_messages = {key: plain(languages, message) for key, message in field.error_messages.items()}
        field.validators = [_validator(validator, languages) for validator in field.validators]
        # Read by templates/govuk/forms/field.html in place of its own "(optional)".
        field.optional_label = inline_html(languages, lambda: translation.gettext("(optional)"))  # type: ignore[attr-defined]
    return form
