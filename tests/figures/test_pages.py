"""The figures' pages: who may open each dashboard, what it shows, and the period and breakdown chosen."""

import datetime
import re

import pytest
from django.http import QueryDict
from django.utils import timezone

from amends.accounts.models import Membership, Role
from amends.figures import definitions, forms
from amends.figures.dashboards import STOPS
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period, PeriodKind
from amends.referrals.models import Referral, ReferralSource
from tests.case_builders import build_case, make_referral
from tests.conftest import signed_in_client
from tests.factories import PartnershipFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

HARMED = {"given_name": "Zebedee", "family_name": "Quartermaine", "date_of_birth": datetime.date(1980, 5, 1)}
RESPONSIBLE = {"given_name": "Ottoline", "family_name": "Vanderbilt", "date_of_birth": datetime.date(1990, 2, 3)}


def _referrals(personas: Personas, count: int, *, elsewhere: bool = False) -> list[Referral]:
    return [
        make_referral(
            service=personas.other_service if elsewhere else personas.service,
            actor=personas.other_coordinator if elsewhere else personas.coordinator,
            crime_reference=f"CRIME/{number}",
            harmed=HARMED,
            responsible=RESPONSIBLE,
        )
        for number in range(count)
    ]


def _page(personas: Personas, user: object, path: str) -> str:
    response = signed_in_client(user).get(path)  # type: ignore[arg-type]
    assert response.status_code == 200, path
    return response.content.decode()


def _caption(html: str, title: str) -> str:
    """The HTML of the table whose caption is the title."""
    match = re.search(
        rf"<table class=\"govuk-table\">\s*<caption[^>]*>{re.escape(title)}</caption>.*?</table>", html, re.S
    )
    assert match, f"no table captioned {title!r}"
    return match.group(0)


def test_it_shows_the_coordinator_every_figure_with_its_table_and_chart(personas: Personas) -> None:
    _referrals(personas, 3)
    html = _page(personas, personas.coordinator, f"/figures/services/{personas.service.pk}/")
    for figure in (*definitions.FIGURES, STOPS):
        _caption(html, str(figure.title).replace("'", "&#x27;"))
    # Every figure has its chart's description; a chart is drawn where there is something to draw (no shares of
    # nobody's answers, say).
    assert html.count("<figcaption") == len(definitions.FIGURES) + 1
    assert html.count('<img class="amends-chart" src="data:image/svg+xml;base64,') >= 6
    referrals = _caption(html, "Referrals received")
    assert re.search(r">\s*3\s*</td>", referrals)
    assert 'alt="Chart: Referrals received"' in html
    assert 'aria-describedby="chart-referrals-description"' in html
    assert "Referrals received: Received 3, Accepted 0, Declined 0, Redirected 0, Awaiting triage 3." in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.REFERRER, Role.ADMINISTRATOR, Role.SUPERVISOR])
def test_it_hides_the_figures_from_those_who_do_not_lead_or_fund_the_service(personas: Personas, role: Role) -> None:
    client = signed_in_client(personas.by_role(role))
    service = personas.service.pk
    for path in (
        "/figures/",
        "/figures/definitions/",
        f"/figures/services/{service}/",
        f"/figures/commissioner/services/{service}/",
        f"/figures/partnerships/{personas.partnership.pk}/",
        f"/figures/commissioner/partnerships/{personas.partnership.pk}/",
    ):
        assert client.get(path).status_code == 404, path


