"""Permission-matrix rows for the retention schedule, its runs and legal holds. Coordinators and administrators
manage the schedule and read the holds in force; only coordinators place or lift a hold, from a case's page."""

from typing import Any

from amends.dataprotection import legal_holds
from tests.matrix.base import Endpoint, Target

MANAGERS = frozenset({"coordinator", "administrator"})
COORDINATORS = frozenset({"coordinator"})


def _service(rest: str = "") -> Any:
    return lambda t: f"/services/{t.service.pk}/data-protection/{rest}"


def _case(rest: str = "") -> Any:
    return lambda t: f"/cases/{t.case.pk}/legal-hold/{rest}"


def _held(rest: str = "") -> Any:
    def path(t: Target) -> str:
        if legal_holds.hold_in_force(t.case) is None:
            legal_holds.place_legal_hold(case=t.case, actor=t.coordinator, reason="A civil claim is expected.")
        return f"/cases/{t.case.pk}/legal-hold/{rest}"

    return path


ENDPOINTS = (
    Endpoint("retention schedule", "GET", _service("retention/"), MANAGERS),
    Endpoint("retention runs", "GET", _service("retention/runs/"), MANAGERS),
    Endpoint("retention rule", "GET", _service("retention/youth_case/"), MANAGERS),
    Endpoint("retention rule", "POST", _service("retention/closed_case/"), MANAGERS),
    Endpoint("legal holds", "GET", _service("legal-holds/"), MANAGERS),
    Endpoint("case legal hold", "GET", _case(), COORDINATORS),
    Endpoint("case legal hold", "POST", _case(), COORDINATORS),
    Endpoint("case legal hold in force", "GET", _held(), COORDINATORS),
    Endpoint("lift legal hold", "GET", _held("lift/"), COORDINATORS),
    Endpoint("lift legal hold", "POST", _held("lift/"), COORDINATORS),
)

URL_NAMES = (
    "dataprotection:retention_schedule",
    "dataprotection:retention_runs",
    "dataprotection:retention_rule",
    "dataprotection:legal_hold_list",
    "dataprotection:case_legal_hold",
    "dataprotection:legal_hold_lift",
)
