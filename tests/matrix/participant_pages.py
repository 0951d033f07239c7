"""Permission-matrix rows for the participant page and the forms the gates rest on.

Every row's name starts "participant:" so that `pytest -k participant` runs them all."""

from amends.people.models import ParticipantRole
from tests.case_builders import meet_gates
from tests.matrix.base import Endpoint, Target

WORKERS = frozenset({"coordinator", "facilitator"})


def _participant(t: Target) -> str:
    return f"/cases/{t.case.pk}/participants/{t.participant.pk}"


def _person_responsible(t: Target) -> str:
    responsible = t.case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE)
    return f"/cases/{t.case.pk}/participants/{responsible.pk}"


def _sign_off(t: Target) -> str:
    """An assessment made through the services (by the case's facilitator), reused if the path is asked twice."""
    assessment = t.participant.risk_assessments.first()
    if assessment is None:
        meet_gates(t.case, t.case.lead_facilitator)
        assessment = t.participant.risk_assessments.first()
    assert assessment is not None, "meet_gates assesses everyone taking part"
    return f"/cases/{t.case.pk}/risk/{assessment.pk}/sign-off/"


_FORMS = (
    ("add participant", lambda t: f"/cases/{t.case.pk}/participants/add/"),
    ("edit person", lambda t: f"{_participant(t)}/edit/"),
    ("change part", lambda t: f"{_participant(t)}/part/"),
    ("equality monitoring", lambda t: f"{_participant(t)}/equality/"),
    ("log contact", lambda t: f"{_participant(t)}/contacts/add/"),
    ("information given", lambda t: f"{_participant(t)}/information/add/"),
    ("responsibility", lambda t: f"{_person_responsible(t)}/responsibility/add/"),
    ("give consent", lambda t: f"{_participant(t)}/consent/give/"),
    ("withdraw consent", lambda t: f"{_participant(t)}/consent/withdraw/"),
    ("risk assessment", lambda t: f"{_participant(t)}/risk/add/"),
    ("risk information", lambda t: f"/cases/{t.case.pk}/risk-information/add/"),
)

ENDPOINTS = (
    Endpoint("participant: page", "GET", lambda t: f"{_participant(t)}/", WORKERS),
    *(Endpoint(f"participant: {name}", method, path, WORKERS) for name, path in _FORMS for method in ("GET", "POST")),
    Endpoint("participant: risk sign-off", "GET", _sign_off, frozenset({"coordinator"})),
    Endpoint("participant: risk sign-off", "POST", _sign_off, frozenset({"coordinator"})),
)

URL_NAMES = (
    "participant_add",
    "participant_detail",
    "person_edit",
    "participant_part_edit",
    "equality_edit",
    "contact_add",
    "information_add",
    "responsibility_add",
    "consent_give",
    "consent_withdraw",
    "risk_assessment_add",
    "risk_sign_off",
    "risk_information_add",
)
