"""Follow-up after the restorative process (DESIGN.md §5, R20, R22, R25): each participant's feedback survey, the
reoffending check of each person responsible, and onward referrals (signposting) to other support.

A survey is voluntary: every answer may be left as "not answered" (blank or null). A reoffending check is a new record
each time someone checks; the latest complete check of each person responsible is the one counted.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.core.fields import EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel
from amends.people.models import Participant


class SurveyMethod(models.TextChoices):
    """How a member of staff took the survey with the participant."""

    PHONE = "phone", _("By phone")
    PAPER = "paper", _("On paper")
    ONLINE = "online", _("Online, through their secure link")
    IN_PERSON = "in_person", _("In person")


class Satisfaction(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEITHER = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class Answer(models.TextChoices):
    """An answer to a yes-or-no question; blank when the participant chose not to answer."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


# Fear of the other person, from 0 (none) to 10 (the most).
FEAR_MAX = 10
# The yes-or-no questions, in the order the survey asks them.
ANSWER_FIELDS = (
    "felt_safe",
    "felt_heard",
    "felt_better",
    "better_able_to_cope",
    "better_able_to_recover",
    "would_recommend",
)


class FeedbackSurvey(VersionedModel, TimeStampedModel):
    """One participant's feedback on the process, taken by a member of staff: one per participant and case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="feedback_surveys")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    taken_on = models.DateField(_("date taken"))
    method = models.CharField(_("how it was taken"), max_length=16, choices=SurveyMethod.choices)
    # None when the participant answered it themselves, through their secure link.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("how satisfied they were with the process"), choices=Satisfaction.choices, null=True, blank=True
    )
    felt_safe = models.CharField(_("felt safe"), max_length=8, choices=Answer.choices, blank=True)
    felt_heard = models.CharField(_("felt heard"), max_length=8, choices=Answer.choices, blank=True)
    felt_better = models.CharField(_("felt better for taking part"), max_length=8, choices=Answer.choices, blank=True)
    fear_before = models.PositiveSmallIntegerField(
        _("fear of the other person before (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(FEAR_MAX)]
    )
    fear_after = models.PositiveSmallIntegerField(
        _("fear of the other person after (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(FEAR_MAX)]
    )
    better_able_to_cope = models.CharField(_("better able to cope"), max_length=8, choices=Answer.choices, blank=True)
    better_able_to_recover = models.CharField(
        _("better able to recover"), max_length=8, choices=Answer.choices, blank=True
    )
    would_recommend = models.CharField(_("would recommend it"), max_length=8, choices=Answer.choices, blank=True)
    comments = EncryptedTextField(_("in their own words"), blank=True, default="")
    consent_to_quote = models.BooleanField(_("may be quoted anonymously"), default=False)

    class Meta:
        ordering = ("taken_on", "pk")
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")
        # The figures count surveys by the date taken (docs/bench.md).
        indexes = (models.Index(fields=("taken_on",), name="survey_taken_on"),)
        constraints = (
            models.UniqueConstraint(fields=("case", "participant"), name="one_survey_per_participant"),
            models.CheckConstraint(
                condition=(Q(fear_before__isnull=True) | Q(fear_before__lte=FEAR_MAX))
                & (Q(fear_after__isnull=True) | Q(fear_after__lte=FEAR_MAX)),
                name="fear_is_0_to_10",
            ),
        )

    def __str__(self) -> str:
        return f"{self.participant_id} survey {self.taken_on}"


class ReoffendingSource(models.TextChoices):
    PNC = "pnc", _("Police National Computer")
    POLICE = "police", _("Police force records")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice service")
    PROBATION = "probation", _("Probation")
    OTHER = "other", _("Other")


def twelve_months_after(day: datetime.date) -> datetime.date:
    """The same date a year on (29 February moves to 1 March): the end of the 12 months after `day`."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return datetime.date(day.year + 1, 3, 1)


class ReoffendingCheck(TimeStampedModel):
    """A check of one person responsible's proven offences in the 12 months before the process and, once 12 months
    have passed, in the 12 months after it. Never changed: a later check is a new record."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reoffending_checks")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    process_on = models.DateField(_("date of the process"))
    offences_before = models.PositiveSmallIntegerField(_("proven offences in the 12 months before"))
    offences_after = models.PositiveSmallIntegerField(
        _("proven offences in the 12 months after"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=16, choices=ReoffendingSource.choices)
    checked_on = models.DateField(_("date checked"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("checked_on", "pk")
        verbose_name = _("reoffending check")
        verbose_name_plural = _("reoffending checks")
        # The figures count checks by the date of the process, each person's latest check (docs/bench.md).
        indexes = (
            models.Index(fields=("process_on",), name="reoffending_process_on"),
            models.Index(fields=("participant", "checked_on"), name="reoffending_latest"),
        )

    def __str__(self) -> str:
        return f"{self.participant_id} checked {self.checked_on}"

    @property
    def is_complete(self) -> bool:
        return self.offences_after is not None


@dataclass(frozen=True)
class ReoffendingChange:
    """The change in the frequency of proven offending, summed over the people counted."""

    people: int
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        """The change as a percentage of the offences before (None when there were none before)."""
        if self.before <= 0:
            return None
        return (Decimal(100) * self.difference / self.before).quantize(Decimal("0.1"))


def reoffending_change(checks: Iterable[ReoffendingCheck]) -> ReoffendingChange | None:
    """The one definition of the change in reoffending: for each person responsible, their latest complete check
    (before and after both counted); after − before over them all, and the percentage change when before > 0. None
    when nobody has a complete check yet. Give it one case's checks for the case, or many cases' for a figure."""
    latest: dict[int, ReoffendingCheck] = {}
    for check in checks:
        if check.offences_after is None:
            continue
        current = latest.get(check.participant_id)
        if current is None or (check.checked_on, check.pk) > (current.checked_on, current.pk):
            latest[check.participant_id] = check
    if not latest:
        return None
    return ReoffendingChange(
        people=len(latest),
        before=sum(check.offences_before for check in latest.values()),
        after=sum(check.offences_after or 0 for check in latest.values()),
    )


class SupportKind(models.TextChoices):
    VICTIM_SUPPORT = "victim_support", _("Victim Support")
    SUBSTANCE_MISUSE = "substance_misuse", _("Substance misuse")
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SKILLS_EMPLOYMENT = "skills_employment", _("Skills and employment")
    OTHER = "other", _("Other")


class OnwardStatus(models.TextChoices):
    SIGNPOSTED = "signposted", _("Signposted")
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


# Where an onward referral starts, and where it ends (nothing changes it after).
STARTING_STATUSES = frozenset({OnwardStatus.SIGNPOSTED, OnwardStatus.REFERRED})
FINAL_STATUSES = frozenset({OnwardStatus.DECLINED, OnwardStatus.COMPLETED})


class OnwardReferral(VersionedModel, TimeStampedModel):
    """A participant signposted or referred to other support, and what came of it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="onward_referrals")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    support_kind = models.CharField(_("kind of support"), max_length=24, choices=SupportKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=OnwardStatus.choices)
    status_on = models.DateField(_("date"))
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("onward referral")
        verbose_name_plural = _("onward referrals")

    def __str__(self) -> str:
        return f"{self.get_support_kind_display()}: {self.organisation}"

    def label(self) -> str:
        return f"{self.get_support_kind_display()}: {self.organisation}"
