from typing import Any

from django.db import migrations

from amends.audit import triggers


def install(apps: Any, schema_editor: Any) -> None:
    triggers.install(schema_editor.connection)


def remove(apps: Any, schema_editor: Any) -> None:
    triggers.remove(schema_editor.connection)


def create_chain_head(apps: Any, schema_editor: Any) -> None:
    apps.get_model("audit", "AuditChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(install, remove),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
    ]
