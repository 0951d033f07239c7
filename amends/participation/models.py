"""The participant's secure link: one person's way into their own part of one case, without an account.

A facilitator issues a link to one participant. It is sent by email or text message, or printed in a letter, and it
opens only after a second check: the participant's date of birth, or a code sent to them separately. Only a hash of
the link's token and of the code is kept. A link expires, can be revoked, and locks after repeated failed checks; a
new link replaces any earlier one for the same participant.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.core.models import TimeStampedModel

# Failed second checks before a link locks; a facilitator then issues a new one.
MOST_FAILED_CHECKS = 5


class LinkChannel(models.TextChoices):
    EMAIL = "email", _("By email")
    SMS = "sms", _("By text message")
    LETTER = "letter", _("Printed in a letter")


class SecondCheck(models.TextChoices):
    DATE_OF_BIRTH = "date_of_birth", _("Their date of birth")
    CODE = "code", _("A code sent to them separately")


class ParticipantLink(TimeStampedModel):
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="links", verbose_name=_("participant")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("how it is sent"), max_length=12, choices=LinkChannel.choices)
    second_check = models.CharField(_("second check"), max_length=16, choices=SecondCheck.choices)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    failed_checks = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("secure link")
        verbose_name_plural = _("secure links")
        constraints = (
            models.CheckConstraint(
                condition=Q(second_check="date_of_birth", code_hash="") | (Q(second_check="code") & ~Q(code_hash="")),
                name="link_code_only_for_code_check",
            ),
        )

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.pk}"

    @staticmethod
    def hash_secret(secret: str) -> str:
        """A keyed hash, so that a copy of the database alone cannot be used to try tokens or codes offline."""
        return hmac.new(
            settings.BLIND_INDEX_KEY.encode(), f"participant-link:{secret}".encode(), hashlib.sha256
        ).hexdigest()

    def state(self, now: datetime.datetime | None = None) -> str:
        """ "live", "revoked", "locked" or "expired"."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.locked_at is not None:
            return "locked"
        if self.expires_at <= now:
            return "expired"
        return "live"

    @property
    def is_live(self) -> bool:
        return self.state() == "live"
