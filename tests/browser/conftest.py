"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser), with axe-core from npm.

They run against a real server started the way `make run` starts it (migrate, load the demo, runserver) on a
database of its own, so the journeys sign in with the documented demo accounts and TOTP secret. Without
/usr/bin/chromium they skip with a one-line reason, unless AMENDS_REQUIRE_BROWSER=1, when they fail.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("AMENDS_CHROMIUM", "/usr/bin/chromium"))
AXE_SCRIPT = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
STYLESHEET = ROOT / "amends" / "core" / "static" / "amends" / "amends.css"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _why_not_runnable() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not AXE_SCRIPT.exists():
        return "axe-core is not installed (cd frontend && npm ci)"
    if not STYLESHEET.exists():
        return "the GOV.UK stylesheet is not built (cd frontend && npm run build)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _why_not_runnable()
    if reason is None:
        return
    if os.environ.get("AMENDS_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"AMENDS_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def server(separate_database: str) -> Iterator[str]:
    """Amends served as `make run` serves it, with the demo loaded; yields its base URL."""
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": separate_database,
        "AMENDS_ENVIRONMENT": "development",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "AMENDS_BASE_URL": f"http://localhost:{port}",
        # Every journey comes from this one machine: the public forms' limits per connection would count them all.
        "AMENDS_SELF_REFERRAL_RATE_LIMIT": "1000/h/ip",
        "AMENDS_FEEDBACK_RATE_LIMIT": "1000/h/ip",
        "AMENDS_LINK_CHECK_RATE_LIMIT": "1000/h/ip",
        # "Exit this page" leaves for a page of our own, so that the tests never reach the internet.
        "AMENDS_EXIT_PAGE_URL": f"http://localhost:{port}/healthz",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"], ["load_demo", "--quiet-sign-ins"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=environment, check=True, capture_output=True)
    log = ROOT / "var"
    log.mkdir(exist_ok=True)
    with open(log / "browser-server.log", "wb") as output:
        process = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=output,
        )
        base_url = f"http://localhost:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"The server did not start: see {log / 'browser-server.log'}") from None
                    time.sleep(0.3)
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, locale="en-GB")
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


class AxeChecker:
    """Runs axe on each page reached and collects every violation with the page it was found on."""

    def __init__(self) -> None:
        self.axe = Axe.from_file(AXE_SCRIPT)
        self.pages: list[str] = []
        self.violations: list[str] = []

    def check(self, page: Any) -> None:
        # A click that navigates returns once the new page is committed, not loaded: check the whole page.
        page.wait_for_load_state("load")
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        self.pages.append(page.url)
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]]
            self.violations.append(f"{page.url}: {violation['id']} ({violation['help']}) at {targets}")


@pytest.fixture
def axe() -> AxeChecker:
    return AxeChecker()
