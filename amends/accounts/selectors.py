"""Reads about services and their people, each in a fixed number of queries."""

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from amends.accounts.models import (
    OBSERVED_PRACTICE_DUE_AFTER,
    REGISTRATION_WARN_BEFORE,
    SUPERVISION_DUE_AFTER,
    SUPERVISION_WARN_AFTER,
    CPDRecord,
    Day,
    FacilitatorRecord,
    Invitation,
    Membership,
    ObservedPractice,
    OpeningHours,
    Role,
    Service,
    SupervisionSession,
    TrainingRecord,
    User,
)


class Standing(enum.StrEnum):
    """How a practitioner stands against one requirement of the RJC Practitioner Code."""

    MET = "met"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NEVER = "never"


@dataclass(frozen=True)
class PracticeCompliance:
    cpd_hours: Decimal
    cpd_target: int
    cpd_standing: Standing
    last_supervision: datetime.date | None
    supervision_due: datetime.date | None
    supervision_standing: Standing
    last_observation: datetime.date | None
    observation_due: datetime.date | None
    observation_standing: Standing
    registration_standing: Standing
    last_training: datetime.date | None
    # A course within the last 12 months keeps training in date, whatever the CPD hours.
    training_in_last_year: bool

    @property
    def all_met(self) -> bool:
        return all(
            standing == Standing.MET
            for standing in (
                self.cpd_standing,
                self.supervision_standing,
                self.observation_standing,
                self.registration_standing,
            )
        )


def _with_compliance_figures(records: QuerySet[FacilitatorRecord], today: datetime.date) -> QuerySet[FacilitatorRecord]:
    # Subqueries, not joins: joining CPD, supervision and observations at once would multiply the CPD sum.
    year_ago = today - datetime.timedelta(days=365)
    cpd_hours = (
        CPDRecord.objects.filter(record=OuterRef("pk"), completed_on__gt=year_ago)
        .values("record")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    last_supervision = SupervisionSession.objects.filter(record=OuterRef("pk")).order_by("-held_on").values("held_on")
    last_observation = ObservedPractice.objects.filter(record=OuterRef("pk")).order_by("-observed_on")
    last_training = TrainingRecord.objects.filter(record=OuterRef("pk")).order_by("-completed_on")
    return records.annotate(
        cpd_hours_last_year=Subquery(cpd_hours[:1]),
        last_supervision=Subquery(last_supervision[:1]),
        last_observation=Subquery(last_observation.values("observed_on")[:1]),
        last_training=Subquery(last_training.values("completed_on")[:1]),
    )


def compliance_of(record: FacilitatorRecord, today: datetime.date | None = None) -> PracticeCompliance:
    """A practitioner's standing on CPD (rolling 12 months), supervision (12 weeks), observation (a year), registration
    and training.

    Uses the figures annotated by _with_compliance_figures when present, so lists stay at a fixed query count.
    """
    today = today or timezone.localdate()
    figures = record
    if not hasattr(record, "cpd_hours_last_year"):
        figures = _with_compliance_figures(FacilitatorRecord.objects.filter(pk=record.pk), today).get()
    hours: Decimal = getattr(figures, "cpd_hours_last_year", None) or Decimal("0")
    last_supervision: datetime.date | None = getattr(figures, "last_supervision", None)
    last_observation: datetime.date | None = getattr(figures, "last_observation", None)
    last_training: datetime.date | None = getattr(figures, "last_training", None)
    target = record.cpd_hours_target
    supervision_due = last_supervision + SUPERVISION_DUE_AFTER if last_supervision else None
    observation_due = last_observation + OBSERVED_PRACTICE_DUE_AFTER if last_observation else None
    return PracticeCompliance(
        cpd_hours=hours,
        cpd_target=target,
        cpd_standing=Standing.MET if hours >= target else Standing.DUE_SOON,
        last_supervision=last_supervision,
        supervision_due=supervision_due,
        supervision_standing=_standing(
            last_supervision, today, warn_after=SUPERVISION_WARN_AFTER, due_after=SUPERVISION_DUE_AFTER
        ),
        last_observation=last_observation,
        observation_due=observation_due,
        observation_standing=_standing(
            last_observation,
            today,
            warn_after=OBSERVED_PRACTICE_DUE_AFTER - datetime.timedelta(days=30),
            due_after=OBSERVED_PRACTICE_DUE_AFTER,
        ),
        registration_standing=_registration_standing(record, today),
        last_training=last_training,
        training_in_last_year=last_training is not None and last_training > today - datetime.timedelta(days=365),
    )


def _standing(
    last: datetime.date | None, today: datetime.date, *, warn_after: datetime.timedelta, due_after: datetime.timedelta
) -> Standing:
    if last is None:
        return Standing.NEVER
    if today > last + due_after:
        return Standing.OVERDUE
    if today >= last + warn_after:
        return Standing.DUE_SOON
    return Standing.MET


def _registration_standing(record: FacilitatorRecord, today: datetime.date) -> Standing:
    if not record.registration_number or record.registration_expires_on is None:
        return Standing.NEVER
    if record.registration_expires_on < today:
        return Standing.OVERDUE
    if record.registration_expires_on <= today + REGISTRATION_WARN_BEFORE:
        return Standing.DUE_SOON
    return Standing.MET


@dataclass(frozen=True)
class Member:
    user: User
    roles: list[Role]
    record: FacilitatorRecord | None
    compliance: PracticeCompliance | None


def member_list(
    *, service: Service, memberships: QuerySet[Membership], today: datetime.date | None = None
) -> list[Member]:
    """The service's current people with their roles and practice standing: three queries whatever the size."""
    today = today or timezone.localdate()
    current = list(
        memberships.filter(ended_at__isnull=True, user__is_active=True).order_by("user__full_name", "user_id")
    )
    user_ids = {membership.user_id for membership in current}
    records = {
        record.user_id: record
        for record in _with_compliance_figures(FacilitatorRecord.objects.filter(user_id__in=user_ids), today)
    }
    people: dict[int, Member] = {}
    for membership in current:
        if membership.user_id not in people:
            record = records.get(membership.user_id)
            people[membership.user_id] = Member(
                user=membership.user,
                roles=[],
                record=record,
                compliance=compliance_of(record, today) if record else None,
            )
        people[membership.user_id].roles.append(Role(membership.role))
    return list(people.values())


def open_invitations(service: Service) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        service=service, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def opening_hours_by_day(service: Service) -> list[tuple[Day, OpeningHours | None]]:
    """Every day of the week and bank holidays, with the hours set for each (None where none are set)."""
    rows = {row.day: row for row in service.opening_hours.all()}
    return [(day, rows.get(day)) for day in Day]


def member_memberships(*, service: Service, member: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(service=service, user=member)
        .select_related("supervisor")
        .order_by("ended_at", "role")
    )


def practice_record_detail(record: FacilitatorRecord, service: Service) -> FacilitatorRecord:
    """A record with its training and CPD, and this service's supervision and observations, in one round of queries.

    The standing (compliance_of) counts sessions in every service; only this service's are listed, with names.
    """
    return (
        FacilitatorRecord.objects.select_related("user")
        .prefetch_related(
            "training",
            "cpd",
            Prefetch(
                "supervision", queryset=SupervisionSession.objects.filter(service=service).select_related("supervisor")
            ),
            Prefetch(
                "observations", queryset=ObservedPractice.objects.filter(service=service).select_related("observer")
            ),
        )
        .get(pk=record.pk)
    )


def own_facilitator_record(user: User) -> FacilitatorRecord | None:
    return FacilitatorRecord.objects.filter(user=user).first()
