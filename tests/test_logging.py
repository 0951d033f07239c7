"""No log line carries the token of a participant's secure link (or of an invitation): every Django handler masks
it, the development server's request lines and Django's refusals included, and so does gunicorn's access log."""

import datetime
import io
import logging
import runpy
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from gunicorn.config import Config

from amends.cases.models import State
from amends.core.log import MaskSecretsLogFilter, mask_secrets
from amends.participation import links
from tests.case_builders import build_case
from tests.personas import Personas

TOKEN = "Zq3xLinkTokenThatMustNeverBeLogged-0123456789"
GUNICORN_CONF = Path(__file__).resolve().parent.parent / "config" / "gunicorn.conf.py"


def _handlers() -> list[logging.Handler]:
    """Every handler that writes somewhere: not pytest's own, attached for the test run, nor a NullHandler."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    return [
        handler
        for logger in loggers
        if isinstance(logger, logging.Logger)
        for handler in logger.handlers
        if not isinstance(handler, logging.NullHandler) and not type(handler).__module__.startswith("_pytest")
    ]


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """What the configured handlers write, in place of the console."""
    out = io.StringIO()
    streams = [handler for handler in _handlers() if isinstance(handler, logging.StreamHandler)]
    previous = [handler.setStream(out) for handler in streams]
    try:
        yield out
    finally:
        for handler, stream in zip(streams, previous, strict=True):
            handler.setStream(stream)


def test_every_handler_masks_tokens() -> None:
    handlers = _handlers()
    assert len(handlers) >= 2  # the console, and the development server's
    for handler in handlers:
        assert any(isinstance(each, MaskSecretsLogFilter) for each in handler.filters), handler


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"GET /link/{TOKEN}/ HTTP/1.1", "GET /link/[masked]/ HTTP/1.1"),
        (f"Method Not Allowed (HEAD): /cy/link/{TOKEN}/", "Method Not Allowed (HEAD): /cy/link/[masked]/"),
        (f"/link/{TOKEN}", "/link/[masked]"),
        (f"/invitation/{TOKEN}/", "/invitation/[masked]/"),
        (f"/link/open/?token={TOKEN}&next=1", "/link/[masked]/?token=[masked]&next=1"),
        ("/link/check/ /link/ended/ /link/exit/", "/link/check/ /link/ended/ /link/exit/"),
        ("csrftoken=abc", "csrftoken=abc"),
    ],
)
def test_it_masks_a_token_in_an_address(text: str, masked: str) -> None:
    assert mask_secrets(text) == masked


def test_it_masks_the_arguments_of_a_record_as_well_as_its_message(written: io.StringIO) -> None:
    logging.getLogger("django.request").warning("Not Found: %s", f"/link/{TOKEN}/")
    logging.getLogger("amends").warning("%(path)s", {"path": f"/link/{TOKEN}/"})
    assert TOKEN not in written.getvalue()
    assert written.getvalue().count("/link/[masked]/") == 2


@pytest.fixture
def issued(personas: Personas) -> links.IssuedLink:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.ASSESSING,
    )
    built.harmed.person.email = "ann@example.org"
    built.harmed.person.save()
    return links.issue_link(
        participant=built.harmed, actor=personas.facilitator, channel="email", second_check="date_of_birth"
    )


def _path(issued: links.IssuedLink) -> str:
    return issued.url[issued.url.index("/link/") :]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["head", "options", "post", "put", "delete"])
def test_a_request_to_a_link_that_is_refused_logs_the_path_with_the_token_masked(
    issued: links.IssuedLink, written: io.StringIO, method: str
) -> None:
    path = _path(issued)
    token = path.split("/")[2]
    response = getattr(Client(), method)(path)
    output = written.getvalue()
    assert token not in output
    if response.status_code >= 400:
        assert "/link/[masked]/" in output


@pytest.mark.django_db
def test_a_post_refused_for_its_missing_csrf_token_logs_the_path_masked(
    issued: links.IssuedLink, written: io.StringIO
) -> None:
    path = _path(issued)
    response = Client(enforce_csrf_checks=True).post(path, {"answer": "01/01/1980"})
    assert response.status_code == 403
    assert path.split("/")[2] not in written.getvalue()
    assert "Forbidden (CSRF cookie not set.): /link/[masked]/" in written.getvalue()


def test_the_development_servers_request_line_is_masked(written: io.StringIO) -> None:
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.requestline = f"HEAD /link/{TOKEN}/ HTTP/1.1"
    handler.log_request(405)
    assert TOKEN not in written.getvalue()
    assert '"HEAD /link/[masked]/ HTTP/1.1" 405' in written.getvalue()


def test_the_documented_gunicorn_access_log_masks_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    cfg = Config()
    for name, value in runpy.run_path(str(GUNICORN_CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)
    response = SimpleNamespace(status="405 Method Not Allowed", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", f"https://amends.example/link/{TOKEN}/")])
    environ = {
        "REQUEST_METHOD": "HEAD",
        "RAW_URI": f"/link/{TOKEN}/?token={TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/link/{TOKEN}/",
        "QUERY_STRING": f"token={TOKEN}",
        "HTTP_REFERER": f"https://amends.example/link/{TOKEN}/",
        "REMOTE_ADDR": "192.0.2.1",
    }
    logger.access(response, request, environ, datetime.timedelta(milliseconds=5))
    logger.error("Invalid request from ip=192.0.2.1: /link/%s/", TOKEN)
    written = capsys.readouterr()
    assert TOKEN not in written.out + written.err
    assert '"HEAD /link/[masked]/?token=[masked] HTTP/1.1" 405' in written.out
    assert "/link/[masked]/" in written.err
