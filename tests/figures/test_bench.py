"""`manage.py bench_figures` builds a synthetic service, times the dashboard against raw SQL and checks they agree."""

import io
import re

import pytest
from django.core.management import call_command

from amends.figures import synthetic


@pytest.mark.django_db
def test_it_times_the_dashboard_against_raw_sql_that_agrees_with_it() -> None:
    out = io.StringIO()
    call_command("bench_figures", cases=200, runs=1, stdout=out)
    printed = out.getvalue()
    assert "The raw SQL and the dashboard agree on every figure." in printed
    assert re.search(r"Ratio: \d+\.\d\d\.", printed)
    assert re.search(r"Kept dashboard, as a page reads it between changes: \d+\.\d ms\.", printed)
    assert "Cases: 200." in printed
    assert synthetic.find(200) is not None


@pytest.mark.django_db
def test_it_reuses_a_service_built_with_the_same_number_of_cases() -> None:
    call_command("bench_figures", cases=50, runs=1, stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench_figures", cases=50, runs=1, stdout=out)
    assert "Reusing Benchmark service: 50 cases" in out.getvalue()
