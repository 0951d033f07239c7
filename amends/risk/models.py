"""Risk assessment per participant (supporters included), versioned, with a coordinator's sign-off where needed,
and the new risk information and safeguarding concerns that make an assessment stale."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.core.fields import EncryptedTextField
from amends.people.models import Participant


class RiskFactor(models.TextChoices):
    """The factors services assess (reference/domain-standards.md §4.1)."""

    ACCOUNTABILITY = "accountability", _("Lack of accountability or remorse")
    EMOTIONAL_HARM = "emotional_harm", _("Risk of emotional harm")
    PHYSICAL_HARM = "physical_harm", _("Risk of physical harm")
    REVICTIMISATION = "revictimisation", _("Risk of re-victimisation")
    POWER_IMBALANCE = "power_imbalance", _("Power imbalance")
    SUPPORTER_INFLUENCE = "supporter_influence", _("Influence of supporters")
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse or coercive control")
    SEXUAL_HARM = "sexual_harm", _("Sexual harm")
    HATE_MOTIVATION = "hate_motivation", _("Hate motivation")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_MISUSE = "substance_misuse", _("Substance misuse")
    CAPABILITY = "capability", _("Capability to understand and take part")
    CHILD_SAFEGUARDING = "child_safeguarding", _("Safeguarding of children")
    ONGOING_RELATIONSHIP = "ongoing_relationship", _("Ongoing relationship or living nearby")
    INTIMIDATION = "intimidation", _("Intimidation")
    PARTNER_INFORMATION = "partner_information", _("Risk information from partner agencies")


class RiskLevel(models.TextChoices):
    NONE = "none", _("Not present")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskCondition(models.TextChoices):
    INDIRECT_ONLY = "indirect_only", _("Indirect communication only")
    VIRTUAL_ONLY = "virtual_only", _("Virtual meetings only")
    CO_FACILITATION = "co_facilitation", _("Co-facilitation")
    NO_SUPPORTERS = "no_supporters", _("No supporters")
    SEPARATE_ARRIVAL = "separate_arrival", _("Separate arrival and departure")
    NEUTRAL_VENUE = "neutral_venue", _("Neutral venue")
    NO_RECORDING = "no_recording", _("No recording")
    SUPPORT_WORKER = "support_worker", _("A support worker present")


class RiskOutcome(models.TextChoices):
    SUITABLE = "suitable", _("Suitable")
    SUITABLE_WITH_CONDITIONS = "suitable_with_conditions", _("Suitable with conditions")
    NOT_SUITABLE_NOW = "not_suitable_now", _("Not suitable now")
    UNSUITABLE = "unsuitable", _("Unsuitable")


SAFE_OUTCOMES = frozenset({RiskOutcome.SUITABLE, RiskOutcome.SUITABLE_WITH_CONDITIONS})


class SignOffDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")


class RiskAssessment(models.Model):
    """One version of a participant's risk and safety assessment. Versions are kept; the latest counts."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="risk_assessments")
    version = models.PositiveIntegerField(_("version"))
    factors = models.JSONField(_("factors"), default=dict, blank=True)
    narrative = EncryptedTextField(_("assessment"), blank=True, default="")
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=RiskOutcome.choices)
    review_on = models.DateField(_("review by"))
    assessed_on = models.DateField(_("date assessed"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    sign_off_decision = models.CharField(
        _("sign-off decision"), max_length=16, choices=SignOffDecision.choices, blank=True
    )
    sign_off_note = EncryptedTextField(_("sign-off note"), blank=True, default="")

    class Meta:
        ordering = ("-version",)
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = (
            models.UniqueConstraint(fields=("participant", "version"), name="one_risk_assessment_per_version"),
        )

    def __str__(self) -> str:
        return f"{self.participant_id} v{self.version}"

    def get_conditions_display(self) -> list[str]:
        return [str(RiskCondition(value).label) for value in self.conditions if value in RiskCondition.values]

    def factor_rows(self) -> list[tuple[str, str]]:
        return [
            (str(RiskFactor(name).label), str(RiskLevel(level).label))
            for name, level in self.factors.items()
            if name in RiskFactor.values and level in RiskLevel.values
        ]


class RiskInformationKind(models.TextChoices):
    NEW_INFORMATION = "new_information", _("New risk information")
    SAFEGUARDING = "safeguarding", _("Safeguarding concern")


class RiskInformation(models.Model):
    """Something learned about risk. It makes current assessments stale; a safeguarding concern also moves an open
    case back to assessing at once."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="risk_information")
    # None: it concerns everyone in the case.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="risk_information"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=RiskInformationKind.choices)
    details = EncryptedTextField(_("details"))
    referred_to = models.CharField(_("referred to (safeguarding)"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ("-recorded_at", "-pk")
        verbose_name = _("risk information")
        verbose_name_plural = _("risk information")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
