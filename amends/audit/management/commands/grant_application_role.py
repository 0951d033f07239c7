"""Grant the application's PostgreSQL role what Amends needs, run as the owner (README, "PostgreSQL roles").

`manage.py grant_application_role amends_app` after `manage.py migrate`: manage.py runs both with
MIGRATION_DATABASE_URL, the owner's. The role must exist, own nothing and not be a superuser.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from amends.audit.roles import RoleRefusedError, grant_application_role


class Command(BaseCommand):
    help = "Grant the application's role (which owns nothing) the rights Amends needs; run as the owner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The PostgreSQL role in DATABASE_URL, which the web server and worker use.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                statements = grant_application_role(role=options["role"])
        except RoleRefusedError as error:
            raise CommandError(f"Nothing granted: {error}.") from None
        for statement in statements:
            self.stdout.write(f"{statement};")
        self.stdout.write(self.style.SUCCESS(f"Granted {options['role']} what Amends needs."))
