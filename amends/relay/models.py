"""The facilitated relay: letters, recordings and shuttle messages from one participant to another, held until a
facilitator has reviewed them and released only then (DESIGN.md §5, domain standards §3).

A message changes status only through amends.relay.services, whose STEPS table holds every transition. Its files are
stored encrypted outside the web root under a random name; the identifying-details check leaves a flag on each
detail that could identify or locate the sender, and every flag is resolved before approval.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.core.fields import EncryptedCharField, EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel
from amends.people.models import Participant


class MessageKind(models.TextChoices):
    LETTER = "letter", _("Letter, written out")
    SCANNED_LETTER = "scanned_letter", _("Scanned letter")
    AUDIO = "audio", _("Audio recording")
    VIDEO = "video", _("Video recording")
    SHUTTLE = "shuttle", _("Shuttle message, written down by the facilitator")


class MessageStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved, not yet released")
    RELEASED = "released", _("Released")
    DELIVERED = "delivered", _("Delivered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REPLIED = "replied", _("Replied to")
    DECLINED = "declined", _("Declined by the recipient")


# A message in one of these may still be changed by its writer, and may take new files.
EDITABLE_STATUSES = frozenset({MessageStatus.DRAFT, MessageStatus.RETURNED})
# What a recipient may have been given: never a draft, never a message approved but not yet released.
PASSED_ON_STATUSES = frozenset(
    {
        MessageStatus.RELEASED,
        MessageStatus.DELIVERED,
        MessageStatus.ACKNOWLEDGED,
        MessageStatus.REPLIED,
        MessageStatus.DECLINED,
    }
)


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Handed over in person")
    POST = "post", _("By post")
    EMAIL = "email", _("By email")
    READ_BY_PHONE = "read_by_phone", _("Read out by phone")
    PLAYED_IN_PERSON = "played_in_person", _("Played or shown to them in person")
    SECURE_LINK = "secure_link", _("Read through their secure link")


class RelayMessage(VersionedModel, TimeStampedModel):
    """One message from one participant to another, carried by the facilitator."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="relay_messages")
    sender = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    recipient = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    kind = models.CharField(_("kind of message"), max_length=16, choices=MessageKind.choices)
    body = EncryptedTextField(_("the message"), blank=True, default="")
    reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    status = models.CharField(_("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.DRAFT)
    # None when the participant wrote it themselves, through their secure link.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_started_at = models.DateTimeField(_("review started"), null=True, blank=True)
    review_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = EncryptedTextField(_("what to change"), blank=True, default="")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    redactions = EncryptedTextField(_("what was redacted"), blank=True, default="")
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivery_method = models.CharField(
        _("how it was delivered"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = EncryptedTextField(_("why they declined it"), blank=True, default="")

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = (
            models.CheckConstraint(condition=~Q(sender=models.F("recipient")), name="message_not_to_its_sender"),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(PASSED_ON_STATUSES - {MessageStatus.DECLINED}))
                | Q(released_at__isnull=False),
                name="passed_on_message_was_released",
            ),
        )

    def __str__(self) -> str:
        return f"{self.case_id} message {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class FileFamily(models.TextChoices):
    DOCUMENT = "document", _("Document or scan")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class MessageFile(models.Model):
    """A file carrying (part of) a message: a scan, a recording. Encrypted on disk under a random name."""

    message = models.ForeignKey(RelayMessage, on_delete=models.PROTECT, related_name="files")
    # Random, never the uploaded name; the file is at AMENDS_PRIVATE_DIR / "relay" / stored_name.
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = EncryptedCharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=32)
    family = models.CharField(_("kind of file"), max_length=16, choices=FileFamily.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ("uploaded_at", "pk")
        verbose_name = _("message file")
        verbose_name_plural = _("message files")

    def __str__(self) -> str:
        return f"{self.message_id} file {self.pk}"


class FlagKind(models.TextChoices):
    ADDRESS = "address", _("Street address")
    POSTCODE = "postcode", _("Postcode")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    ON_RECORD = "on_record", _("Personal detail held on the sender's record")
    FILE = "file", _("File to check by eye")


class FlagResolution(models.TextChoices):
    UNRESOLVED = "", _("Not resolved yet")
    REDACTED = "redacted", _("Redacted")
    KEPT_NOT_IDENTIFYING = "kept_not_identifying", _("Kept: it does not identify them")
    KEPT_SENDER_AGREED = "kept_sender_agreed", _("Kept: the sender agreed")


class FlagPlace(models.TextChoices):
    TEXT = "text", _("In the message")
    FILE = "file", _("In a file")


class IdentifyingFlag(models.Model):
    """A detail in a message that could identify or locate its sender, and what the facilitator decided about it."""

    message = models.ForeignKey(RelayMessage, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("what was found"), max_length=16, choices=FlagKind.choices)
    matched_text = EncryptedTextField(_("the words found"), blank=True, default="")
    place = models.CharField(_("where"), max_length=8, choices=FlagPlace.choices)
    file = models.ForeignKey(MessageFile, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    resolution = models.CharField(
        _("decision"), max_length=24, choices=FlagResolution.choices, blank=True, default=FlagResolution.UNRESOLVED
    )
    reason = EncryptedTextField(_("why"), blank=True, default="")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        ordering = ("found_at", "pk")
        verbose_name = _("identifying-details flag")
        verbose_name_plural = _("identifying-details flags")
        constraints = (
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolved_by__isnull=False, resolved_at__isnull=False),
                name="resolved_flag_names_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(place="file", file__isnull=False) | Q(place="text", file__isnull=True),
                name="file_flag_names_its_file",
            ),
        )

    def __str__(self) -> str:
        return f"{self.message_id} {self.kind}"

    @property
    def is_resolved(self) -> bool:
        return self.resolution != FlagResolution.UNRESOLVED
