"""Sending a text message: one small interface, chosen by settings.AMENDS_TEXT_SENDER, so that a service can plug in
its own provider (GOV.UK Notify, a council gateway...) without touching the rest of Amends.

A sender is a class with `send(self, *, to: str, body: str) -> None` that raises TextNotSentError when it cannot send.
Emails go through Django's own mail backends (settings.MAILERS), which are already pluggable.
"""

import sys
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class TextNotSentError(Exception):
    """The text could not be sent; the message says why, for the member of staff who tried."""


class TextSender(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class NoTextSender:
    """Texts are not set up for this installation: say so rather than pretend."""

    def send(self, *, to: str, body: str) -> None:
        raise TextNotSentError(_("Text messages are not set up here. Send the link by email or in a letter."))


class ConsoleTextSender:
    """For a developer's machine: the text is printed where the server's output goes, as Django's console email
    backend prints emails. Never for production: the link is a secret."""

    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"Text message to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


class OutboxTextSender:
    """For tests: texts are kept in a list, like django.core.mail.outbox."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append((to, body))


def text_sender() -> TextSender:
    sender: TextSender = import_string(settings.AMENDS_TEXT_SENDER)()
    return sender
