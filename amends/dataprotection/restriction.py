"""Restriction of processing (UK GDPR Art. 18): while a person's restriction holds, their information is only stored.
The services that would use it anew call `refuse_if_restricted`: outgoing contact, a secure link, releasing a message
to them, booking them into a meeting and recording their feedback survey. Sharing it outside the service is allowed
only on a basis Art. 18(2) keeps open (their consent, a legal duty, protecting someone, preventing crime), never
routinely under a sharing agreement (sharing.record_disclosure). What they send us is still logged.

This module imports nothing but the person's model, so any service can call it."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.core.errors import DomainError
from amends.people.models import Person


def restricted_message(person: Person) -> str:
    return _(
        "The use of this person's information has been restricted at their request since %(day)s: until a "
        "coordinator lifts the restriction, they cannot be contacted, sent messages, given a secure link, invited "
        "to a meeting or asked for feedback."
    ) % {"day": date_format(timezone.localtime(person.restricted_since), "j F Y")}


def refuse_if_restricted(*people: Person | int, field: str | None = None) -> None:
    """Refuse to use anew the information of anyone among `people` (people or their ids) whose processing is
    restricted at their request. It reads the database, not the objects passed, so a restriction placed since they
    were loaded still holds."""
    ids = [person if isinstance(person, int) else person.pk for person in people]
    restricted = (
        Person.objects.filter(pk__in=ids, restricted_since__isnull=False).only("pk", "restricted_since").first()
    )
    if restricted is not None:
        raise DomainError(restricted_message(restricted), field=field)
