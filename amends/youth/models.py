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


class VictimInvolvement(models.TextChoices):
    """The part of the person harmed in the referral-order panel: whether they were invited, and what they chose."""

    UNDECIDED = "", _("Not decided yet")
    NOT_INVITED = "not_invited", _("Not invited")
    INVITED = "invited", _("Invited, answer awaited")
    ATTENDING = "attending", _("Invited, and attending")
    DECLINED = "declined", _("Invited, and declined to attend")


# Where the person harmed may be booked to come to the panel.
INVITED_INVOLVEMENTS = frozenset({VictimInvolvement.INVITED, VictimInvolvement.ATTENDING})


class NotInvitedReason(models.TextChoices):
    """Why the person harmed was not invited to the panel."""

    NO_IDENTIFIABLE_VICTIM = "no_identifiable_victim", _("There is no identifiable person harmed")
    ASKED_NOT_TO_BE_CONTACTED = "asked_not_to_be_contacted", _("They asked not to be contacted")
    COULD_NOT_BE_CONTACTED = "could_not_be_contacted", _("They could not be contacted")
    NOT_SAFE_OR_SUITABLE = "not_safe_or_suitable", _("Not safe or suitable (risk assessment)")
    OTHER = "other", _("Another reason")


class DeclinedContribution(models.TextChoices):
    """What the person harmed who declined to attend the panel wants instead."""

    STATEMENT = "statement", _("They want to send a statement to the panel")
    OTHER_WAY = "other_way", _("They want to take part another way")
    NEITHER = "neither", _("Neither: they do not want to take part")


class ReferralOrder(VersionedModel, TimeStampedModel):
    """The youth court's referral order on a case, the part of the person harmed in the panel (invited or not, and
    what they chose), and how the order ended."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="referral_order")
    made_on = models.DateField(_("date the order was made"))
    length_months = models.PositiveSmallIntegerField(_("length of the order (months)"))
    ends_on = models.DateField(_("order ends"))
    court = models.CharField(_("court"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    victim_involvement = models.CharField(
        _("the person harmed at the panel"), max_length=16, choices=VictimInvolvement.choices, blank=True, default=""
    )
    # Only when not invited.
    not_invited_reason = models.CharField(
        _("why they were not invited"), max_length=32, choices=NotInvitedReason.choices, blank=True, default=""
    )
    # Only when they declined to attend.
    declined_contribution = models.CharField(
        _("what they want instead"), max_length=16, choices=DeclinedContribution.choices, blank=True, default=""
    )
    invitation_reasons = EncryptedTextField(_("more about it"), blank=True, default="")
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
            models.CheckConstraint(
                condition=Q(victim_involvement__in=VictimInvolvement.values),
                name="referral_order_victim_involvement_known",
            ),
            # A reason exactly when not invited, and a choice exactly when they declined: never one left behind.
            models.CheckConstraint(
                condition=Q(
                    victim_involvement=VictimInvolvement.NOT_INVITED, not_invited_reason__in=NotInvitedReason.values
                )
                | (~Q(victim_involvement=VictimInvolvement.NOT_INVITED) & Q(not_invited_reason="")),
                name="referral_order_not_invited_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(
                    victim_involvement=VictimInvolvement.DECLINED, declined_contribution__in=DeclinedContribution.values
                )
                | (~Q(victim_involvement=VictimInvolvement.DECLINED) & Q(declined_contribution="")),
                name="referral_order_declined_says_what_instead",
            ),
            models.CheckConstraint(
                condition=Q(victim_involvement="", invitation_decided_by__isnull=True)
                | (~Q(victim_involvement="") & Q(invitation_decided_by__isnull=False)),
                name="referral_order_involvement_has_who_decided",
            ),
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
