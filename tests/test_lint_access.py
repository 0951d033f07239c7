"""The lint rule that keeps direct queries and hand-written view events out of every module that handles requests."""

import inspect
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from scripts.lint_access import is_request_module, modules_to_check, offences

ROOT = Path(__file__).resolve().parent.parent


def test_it_finds_direct_queries_and_get_object_or_404() -> None:
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "def view(request):\n"
        "    a = Membership.objects.filter(user=request.user)\n"
        "    b = get_object_or_404(Service, pk=1)\n"
        "    c = Service._default_manager.all()\n"
    )
    assert sorted(line for line, _ in offences(source)) == [3, 4, 5]


def test_it_allows_access_helpers() -> None:
    source = "def view(request):\n    service = access.get_service_for_user(request.user, 1)\n"
    assert list(offences(source)) == []


def test_the_views_and_api_modules_pass() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lint_access.py")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_it_refuses_a_hand_written_view_event() -> None:
    source = (
        "def view(request):\n"
        "    record_event(action=AuditAction.RECORD_VIEWED, actor=user, target=case, service=case.service)\n"
        "    record_event(action=AuditAction.PARTICIPANT_VIEWED, actor=None, target=participant)\n"
        "    _audited(user, rights_request, AuditAction.AUDIT_VIEWED)\n"
        "    record_view(actor=user, target=case, service=case.service)\n"
        "    reads.record_list_view(actor=user, listed=Listed.CASES, count=3, service=None)\n"
        "    record_event(action='record_viewed', actor=user)\n"
    )
    assert sorted(line for line, _ in offences(source)) == [2, 3, 4, 5, 6, 7]


def test_it_allows_the_audit_of_a_write_and_the_helper_that_records_a_view() -> None:
    source = (
        "def view(request):\n"
        "    case = access.view_case_for_user(user, 1)\n"
        "    record_event(action=AuditAction.SUBJECT_ACCESS_EXPORTED, actor=user, target=case)\n"
    )
    assert list(offences(source)) == []


def test_it_checks_a_module_named_like_views_whatever_it_holds() -> None:
    assert is_request_module(Path("amends/participation/link_views.py"), "")
    assert is_request_module(Path("amends/cases/views/detail.py"), "")
    assert not is_request_module(Path("amends/cases/selectors.py"), "def case_list(cases):\n    return cases\n")


def test_it_checks_a_module_that_defines_a_view_whatever_its_name() -> None:
    view = "@require_http_methods(['GET'])\ndef home(request):\n    return render(request, 'home.html')\n"
    operation = "@router.get('/cases')\ndef list_cases(request):\n    return []\n"
    helper = "def signed_in_user(request):\n    return request.user\n"
    assert is_request_module(Path("amends/participation/pages.py"), view)
    assert is_request_module(Path("amends/partners/endpoints.py"), operation)
    assert not is_request_module(Path("amends/accounts/access.py"), helper)


def _routed(patterns: Iterable[URLPattern | URLResolver]) -> Iterator[Callable[..., Any]]:
    """Every view the URLs route to, and behind each API path every operation's own function."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routed(pattern.url_patterns)
            continue
        path_views = [
            cell.cell_contents
            for cell in getattr(pattern.callback, "__closure__", None) or ()
            if hasattr(cell.cell_contents, "operations")
        ]
        if path_views:
            yield from (operation.view_func for view in path_views for operation in view.operations)
        else:
            yield inspect.unwrap(pattern.callback)


def test_every_module_the_urls_and_the_api_route_to_is_checked() -> None:
    checked = {path.resolve() for path in modules_to_check(ROOT)}
    routed = {
        Path(inspect.getfile(view)).resolve()
        for view in _routed(get_resolver().url_patterns)
        if view.__module__.startswith("amends.")
    }
    # The walk reaches both the pages and the API's operations (it would pass vacuously otherwise).
    assert ROOT / "amends" / "participation" / "pages.py" in routed
    assert ROOT / "amends" / "cases" / "api.py" in routed
    assert routed - checked == set()
