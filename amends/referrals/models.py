"""Referrals and their triage (DESIGN.md §5): what arrives before a case is opened."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service
from amends.core.fields import EncryptedCharField, EncryptedTextField, blind_index
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel
from amends.people.models import ParticipantRole


def crime_reference_key(reference: str) -> str:
    """The blind index of a crime reference ("" for none): the same for the same reference, whatever its spacing."""
    return blind_index("crime reference", reference) if reference.strip() else ""


class ReferralSource(models.TextChoices):
    POLICE = "police", _("Police")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice service")
    PROBATION = "probation", _("Probation")
    PRISON = "prison", _("Prison")
    VICTIM_SERVICE = "victim_service", _("Victim service")
    COURT = "court", _("Court")
    SCHOOL = "school", _("School")
    HEALTH_OR_SOCIAL_CARE = "health_social_care", _("Health or social care")
    COMMUNITY = "community", _("Community or housing organisation")
    SELF = "self", _("Self-referral")
    OTHER = "other", _("Other")


class OffenceCategory(models.TextChoices):
    """Broad Home Office offence groups, plus harm that is not a crime."""

    VIOLENCE_WITH_INJURY = "violence_with_injury", _("Violence with injury")
    VIOLENCE_WITHOUT_INJURY = "violence_without_injury", _("Violence without injury")
    SEXUAL_OFFENCE = "sexual_offence", _("Sexual offence")
    ROBBERY = "robbery", _("Robbery")
    BURGLARY = "burglary", _("Burglary")
    VEHICLE_OFFENCE = "vehicle_offence", _("Vehicle offence")
    THEFT = "theft", _("Theft")
    CRIMINAL_DAMAGE = "criminal_damage", _("Criminal damage and arson")
    STALKING_HARASSMENT = "stalking_harassment", _("Stalking and harassment")
    PUBLIC_ORDER = "public_order", _("Public order offence")
    FRAUD = "fraud", _("Fraud")
    HOMICIDE = "homicide", _("Homicide or death by driving")
    DRUG_OFFENCE = "drug_offence", _("Drug offence")
    ANTI_SOCIAL_BEHAVIOUR = "anti_social_behaviour", _("Anti-social behaviour (not a crime)")
    NOT_A_CRIME = "not_a_crime", _("Other harm that is not a crime")
    OTHER = "other", _("Other offence")


class JusticeStage(models.TextChoices):
    NOT_REPORTED = "not_reported", _("Not reported to the police")
    PRE_CHARGE = "pre_charge", _("Reported, not charged")
    OUT_OF_COURT = "out_of_court", _("Out-of-court resolution or conditional caution")
    PRE_SENTENCE = "pre_sentence", _("Pre-sentence")
    COMMUNITY_SENTENCE = "community_sentence", _("Community sentence")
    CUSTODY = "custody", _("Custody")
    ON_LICENCE = "on_licence", _("On licence")
    REFERRAL_ORDER = "referral_order", _("Youth referral order")


class Initiator(models.TextChoices):
    PERSON_HARMED = "person_harmed", _("The person harmed")
    PERSON_RESPONSIBLE = "person_responsible", _("The person responsible")
    REFERRER = "referrer", _("The referrer")
    OTHER = "other", _("Someone else")


class Setting(models.TextChoices):
    CRIMINAL_JUSTICE = "criminal_justice", _("Criminal justice")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice")
    COMMUNITY = "community", _("Community or anti-social behaviour")
    SCHOOL = "school", _("School")
    WORKPLACE = "workplace", _("Workplace")
    CARE_HOME = "care_home", _("Care home")


class EnhancedRightsGround(models.TextChoices):
    """Victims' Code: who has enhanced rights (a one-working-day clock instead of five)."""

    NONE = "", _("No enhanced rights")
    MOST_SERIOUS_CRIME = "most_serious_crime", _("Victim of the most serious crime")
    PERSISTENTLY_TARGETED = "persistently_targeted", _("Persistently targeted")
    VULNERABLE_OR_INTIMIDATED = "vulnerable_or_intimidated", _("Vulnerable or intimidated")
    CHILD = "child", _("A child (under 18)")


