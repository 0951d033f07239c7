"""The request id, for logs and audit events (kept free of Django imports so logging can load it early)."""

import logging
from contextvars import ContextVar

request_id_context: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served, or '-' outside a request (commands, tasks)."""
    return request_id_context.get()


class RequestIdLogFilter(logging.Filter):
    """Add the request id to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True
