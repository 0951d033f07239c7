"""Permission-matrix rows for the cases a supervisor reads through the facilitators they supervise.

Each path first makes the service's supervisor (ours has one; the other service has none) the supervisor of the
facilitator who leads the case, so the supervisor reads it; the writes prove they still do not work on it.
"""

from collections.abc import Callable

from amends.accounts.services import assign_supervisor
from tests.matrix.base import Endpoint, Target

READERS = frozenset({"coordinator", "facilitator", "supervisor"})
WORKERS = frozenset({"coordinator", "facilitator"})


def _of_a_supervisee(path: Callable[[Target], str]) -> Callable[[Target], str]:
    """The path, once the service's supervisor (if it has one) supervises the case's lead facilitator."""

    def supervisee_path(t: Target) -> str:
        if t.supervisor is not None:
            assign_supervisor(membership=t.membership, supervisor=t.supervisor, actor=t.coordinator)
        return path(t)

    return supervisee_path


def _case(t: Target) -> str:
    return f"/cases/{t.case.pk}"


ENDPOINTS = (
    Endpoint("case, a supervisee's", "GET", _of_a_supervisee(lambda t: f"{_case(t)}/"), READERS),
    Endpoint("API: case, a supervisee's", "GET", _of_a_supervisee(lambda t: f"/api/v1{_case(t)}"), READERS),
    Endpoint(
        "participant, a supervisee's",
        "GET",
        _of_a_supervisee(lambda t: f"{_case(t)}/participants/{t.participant.pk}/"),
        READERS,
    ),
    Endpoint("add case note, a supervisee's", "POST", _of_a_supervisee(lambda t: f"{_case(t)}/notes/add/"), WORKERS),
    Endpoint("step: hold, a supervisee's", "POST", _of_a_supervisee(lambda t: f"{_case(t)}/steps/hold/"), WORKERS),
)