class TriageDecision(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting triage")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REDIRECTED = "redirected", _("Redirected to another service")


class Referral(VersionedModel, TimeStampedModel):
    """A request for RJ, from a partner agency, a member of staff or the person themselves."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    received_on = models.DateField(_("received"))
    source = models.CharField(_("referral source"), max_length=24, choices=ReferralSource.choices)
    # The staff account that entered it; a referrer sees the status of their own referrals and nothing else.
    # None for a self-referral made through the service's public form.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_entered",
    )
    referrer_name = EncryptedCharField(_("referrer's name"), max_length=200, blank=True, default="")
    referrer_organisation = models.CharField(_("referrer's organisation"), max_length=200, blank=True)
    referrer_contact = EncryptedCharField(_("referrer's phone or email"), max_length=200, blank=True, default="")
    # The crime reference identifies the people in a police record, so it is encrypted; its blind index finds another
    # referral with the same reference without decrypting (cases.selectors.possible_duplicates).
    crime_reference = EncryptedCharField(_("crime reference"), max_length=40, blank=True, default="")
    crime_reference_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    offence_category = models.CharField(_("offence or harm"), max_length=32, choices=OffenceCategory.choices)
    offence_date = models.DateField(_("date of the offence or harm"), null=True, blank=True)
    reported_on = models.DateField(_("date reported to the police"), null=True, blank=True)
    justice_stage = models.CharField(_("criminal justice stage"), max_length=24, choices=JusticeStage.choices)
    area = models.CharField(_("area"), max_length=100, blank=True)
    initiated_by = models.CharField(_("who asked for RJ"), max_length=24, choices=Initiator.choices)
    setting = models.CharField(_("setting"), max_length=24, choices=Setting.choices)
    enhanced_rights = models.CharField(
        _("enhanced rights"), max_length=32, choices=EnhancedRightsGround.choices, blank=True
    )
    victim_told_about_rj_on = models.DateField(_("date the person harmed was told about RJ"), null=True, blank=True)
    victim_told_about_rj_by = EncryptedCharField(_("who told them"), max_length=200, blank=True, default="")
    # Victims' Code right 3's due date, kept with the referral so that the figures can count it in SQL.
    right_3_due_on = models.DateField(null=True, blank=True, editable=False)
    summary = EncryptedTextField(_("what happened, and what is asked for"), blank=True, default="")
    risk_information = EncryptedTextField(_("known risks"), blank=True, default="")
    decision = models.CharField(
        _("triage decision"), max_length=16, choices=TriageDecision.choices, default=TriageDecision.AWAITING
    )
    decision_reason = EncryptedTextField(_("reason"), blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    redirected_to = models.CharField(_("redirected to"), max_length=200, blank=True)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="referral")
    # A self-referral is checked (the person called back on the number they gave) before it is triaged, where the
    # service asks for that.
    verified_at = models.DateTimeField(_("checked"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verification_note = EncryptedTextField(_("how it was checked"), blank=True, default="")
    # Intake from a partner checks the register of information sharing agreements (amends/dataprotection).
    sharing_agreement = models.ForeignKey(
        "dataprotection.SharingAgreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("information sharing agreement"),
    )
    received_without_agreement = EncryptedTextField(
        _("why it could be received without a sharing agreement"), blank=True, default=""
    )
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ("-received_on", "-pk")
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        # Most figures count a service's referrals by the date received (docs/bench.md).
        indexes = (models.Index(fields=("service", "received_on"), name="referral_service_received"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(decision=TriageDecision.ACCEPTED, case__isnull=False)
                | (~Q(decision=TriageDecision.ACCEPTED) & Q(case__isnull=True)),
                name="referral_case_only_when_accepted",
            ),
        )

    def __str__(self) -> str:
        return f"{self.service_id}/{self.pk}"

    def set_right_3_due(self) -> None:
        """Work out right 3's due date again from the report date and enhanced rights (every save does)."""
        from amends.referrals.clocks import right_3_due  # here, not at the top: the clocks module imports this one

        self.right_3_due_on = right_3_due(self.reported_on, bool(self.enhanced_rights)) if self.reported_on else None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_right_3_due()
        self.crime_reference_key = crime_reference_key(self.crime_reference)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "right_3_due_on", "crime_reference_key"}
        super().save(*args, **kwargs)

    @property
    def is_self_referral(self) -> bool:
        return self.source == ReferralSource.SELF


class ReferredPerson(models.Model):
    """Someone named in a referral, and their part; accepting the referral makes them participants of the case."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("part in the case"), max_length=24, choices=ParticipantRole.choices)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("referral", "person"), name="person_named_once_per_referral"),)

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.role}"
