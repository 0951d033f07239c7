"""Restorative meetings (conferences, mediation, circles and panel meetings), the register of neutral venues they use,
and who attends each, with a separate arrival and departure time for each party (DESIGN.md §5).

A meeting is booked, moved to a new time or cancelled, and then recorded: who came, what happened, and whether it
was halted for safety. Every change goes through meetings/services.py, which re-checks the gates.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service
from amends.core.fields import EncryptedCharField, EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel
from amends.people.models import Participant


class Venue(VersionedModel, TimeStampedModel):
    """A neutral place a service meets people: what it offers, so a facilitator can match it to people's needs."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="venues")
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"))
    step_free = models.BooleanField(_("step-free access"), default=False)
    separate_waiting_rooms = models.BooleanField(_("separate waiting rooms"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    is_prison = models.BooleanField(_("prison or secure setting"), default=False)
    security_notes = models.TextField(_("security clearance and visit arrangements"), blank=True)
    notes = models.TextField(_("other notes"), blank=True)
    in_use = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = (models.UniqueConstraint(fields=("service", "name"), name="one_venue_name_per_service"),)

    def __str__(self) -> str:
        return self.name


class MeetingPurpose(models.TextChoices):
    RESTORATIVE = "restorative", _("Restorative meeting")
    PREPARATION = "preparation", _("Preparation meeting")
    PANEL = "panel", _("Referral-order panel meeting")
    REVIEW = "review", _("Review meeting")


# These bring the parties together (or before a panel): booking one schedules the case, holding one starts its process.
PROCESS_MEETINGS = frozenset({MeetingPurpose.RESTORATIVE, MeetingPurpose.PANEL})


class Platform(models.TextChoices):
    TEAMS = "teams", _("Microsoft Teams")
    ZOOM = "zoom", _("Zoom")
    CVP = "cvp", _("Cloud Video Platform (justice)")
    PRISON_VIDEO = "prison_video", _("Prison video calls")
    OTHER = "other", _("Other")


class MeetingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")
    HALTED = "halted", _("Halted for safety")
    NOT_HELD = "not_held", _("Did not go ahead")


class Meeting(VersionedModel, TimeStampedModel):
    """One meeting of a case: when, where (a venue, or a video platform), and how it went."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="meetings")
    purpose = models.CharField(_("purpose"), max_length=16, choices=MeetingPurpose.choices)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    ends_at = models.DateTimeField(_("ends"), db_index=True)
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("venue")
    )
    # A prison visit is booked through the prison; its reference identifies a visitor, so it is encrypted.
    visit_booking_reference = EncryptedCharField(
        _("prison visit booking reference"), max_length=100, blank=True, default=""
    )
    security_cleared = models.BooleanField(_("security clearance confirmed for everyone attending"), default=False)
    platform = models.CharField(_("video platform"), max_length=16, choices=Platform.choices, blank=True)
    pre_checks_on = models.DateField(_("date the connection was tested with each attendee"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.BOOKED, db_index=True
    )
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    times_moved = models.PositiveSmallIntegerField(_("times moved"), default=0)
    change_reason = EncryptedTextField(_("why it was moved or cancelled"), blank=True, default="")
    summary = EncryptedTextField(_("what happened"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        ordering = ("starts_at", "pk")
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = (
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="meeting_has_a_length"),
            models.CheckConstraint(
                condition=Q(venue__isnull=False) | ~Q(platform=""), name="meeting_has_a_venue_or_a_platform"
            ),
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_purpose_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_virtual(self) -> bool:
        return bool(self.platform)

    @property
    def is_booked(self) -> bool:
        return self.status == MeetingStatus.BOOKED


class Party(models.TextChoices):
    """Whose side someone comes on: the two sides arrive and leave at different times, so they never meet by
    chance in a corridor or car park."""

    HARMED = "harmed", _("The person harmed and their supporters")
    RESPONSIBLE = "responsible", _("The person responsible and their supporters")
    OTHER = "other", _("Others taking part")
    STAFF = "staff", _("Facilitators")


class Attendee(models.Model):
    """Someone expected at a meeting: a participant of the case or a facilitator, and when they arrive and leave."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_places"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_places"
    )
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    arrives_at = models.DateTimeField(_("arrives"))
    leaves_at = models.DateTimeField(_("leaves"))
    # A supporter attends only with a facilitator's agreement (as well as their own consent and risk assessment).
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # None until the meeting is recorded.
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ("arrives_at", "pk")
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = (
            models.CheckConstraint(
                condition=Q(participant__isnull=False, staff__isnull=True)
                | Q(participant__isnull=True, staff__isnull=False),
                name="attendee_is_a_participant_or_staff",
            ),
            models.CheckConstraint(condition=Q(leaves_at__gt=models.F("arrives_at")), name="attendee_leaves_after"),
            models.UniqueConstraint(fields=("meeting", "participant"), name="one_place_per_participant"),
            models.UniqueConstraint(fields=("meeting", "staff"), name="one_place_per_facilitator"),
        )

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.participant_id or self.staff_id}"
