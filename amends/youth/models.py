"""Youth and court variants of a case (DESIGN.md §3 and §5; domain standards R7 and R8).

Referral orders: the youth court makes the order, and a youth offender panel (at least two trained community panel
members and a youth justice service officer, from the service's register) agrees a contract with the child. The
contract's items are the case's outcome agreement actions (amends/outcomes): nothing here duplicates them.

Pre-sentence RJ: the court defers sentence (the dates are on the case) and the service reports back to the court a
number of working days before the sentence date.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service
from amends.core.fields import EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel
from amends.meetings.models import Meeting

SHORTEST_ORDER_MONTHS, LONGEST_ORDER_MONTHS = 3, 12
# The court report is due this many working days before the sentence date, unless the service says otherwise.
DEFAULT_REPORT_WORKING_DAYS = 5


class PanelRole(models.TextChoices):
    COMMUNITY = "community", _("Community panel member")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice service officer")


class PanelMember(VersionedModel, TimeStampedModel):
    """Someone in the service's register who may sit on a referral-order panel."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="panel_members")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role on the panel"), max_length=16, choices=PanelRole.choices)
    trained_on = models.DateField(_("date trained"), null=True, blank=True)
    in_use = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = (models.UniqueConstraint(fields=("service", "name"), name="one_panel_member_name_per_service"),)

    def __str__(self) -> str:
        return self.name


class FinalOutcome(models.TextChoices):
    COMPLETED = "completed", _("Order completed")
    BREACHED = "breached", _("Order breached")


class ReferralOrder(VersionedModel, TimeStampedModel):
    """The youth court's referral order on a case, the decision whether to invite the person harmed to the panel,
    and how the order ended."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="referral_order")
    made_on = models.DateField(_("date the order was made"))
    length_months = models.PositiveSmallIntegerField(_("length of the order (months)"))
    ends_on = models.DateField(_("order ends"))
    court = models.CharField(_("court"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # None until someone decides.
    invite_victim = models.BooleanField(_("invite the person harmed"), null=True, blank=True)
    invitation_reasons = EncryptedTextField(_("reasons for the decision"), blank=True, default="")
    invitation_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invitation_decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    final_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("final meeting")
    )
    final_outcome = models.CharField(_("outcome"), max_length=16, choices=FinalOutcome.choices, blank=True)
    final_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    final_recorded_at = models.DateTimeField(_("final meeting recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral order")
        verbose_name_plural = _("referral orders")
        constraints = (
            models.CheckConstraint(
                condition=Q(length_months__gte=SHORTEST_ORDER_MONTHS, length_months__lte=LONGEST_ORDER_MONTHS),
                name="referral_order_lasts_3_to_12_months",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("made_on")), name="referral_order_ends_after"),
        )

    def __str__(self) -> str:
        return f"{self.case_id} referral order"


class PanelSeat(models.Model):
    """A panel member sitting on one panel or review meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="panel_seats")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="seats")
    seated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("member__role", "member__name", "pk")
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        constraints = (models.UniqueConstraint(fields=("meeting", "member"), name="one_seat_per_member"),)

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id}"


class Breach(TimeStampedModel):
    """A breach of a referral order's contract, and whether the child was referred back to court."""

    order = models.ForeignKey(ReferralOrder, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField(_("date of the breach"))
    what_happened = EncryptedTextField(_("what happened"))
    referred_to_court = models.BooleanField(_("referred back to court"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("occurred_on", "pk")
        verbose_name = _("breach of the order")
        verbose_name_plural = _("breaches of the order")

    def __str__(self) -> str:
        return f"{self.order_id} breach {self.occurred_on}"


class CourtReport(VersionedModel, TimeStampedModel):
    """The report back to the court that deferred sentence: due a number of working days before the sentence date."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="court_report")
    working_days_before = models.PositiveSmallIntegerField(
        _("working days before the sentence date"), default=DEFAULT_REPORT_WORKING_DAYS
    )
    due_on = models.DateField(_("due by"))
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    summary = EncryptedTextField(_("summary of the report"), blank=True, default="")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report to the court")
        verbose_name_plural = _("reports to the court")

    def __str__(self) -> str:
        return f"{self.case_id} court report"

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None
