"""The audit chain stays one chain when several server processes write at the same moment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import django
django.setup()
from amends.audit.models import AuditAction
from amends.audit.services import record_event
for _ in range(40):
    record_event(action=AuditAction.SIGN_IN_FAILED, actor=None, changes={"step": "password"})
"""


def test_it_keeps_one_chain_when_two_processes_write_at_once(separate_database: str, tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "DATABASE_URL": separate_database,
        # Not the developer's anchors, which name the events of another database.
        "AUDIT_ANCHOR_DIR": str(tmp_path / "anchors"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "AMENDS_ENVIRONMENT": "development",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=environment, check=True, timeout=300)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER], cwd=ROOT, env=environment, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for writer in writers:
        _output, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors
    result = subprocess.run(
        [*manage, "verify_audit"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Audit chain intact" in result.stdout
