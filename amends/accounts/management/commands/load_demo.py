"""Load the demo service (idempotent) and print the demo sign-ins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amends.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_sign_ins, load_demo
from amends.participation.demo import refresh_demo_link


class Command(BaseCommand):
    help = "Create the demo services and accounts, or leave them be if they exist. Refused in production."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo has published passwords and is never loaded in production.")
        load_demo()
        demo_link = refresh_demo_link()
        self.stdout.write(self.style.SUCCESS("Demo service loaded."))
        if options["quiet_sign_ins"]:
            return
        self.stdout.write("\nDemo sign-ins (demo only; every account has the same password and TOTP secret):")
        for email, description in demo_sign_ins():
            self.stdout.write(f"  {email:<48} {description}")
        self.stdout.write(f"\n  Password:    {DEMO_PASSWORD}")
        self.stdout.write(f"  TOTP secret: {DEMO_TOTP_SECRET}  (add it to an authenticator app,")
        self.stdout.write("               or run `make demo-code` for the current six-digit code)")
        if demo_link is not None:
            url, participant = demo_link
            birth = participant.person.date_of_birth
            self.stdout.write(
                f"\nA participant's secure link ({participant.person.full_name}, {participant.case.reference}):"
            )
            self.stdout.write(f"  {url}")
            self.stdout.write(f"  Date of birth for the check: {birth:%d/%m/%Y}" if birth else "")
