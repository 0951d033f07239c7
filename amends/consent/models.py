"""What the gates rest on, besides risk: information given, responsibility and consent. All append-only: a change is
a new record, and the latest one counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.core.fields import EncryptedCharField, EncryptedTextField
from amends.people.models import Participant


class InformationItem(models.TextChoices):
    """What a participant must be told before their consent counts as informed (RJC Service Provider Code A)."""

    PROCESS = "process", _("How the process works")
    OUTCOMES = "outcomes", _("What the possible outcomes are")
    MONITORING = "monitoring", _("How an outcome agreement is monitored")
    SENTENCE_UNCHANGED = "sentence_unchanged", _("That taking part does not change a sentence")
    VOLUNTARY = "voluntary", _("That taking part is voluntary and consent can be withdrawn at any time")
    CONFIDENTIALITY = "confidentiality", _("What is kept confidential, and its limits")


REQUIRED_INFORMATION = frozenset(
    {
        InformationItem.PROCESS,
        InformationItem.OUTCOMES,
        InformationItem.MONITORING,
        InformationItem.SENTENCE_UNCHANGED,
    }
)


class InformationFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")
    LETTER = "letter", _("In a letter")
    LEAFLET = "leaflet", _("Leaflet")
    EASY_READ = "easy_read", _("Easy read leaflet")


class InformationGiven(models.Model):
    """What a participant was told, when, how, in which language and by whom."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="information_given")
    items = models.JSONField(_("what they were told"), default=list)
    given_on = models.DateField(_("date"))
    format = models.CharField(_("how"), max_length=16, choices=InformationFormat.choices)
    language = models.CharField(_("language"), max_length=40, default="English")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("-given_on", "-pk")
        verbose_name = _("information given")
        verbose_name_plural = _("information given")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.given_on}"

    def get_items_display(self) -> list[str]:
        return [str(InformationItem(value).label) for value in self.items if value in InformationItem.values]


class ResponsibilityBasis(models.TextChoices):
    ADMISSION = "admission", _("Admission to the facilitator")
    GUILTY_PLEA = "guilty_plea", _("Guilty plea")
    CONVICTION = "conviction", _("Conviction")
    CAUTION = "caution", _("Caution or conditional caution")
    COMMUNITY_RESOLUTION = "community_resolution", _("Community resolution")


class ResponsibilityLevel(models.TextChoices):
    FULL = "full", _("Accepts the basic facts and full responsibility")
    PARTIAL = "partial", _("Accepts the basic facts and some responsibility")
    DENIES = "denies", _("Does not accept responsibility")


ACCEPTING_LEVELS = frozenset({ResponsibilityLevel.FULL, ResponsibilityLevel.PARTIAL})


class ResponsibilityRecord(models.Model):
    """The person responsible's acknowledgement of the facts and of their responsibility, in their own words."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="responsibility_records")
    basis = models.CharField(_("basis"), max_length=24, choices=ResponsibilityBasis.choices)
    level = models.CharField(_("responsibility accepted"), max_length=16, choices=ResponsibilityLevel.choices)
    in_their_words = EncryptedTextField(_("in their words"), blank=True, default="")
    recorded_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("-recorded_at", "-pk")
        verbose_name = _("responsibility record")
        verbose_name_plural = _("responsibility records")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.level}"


class ConsentScope(models.TextChoices):
    """What consent can cover, one by one (RJC Service Provider Code C). Process kinds are listed separately."""

    TAKE_PART = "take_part", _("Taking part")
    RECORDING = "recording", _("Being recorded (audio or video)")
    SHARE_INFORMATION = "share_information", _("Sharing information with the people named")
    FEEDBACK = "feedback", _("Being asked for feedback")
    RESEARCH = "research", _("Anonymous use in research and evaluation")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written (signed form or letter)")
    VERBAL = "verbal", _("Verbal, with a witness")
    ONLINE = "online", _("Online, by the person through their secure link")


class ConsentKind(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentRecord(models.Model):
    """Consent given or withdrawn. Never changed: a withdrawal is a new record that takes effect at once."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consent_records")
    kind = models.CharField(_("given or withdrawn"), max_length=16, choices=ConsentKind.choices)
    scopes = models.JSONField(_("consent covers"), default=list, blank=True)
    process_kinds = models.JSONField(_("processes consented to"), default=list, blank=True)
    share_with = EncryptedCharField(_("information may be shared with"), max_length=300, blank=True, default="")
    method = models.CharField(_("how consent was given"), max_length=16, choices=ConsentMethod.choices, blank=True)
    witnessed_by = EncryptedCharField(_("witnessed by"), max_length=200, blank=True, default="")
    evidence = EncryptedCharField(_("where the evidence is kept"), max_length=300, blank=True, default="")
    reason = EncryptedTextField(_("reason given"), blank=True, default="")
    occurred_at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("-occurred_at", "-pk")
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind=ConsentKind.WITHDRAWN) | ~Q(method=""), name="given_consent_has_a_method"
            ),
        )

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind} {self.occurred_at:%Y-%m-%d}"

    def get_scopes_display(self) -> list[str]:
        return [str(ConsentScope(value).label) for value in self.scopes if value in ConsentScope.values]

    def get_process_kinds_display(self) -> list[str]:
        from amends.cases.models import ProcessKind

        return [str(ProcessKind(value).label) for value in self.process_kinds if value in ProcessKind.values]
