"""Time the service dashboard against the same figures written by hand in raw SQL, on a large synthetic service.

    manage.py bench_figures --cases 100000

The first run builds the synthetic service (amends/figures/synthetic.py) into the configured database; later runs
with the same number of cases reuse it (--rebuild builds a new one). The dashboard is the service view for the last
full financial year, counted afresh; the last line gives the time a page takes to read it once kept (kept.py).
Each timing is the best of --runs runs after one warm-up run. The raw SQL (rawsql.py) must give
the same numbers as the dashboard, or the command fails.
"""

import datetime
import math
import time
from argparse import ArgumentParser
from collections.abc import Callable
from functools import partial
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from amends.accounts.models import Service
from amends.figures import dashboards, definitions, kept, rawsql, synthetic
from amends.figures.dashboards import View
from amends.figures.definitions import FigureTable, Kind, Scope
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period, financial_year_of

# How far apart a median or an average from the two may be (floating point, not a different answer).
TOLERANCE = 1e-6


def best_of(runs: int, work: Callable[[], Any]) -> float:
    """The fastest of `runs` runs, in milliseconds, after one run to warm the caches."""
    work()
    fastest = math.inf
    for _run in range(runs):
        started = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest * 1000


def _same(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    return abs(float(left) - float(right)) <= TOLERANCE


def differences(table: FigureTable, rows: list[dict[str, Any]]) -> list[str]:
    """Where the raw SQL and the dashboard disagree about the figure's total, or nothing."""
    if table.figure.key == dashboards.STOPS.key:
        raw: dict[str, dict[str, int]] = {}
        for row in rows:
            if row["step"] != definitions.Step.COMPLETED:
                values = raw.setdefault(row["reason"], {m.key: 0 for m in table.measures})
                values[f"stopped_{row['step']}"] += row["referrals"]
        shown = {row.key: {m.key: row.values[m.key] for m in table.measures} for row in table.rows}
        return [] if raw == shown else [f"stops: dashboard {shown} raw SQL {raw}"]
    (values,) = rows
    found = []
    for measure in table.measures:
        if measure.kind in {Kind.COUNT, Kind.DAYS, Kind.MEAN, Kind.HOURS}:
            dashboard, written = table.total.values.get(measure.key), values[measure.key]
            if measure.kind == Kind.COUNT:
                written = int(written or 0)
            if not _same(dashboard, written):
                found.append(f"{table.figure.key}.{measure.key}: dashboard {dashboard}, raw SQL {written}")
    return found


class Command(BaseCommand):
    help = "Time the service dashboard against hand-written raw SQL on a large synthetic service."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000, help="How many cases (default 100,000).")
        parser.add_argument("--rebuild", action="store_true", help="Build a new synthetic service even if one exists.")
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each (the best counts; default 5).")

    def handle(self, *args: Any, **options: Any) -> None:
        cases, runs = options["cases"], options["runs"]
        if cases < 1 or runs < 1:
            raise CommandError("--cases and --runs must be at least 1.")
        console = Console(file=cast("IO[str]", self.stdout._out), width=110)
        service = None if options["rebuild"] else synthetic.find(cases)
        if service is None:
            service = self._build(console, cases)
        else:
            console.print(f"Reusing {service.name} (--rebuild to build it again).")
        # Fresh statistics, as autovacuum (PostgreSQL) or a routine ANALYZE (SQLite) would keep them: without them the
        # planner takes a service of 100,000 cases for a handful of rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        period = Period.year(financial_year_of(timezone.localdate()) - 1)
        scope = Scope((service.pk,))
        console.print(f"Timing the service dashboard for {period.label}, best of {runs} runs after a warm-up.")

        def dashboard() -> dashboards.Dashboard:
            return dashboards.build(View.SERVICE, scope, period)

        built = dashboard()
        tables = {table.figure.key: table for table in built.tables}
        report = Table(title=f"{service.name}, {period.label}")
        for heading in ("Figure", "Dashboard (ms)", "Raw SQL (ms)", "Ratio"):
            report.add_column(heading, justify="left" if heading == "Figure" else "right")
        mismatches: list[str] = []
        for key, table in tables.items():
            raw_figure = rawsql.RAW_BY_KEY.get(key)
            if raw_figure is None:
                raise CommandError(f"The figure {key} has no raw SQL in amends/figures/rawsql.py: write it.")
            mismatches += differences(table, rawsql.run(raw_figure, scope, period))
            figure = table.figure
            if figure.key == dashboards.STOPS.key:
                dashboard_ms = best_of(runs, lambda: dashboards.stops_table(scope, period))
            else:
                dashboard_ms = best_of(runs, partial(definitions.compute, figure, scope, period))
            raw_ms = best_of(runs, partial(rawsql.run, raw_figure, scope, period))
            report.add_row(str(figure.title), f"{dashboard_ms:.1f}", f"{raw_ms:.1f}", f"{dashboard_ms / raw_ms:.2f}")
        if mismatches:
            raise CommandError("The raw SQL and the dashboard disagree:\n" + "\n".join(mismatches))
        whole_ms = best_of(runs, dashboard)
        raw_ms = best_of(runs, lambda: [rawsql.run(rawsql.RAW_BY_KEY[key], scope, period) for key in tables])
        report.add_section()
        report.add_row("Whole dashboard / all raw SQL", f"{whole_ms:.1f}", f"{raw_ms:.1f}", f"{whole_ms / raw_ms:.2f}")
        console.print(report)
        console.print(
            f"Database: {connection.vendor}. Cases: {cases:,}. Referrals in the period: "
            f"{tables['referrals'].total.values['received']:,}."
        )
        console.print("The raw SQL and the dashboard agree on every figure.")
        console.print(f"Dashboard: {whole_ms:.1f} ms. Raw SQL: {raw_ms:.1f} ms. Ratio: {whole_ms / raw_ms:.2f}.")
        # What a page takes once the dashboard is kept (kept.py): the mark and the kept tables, whatever the size.
        kept.count(View.SERVICE, scope, period, Dimension.NONE)
        kept_ms = best_of(runs, lambda: kept.dashboard(View.SERVICE, scope, period))
        if not kept.dashboard(View.SERVICE, scope, period).current:
            raise CommandError("The kept dashboard was not current: something changed the service while timing.")
        console.print(f"Kept dashboard, as a page reads it between changes: {kept_ms:.1f} ms.")

    def _build(self, console: Console, cases: int) -> Service:
        service = synthetic.create_service(cases)
        started = datetime.datetime.now(tz=datetime.UTC)
        with Progress(
            TextColumn("Building {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(f"{cases:,} synthetic cases", total=cases)
            synthetic.build(cases, service, progress=lambda done, total: progress.update(task, completed=done))
        seconds = (datetime.datetime.now(tz=datetime.UTC) - started).total_seconds()
        console.print(f"Built {service.name} in {seconds:.0f} s.")
        return service
