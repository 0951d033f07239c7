"""Test settings: the real settings with a fast hasher, in-memory email and no network."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("AMENDS_ENVIRONMENT", "test")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
AMENDS_TEXT_SENDER = "amends.participation.senders.OutboxTextSender"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# A directory of this process that no test run shares: tests that write anchors point it at their own.
AUDIT_ANCHOR_DIR = Path(tempfile.gettempdir()) / f"amends-test-audit-anchors-{os.getpid()}"
