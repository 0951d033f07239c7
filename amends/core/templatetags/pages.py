"""Small helpers for page templates that feed the GOV.UK component includes."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def items(*values: Any) -> list[Any]:
    """{% items a b c as name %}: a list, for a component parameter such as a table's head."""
    return list(values)
