"""What the case page's section on sharing outside the service (dataprotection/sharing/_case_disclosures.html)
shows: the case's disclosures, for those who read the service's log or record disclosures from the case, in one
query however many there are."""

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.urls import reverse

from amends.cases.models import Case
from amends.dataprotection.sharing import may_record_disclosure
from amends.dataprotection.sharing_presenters import case_rows
from amends.dataprotection.sharing_selectors import case_disclosure_list
from amends.permissions import Capability, can

register = template.Library()


@dataclass(frozen=True)
class Panel:
    shown: bool
    rows: list[list[Any]] = field(default_factory=list)
    add_url: str = ""


@register.inclusion_tag("dataprotection/sharing/_case_disclosures.html", takes_context=True)
def case_disclosures(context: template.Context) -> dict[str, Panel]:
    """{% case_disclosures %}: the section for the page's case (context: case, request)."""
    case: Case = context["case"]
    user = context["request"].user
    can_read_log = can(user, Capability.VIEW_DISCLOSURES, case.service_id)
    can_record = may_record_disclosure(user, case)
    if not (can_read_log or can_record):
        return {"panel": Panel(shown=False)}
    return {
        "panel": Panel(
            shown=True,
            rows=case_rows(case_disclosure_list(case), can_read_log=can_read_log),
            add_url=reverse("dataprotection:disclosure_add", kwargs={"case_id": case.pk}) if can_record else "",
        )
    }
