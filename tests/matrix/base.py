"""What every permission-matrix row is made of."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    # The service's coordinator (who allocated the case), and its supervisor if the row's service has one (ours
    # does; the other service does not). The case has no supervisor until a row's path makes them its supervisor.
    coordinator: User
    supervisor: User | None


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[Target], str]
    allowed: frozenset[str]
    # Endpoints outside any service (home, lists) are allowed whatever the service.
    service_scoped: bool = True
    # A JSON body valid against the API's schema, sent as application/json; worked out after the path (which may
    # make the record the request acts on), so ids and versions are the target's as they are then. Without a body,
    # a POST sends an empty form.
    body: Callable[[Target], dict[str, Any]] | None = None
    # Allowed people whom a rule of the domain then turns away with this body (409, or 403 for a step their role does
    # not allow, with its detail): they got past every access check. Every other allowed person must succeed (2xx).
    refused: frozenset[str] = frozenset()
