"""Every list and record page runs a fixed number of queries, however much data there is."""

from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amends.accounts.models import Role
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.referrals import services as referral_services
from tests.case_builders import make_referral, make_trained
from tests.conftest import signed_in_client
from tests.factories import (
    CPDRecordFactory,
    FacilitatorRecordFactory,
    MembershipFactory,
    ObservedPracticeFactory,
    SupervisionSessionFactory,
    UserFactory,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def add_people(personas: Personas, count: int) -> None:
    for _ in range(count):
        member = UserFactory()
        MembershipFactory(user=member, service=personas.service, role=Role.FACILITATOR)
        record = FacilitatorRecordFactory(user=member)
        CPDRecordFactory.create_batch(2, record=record)
        SupervisionSessionFactory(record=record, supervisor=personas.supervisor)


def add_history(personas: Personas, count: int) -> None:
    record = personas.facilitator.facilitator_record
    CPDRecordFactory.create_batch(count, record=record)
    SupervisionSessionFactory.create_batch(count, record=record, supervisor=personas.supervisor)
    ObservedPracticeFactory.create_batch(count, record=record, observer=personas.supervisor)


def add_audit_events(personas: Personas, count: int) -> None:
    for _ in range(count):
        record_event(
            action=AuditAction.RECORD_VIEWED,
            actor=personas.coordinator,
            target=personas.facilitator,
            service=personas.service,
        )


def add_referrals(personas: Personas, count: int) -> None:
    """Referrals for the figures: every other one accepted, so that cases are counted too."""
    for number in range(count):
        referral = make_referral(service=personas.service, actor=personas.coordinator)
        if number % 2:
            referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="Within scope")


PAGES: list[tuple[str, Callable[[Personas], str], Callable[[Personas, int], None]]] = [
    ("people", lambda p: f"/services/{p.service.pk}/people/", add_people),
    ("member", lambda p: f"/services/{p.service.pk}/people/{p.facilitator.pk}/", add_history),
    ("audit", lambda p: "/audit/", add_audit_events),
    ("services", lambda p: "/services/", add_people),
    ("home", lambda p: "/", add_people),
    ("service", lambda p: f"/services/{p.service.pk}/", add_people),
    ("figures", lambda p: f"/figures/services/{p.service.pk}/?breakdown=source", add_referrals),
    (
        "commissioner figures",
        lambda p: f"/figures/commissioner/services/{p.service.pk}/?breakdown=ethnicity",
        add_referrals,
    ),
    ("partnership figures", lambda p: f"/figures/partnerships/{p.partnership.pk}/", add_referrals),
]


@pytest.mark.parametrize(("name", "path", "grow"), PAGES, ids=[page[0] for page in PAGES])
def test_it_keeps_the_query_count_flat(
    personas: Personas, name: str, path: Callable[[Personas], str], grow: Callable[[Personas, int], None]
) -> None:
    client = signed_in_client(personas.coordinator)
    grow(personas, 2)
    # The figures pages count afresh (nothing kept: see tests/figures/test_kept.py for the kept reads).
    caches["figures"].clear()
    few = queries_for(client, path(personas))
    grow(personas, 12)
    caches["figures"].clear()
    many = queries_for(client, path(personas))
    assert many == few, f"{name}: {few} queries with little data, {many} with more"


def add_staff(personas: Personas, count: int) -> None:
    """Facilitators as allocation finds them (trained, untrained, without a record) and a supervisor."""
    for number in range(count):
        member = UserFactory()
        MembershipFactory(user=member, service=personas.service, role=Role.FACILITATOR)
        if number % 3 == 0:
            continue
        record = FacilitatorRecordFactory(user=member)
        CPDRecordFactory.create_batch(2, record=record)
        if number % 3 == 1:
            make_trained(member)
    MembershipFactory(user=UserFactory(), service=personas.service, role=Role.SUPERVISOR)


def test_it_keeps_the_allocation_page_flat_however_many_staff(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.coordinator)
    case = referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="Within scope")
    client = signed_in_client(personas.coordinator)
    path = f"/cases/{case.pk}/allocate/"
    add_staff(personas, 1)
    few = queries_for(client, path)
    add_staff(personas, 12)
    many = queries_for(client, path)
    assert many == few, f"allocation: {few} queries with one facilitator, {many} with more"
