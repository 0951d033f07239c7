"""Print the current demo TOTP code."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amends.accounts.demo import current_demo_code


class Command(BaseCommand):
    help = "Print the six-digit code for the demo accounts' published TOTP secret, valid for 30 seconds."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("There are no demo accounts in production.")
        self.stdout.write(current_demo_code())
