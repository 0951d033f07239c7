"""Organisations, services, partnerships, the people who work in them, and practitioners' records."""

import datetime
import hashlib
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.core.fields import EncryptedCharField, EncryptedEmailField, EncryptedTextField
from amends.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    """Users are found by email address; there are no usernames."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff who signs in. People in cases never have accounts."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the Django admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationKind(models.TextChoices):
    RJ_PROVIDER = "rj_provider", _("Restorative justice provider")
    POLICE = "police", _("Police")
    PROBATION = "probation", _("Probation")
    PRISON = "prison", _("Prison")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice")
    VICTIM_SERVICE = "victim_service", _("Victim service")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class Regime(models.TextChoices):
    UK_GDPR = "uk_gdpr", _("UK GDPR and DPA 2018 Part 2")
    LAW_ENFORCEMENT = "dpa_part3", _("DPA 2018 Part 3 (law enforcement processing by a competent authority)")


class Organisation(TimeStampedModel):
    """A body that runs or works with restorative justice services; the data controller for its records."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind of organisation"), max_length=32, choices=OrganisationKind.choices)
    controller_name = models.CharField(_("data controller"), max_length=200, blank=True)
    ico_registration_number = models.CharField(_("ICO registration number"), max_length=20, blank=True)
    controller_address = models.TextField(_("data controller address"), blank=True)
    data_protection_officer_email = models.EmailField(_("data protection officer email"), blank=True)
    # Which data protection law governs its processing (reference/domain-standards.md §7): UK GDPR for most services;
    # DPA 2018 Part 3 for a competent authority (a police force, a PCC) processing for law enforcement purposes.
    regime = models.CharField(
        _("data protection regime"),
        max_length=16,
        choices=Regime.choices,
        default=Regime.UK_GDPR,
    )
    appropriate_policy_url = models.URLField(_("appropriate policy document (web address)"), blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Service(TimeStampedModel):
    """A restorative justice service: the unit that owns cases and the people who work them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("reference prefix"),
        max_length=6,
        unique=True,
        help_text=_("Two to six capital letters that begin every case reference, for example AS."),
    )
    areas_covered = models.TextField(_("areas covered"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    out_of_hours_message = models.TextField(_("out-of-hours message"), blank=True)
    out_of_hours_message_cy = models.TextField(_("out-of-hours message in Welsh"), blank=True)
    welsh_language_standards = models.BooleanField(
        _("Welsh Language Standards apply"),
        default=False,
        help_text=_("The service must offer everything in Welsh and write in each person's chosen language."),
    )
    verify_self_referrals = models.BooleanField(
        _("check self-referrals before triage"),
        default=True,
        help_text=_("Someone calls the person back, on the number they gave, before their referral is triaged."),
    )
    privacy_notice = models.TextField(_("privacy notice"), blank=True)
    privacy_notice_cy = models.TextField(_("privacy notice in Welsh"), blank=True)
    # The service's own clocks.
    first_contact_working_days = models.PositiveSmallIntegerField(
        _("first contact due within (working days)"), default=5
    )
    risk_assessment_valid_days = models.PositiveSmallIntegerField(
        _("a risk assessment goes stale after (days)"), default=90
    )
    hold_review_days = models.PositiveSmallIntegerField(_("review a case on hold within (days)"), default=28)
    # Follow-up after the process (DESIGN.md §4): two contacts, counted in days from entering following up.
    first_follow_up_days = models.PositiveSmallIntegerField(
        _("first follow-up contact after (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days after the case moves to following up."),
    )
    second_follow_up_days = models.PositiveSmallIntegerField(
        _("second follow-up contact after (days)"),
        default=91,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days after the case moves to following up: later than the first."),
    )
    # Figures: how long a prepared export file is kept before it is deleted.
    export_keep_days = models.PositiveSmallIntegerField(
        _("keep prepared figure exports for (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A downloaded file of figures is deleted after this many days."),
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = (
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2,6}$"), name="service_code_format"),
            models.CheckConstraint(
                condition=Q(second_follow_up_days__gt=models.F("first_follow_up_days")),
                name="second_follow_up_after_first",
                violation_error_message=_("The second follow-up contact must come after the first."),
            ),
        )

    def __str__(self) -> str:
        return self.name


class Day(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
    BANK_HOLIDAY = 7, _("Bank holidays")


class OpeningHours(models.Model):
    """When a service answers on one day of the week, or on bank holidays."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_hours")
    day = models.PositiveSmallIntegerField(_("day"), choices=Day.choices)
    closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    class Meta:
        ordering = ("service", "day")
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = (
            models.UniqueConstraint(fields=("service", "day"), name="one_opening_hours_per_day"),
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="opening_hours_consistent",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_day_display()}"


