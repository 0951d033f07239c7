"""Template helpers for the GOV.UK templates. Registered as a template builtin, so templates need no {% load %}."""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms, template
from django.core.paginator import Page

register = template.Library()

_WHITESPACE = re.compile(r"\s+")


@register.filter
def collapse_whitespace(value: str) -> str:
    """Trim and collapse runs of whitespace, for text built from indented blocks such as the page title."""
    return _WHITESPACE.sub(" ", str(value)).strip()


@register.simple_tag
def govuk_classes(widget: Mapping[str, Any], base: str, error_modifier: str = "") -> str:
    """The class attribute of a widget: the GOV.UK base class, the widget's own classes, and the error modifier.

    A form field may set extra classes (for example `govuk-input--width-10`) through `widget.attrs["class"]`; they
    are kept. Django marks a field with errors by giving its widget `aria-invalid="true"`.
    """
    attrs: Mapping[str, Any] = widget.get("attrs", {})
    classes = [base, *str(attrs.get("class", "")).split()]
    if error_modifier and attrs.get("aria-invalid") in ("true", True):
        classes.append(error_modifier)
    return " ".join(dict.fromkeys(name for name in classes if name))


@register.filter
def govuk_error_target(field: forms.BoundField) -> str:
    """The id an error summary link should point at: the field's input, or the first input of a group."""
    widget = field.field.widget
    group_id = widget.attrs.get("id") or field.auto_id
    if isinstance(widget, forms.RadioSelect) and group_id:
        # Radios and checkbox lists have no single input; link to the first option, as GOV.UK advises.
        return str(widget.id_for_label(group_id, "0"))
    return field.id_for_label or field.auto_id or field.html_name


@register.filter
def govuk_error_href(form: forms.BaseForm, error: str) -> str:
    """Where an error summary line not tied to one field links: the page that puts it right when the refusal named
    one (a gate that does not hold), otherwise the form's first field."""
    fix = getattr(form, "fix_urls", {}).get(str(error), "")
    if fix:
        return str(fix)
    first = next(iter(form.visible_fields()), None)
    return f"#{govuk_error_target(first)}" if first is not None else ""


@register.filter
def elided_page_range(page: Page[Any]) -> Iterable[int | str]:
    """Page numbers for the pagination component, with the paginator's ellipsis standing for runs of pages."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


@register.filter
def is_ellipsis(value: object) -> bool:
    """Whether an item of elided_page_range is the ellipsis (a lazily translated string) rather than a page number."""
    return not isinstance(value, int)


@register.filter
def any_row_has(rows: Iterable[Mapping[str, Any]], key: str) -> bool:
    """Whether any of the dicts has a value for key; the summary list uses it to line up rows without actions."""
    return any(row.get(key) for row in rows)


@register.inclusion_tag("govuk/components/error_summary.html")
def govuk_error_summary(form: forms.BaseForm) -> dict[str, Any]:
    """{% govuk_error_summary form %}: the same as including govuk/components/error_summary.html with form."""
    return {"form": form}
