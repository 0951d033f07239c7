"""The YOUTH_PANELS figure: the person harmed at referral-order panels, invited (attending, declined, answer awaited)
apart from not invited, with why not and what those who declined want instead; the raw SQL reads it the same way."""

import datetime

import pytest
from django.utils import timezone

from amends.cases.models import Case
from amends.figures import definitions, rawsql
from amends.figures.definitions import Scope
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period
from amends.youth import services
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.youth.builders import record_order, referral_order_case

pytestmark = pytest.mark.django_db

ANSWERS: list[dict[str, str] | None] = [
    None,
    {"involvement": "attending"},
    {"involvement": "invited"},
    {"involvement": "declined", "declined_contribution": "statement"},
    {"involvement": "declined", "declined_contribution": "other_way", "details": "A recorded message."},
    {"involvement": "not_invited", "not_invited_reason": "asked_not_to_be_contacted", "details": "She asked."},
    {"involvement": "not_invited", "not_invited_reason": "no_identifiable_victim", "details": "No one was harmed."},
]


@pytest.fixture
def orders(personas: Personas) -> None:
    for answer in ANSWERS:
        built = referral_order_case(
            service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator
        )
        record_order(built.case, personas.facilitator)
        if answer is not None:
            services.record_victim_involvement(
                case=Case.objects.select_related("service").get(pk=built.case.pk),
                actor=personas.facilitator,
                **answer,  # type: ignore[arg-type]
            )


def _period() -> Period:
    today = timezone.localdate()
    return Period.custom(today - datetime.timedelta(days=60), today)


EXPECTED = {
    "orders": 7,
    "decided": 6,
    "invited": 4,
    "invited_share": 4 / 6,
    "attending": 1,
    "awaited": 1,
    "declined": 2,
    "declined_statement": 1,
    "declined_other_way": 1,
    "declined_neither": 0,
    "not_invited": 2,
    "not_invited_no_victim": 1,
    "not_invited_asked_not_to_be_contacted": 1,
    "not_invited_not_contactable": 0,
    "not_invited_not_safe": 0,
    "not_invited_other": 0,
}


@pytest.mark.usefixtures("orders")
def test_it_counts_declined_to_attend_apart_from_not_invited_with_the_reasons(personas: Personas) -> None:
    table = definitions.compute(definitions.YOUTH_PANELS, Scope((personas.service.pk,)), _period())
    assert table.total.values == EXPECTED
    by_service = definitions.compute(
        definitions.YOUTH_PANELS, Scope((personas.service.pk,)), _period(), Dimension.SERVICE
    )
    assert [row.values["declined"] for row in by_service.rows] == [2]


@pytest.mark.usefixtures("orders")
def test_the_raw_sql_agrees(personas: Personas) -> None:
    [raw] = rawsql.run(rawsql.RAW_BY_KEY["youth_panels"], Scope((personas.service.pk,)), _period())
    for key, value in EXPECTED.items():
        if key != "invited_share":
            assert raw[key] == value, key


@pytest.mark.usefixtures("orders")
def test_the_dashboard_shows_it(personas: Personas) -> None:
    page = signed_in_client(personas.coordinator).get(f"/figures/services/{personas.service.pk}/").content.decode()
    assert "The person harmed at referral-order panels" in page
    assert "Invited and declined to attend" in page
