"""One rule for the languages a participant reads, everywhere: their recorded language, or Welsh and English together
when it is not known (Welsh first under the Welsh Language Standards); their pages, survey, invitations and letters."""

import pytest
from django.test import Client
from icalendar import Calendar

from amends.cases.models import State
from amends.meetings import invitations
from amends.meetings.models import Party
from amends.outcomes import printing, selectors
from amends.people.languages import participant_languages
from amends.people.models import Language, Participant
from tests.case_builders import BuiltCase, agree_outcome, book_conference, build_case
from tests.participation.builders import open_link
from tests.personas import Personas

pytestmark = pytest.mark.django_db

QUESTION_EN = "How satisfied are you with the restorative justice process?"
QUESTION_CY = "Pa mor fodlon ydych chi"
SEND_EN = "Send my answers"
SEND_CY = "Anfon fy atebion"


def _case(personas: Personas, state: State, *, standards: bool) -> BuiltCase:
    built = build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )
    personas.service.welsh_language_standards = standards
    personas.service.save(update_fields=["welsh_language_standards"])
    built.case.service.welsh_language_standards = standards
    return built


def _reads(participant: Participant, language: Language) -> Participant:
    person = participant.person
    person.correspondence_language = language
    person.save(update_fields=["correspondence_language"])
    return Participant.objects.select_related("person", "case__service").get(pk=participant.pk)


def _survey(personas: Personas, participant: Participant, prefix: str = "") -> str:
    client = Client()
    open_link(client, participant, personas.facilitator)
    response = client.get(f"{prefix}/your-part/survey/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "standards", "expected"),
    [
        (Language.WELSH, False, ["cy"]),
        (Language.ENGLISH, True, ["en"]),
        (Language.UNKNOWN, True, ["cy", "en"]),
        (Language.UNKNOWN, False, ["en", "cy"]),
        (Language.BOTH, True, ["cy", "en"]),
        (Language.BOTH, False, ["en", "cy"]),
    ],
)
def test_it_reads_their_language_or_both_with_welsh_first_under_the_standards(
    personas: Personas, language: Language, standards: bool, expected: list[str]
) -> None:
    built = _case(personas, State.ASSESSING, standards=standards)
    assert participant_languages(_reads(built.harmed, language)) == expected


def test_someone_whose_language_is_not_known_reads_the_survey_in_welsh_then_english(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP, standards=True)
    page = _survey(personas, built.harmed)
    assert page.index(QUESTION_CY) < page.index(QUESTION_EN)
    assert page.index(SEND_CY) < page.index(SEND_EN)
    assert page.index("Dywedwch wrthym sut aeth pethau") < page.index("Tell us how it went")
    assert '<span lang="cy">' in page
    assert '<div lang="en" class="amends-in-language">' in page
    # The form is there once, however many languages its words are in.
    assert page.count('name="satisfaction"') == 6


def test_outside_the_standards_english_comes_first(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP, standards=False)
    page = _survey(personas, built.harmed)
    assert page.index(QUESTION_EN) < page.index(QUESTION_CY)


def test_someone_who_reads_welsh_reads_the_survey_in_welsh_only(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP, standards=False)
    page = _survey(personas, _reads(built.harmed, Language.WELSH), "/cy")
    assert QUESTION_CY in page
    assert QUESTION_EN not in page
    assert SEND_EN not in page


def test_someone_who_reads_english_reads_the_survey_in_english_only(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP, standards=True)
    page = _survey(personas, _reads(built.harmed, Language.ENGLISH))
    assert QUESTION_EN in page
    assert QUESTION_CY not in page


def test_a_refused_answer_says_why_in_both_languages(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP, standards=True)
    client = Client()
    open_link(client, built.harmed, personas.facilitator)
    page = client.post("/your-part/survey/", {"fear_before": "many"}).content.decode()
    assert "Rhowch rif cyfan. / Enter a whole number." in page


def test_every_page_of_theirs_is_in_both_languages(personas: Personas) -> None:
    built = _case(personas, State.IN_PROCESS, standards=True)
    client = Client()
    open_link(client, built.harmed, personas.facilitator)
    for path in ("/your-part/", "/your-part/consent/", "/your-part/messages/", "/your-part/meeting/"):
        page = client.get(path).content.decode()
        assert 'lang="cy"' in page, path
        assert 'lang="en"' in page, path
    home = client.get("/your-part/").content.decode()
    assert home.index("Eich hwylusydd") < home.index("Your facilitator")


def test_an_invitation_follows_the_rule(personas: Personas) -> None:
    built = _case(personas, State.PREPARING, standards=False)
    meeting = book_conference(built.case, personas.facilitator)
    attendee = meeting.attendees.select_related("participant__person", "participant__case__service").get(
        party=Party.HARMED
    )
    event = next(iter(Calendar.from_ical(invitations.invitation(meeting, attendee)).walk("VEVENT")))
    summary = str(event["summary"])
    assert summary.index("Restorative meeting") < summary.index("Cyfarfod adferol")
    _reads(built.harmed, Language.WELSH)
    attendee.participant.person.correspondence_language = Language.WELSH
    event = next(iter(Calendar.from_ical(invitations.invitation(meeting, attendee)).walk("VEVENT")))
    assert str(event["summary"]) == "Cyfarfod adferol"


def test_the_printed_agreement_follows_the_rule(personas: Personas) -> None:
    built = _case(personas, State.IN_PROCESS, standards=False)
    agree_outcome(built.case, personas.facilitator)
    page = selectors.agreement_page(built.case)
    assert page.agreement is not None
    reader = _reads(built.harmed, Language.UNKNOWN)
    document = printing.agreement_document(page.agreement, page.actions, page.agreements, reader)
    assert document.count("<section>") == 2
    assert document.index("Outcome agreement") < document.index("Cytundeb canlyniad")
