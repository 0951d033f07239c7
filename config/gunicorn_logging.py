"""Gunicorn's logger for Amends: its access log and error log mask the tokens of participants' links and invitations,
as every Django log line does (amends.core.log)."""

from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

from amends.core.log import MaskSecretsLogFilter, mask_secrets


class SecretMaskingLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger, with every access log atom (request line, path, query, referrer, headers) masked, and the
    same filter as Django's handlers on its own handlers."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(existing, MaskSecretsLogFilter) for existing in handler.filters):
                    handler.addFilter(MaskSecretsLogFilter())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: mask_secrets(value) if isinstance(value, str) else value for key, value in atoms.items()}