def test_it_gives_the_commissioner_only_the_suppressed_view(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    _referrals(personas, 2)
    client = signed_in_client(personas.commissioner)
    assert client.get(f"/figures/services/{personas.service.pk}/").status_code == 404
    assert client.get(f"/figures/commissioner/services/{personas.other_service.pk}/").status_code == 404

    html = _page(personas, personas.commissioner, f"/figures/commissioner/services/{personas.service.pk}/")
    assert "Small numbers are hidden" in html
    assert re.search(r">\s*\[c\]\s*</td>", _caption(html, "Referrals received"))
    for personal in ("Zebedee", "Quartermaine", "Ottoline", "Vanderbilt", "Ann", "Rob ", built.case.reference):
        assert personal not in html, personal
    assert "CRIME/" not in html


def test_it_shows_the_partnership_lead_each_service_side_by_side(personas: Personas) -> None:
    second = personas.other_service
    personas.partnership.services.add(second)
    _referrals(personas, 2)
    _referrals(personas, 7, elsewhere=True)
    html = _page(personas, personas.partnership_lead, f"/figures/partnerships/{personas.partnership.pk}/")
    table = _caption(html, "Referrals received")
    assert personas.service.name in table
    assert second.name in table
    assert re.search(r">\s*9\s*</td>", table)  # the total
    assert "Break down by" not in html
    # The coordinator of one of the two services does not see the partnership.
    client = signed_in_client(personas.coordinator)
    assert client.get(f"/figures/partnerships/{personas.partnership.pk}/").status_code == 404


def test_it_lists_the_dashboards_each_person_may_open(personas: Personas) -> None:
    html = _page(personas, personas.partnership_lead, "/figures/")
    assert f"/figures/partnerships/{personas.partnership.pk}/" in html
    assert f"/figures/services/{personas.service.pk}/" in html
    assert f"/figures/commissioner/partnerships/{personas.partnership.pk}/" in html
    html = _page(personas, personas.commissioner, "/figures/")
    assert f"/figures/commissioner/services/{personas.service.pk}/" in html
    assert f"/figures/services/{personas.service.pk}/" not in html
    assert signed_in_client(personas.outsider).get("/figures/").status_code == 404


def test_it_offers_figures_in_the_navigation_and_on_the_service_page(personas: Personas) -> None:
    html = _page(personas, personas.coordinator, f"/services/{personas.service.pk}/")
    assert 'href="/figures/"' in html
    assert f'href="/figures/services/{personas.service.pk}/"' in html
    html = _page(personas, personas.commissioner, f"/services/{personas.service.pk}/")
    assert f'href="/figures/commissioner/services/{personas.service.pk}/"' in html
    html = _page(personas, personas.facilitator, f"/services/{personas.service.pk}/")
    assert "/figures/" not in html


def test_it_keeps_a_bad_period_with_its_error_and_shows_the_current_year(personas: Personas) -> None:
    path = f"/figures/services/{personas.service.pk}/?kind=custom&start=31/03/2026&end=01/03/2026&breakdown=source"
    response = signed_in_client(personas.coordinator).get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The end date must be the same as or after the start date" in html
    assert 'value="31/03/2026"' in html
    assert 'value="01/03/2026"' in html
    assert "<title>Error:" in html
    assert Period.containing(PeriodKind.YEAR, timezone.localdate()).label in html
    assert "Broken down by" not in html


def test_it_refuses_a_custom_period_over_five_years_and_an_unknown_breakdown(personas: Personas) -> None:
    form = forms.DashboardForm({"kind": "custom", "start": "01/01/2020", "end": "01/01/2026"})
    assert not form.is_valid()
    assert "at most 5 years" in str(form.errors["end"])
    assert form.period() == forms.default_period()
    form = forms.DashboardForm({"breakdown": "shoe_size"})
    assert "breakdown" in form.errors
    assert form.dimension() == Dimension.NONE


def test_it_reads_back_the_query_string_of_each_kind_of_period() -> None:
    for period in (
        Period.month(2026, 2),
        Period.quarter(2025, 4),
        Period.year(timezone.localdate().year - 1),
        Period.custom(datetime.date(2026, 1, 5), datetime.date(2026, 2, 7)),
    ):
        form = forms.DashboardForm(QueryDict(forms.query_string(period, Dimension.SOURCE)))
        assert form.is_valid(), form.errors
        assert form.period() == period
        assert form.dimension() == Dimension.SOURCE


def test_it_breaks_the_figures_down_by_referral_source(personas: Personas) -> None:
    _referrals(personas, 2)
    Referral.objects.filter(pk=_referrals(personas, 1)[0].pk).update(source=ReferralSource.SELF)
    path = f"/figures/services/{personas.service.pk}/?kind=year&financial_year={forms.financial_year_choices()[0][0]}"
    html = _page(personas, personas.coordinator, f"{path}&breakdown=source")
    table = _caption(html, "Referrals received")
    assert str(ReferralSource.POLICE.label) in table
    assert str(ReferralSource.SELF.label) in table
    assert "Broken down by: Referral source" in html
    assert "Received, by referral source: Police 2, Self-referral 1." in html
    # Practitioners cannot be broken down by source: their total alone, and the page says so.
    assert "This figure cannot be broken down by referral source" in html
    plain = _caption(_page(personas, personas.coordinator, path), "Referrals received")
    assert str(ReferralSource.POLICE.label) not in plain


def test_it_explains_what_each_figure_counts(personas: Personas) -> None:
    html = _page(personas, personas.commissioner, "/figures/definitions/")
    for figure in (*definitions.FIGURES, STOPS):
        assert str(figure.left_out).replace("'", "&#x27;") in html
    assert "A count from 1 to 4 is hidden" in html


def test_it_lets_a_commissioner_of_a_partnership_see_its_suppressed_figures(personas: Personas) -> None:
    partnership = PartnershipFactory()
    partnership.services.add(personas.service, personas.other_service)
    commissioner = personas.outsider
    Membership.objects.create(user=commissioner, partnership=partnership, role=Role.COMMISSIONER)
    html = _page(personas, commissioner, f"/figures/commissioner/partnerships/{partnership.pk}/")
    assert "Small numbers are hidden" in html
    assert signed_in_client(commissioner).get(f"/figures/partnerships/{partnership.pk}/").status_code == 404


def test_it_ignores_what_the_chosen_period_does_not_use_and_fills_in_what_a_link_leaves_out() -> None:
    earlier = forms.financial_year_choices()[2][0]
    form = forms.DashboardForm({"kind": "year", "year": "next year", "start": "soon", "financial_year": str(earlier)})
    assert form.is_valid(), form.errors
    assert form.period() == Period.year(earlier)
    form = forms.DashboardForm({"kind": "quarter"})
    assert form.is_valid(), form.errors
    assert form.period() == Period.containing(PeriodKind.QUARTER, timezone.localdate())
    form = forms.DashboardForm({"kind": "year", "financial_year": "1999"})
    assert "Choose one of the financial years listed" in str(form.errors["financial_year"])
    form = forms.DashboardForm({"kind": "month", "year": ""})
    assert "Enter the year of the month" in str(form.errors["year"])
