"""The outcome agreement of a case and its actions, each tracked to a verified completion (DESIGN.md §5, R14).

Who agreed to the outcome is append-only. Actions change status only through the services, and a compensation
action records its payments one by one.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.core.fields import EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel
from amends.people.models import Participant


class OutcomeAgreement(VersionedModel, TimeStampedModel):
    """What the participants agreed, in their own words: one per case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="outcome_agreement")
    made_on = models.DateField(_("date made"))
    summary = EncryptedTextField(_("the agreement, in the participants' own words"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("outcome agreement")
        verbose_name_plural = _("outcome agreements")
        # The figures count agreements by the date they were made (docs/bench.md).
        indexes = (models.Index(fields=("made_on",), name="agreement_made_on"),)

    def __str__(self) -> str:
        return f"{self.case_id} agreement"


class AgreementMethod(models.TextChoices):
    """How a participant's agreement to the outcome was recorded."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")


class ParticipantAgreement(models.Model):
    """A participant agreed to the outcome: when, how, and who recorded it. Never changed."""

    agreement = models.ForeignKey(OutcomeAgreement, on_delete=models.CASCADE, related_name="participant_agreements")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    agreed_on = models.DateField(_("date agreed"))
    method = models.CharField(_("how they agreed"), max_length=16, choices=AgreementMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("agreed_on", "pk")
        verbose_name = _("agreement to the outcome")
        verbose_name_plural = _("agreements to the outcome")

    def __str__(self) -> str:
        return f"{self.participant_id} agreed {self.agreed_on}"


class ActionKind(models.TextChoices):
    """The catalogue of what an outcome agreement asks of someone."""

    APOLOGY = "apology", _("Apology")
    EXPLANATION = "explanation", _("Explanation")
    REPARATION = "reparation", _("Reparation or voluntary work")
    COMPENSATION = "compensation", _("Compensation")
    SUPPORT = "support", _("Attending support")
    BEHAVIOUR = "behaviour", _("A commitment about behaviour")
    OTHER = "other", _("Other")


class SupportKind(models.TextChoices):
    SUBSTANCE_MISUSE = "substance_misuse", _("Substance misuse")
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SKILLS_EMPLOYMENT = "skills_employment", _("Skills and employment")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RESOLVED_STATUSES = frozenset({ActionStatus.COMPLETED, ActionStatus.NOT_COMPLETED, ActionStatus.WITHDRAWN})


class AgreementAction(VersionedModel, TimeStampedModel):
    """One thing agreed: whose it is, when it is due, and whether it was done, as verified by staff."""

    agreement = models.ForeignKey(OutcomeAgreement, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=16, choices=ActionKind.choices)
    support_kind = models.CharField(_("kind of support"), max_length=24, choices=SupportKind.choices, blank=True)
    description = EncryptedTextField(_("what was agreed"))
    owner = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("whose action"))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    amount = models.DecimalField(_("amount (£)"), max_digits=9, decimal_places=2, null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_note = EncryptedTextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ("due_on", "pk")
        verbose_name = _("agreement action")
        verbose_name_plural = _("agreement actions")
        constraints = (
            models.CheckConstraint(
                condition=~Q(kind=ActionKind.COMPENSATION) | Q(amount__gt=0), name="compensation_has_an_amount"
            ),
            models.CheckConstraint(
                condition=Q(kind=ActionKind.COMPENSATION) | Q(amount__isnull=True), name="only_compensation_has_amount"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ActionKind.SUPPORT) | ~Q(support_kind=""), name="support_action_has_its_kind"
            ),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN) | Q(verified_by__isnull=False, verified_at__isnull=False),
                name="resolved_action_is_verified",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today

    def label(self) -> str:
        if self.kind == ActionKind.SUPPORT and self.support_kind:
            return f"{self.get_kind_display()}: {self.get_support_kind_display()}"
        return str(self.get_kind_display())


class ActionPayment(models.Model):
    """A payment of compensation, as the facilitator recorded it. Never changed."""

    action = models.ForeignKey(AgreementAction, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount (£)"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("date paid"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("paid_on", "pk")
        verbose_name = _("compensation payment")
        verbose_name_plural = _("compensation payments")
        constraints = (models.CheckConstraint(condition=Q(amount__gt=0), name="payment_is_positive"),)

    def __str__(self) -> str:
        return f"{self.action_id} £{self.amount}"


def paid_total(action: AgreementAction) -> Decimal:
    """What has been paid against a compensation action (from prefetched payments when there are any)."""
    return sum((payment.amount for payment in action.payments.all()), Decimal("0"))
