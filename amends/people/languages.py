"""The languages a participant reads: one rule for everything made for them (their secure link's pages and survey,
the emails and texts that bring the link, calendar invitations and printed letters and agreements).

Their recorded language; or Welsh and English together when they asked for both or have not been asked, Welsh
first for a service under the Welsh Language Standards (which require Welsh to be treated no less favourably, and
placed first, where both appear) and English first otherwise.
"""

from amends.accounts.models import Service
from amends.people.models import Language, Participant, Person

WELSH = "cy"
ENGLISH = "en"


def person_languages(person: Person, *, service: Service) -> list[str]:
    """The languages `person` reads when `service` writes to them, in the order shown: ["cy"], ["en"],
    ["cy", "en"] or ["en", "cy"]."""
    if person.correspondence_language == Language.WELSH:
        return [WELSH]
    if person.correspondence_language == Language.ENGLISH:
        return [ENGLISH]
    return [WELSH, ENGLISH] if service.welsh_language_standards else [ENGLISH, WELSH]


def participant_languages(participant: Participant) -> list[str]:
    """The languages `participant` reads, in the order shown (see person_languages)."""
    return person_languages(participant.person, service=participant.case.service)
