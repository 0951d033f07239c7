"""What every permission-matrix row is made of."""

from collections.abc import Callable
from dataclasses import dataclass

from amends.accounts.models import Invitation, Membership, Service, User
from amends.cases.models import Case, Task
from amends.people.models import Participant
from amends.referrals.models import Referral

# Everyone in the matrix: one persona per role in our service, the partnership lead, and a stranger to both.
PEOPLE = (
    "coordinator",
    "facilitator",
    "supervisor",
    "referrer",
    "commissioner",
    "administrator",
    "partnership_lead",
    "outsider",
)
EVERYONE = frozenset(PEOPLE)
MEMBERS = EVERYONE - {"outsider"}


@dataclass(frozen=True)
class Target:
    """The records one row of the matrix points at, in one service."""

    service: Service
    member: User
    membership: Membership
    invitation: Invitation
    # A case in assessing led by the service's facilitator, its person harmed, a referral awaiting triage entered
    # by the service's referrer, and an open task of the facilitator's.
    case: Case
    participant: Participant
    referral: Referral
    task: Task


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[Target], str]
    allowed: frozenset[str]
    # Endpoints outside any service (home, lists) are allowed whatever the service.
    service_scoped: bool = True
