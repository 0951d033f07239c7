"""The request id, for logs and audit events, and the filter that keeps secrets in addresses out of every log line
(kept free of Django imports so logging can load it early)."""

import logging
import re
from contextvars import ContextVar

request_id_context: ContextVar[str] = ContextVar("request_id", default="-")

MASK = "[masked]"
# A participant's secure link and a staff invitation carry their secret as a path segment (/link/<token>/,
# /invitation/<token>/); the secure link's fixed pages (check, ended, exit) hold none and are kept readable.
SECRET_IN_PATH = re.compile(r"(/(?:link|invitation)/)(?!(?:check|ended|exit)(?:[/?#\s\"']|$))[^/?#\s\"']+")
# A token sent as a query parameter (?token=…, &token=…); csrftoken and the like are other words and are left alone.
SECRET_IN_QUERY = re.compile(r"(\btoken=)[^&#\s\"']+")


def current_request_id() -> str:
    """The id of the request being served, or '-' outside a request (commands, tasks)."""
    return request_id_context.get()


def mask_secrets(text: str) -> str:
    """The text with every link or invitation token in an address replaced by [masked]."""
    return SECRET_IN_QUERY.sub(rf"\g<1>{MASK}", SECRET_IN_PATH.sub(rf"\g<1>{MASK}", text))


class RequestIdLogFilter(logging.Filter):
    """Add the request id to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class MaskSecretsLogFilter(logging.Filter):
    """Mask link and invitation tokens in a record's message and its arguments (the path that django.request,
    django.server and gunicorn's access log put there), on every handler, so no log line carries one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A record whose arguments do not fit its message: masked as it would be written by the formatter.
            message = f"{record.msg} {record.args}"
        masked = mask_secrets(message)
        if masked != message:
            # The message is kept already formatted: an argument that is not a string (a request, a dict of atoms)
            # may show the address only once formatted.
            record.msg = masked
            record.args = None
        return True
