"""Data protection by design (UK GDPR, DPA 2018): what each organisation processes and why, how long each kind of
record is kept, legal holds, people's requests under their rights, and every sharing of personal data outside the
service with the agreements that govern it.

Erasing personal data never deletes the rows the figures count: it blanks every encrypted (personal) value and the
few plain identifiers, and marks the record anonymised (amends/dataprotection/erasure.py).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Organisation, Service
from amends.core.fields import EncryptedCharField, EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel
from amends.core.workdays import add_months

# A request under the data subject's rights is answered within one calendar month (UK GDPR Art. 12(3)), extendable by
# two further months where it is complex or one of many.
ANSWER_WITHIN_MONTHS = 1
EXTEND_BY_MONTHS = 2


# --- What the organisation processes, under which law -----------------------------------------------------------


class Purpose(models.TextChoices):
    DELIVERING_RJ = "delivering_rj", _("Delivering restorative justice")
    SAFEGUARDING = "safeguarding", _("Keeping people safe (risk and safeguarding)")
    TELLING_VICTIMS = "telling_victims", _("Telling people harmed about restorative justice")
    FOLLOW_UP = "follow_up", _("Following up and measuring outcomes")
    FIGURES = "figures", _("Anonymous figures for commissioners and monitoring")
    COMPLAINTS = "complaints", _("Complaints and feedback")
    EQUALITY = "equality", _("Equality monitoring")


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", _("Consent (Art. 6(1)(a))")
    CONTRACT = "contract", _("Contract (Art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (Art. 6(1)(c))")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (Art. 6(1)(d))")
    PUBLIC_TASK = "public_task", _("Public task (Art. 6(1)(e))")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests (Art. 6(1)(f))")
    LAW_ENFORCEMENT_CONSENT = "le_consent", _("Part 3: consent of the data subject (s.35(2)(a))")
    LAW_ENFORCEMENT_TASK = "le_task", _("Part 3: necessary for a law enforcement task (s.35(2)(b))")


class Condition(models.TextChoices):
    """The condition for special category (Art. 9) or criminal offence (Art. 10, s.10 and Schedule 1) data."""

    NONE = "", _("No special category or criminal offence data")
    EXPLICIT_CONSENT = "explicit_consent", _("Explicit consent (Art. 9(2)(a))")
    SUBSTANTIAL_PUBLIC_INTEREST = "statutory_purposes", _("Statutory and government purposes (Sch. 1 para 6)")
    PREVENTING_CRIME = "preventing_crime", _("Preventing or detecting unlawful acts (Sch. 1 para 10)")
    SAFEGUARDING = "safeguarding", _("Safeguarding of children and of individuals at risk (Sch. 1 para 18)")
    COUNSELLING = "counselling", _("Counselling (Sch. 1 para 17)")
    EQUALITY = "equality", _("Equality of opportunity or treatment (Sch. 1 para 8)")
    CONSENT_CRIMINAL = "consent_criminal", _("Consent, for criminal offence data (Sch. 1 para 29)")
    LEGAL_CLAIMS = "legal_claims", _("Legal claims (Art. 9(2)(f), Sch. 1 para 33)")
    SENSITIVE_LAW_ENFORCEMENT = (
        "s35_strictly_necessary",
        _("Part 3: strictly necessary, Schedule 8 condition (s.35(5))"),
    )


class ProcessingPurpose(TimeStampedModel):
    """One purpose an organisation processes personal data for, with its lawful basis and condition."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="processing_purposes")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    lawful_basis = models.CharField(_("lawful basis"), max_length=24, choices=LawfulBasis.choices)
    condition = models.CharField(
        _("condition for special category or criminal offence data"),
        max_length=32,
        choices=Condition.choices,
        blank=True,
    )
    explanation = models.TextField(_("in plain words"), blank=True)
    explanation_cy = models.TextField(_("in plain words, in Welsh"), blank=True)

    class Meta:
        ordering = ("organisation", "purpose")
        verbose_name = _("purpose of processing")
        verbose_name_plural = _("purposes of processing")
        constraints = (models.UniqueConstraint(fields=("organisation", "purpose"), name="one_basis_per_purpose"),)

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.purpose}"


# --- Retention -------------------------------------------------------------------------------------------------


class RecordType(models.TextChoices):
    CLOSED_CASE = "closed_case", _("Closed cases")
    YOUTH_CASE = "youth_case", _("Closed cases in which a child took part")
    REFERRAL_NOT_TAKEN_ON = "referral_not_taken_on", _("Referrals declined, redirected or withdrawn")
    COMPLAINT = "complaint", _("Complaints and feedback")


