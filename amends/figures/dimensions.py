"""The ways a figure can be broken down, and how each finds its value from whatever a figure counts.

Each figure counts rows of one table (referrals, cases, participants, surveys...). A `Base` says how that table
reaches the case, its referral, its service and (for figures about people) the participant, so that one
definition of each breakdown serves every figure.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, F, OuterRef, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.accounts.models import Service
from amends.cases.models import ProcessKind, SensitivityFlag
from amends.people.models import EQUALITY_CHOICES, Participant, ParticipantRole, equality_key
from amends.referrals.models import JusticeStage, OffenceCategory, ReferralSource

NOT_RECORDED = ""


class Dimension(enum.StrEnum):
    NONE = "none"
    SERVICE = "service"
    AREA = "area"
    OFFENCE = "offence"
    STAGE = "stage"
    AGE_GROUP = "age_group"
    SOURCE = "source"
    PROCESS_KIND = "process_kind"
    ROLE = "role"
    # The protected characteristics, from equality monitoring (the names of EQUALITY_CHOICES).
    AGE_BAND = "age_band"
    SEX = "sex"
    GENDER_SAME_AS_AT_BIRTH = "gender_same_as_at_birth"
    ETHNICITY = "ethnicity"
    DISABILITY = "disability"
    RELIGION = "religion"
    SEXUAL_ORIENTATION = "sexual_orientation"
    PREGNANCY_OR_MATERNITY = "pregnancy_or_maternity"
    MARITAL_STATUS = "marital_status"


PROTECTED = frozenset(Dimension(name) for name in EQUALITY_CHOICES)
# Breakdowns that every figure about cases, referrals or people offers.
CASE_DIMENSIONS = frozenset(
    {
        Dimension.NONE,
        Dimension.SERVICE,
        Dimension.AREA,
        Dimension.OFFENCE,
        Dimension.STAGE,
        Dimension.AGE_GROUP,
        Dimension.SOURCE,
        Dimension.PROCESS_KIND,
        *PROTECTED,
    }
)
PEOPLE_DIMENSIONS = CASE_DIMENSIONS | {Dimension.ROLE}

DIMENSION_LABELS = {
    Dimension.NONE: gettext_lazy("No breakdown"),
    Dimension.SERVICE: gettext_lazy("Service"),
    Dimension.AREA: gettext_lazy("Area"),
    Dimension.OFFENCE: gettext_lazy("Offence or harm"),
    Dimension.STAGE: gettext_lazy("Criminal justice stage"),
    Dimension.AGE_GROUP: gettext_lazy("Age group (child or adult)"),
    Dimension.SOURCE: gettext_lazy("Referral source"),
    Dimension.PROCESS_KIND: gettext_lazy("Process"),
    Dimension.ROLE: gettext_lazy("Part in the case"),
    Dimension.AGE_BAND: gettext_lazy("Age"),
    Dimension.SEX: gettext_lazy("Sex"),
    Dimension.GENDER_SAME_AS_AT_BIRTH: gettext_lazy("Gender identity"),
    Dimension.ETHNICITY: gettext_lazy("Ethnic group"),
    Dimension.DISABILITY: gettext_lazy("Disability"),
    Dimension.RELIGION: gettext_lazy("Religion or belief"),
    Dimension.SEXUAL_ORIENTATION: gettext_lazy("Sexual orientation"),
    Dimension.PREGNANCY_OR_MATERNITY: gettext_lazy("Pregnancy or maternity"),
    Dimension.MARITAL_STATUS: gettext_lazy("Marriage or civil partnership"),
}

AGE_GROUP_CHOICES = (("child", gettext_lazy("Child (a child takes part)")), ("adult", gettext_lazy("Adults only")))


@dataclass(frozen=True)
class Base:
    """How the rows a figure counts reach what the breakdowns read. A path is a Django lookup prefix ("" for the
    row itself); None where there is no way through (a referral not accepted has no case)."""

    case: str
    referral: str
    service: str
    participant: str | None = None

    def case_field(self, name: str) -> str:
        return f"{self.case}{name}"


CASE_BASE = Base(case="", referral="referral__", service="service_id")
REFERRAL_BASE = Base(case="case__", referral="", service="service_id")
PARTICIPANT_BASE = Base(case="case__", referral="case__referral__", service="case__service_id", participant="")
# Rows that belong to a case and name one of its participants (surveys, reoffending checks).
CASE_PARTICIPANT_BASE = Base(
    case="case__", referral="case__referral__", service="case__service_id", participant="participant__"
)
AGREEMENT_BASE = Base(case="case__", referral="case__referral__", service="case__service_id")


def expression(dimension: Dimension, base: Base) -> Any:
    """The SQL value of the breakdown for each counted row; NOT_RECORDED when it is not known."""
    if dimension == Dimension.SERVICE:
        return F(base.service)
    return Coalesce(_text(dimension, base), Value(NOT_RECORDED), output_field=CharField())


def _text(dimension: Dimension, base: Base) -> Any:
    if dimension == Dimension.AREA:
        return F(f"{base.referral}area")
    if dimension == Dimension.OFFENCE:
        return F(f"{base.referral}offence_category")
    if dimension == Dimension.STAGE:
        return F(f"{base.referral}justice_stage")
    if dimension == Dimension.SOURCE:
        return F(f"{base.referral}source")
    if dimension == Dimension.PROCESS_KIND:
        return F(base.case_field("process_kind"))
    if dimension == Dimension.AGE_GROUP:
        # The case's flag "a child takes part", set from dates of birth when the referral is accepted.
        flag = f'"{SensitivityFlag.CHILD_PARTICIPANT.value}"'
        return Case(
            When(**{base.case_field("sensitivity_flags__icontains"): flag}, then=Value("child")),
            When(**{base.case_field("pk__isnull"): False}, then=Value("adult")),
            default=Value(NOT_RECORDED),
            output_field=CharField(),
        )
    if dimension == Dimension.ROLE:
        if base.participant is None:
            raise ValueError(f"{dimension} needs a figure about people")
        return F(f"{base.participant}role")
    if dimension in PROTECTED:
        if base.participant is not None:
            # A figure about people: their own answer.
            return KeyTextTransform(dimension.value, f"{base.participant}person__equality__keys")
        # A figure about cases: the answer of the case's person harmed (the first recorded).
        harmed = (
            Participant.objects.filter(
                case_id=OuterRef(base.case_field("pk") if base.case else "pk"),
                role=ParticipantRole.PERSON_HARMED,
            )
            .order_by("pk")
            .annotate(answer=KeyTextTransform(dimension.value, "person__equality__keys"))
            .values("answer")[:1]
        )
        return Subquery(harmed, output_field=CharField())
    raise ValueError(f"No expression for {dimension}")


def choices(dimension: Dimension, values: Iterable[Any]) -> list[tuple[str, str]]:
    """Each value found in the data with its label, in the order people expect (the choices' order, "not recorded"
    last). Values of a protected characteristic arrive as their blind index and leave as the answer."""
    found = {NOT_RECORDED if value is None else str(value) for value in values}
    if dimension == Dimension.NONE:
        return [(NOT_RECORDED, _("All"))]
    if dimension == Dimension.SERVICE:
        names = dict(Service.objects.filter(pk__in=[int(v) for v in found if v]).values_list("pk", "name"))
        ordered = sorted((str(pk), name) for pk, name in names.items())
        return sorted(ordered, key=lambda pair: pair[1])
    if dimension == Dimension.AREA:
        known = sorted((value, value) for value in found if value)
        return known + ([(NOT_RECORDED, _("Not recorded"))] if NOT_RECORDED in found else [])
    labelled = _known_choices(dimension)
    listed = [(str(value), str(label)) for value, label in labelled if str(value) in found]
    unknown = found - {value for value, _label in listed}
    if unknown:
        listed.append((NOT_RECORDED, _("Not recorded")))
    return listed


def _known_choices(dimension: Dimension) -> list[tuple[str, Any]]:
    simple: dict[Dimension, Any] = {
        Dimension.OFFENCE: OffenceCategory.choices,
        Dimension.STAGE: JusticeStage.choices,
        Dimension.SOURCE: ReferralSource.choices,
        Dimension.PROCESS_KIND: ProcessKind.choices,
        Dimension.ROLE: ParticipantRole.choices,
        Dimension.AGE_GROUP: AGE_GROUP_CHOICES,
    }
    if dimension in simple:
        return list(simple[dimension])
    # The answers of a protected characteristic, each under its blind index.
    return [(equality_key(dimension.value, value), label) for value, label in EQUALITY_CHOICES[dimension.value]]


def normalise(dimension: Dimension, value: Any) -> str:
    """The key a row's value is listed under: anything not among the known answers is "not recorded"."""
    text = NOT_RECORDED if value is None else str(value)
    if dimension in {Dimension.NONE, Dimension.SERVICE, Dimension.AREA}:
        return text if dimension != Dimension.NONE else NOT_RECORDED
    known = {str(value) for value, _label in _known_choices(dimension)}
    return text if text in known else NOT_RECORDED
