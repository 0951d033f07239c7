"""The lint rule that keeps direct queries out of views and API modules."""

import subprocess
import sys
from pathlib import Path

from scripts.lint_access import offences

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
