"""Dashboards kept between views (amends/figures/kept.py): read without counting while nothing has changed, counted
again after a change in their services, outside any service or on a new day, and never older in a download."""

import dataclasses
import datetime
import re
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from amends.audit.models import AuditAction, LastWrite
from amends.audit.services import record_event
from amends.figures import definitions, kept
from amends.figures.dashboards import Dashboard, View
from amends.figures.definitions import Scope
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period, financial_year_of
from tests.case_builders import make_referral
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _year() -> Period:
    return Period.year(financial_year_of(timezone.localdate()))


def _received(personas: Personas) -> int:
    """Referrals received this year in the service, as the kept dashboard (if any) says."""
    found = kept.dashboard(View.SERVICE, Scope((personas.service.pk,)), _year())
    referrals = next(table for table in found.dashboard.tables if table.figure.key == "referrals")
    return int(referrals.total.values["received"])


def _tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, re.S)


def _path(personas: Personas) -> str:
    return f"/figures/services/{personas.service.pk}/"


def test_a_second_view_reads_the_kept_dashboard_without_counting(personas: Personas) -> None:
    make_referral(service=personas.service, actor=personas.coordinator)
    client = signed_in_client(personas.coordinator)
    first = client.get(_path(personas)).content.decode()
    with CaptureQueriesContext(connection) as captured:
        second = client.get(_path(personas)).content.decode()
    assert not [query for query in captured if "referrals_referral" in query["sql"]]
    assert "Counted at" in second
    assert "Being counted again" not in second
    assert _tables(second) == _tables(first)


def test_a_kept_view_takes_the_same_queries_however_many_referrals(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    counts = []
    for referrals in (1, 10):
        for _ in range(referrals):
            make_referral(service=personas.service, actor=personas.coordinator)
        client.get(_path(personas))  # counted again after the change, and kept
        with CaptureQueriesContext(connection) as captured:
            client.get(_path(personas))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_change_in_the_service_is_shown_as_being_counted_again_then_counted(personas: Personas) -> None:
    make_referral(service=personas.service, actor=personas.coordinator)
    client = signed_in_client(personas.coordinator)
    client.get(_path(personas))
    make_referral(service=personas.service, actor=personas.coordinator)
    html = client.get(_path(personas)).content.decode()
    # The kept figures, marked as older; the test settings run the recount there and then, as db_worker would later.
    assert "Being counted again" in html
    assert "Something has been recorded since" in html
    assert _received(personas) == 2
    html = client.get(_path(personas)).content.decode()
    assert "Being counted again" not in html
    assert not caches["figures"].get(
        kept.key_of(View.SERVICE, Scope((personas.service.pk,)), _year(), Dimension.NONE) + ":counting"
    )


def test_changes_elsewhere_and_reads_keep_it_current(personas: Personas) -> None:
    make_referral(service=personas.service, actor=personas.coordinator)
    assert _received(personas) == 1
    make_referral(service=personas.other_service, actor=personas.other_coordinator)
    record_event(
        action=AuditAction.RECORD_VIEWED, actor=personas.coordinator, target=personas.facilitator, service=None
    )
    found = kept.dashboard(View.SERVICE, Scope((personas.service.pk,)), _year())
    assert found.current


def test_a_change_outside_any_service_counts_for_every_service(personas: Personas) -> None:
    assert kept.dashboard(View.SERVICE, Scope((personas.service.pk,)), _year()).current
    # A change to a practitioner's own record is audited without a service; the practitioners figure counts it.
    record_event(action=AuditAction.CPD_RECORDED, actor=personas.facilitator, target=personas.facilitator)
    assert LastWrite.objects.filter(service=None).exists()
    assert not kept.dashboard(View.SERVICE, Scope((personas.service.pk,)), _year()).current


def test_it_is_counted_again_on_a_new_day(personas: Personas, later: Callable[[datetime.timedelta], None]) -> None:
    assert kept.dashboard(View.SERVICE, Scope((personas.service.pk,)), _year()).current
    later(datetime.timedelta(days=1))
    assert not kept.dashboard(View.SERVICE, Scope((personas.service.pk,)), _year()).current


def test_each_language_is_kept_apart(personas: Personas) -> None:
    scope = Scope((personas.service.pk,))
    english = kept.dashboard(View.SERVICE, scope, _year())
    with translation.override("cy"):
        welsh = kept.dashboard(View.SERVICE, scope, _year())
    assert english.dashboard.tables[0].total.label == "Total"
    assert welsh.dashboard.tables[0].total.label == "Cyfanswm"


def test_each_view_and_breakdown_is_kept_apart(personas: Personas) -> None:
    scope = Scope((personas.service.pk,))
    kept.dashboard(View.SERVICE, scope, _year())
    commissioner = kept.dashboard(View.COMMISSIONER, scope, _year())
    assert commissioner.dashboard.suppressed
    breakdown = kept.dashboard(View.SERVICE, scope, _year(), Dimension.SOURCE)
    assert breakdown.dashboard.dimension == Dimension.SOURCE


def test_a_download_holds_the_numbers_as_they_stand_now(personas: Personas) -> None:
    make_referral(service=personas.service, actor=personas.coordinator)
    client = signed_in_client(personas.coordinator)
    client.get(_path(personas))
    scope = Scope((personas.service.pk,))
    caches["figures"].add(kept.key_of(View.SERVICE, scope, _year(), Dimension.NONE) + ":counting", True)
    make_referral(service=personas.service, actor=personas.coordinator)
    # A recount is already under way, so the page keeps showing the older figures...
    assert "Being counted again" in client.get(_path(personas)).content.decode()
    # ...but the download counts them now.
    assert _received_in(kept.current(View.SERVICE, scope, _year())) == 2
    csv = client.get(f"{_path(personas)}export.csv").content.decode()
    referrals = csv.split("Referrals received", 1)[1].splitlines()
    assert referrals[1].startswith("Period,Received")
    assert referrals[2].split(",")[1] == "2"


def _received_in(dashboard: Dashboard) -> int:
    referrals = next(table for table in dashboard.tables if table.figure.key == "referrals")
    return int(referrals.total.values["received"])


def test_code_that_counts_differently_never_reads_an_older_keep(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = Scope((personas.service.pk,))
    before = kept.key_of(View.SERVICE, scope, _year(), Dimension.NONE)
    monkeypatch.setattr(kept, "CODE", "a-definition-put-right")
    assert kept.key_of(View.SERVICE, scope, _year(), Dimension.NONE) != before


def test_two_figures_may_not_share_a_key() -> None:
    with pytest.raises(ValueError, match="Two figures have the key referrals"):
        dataclasses.replace(definitions.REFERRALS, title="Another")
