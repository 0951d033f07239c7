"""People and their part in a case: contact details and how to reach them safely, language, access needs, equality
monitoring (kept apart) and the contact log. Personal details are encrypted; a blind index finds a known person."""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service
from amends.core.fields import (
    EncryptedBooleanField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedListField,
    EncryptedTextField,
    blind_index,
)
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ADULT_AGE = 18


class Language(models.TextChoices):
    UNKNOWN = "", _("Not asked yet")
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")
    BOTH = "both", _("Welsh and English")


class AccessNeed(models.TextChoices):
    BSL = "bsl", _("British Sign Language")
    EASY_READ = "easy_read", _("Easy read")
    LARGE_PRINT = "large_print", _("Large print")
    BRAILLE = "braille", _("Braille")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    STEP_FREE = "step_free", _("Step-free access")
    LEARNING_DISABILITY = "learning_disability", _("Support for a learning disability")
    NEURODIVERSITY = "neurodiversity", _("Support for neurodivergence")
    MENTAL_HEALTH = "mental_health", _("Support for mental health")
    OTHER = "other", _("Other")


class Person(VersionedModel, TimeStampedModel):
    """Someone known to a service. Everything that identifies or reaches them is encrypted."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="people")
    given_name = EncryptedCharField(_("first name"), max_length=100)
    family_name = EncryptedCharField(_("last name"), max_length=100, blank=True, default="")
    preferred_name = EncryptedCharField(_("preferred name"), max_length=100, blank=True, default="")
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, default="")
    email = EncryptedEmailField(_("email"), blank=True, default="")
    address = EncryptedTextField(_("address"), blank=True, default="")
    # How to reach them without putting them at risk.
    no_voicemail = EncryptedBooleanField(_("do not leave voicemail"), default=False)
    no_letters = EncryptedBooleanField(_("do not send letters"), default=False)
    safe_times = EncryptedCharField(_("safe times to contact"), max_length=200, blank=True, default="")
    safe_contact_notes = EncryptedTextField(_("other safe contact arrangements"), blank=True, default="")
    correspondence_language = models.CharField(
        _("language for letters and messages"), max_length=4, choices=Language.choices, blank=True
    )
    language_asked_on = models.DateField(_("date the language question was asked"), null=True, blank=True)
    interpreter_language = models.CharField(_("interpreter needed for"), max_length=100, blank=True)
    access_needs = EncryptedListField(_("accessibility needs"), default=list, blank=True)
    access_needs_notes = EncryptedTextField(_("more about accessibility needs"), blank=True, default="")
    # Blind index of name and date of birth: finds the same person in another open case without decrypting.
    match_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Data protection: processing restricted at their request (no contact, no messages, no links while it holds), and
    # when their personal data was erased (by the retention schedule or at their request).
    restricted_since = models.DateTimeField(_("use of their information restricted since"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.anonymised_at is not None:
            return str(_("Personal details erased"))
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def compute_match_key(self) -> str:
        if not self.date_of_birth:
            return ""
        return blind_index(self.given_name, self.family_name, self.date_of_birth.isoformat())

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        birth: datetime.date = self.date_of_birth
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

    def is_child_on(self, day: datetime.date) -> bool:
        age = self.age_on(day)
        return age is not None and age < ADULT_AGE

    def get_access_needs_display(self) -> list[str]:
        return [str(AccessNeed(value).label) for value in self.access_needs if value in AccessNeed.values]


class ParticipantRole(models.TextChoices):
    PERSON_HARMED = "person_harmed", _("Person harmed (victim)")
    PERSON_RESPONSIBLE = "person_responsible", _("Person responsible (offender)")
    SUPPORTER = "supporter", _("Supporter")
    PARENT_OR_GUARDIAN = "parent_guardian", _("Parent or guardian")
    COMMUNITY_MEMBER = "community_member", _("Community member")
    PROFESSIONAL = "professional", _("Professional")
    INTERPRETER = "interpreter", _("Interpreter")


# Roles that stand beside a named participant.
ROLES_SUPPORTING_SOMEONE = frozenset({ParticipantRole.SUPPORTER, ParticipantRole.PARENT_OR_GUARDIAN})
PRINCIPAL_ROLES = frozenset({ParticipantRole.PERSON_HARMED, ParticipantRole.PERSON_RESPONSIBLE})


class Participant(VersionedModel, TimeStampedModel):
    """A person's part in one case (versioned: two people may change it at once)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("part in the case"), max_length=24, choices=ParticipantRole.choices)
    supports = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supporters",
        verbose_name=_("supports"),
    )
    # Everyone takes part unless a facilitator records that they will not (a professional kept informed, say);
    # the gates ask for consent and a risk assessment from everyone who takes part.
    takes_part = models.BooleanField(_("takes part in the process"), default=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = (
            models.UniqueConstraint(fields=("case", "person"), name="person_once_per_case"),
            models.CheckConstraint(
                condition=models.Q(
                    role__in=sorted(role.value for role in ROLES_SUPPORTING_SOMEONE), supports__isnull=False
                )
                | (
                    ~models.Q(role__in=sorted(role.value for role in ROLES_SUPPORTING_SOMEONE))
                    & models.Q(supports__isnull=True)
                ),
                name="supporter_supports_someone",
            ),
        )

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def is_person_responsible(self) -> bool:
        return self.role == ParticipantRole.PERSON_RESPONSIBLE

    @property
    def is_person_harmed(self) -> bool:
        return self.role == ParticipantRole.PERSON_HARMED


PREFER_NOT_TO_SAY = "prefer_not_to_say"


class EqualityMonitoring(TimeStampedModel):
    """Optional equality monitoring, kept apart from the case: every answer may be "prefer not to say" or blank.

    The answers are special-category data, so each is encrypted.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality")
    age_band = EncryptedCharField(_("age"), max_length=32, blank=True, default="")
    sex = EncryptedCharField(_("sex"), max_length=32, blank=True, default="")
    gender_same_as_at_birth = EncryptedCharField(
        _("is your gender the same as the sex you were registered at birth?"), max_length=32, blank=True, default=""
    )
    ethnicity = EncryptedCharField(_("ethnic group"), max_length=48, blank=True, default="")
    disability = EncryptedCharField(_("disability"), max_length=32, blank=True, default="")
    religion = EncryptedCharField(_("religion or belief"), max_length=32, blank=True, default="")
    sexual_orientation = EncryptedCharField(_("sexual orientation"), max_length=32, blank=True, default="")
    pregnancy_or_maternity = EncryptedCharField(_("pregnancy or maternity"), max_length=32, blank=True, default="")
    marital_status = EncryptedCharField(_("marriage or civil partnership"), max_length=32, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A keyed blind index of each answer, so that the figures can count answers in SQL without decrypting them;
    # without the key, the index says nothing (amends/figures/dimensions.py turns it back into the answer).
    keys = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("equality monitoring")
        verbose_name_plural = _("equality monitoring")

    def __str__(self) -> str:
        return f"{self.person_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.keys = {name: equality_key(name, value) for name in EQUALITY_CHOICES if (value := getattr(self, name))}
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "keys"}
        super().save(*args, **kwargs)


def equality_key(question: str, answer: str) -> str:
    """The blind index of one equality answer: short, keyed, and the same for the same answer to the same question."""
    return blind_index("equality", question, answer)[:16]


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting at the office")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Text message")
    VIDEO = "video", _("Video call")


class ContactOutcome(models.TextChoices):
    SPOKE = "spoke", _("Made contact")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_MESSAGE = "left_message", _("Left a message")
    SENT = "sent", _("Sent, no reply yet")
    FAILED = "failed", _("Failed: wrong number, returned or bounced")
    DECLINED_TO_TALK = "declined_to_talk", _("Did not want to talk now")


SUCCESSFUL_CONTACT = frozenset({ContactOutcome.SPOKE})


class ContactLogEntry(models.Model):
    """One call, visit, letter or message, or an attempt that failed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField(_("when"))
    channel = models.CharField(_("how"), max_length=16, choices=ContactChannel.choices)
    outgoing = models.BooleanField(_("we contacted them"), default=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=ContactOutcome.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), null=True, blank=True)
    summary = EncryptedTextField(_("summary"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("-occurred_at", "-pk")
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.occurred_at:%Y-%m-%d}"


def _with_prefer_not_to_say(*choices: tuple[str, "StrOrPromise"]) -> tuple[tuple[str, "StrOrPromise"], ...]:
    return (*choices, (PREFER_NOT_TO_SAY, _("Prefer not to say")))


# The answers each equality question offers (Office for National Statistics categories, shortened). Every question
# is optional and every one offers "prefer not to say".
EQUALITY_CHOICES: dict[str, tuple[tuple[str, "StrOrPromise"], ...]] = {
    "age_band": _with_prefer_not_to_say(
        ("under_18", _("Under 18")),
        ("18_24", _("18 to 24")),
        ("25_34", _("25 to 34")),
        ("35_44", _("35 to 44")),
        ("45_54", _("45 to 54")),
        ("55_64", _("55 to 64")),
        ("65_plus", _("65 or over")),
    ),
    "sex": _with_prefer_not_to_say(("female", _("Female")), ("male", _("Male"))),
    "gender_same_as_at_birth": _with_prefer_not_to_say(("yes", _("Yes")), ("no", _("No"))),
    "ethnicity": _with_prefer_not_to_say(
        ("asian", _("Asian, Asian British or Asian Welsh")),
        ("black", _("Black, Black British, Black Welsh, Caribbean or African")),
        ("mixed", _("Mixed or multiple ethnic groups")),
        ("white", _("White")),
        ("other", _("Another ethnic group")),
    ),
    "disability": _with_prefer_not_to_say(("yes", _("Yes")), ("no", _("No"))),
    "religion": _with_prefer_not_to_say(
        ("none", _("No religion")),
        ("christian", _("Christian")),
        ("buddhist", _("Buddhist")),
        ("hindu", _("Hindu")),
        ("jewish", _("Jewish")),
        ("muslim", _("Muslim")),
        ("sikh", _("Sikh")),
        ("other", _("Another religion or belief")),
    ),
    "sexual_orientation": _with_prefer_not_to_say(
        ("straight", _("Straight or heterosexual")),
        ("gay_lesbian", _("Gay or lesbian")),
        ("bisexual", _("Bisexual")),
        ("other", _("Another sexual orientation")),
    ),
    "pregnancy_or_maternity": _with_prefer_not_to_say(("yes", _("Yes")), ("no", _("No"))),
    "marital_status": _with_prefer_not_to_say(
        ("single", _("Never married or in a civil partnership")),
        ("married", _("Married or in a civil partnership")),
        ("separated", _("Separated, divorced or dissolved")),
        ("widowed", _("Widowed or surviving partner")),
    ),
}


class IdentifyingDetailKind(models.TextChoices):
    CHILD_NAME = "child_name", _("A child's name")
    SCHOOL = "school", _("School")
    WORKPLACE = "workplace", _("Workplace")
    OTHER = "other", _("Something else that could identify or locate them")


class IdentifyingDetail(models.Model):
    """A detail that could identify or locate a person, held so that messages they send can be checked for it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifying_details")
    kind = models.CharField(_("kind of detail"), max_length=16, choices=IdentifyingDetailKind.choices)
    value = EncryptedCharField(_("the detail"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ("recorded_at", "pk")
        verbose_name = _("identifying detail")
        verbose_name_plural = _("identifying details")

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"
