"""Builders for youth and court cases: a panel member register, a referral-order case and its panel meeting."""

import datetime

from django.utils import timezone

from amends.accounts.models import Service, User
from amends.cases.models import Case, ProcessKind, State
from amends.meetings.models import Meeting
from amends.people.models import PRINCIPAL_ROLES, ParticipantRole
from amends.youth import services
from amends.youth.models import PanelMember, PanelRole, ReferralOrder
from tests.case_builders import BuiltCase, book_conference, build_case, day_at

TRAINED = datetime.date(2025, 3, 1)


def make_panel(service: Service, coordinator: User) -> list[PanelMember]:
    """Two trained community panel members and a youth justice service officer in the service's register."""
    people = (
        ("Gwen Price", PanelRole.COMMUNITY),
        ("Tom Hughes", PanelRole.COMMUNITY),
        ("Sara Khan", PanelRole.YOUTH_JUSTICE),
    )
    members = []
    for name, role in people:
        known = PanelMember.objects.filter(service=service, name=name).first()
        members.append(
            known
            or services.save_panel_member(
                service=service, actor=coordinator, details={"name": name, "role": role, "trained_on": TRAINED}
            )
        )
    return members


def referral_order_case(
    *, service: Service, coordinator: User, facilitator: User, state: State = State.PREPARING
) -> BuiltCase:
    """A referral-order panel case being prepared, with the gates met."""
    return build_case(
        service=service,
        coordinator=coordinator,
        facilitator=facilitator,
        state=state,
        process=ProcessKind.REFERRAL_ORDER_PANEL,
    )


def record_order(case: Case, actor: User, *, made_on: datetime.date | None = None, months: int = 6) -> ReferralOrder:
    return services.record_referral_order(
        case=Case.objects.select_related("service").get(pk=case.pk),
        actor=actor,
        made_on=made_on or timezone.localdate() - datetime.timedelta(days=7),
        length_months=months,
        court="Gloucester Youth Court",
    )


def book_panel(
    case: Case, facilitator: User, *, purpose: str = "panel", days: int = 1, with_victim: bool = False
) -> Meeting:
    """A panel meeting with the young person (and, `with_victim`, the person harmed, once invited)."""
    attendees = case.participants.filter(takes_part=True, role__in=PRINCIPAL_ROLES).order_by("pk")
    if not with_victim:
        attendees = attendees.exclude(role=ParticipantRole.PERSON_HARMED)
    return book_conference(
        case, facilitator, purpose=purpose, starts_at=day_at(10, days=days), attendees=list(attendees)
    )
