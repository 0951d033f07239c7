"""Start a new service: create it (and its organisation) and email its first coordinator an invitation."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amends.accounts.models import OrganisationKind
from amends.accounts.services import set_up_service
from amends.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a service and invite its first coordinator by email. Everything else is done in Amends."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation that runs the service.")
        parser.add_argument(
            "--organisation-kind", choices=OrganisationKind.values, default=OrganisationKind.RJ_PROVIDER.value
        )
        parser.add_argument("--service", required=True, help="The service's name.")
        parser.add_argument("--code", required=True, help="Two to six capital letters that begin case references.")
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--coordinator-name", required=True)
        parser.add_argument("--welsh-language-standards", action="store_true")
        parser.add_argument("--administrator-email", default="", help="Optionally, invite an administrator too.")
        parser.add_argument("--administrator-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            service, _invitation = set_up_service(
                organisation_name=options["organisation"],
                organisation_kind=OrganisationKind(options["organisation_kind"]),
                service_name=options["service"],
                code=options["code"],
                coordinator_email=options["coordinator_email"],
                coordinator_name=options["coordinator_name"],
                welsh_language_standards=options["welsh_language_standards"],
                administrator_email=options["administrator_email"],
                administrator_name=options["administrator_name"],
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        # The address is not repeated here: command output ends up in logs.
        self.stdout.write(self.style.SUCCESS(f"Service {service.code} created; the invitations are sent."))
