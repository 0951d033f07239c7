"""Legal holds: keeping a case, whatever the retention schedule says, while a claim, complaint, inquiry or request
needs it. A coordinator places a hold with its reason and lifts it when it is no longer needed; a case has at most
one hold in force (the constraint one_hold_in_force). The schedule (retention.py) and the erasure engine leave a
held case alone.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction
from amends.audit.services import CONCEALED, record_event
from amends.cases.models import Case
from amends.core.errors import DomainError, NotPermittedError
from amends.dataprotection.models import LegalHold
from amends.permissions import Capability, can


def _require_placer(actor: User, case: Case) -> None:
    if not can(actor, Capability.PLACE_LEGAL_HOLDS, case.service_id):
        raise NotPermittedError(_("Only a coordinator of the service places or lifts a legal hold."))


def hold_in_force(case: Case) -> LegalHold | None:
    """The case's legal hold in force, with who placed it; None when there is none."""
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).select_related("placed_by").first()


def holds_in_force(service: Service) -> QuerySet[LegalHold]:
    """The service's legal holds in force, newest first, with the case and who placed each."""
    return (
        LegalHold.objects.filter(case__service=service, lifted_at__isnull=True)
        .select_related("case", "placed_by")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def place_legal_hold(*, case: Case, actor: User, reason: str) -> LegalHold:
    """Place a legal hold on the case: it is kept, and nothing of it erased, until the hold is lifted."""
    _require_placer(actor, case)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the case must be kept."), field="reason")
    locked = Case.objects.select_for_update(of=("self",)).select_related("service").get(pk=case.pk)
    if locked.anonymised_at is not None:
        raise DomainError(_("This case's personal data has already been erased: there is nothing left to hold."))
    if LegalHold.objects.filter(case=locked, lifted_at__isnull=True).exists():
        raise DomainError(_("This case is already under a legal hold."))
    hold = LegalHold.objects.create(case=locked, reason=reason, placed_by=actor)
    record_event(
        action=AuditAction.LEGAL_HOLD_PLACED,
        actor=actor,
        target=locked,
        service=locked.service,
        changes={"legal_hold": hold.pk, "reason": CONCEALED},
    )
    return hold


@transaction.atomic
def lift_legal_hold(*, hold: LegalHold, actor: User) -> LegalHold:
    """Lift the hold: the case follows the retention schedule again (and may be due at the next run)."""
    locked = LegalHold.objects.select_for_update(of=("self",)).select_related("case__service").get(pk=hold.pk)
    _require_placer(actor, locked.case)
    if locked.lifted_at is not None:
        raise DomainError(_("This legal hold has already been lifted."))
    locked.lifted_at, locked.lifted_by = timezone.now(), actor
    locked.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
    record_event(
        action=AuditAction.LEGAL_HOLD_LIFTED,
        actor=actor,
        target=locked.case,
        service=locked.case.service,
        changes={"legal_hold": locked.pk},
    )
    return locked
