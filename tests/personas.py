"""The people tests speak of: one in each role in our service, and people of another service."""

from dataclasses import dataclass

from amends.accounts.models import Membership, Partnership, Role, Service, User
from tests.factories import (
    FacilitatorRecordFactory,
    MembershipFactory,
    PartnershipFactory,
    ServiceFactory,
    UserFactory,
)

SERVICE_ROLES = (
    Role.COORDINATOR,
    Role.FACILITATOR,
    Role.SUPERVISOR,
    Role.REFERRER,
    Role.COMMISSIONER,
    Role.ADMINISTRATOR,
)


@dataclass
class Personas:
    service: Service
    other_service: Service
    partnership: Partnership
    coordinator: User
    facilitator: User
    supervisor: User
    referrer: User
    commissioner: User
    administrator: User
    partnership_lead: User
    other_coordinator: User
    other_facilitator: User
    outsider: User

    def by_role(self, role: Role) -> User:
        return {
            Role.COORDINATOR: self.coordinator,
            Role.FACILITATOR: self.facilitator,
            Role.SUPERVISOR: self.supervisor,
            Role.REFERRER: self.referrer,
            Role.COMMISSIONER: self.commissioner,
            Role.ADMINISTRATOR: self.administrator,
            Role.PARTNERSHIP_LEAD: self.partnership_lead,
        }[role]


def build_personas() -> Personas:
    service = ServiceFactory(name="Severn Test Service")
    other_service = ServiceFactory(name="Elsewhere Test Service")
    people = {}
    for role in SERVICE_ROLES:
        user = UserFactory(full_name=f"Our {role.label}")
        MembershipFactory(user=user, service=service, role=role)
        people[role] = user
    # The partnership covers our service only; its lead sees it through the partnership, not a service role.
    partnership = PartnershipFactory()
    partnership.services.add(service)
    lead = UserFactory(full_name="Partnership Lead")
    Membership.objects.create(user=lead, partnership=partnership, role=Role.PARTNERSHIP_LEAD)
    other_coordinator = UserFactory(full_name="Other Coordinator")
    MembershipFactory(user=other_coordinator, service=other_service, role=Role.COORDINATOR)
    other_facilitator = UserFactory(full_name="Other Facilitator")
    MembershipFactory(user=other_facilitator, service=other_service, role=Role.FACILITATOR)
    FacilitatorRecordFactory(user=people[Role.FACILITATOR])
    FacilitatorRecordFactory(user=other_facilitator)
    return Personas(
        service=service,
        other_service=other_service,
        partnership=partnership,
        coordinator=people[Role.COORDINATOR],
        facilitator=people[Role.FACILITATOR],
        supervisor=people[Role.SUPERVISOR],
        referrer=people[Role.REFERRER],
        commissioner=people[Role.COMMISSIONER],
        administrator=people[Role.ADMINISTRATOR],
        partnership_lead=lead,
        other_coordinator=other_coordinator,
        other_facilitator=other_facilitator,
        outsider=UserFactory(full_name="Outsider"),
    )