class Partnership(TimeStampedModel):
    """Services working under one lead, such as a Police and Crime Commissioner's area."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships_led")
    services = models.ManyToManyField(Service, related_name="partnerships", blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    SUPERVISOR = "supervisor", _("Supervisor")
    REFERRER = "referrer", _("Referrer")
    PARTNERSHIP_LEAD = "partnership_lead", _("Partnership lead")
    COMMISSIONER = "commissioner", _("Commissioner")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that may be held across a whole partnership rather than in one service.
PARTNERSHIP_ROLES = (Role.PARTNERSHIP_LEAD, Role.COMMISSIONER)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> "MembershipQuerySet":
        return self.filter(ended_at__isnull=True, user__is_active=True)


class Membership(TimeStampedModel):
    """A person's role in a service, or (for partnership leads and commissioners) across a partnership."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Who supervises a facilitator's practice in this service; they read the cases the facilitator works on.
    supervisor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="supervisees",
        null=True,
        blank=True,
        verbose_name=_("supervisor"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = (
            models.CheckConstraint(
                condition=Q(service__isnull=False, partnership__isnull=True)
                | Q(service__isnull=True, partnership__isnull=False, role__in=[r.value for r in PARTNERSHIP_ROLES]),
                name="membership_in_service_or_partnership",
            ),
            models.UniqueConstraint(
                fields=("user", "service", "role"),
                condition=Q(ended_at__isnull=True, service__isnull=False),
                name="one_current_service_role",
            ),
            models.UniqueConstraint(
                fields=("user", "partnership", "role"),
                condition=Q(ended_at__isnull=True, partnership__isnull=False),
                name="one_current_partnership_role",
            ),
            models.CheckConstraint(
                condition=Q(supervisor__isnull=True) | Q(role=Role.FACILITATOR.value),
                name="supervisor_only_for_facilitators",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_role_display()}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class Invitation(TimeStampedModel):
    """An invitation for a person to join a service in a role; staff accounts come only this way."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    email = EncryptedEmailField(_("email address"))
    full_name = EncryptedCharField(_("full name"), max_length=200)
    # Only the SHA-256 of the emailed token is kept, so a copy of the database cannot be used to accept invitations.
    token_hash = models.CharField(max_length=64, unique=True)
    # None for the first coordinator of a new service, invited by the set_up_service command.
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invitations_sent", null=True, blank=True
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invitations_accepted", null=True, blank=True
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.get_role_display()}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class RJCLevel(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


# Restorative Justice Council Practitioner Code: CPD hours a year for each level.
CPD_HOURS_TARGET = {RJCLevel.FOUNDATION: 6, RJCLevel.INTERMEDIATE: 12, RJCLevel.ADVANCED: 16}
SUPERVISION_DUE_AFTER = datetime.timedelta(weeks=12)
SUPERVISION_WARN_AFTER = datetime.timedelta(weeks=10)
OBSERVED_PRACTICE_DUE_AFTER = datetime.timedelta(days=365)
REGISTRATION_WARN_BEFORE = datetime.timedelta(days=60)


class WelshSkill(models.TextChoices):
    NONE = "none", _("No Welsh")
    ENTRY = "entry", _("Entry: a few words and phrases")
    CONVERSATIONAL = "conversational", _("Conversational")
    FLUENT = "fluent", _("Fluent: can facilitate in Welsh")


class Specialism(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    SEXUAL_HARM = "sexual_harm", _("Sexual harm")
    HATE_CRIME = "hate_crime", _("Hate crime")
    SERIOUS_VIOLENCE = "serious_violence", _("Serious violence")
    BEREAVEMENT = "bereavement", _("Homicide and bereavement")
    YOUNG_PEOPLE = "young_people", _("Children and young people")
    CUSTODY = "custody", _("Work in prisons")
    STALKING = "stalking", _("Stalking and harassment")
    COMMUNITY = "community", _("Community and neighbour disputes")


class FacilitatorRecord(TimeStampedModel):
    """A practitioner's Restorative Justice Council registration, skills and specialisms."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="facilitator_record")
    rjc_level = models.CharField(_("RJC practitioner level"), max_length=16, choices=RJCLevel.choices)
    registration_number = models.CharField(_("RJC registration number"), max_length=32, blank=True)
    registration_expires_on = models.DateField(_("registration expires"), null=True, blank=True)
    welsh_skill = models.CharField(
        _("Welsh language skill"), max_length=16, choices=WelshSkill.choices, default=WelshSkill.NONE
    )
    specialisms = models.JSONField(_("specialisms"), default=list, blank=True)

    class Meta:
        verbose_name = _("facilitator record")
        verbose_name_plural = _("facilitator records")

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def cpd_hours_target(self) -> int:
        return CPD_HOURS_TARGET[RJCLevel(self.rjc_level)]

    def get_specialisms_display(self) -> list[str]:
        return [str(Specialism(value).label) for value in self.specialisms if value in Specialism.values]


class TrainingRecord(TimeStampedModel):
    """A course a practitioner completed."""

    record = models.ForeignKey(FacilitatorRecord, on_delete=models.CASCADE, related_name="training")
    title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("trainer or provider"), max_length=200)
    completed_on = models.DateField(_("completed"))
    rjc_registered_trainer = models.BooleanField(_("delivered by an RJC-registered trainer"), default=False)
    level = models.CharField(_("level it qualifies for"), max_length=16, choices=RJCLevel.choices, blank=True)

    class Meta:
        ordering = ("-completed_on",)
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return self.title


class CPDRecord(TimeStampedModel):
    """Continuing professional development: hours spent learning."""

    record = models.ForeignKey(FacilitatorRecord, on_delete=models.CASCADE, related_name="cpd")
    activity = models.CharField(_("activity"), max_length=200)
    completed_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    rjc_approved = models.BooleanField(_("RJC-approved"), default=False)

    class Meta:
        ordering = ("-completed_on",)
        verbose_name = _("CPD record")
        verbose_name_plural = _("CPD records")
        constraints = (
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0"), hours__lte=Decimal("100")), name="cpd_hours_in_range"
            ),
        )

    def __str__(self) -> str:
        return self.activity


class SupervisionSession(TimeStampedModel):
    """A case supervision session: due at least every 12 weeks."""

    record = models.ForeignKey(FacilitatorRecord, on_delete=models.CASCADE, related_name="supervision")
    # The service it was held in: each service sees only its own sessions (and its own supervisors' names).
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", null=True)
    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervision_given")
    held_on = models.DateField(_("date"))
    notes = EncryptedTextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ("-held_on",)
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")

    def __str__(self) -> str:
        return f"{self.held_on}"


class ObservedPractice(TimeStampedModel):
    """An observation of the practitioner's work: due once a year."""

    record = models.ForeignKey(FacilitatorRecord, on_delete=models.CASCADE, related_name="observations")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", null=True)
    observer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="observations_made")
    observed_on = models.DateField(_("date"))
    notes = EncryptedTextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ("-observed_on",)
        verbose_name = _("observed practice")
        verbose_name_plural = _("observed practice")

    def __str__(self) -> str:
        return f"{self.observed_on}"


class PersonalAccessToken(models.Model):
    """A token a person creates for the API. It acts as that person, with their roles and nothing more; only a hash
    is stored, and it can be revoked at any time."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell their tokens apart without the token being stored.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_usable(self, now: datetime.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
