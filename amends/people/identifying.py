"""Details held on a person's record that could identify or locate them (a child's name, a school, a workplace), so
that a message they send can be checked for them before it is passed on (amends.relay.check)."""

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.services import require_case_access, require_open
from amends.core.errors import DomainError
from amends.people.models import IdentifyingDetail, IdentifyingDetailKind, Participant

LONGEST_DETAIL = 200


@transaction.atomic
def add_identifying_detail(
    *, participant: Participant, actor: User, kind: IdentifyingDetailKind | str, value: str
) -> IdentifyingDetail:
    """Hold a detail that could identify or locate the person, for the check of the messages they send."""
    case = participant.case
    require_case_access(actor, case)
    require_open(case)
    value = " ".join(value.split())
    if not value:
        raise DomainError(_("Enter the detail."), field="value")
    if len(value) > LONGEST_DETAIL:
        raise DomainError(_("Keep the detail to 200 characters or fewer."), field="value")
    kind = IdentifyingDetailKind(kind)
    detail = IdentifyingDetail.objects.create(person=participant.person, kind=kind, value=value, recorded_by=actor)
    record_event(
        action=AuditAction.PERSON_UPDATED,
        actor=actor,
        target=participant.person,
        service=case.service,
        changes={"identifying_detail": {"before": None, "after": {"kind": kind.value, "value": "[encrypted]"}}},
    )
    return detail
