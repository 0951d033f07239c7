"""Dashboards kept between views, so that a year's figures read in milliseconds however many cases a service holds.

Counting a year again on every view takes seconds at a million cases (docs/bench.md). So each dashboard that
dashboards.build counts is kept in the "figures" cache with the mark it was counted at: the day, and the newest
audited change in its services (audit.LastWrite; every write is audited, and a change outside any service, such as
a practitioner's CPD, counts for every service). Figures such as "still open" or "told late" move with the date,
hence the day.

- A view whose mark still holds reads the kept dashboard: one small query for the mark and one for the cache.
- A view after a newer change, or on a later day, is shown the kept dashboard marked with the time it was counted,
  and one background task (`count_again`) counts it again; the next view reads the new one.
- With nothing kept (the first view of a period or breakdown), the view counts there and then, and keeps it.

Downloads take `current`: the kept dashboard while its mark holds, otherwise counted there and then, so a file never
holds older numbers than the screen. The kept values are the dashboard's own tables: the numbers, and for the
commissioner's view the suppression already applied; they hold no personal data (as the dashboards hold none).
"""

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import BaseCache, caches
from django.db.models import Max, Q
from django.tasks import task
from django.utils import timezone, translation

from amends.audit.models import LastWrite
from amends.figures import aggregates, dashboards, definitions, dimensions, periods, suppression
from amends.figures.dashboards import Dashboard, View
from amends.figures.definitions import Scope
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period, PeriodKind

# A kept dashboard is dropped after this long without being counted again.
KEEP_SECONDS = 8 * 24 * 60 * 60
# One recount at a time per dashboard: a view within this long of the last one asked for does not ask again.
COUNTING_SECONDS = 10 * 60

# The code the figures are counted by: a change to it (a definition put right) makes every kept dashboard unusable.
CODE = hashlib.sha256(
    b"".join(
        Path(str(module.__file__)).read_bytes()
        for module in (aggregates, dashboards, definitions, dimensions, periods, suppression)
    )
).hexdigest()[:16]


@dataclass(frozen=True)
class Kept:
    dashboard: Dashboard
    counted_at: datetime.datetime
    # False: something was recorded since it was counted (or the day has changed), and it is being counted again.
    current: bool


Mark = tuple[str, int]


def _cache() -> BaseCache:
    return caches["figures"]


def mark_of(scope: Scope) -> Mark:
    """Today, and the newest audited change in the services or outside any service (0 for none)."""
    newest = LastWrite.objects.filter(Q(service_id__in=scope.service_ids) | Q(service__isnull=True)).aggregate(
        newest=Max("event_id")
    )["newest"]
    return timezone.localdate().isoformat(), newest or 0


def key_of(view: View, scope: Scope, period: Period, dimension: Dimension) -> str:
    """One key per dashboard as asked for: view, services, period, breakdown, and the language its labels are in."""
    parts = (
        CODE,
        view.value,
        ",".join(str(service_id) for service_id in sorted(scope.service_ids)),
        period.kind.value,
        period.start.isoformat(),
        period.end.isoformat(),
        dimension.value,
        translation.get_language() or "",
    )
    return "figures:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def count(view: View, scope: Scope, period: Period, dimension: Dimension) -> Kept:
    """Count the dashboard now and keep it under the mark read before counting (a change made meanwhile is newer)."""
    mark = mark_of(scope)
    built = dashboards.build(view, scope, period, dimension)
    counted_at = timezone.now()
    _cache().set(key_of(view, scope, period, dimension), (mark, counted_at, built), KEEP_SECONDS)
    return Kept(built, counted_at, current=True)


def dashboard(view: View, scope: Scope, period: Period, dimension: Dimension = Dimension.NONE) -> Kept:
    """The dashboard for a page: kept and current, kept and being counted again, or counted now."""
    key = key_of(view, scope, period, dimension)
    kept = _cache().get(key)
    if kept is None:
        return count(view, scope, period, dimension)
    mark, counted_at, built = kept
    if mark == mark_of(scope):
        return Kept(built, counted_at, current=True)
    if _cache().add(f"{key}:counting", True, COUNTING_SECONDS):
        count_again.enqueue(
            view=view.value,
            service_ids=list(scope.service_ids),
            period_kind=period.kind.value,
            start=period.start.isoformat(),
            end=period.end.isoformat(),
            dimension=dimension.value,
            language=translation.get_language() or "",
        )
    return Kept(built, counted_at, current=False)


def current(view: View, scope: Scope, period: Period, dimension: Dimension = Dimension.NONE) -> Dashboard:
    """The dashboard as it stands now, for a download: kept while its mark holds, otherwise counted now."""
    kept = _cache().get(key_of(view, scope, period, dimension))
    if kept is not None and kept[0] == mark_of(scope):
        built: Dashboard = kept[2]
        return built
    return count(view, scope, period, dimension).dashboard


@task()
def count_again(
    *, view: str, service_ids: list[int], period_kind: str, start: str, end: str, dimension: str, language: str
) -> None:
    """Count a kept dashboard again in the background. Given only which dashboard it is: no personal data."""
    period = Period(PeriodKind(period_kind), datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    scope = Scope(tuple(service_ids))
    with translation.override(language or None):
        try:
            count(View(view), scope, period, Dimension(dimension))
        finally:
            _cache().delete(f"{key_of(View(view), scope, period, Dimension(dimension))}:counting")