# The defaults a service starts from: months after the record's end, and for youth cases an age the youngest child
# must also have reached (reference/domain-standards.md §7: Restorative Cleveland 7 years; Darlington YOS 3 years
# after the last action or the 18th birthday; Kent YJS keeps only age, gender and ethnicity when the service is
# declined).
DEFAULT_RETENTION: dict[str, tuple[int, int | None]] = {
    RecordType.CLOSED_CASE: (7 * 12, None),
    RecordType.YOUTH_CASE: (3 * 12, 18),
    RecordType.REFERRAL_NOT_TAKEN_ON: (3, None),
    RecordType.COMPLAINT: (6 * 12, None),
}


class RetentionRule(TimeStampedModel):
    """A service's own schedule for one kind of record, in place of the default."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="retention_rules")
    record_type = models.CharField(_("kind of record"), max_length=24, choices=RecordType.choices)
    keep_months = models.PositiveSmallIntegerField(
        _("keep for (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(100 * 12)],
        help_text=_("Counted from the day the case closed, the referral was decided or the complaint was answered."),
    )
    until_age = models.PositiveSmallIntegerField(
        _("and until the youngest child is (years old)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(30)],
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("service", "record_type")
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = (models.UniqueConstraint(fields=("service", "record_type"), name="one_rule_per_record_type"),)

    def __str__(self) -> str:
        return f"{self.service_id} {self.record_type}"


class LegalHold(TimeStampedModel):
    """Keep a case, whatever the schedule says, while a claim, complaint, inquiry or request needs it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_holds")
    reason = EncryptedTextField(_("why it must be kept"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = (
            models.UniqueConstraint(fields=("case",), condition=Q(lifted_at__isnull=True), name="one_hold_in_force"),
        )

    def __str__(self) -> str:
        return f"{self.case_id}"


class RetentionRun(models.Model):
    """One run of the schedule: when, by what, and how many records of each kind it anonymised."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # {"closed_case": 3, ...}: counts only, never which records.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ("-started_at", "-pk")
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


# --- People's rights ---------------------------------------------------------------------------------------------


class RightsRequestKind(models.TextChoices):
    ACCESS = "access", _("See their information (subject access)")
    RECTIFICATION = "rectification", _("Correct their information")
    ERASURE = "erasure", _("Erase their information")
    RESTRICTION = "restriction", _("Restrict the use of their information")


class RightsRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received: waiting for a coordinator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    COMPLETED = "completed", _("Completed")


class ReceivedBy(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    SECURE_LINK = "secure_link", _("Through their secure link")


class ReleaseMethod(models.TextChoices):
    EMAIL = "email", _("Secure email")
    POST = "post", _("Post, recorded delivery")
    IN_PERSON = "in_person", _("Handed over in person")


class RectifiableField(models.TextChoices):
    GIVEN_NAME = "given_name", _("First name")
    FAMILY_NAME = "family_name", _("Last name")
    PREFERRED_NAME = "preferred_name", _("Preferred name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ADDRESS = "address", _("Address")


class RightsRequest(VersionedModel, TimeStampedModel):
    """A person's request to see, correct, erase or restrict what the service holds about them.

    Staff record it; a coordinator approves or refuses it with a reason; then it is carried out (an erasure
    anonymises, a correction is applied, a restriction is put in place) or, for access, the export is released.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="rights_requests")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="rights_requests")
    kind = models.CharField(_("what they asked for"), max_length=16, choices=RightsRequestKind.choices)
    received_on = models.DateField(_("date received"))
    received_by = models.CharField(_("how it came"), max_length=16, choices=ReceivedBy.choices)
    details = EncryptedTextField(_("what they asked, in their words"), blank=True, default="")
    identity_checked = models.BooleanField(_("we have checked who they are"), default=False)
    due_on = models.DateField(_("answer by"))
    extended_on = models.DateField(_("extended"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("why it needs longer"), blank=True, default="")
    # Rectification: the detail to correct and its corrected value.
    field = models.CharField(_("detail to correct"), max_length=24, choices=RectifiableField.choices, blank=True)
    corrected_value = EncryptedCharField(_("the correct value"), max_length=300, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=RightsRequestStatus.choices, default=RightsRequestStatus.RECEIVED
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason"), blank=True, default="")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Access: how and when the export reached them.
    release_method = models.CharField(
        _("how it was released"), max_length=16, choices=ReleaseMethod.choices, blank=True
    )
    released_on = models.DateField(_("date released"), null=True, blank=True)
    # Access: the records of the export withheld (by their keys in the report, never their contents), and why.
    withheld = models.JSONField(_("records withheld"), default=list, blank=True)
    withholding_reason = EncryptedTextField(_("why they are withheld"), blank=True, default="")
    # Restriction: lifted when the reason for it has gone (the person is told first).
    lifted_at = models.DateTimeField(_("restriction lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = EncryptedTextField(_("why the restriction was lifted"), blank=True, default="")

    class Meta:
        ordering = ("due_on", "pk")
        verbose_name = _("request under data protection rights")
        verbose_name_plural = _("requests under data protection rights")
        constraints = (
            models.CheckConstraint(
                condition=~Q(kind=RightsRequestKind.RECTIFICATION) | ~Q(field=""),
                name="rectification_names_a_field",
            ),
        )

    def __str__(self) -> str:
        return f"{self.service_id} {self.kind} {self.received_on}"

    @property
    def answer_by(self) -> datetime.date:
        return self.extended_on or self.due_on

    @staticmethod
    def due_for(received_on: datetime.date) -> datetime.date:
        return add_months(received_on, ANSWER_WITHIN_MONTHS)

    @property
    def latest_extension(self) -> datetime.date:
        """Three months from the day it came, not two from the (month-end clamped) due date: a request of 31 January
        is due on 28 February and may be extended to 30 April."""
        return add_months(self.received_on, ANSWER_WITHIN_MONTHS + EXTEND_BY_MONTHS)


# --- Sharing outside the service ---------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    POLICE = "police", _("Police")
    COURT = "court", _("Court")
    PROBATION = "probation", _("Probation")
    PRISON = "prison", _("Prison")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice service")
    VICTIM_SERVICE = "victim_service", _("Victim service")
    RJ_SERVICE = "rj_service", _("Another restorative justice service")
    HEALTH_OR_SOCIAL_CARE = "health_social_care", _("Health or social care")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    OTHER = "other", _("Other")


class SharingAgreement(TimeStampedModel):
    """An information sharing agreement with one partner organisation: the register referral intake checks."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="sharing_agreements")
    partner = models.CharField(_("partner organisation"), max_length=200)
    partner_kind = models.CharField(_("kind of partner"), max_length=24, choices=PartnerKind.choices)
    reference = models.CharField(_("agreement reference"), max_length=60, blank=True)
    purpose = models.TextField(_("what it covers"))
    starts_on = models.DateField(_("in force from"))
    review_on = models.DateField(_("review by"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    document = models.CharField(_("where the signed agreement is kept"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("partner", "-starts_on")
        verbose_name = _("information sharing agreement")
        verbose_name_plural = _("information sharing agreements")
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_it_starts",
            ),
        )

    def __str__(self) -> str:
        return self.partner

    def in_force_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class SharingBasis(models.TextChoices):
    AGREEMENT = "agreement", _("An information sharing agreement")
    CONSENT = "consent", _("The person's consent")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal duty or court order")
    SAFEGUARDING = "safeguarding", _("Safeguarding: a risk of harm")
    PREVENTING_CRIME = "preventing_crime", _("Preventing or detecting crime (DPA 2018 Sch. 2 para 2)")
    VITAL_INTERESTS = "vital_interests", _("To protect someone's life")


class Disclosure(TimeStampedModel):
    """One sharing of personal data outside the service: what, to whom, on what basis, and who approved it."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="disclosures")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name=_("whose information"),
    )
    shared_on = models.DateField(_("date shared"))
    recipient = models.CharField(_("shared with (organisation)"), max_length=200)
    recipient_kind = models.CharField(_("kind of organisation"), max_length=24, choices=PartnerKind.choices)
    what = EncryptedTextField(_("what was shared"))
    basis = models.CharField(_("on what basis"), max_length=24, choices=SharingBasis.choices)
    agreement = models.ForeignKey(
        SharingAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name=_("under the agreement"),
    )
    # A police request (VPA 2024 s.28, prospective): why it is necessary and proportionate.
    necessity = EncryptedTextField(_("why sharing it was necessary and proportionate"), blank=True, default="")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-shared_on", "-pk")
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure log")
        constraints = (
            models.CheckConstraint(
                condition=~Q(basis=SharingBasis.AGREEMENT) | Q(agreement__isnull=False),
                name="agreement_basis_names_agreement",
            ),
        )

    def __str__(self) -> str:
        return f"{self.service_id} {self.shared_on} {self.recipient}"
