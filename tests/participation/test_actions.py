"""What the participant does through their link, as services: acting as themselves (actor None), only on what is
theirs, under the same rules as staff; and the rules that keep staff and participant apart."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from amends.cases.models import ProcessKind, State
from amends.consent import services as consent_services
from amends.consent.models import ConsentMethod, ConsentScope
from amends.core.errors import DomainError
from amends.followup import services as followup_services
from amends.followup.models import SurveyMethod
from amends.participation import actions
from amends.people import services as people_services
from amends.people.models import ParticipantRole
from amends.relay import services as relay_services
from amends.relay.models import DeliveryMethod, MessageKind, MessageStatus, RelayMessage
from tests.case_builders import BuiltCase, build_case
from tests.personas import Personas
from tests.relay.conftest import released_letter, step, write_letter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dir(settings: Any, tmp_path: Path) -> Path:
    settings.AMENDS_PRIVATE_DIR = tmp_path / "private"
    return tmp_path / "private"


def _case(personas: Personas, state: State = State.IN_PROCESS) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


# Consent ------------------------------------------------------------------------------------------------------------


def test_online_consent_is_the_participants_own_and_only_theirs(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    values: dict[str, Any] = {
        "participant": built.harmed,
        "scopes": [ConsentScope.TAKE_PART],
        "process_kinds": [ProcessKind.FACE_TO_FACE],
        "occurred_at": timezone.now(),
    }
    with pytest.raises(DomainError, match="Online consent is given by the person themselves"):
        consent_services.give_consent(actor=personas.facilitator, method=ConsentMethod.ONLINE, **values)
    with pytest.raises(DomainError, match="You cannot work on this case"):
        consent_services.give_consent(actor=None, method=ConsentMethod.WRITTEN, evidence="A form", **values)
    record = consent_services.give_consent(actor=None, method=ConsentMethod.ONLINE, **values)
    assert (record.recorded_by, record.method, record.witnessed_by, record.evidence) == (None, "online", "", "")


def test_they_consent_only_to_the_process_chosen_for_the_case(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    actions.withdraw_consent(participant=built.harmed)
    with pytest.raises(DomainError) as refused:
        actions.give_consent(
            participant=built.harmed, scopes=[ConsentScope.TAKE_PART], process_kinds=[ProcessKind.LETTERS]
        )
    assert refused.value.field == "process_kinds"
    assert actions.process_choices(built.harmed) == [ProcessKind.FACE_TO_FACE]


def test_the_services_refusals_are_worded_for_the_participant(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    with pytest.raises(DomainError, match="Say who we may share information with") as refused:
        actions.give_consent(participant=built.harmed, scopes=[ConsentScope.SHARE_INFORMATION], process_kinds=[])
    assert refused.value.field == "share_with"


# Messages -----------------------------------------------------------------------------------------------------------


def test_a_participant_takes_only_their_own_steps(personas: Personas) -> None:
    built = _case(personas)
    message = step(personas, write_letter(personas, built, "Sorry."), "submit")
    with pytest.raises(DomainError, match="You cannot work on this case"):
        relay_services.take_step(message=message, actor=None, step="approve")
    staff_draft = write_letter(personas, built, "Written by the facilitator for them.")
    with pytest.raises(DomainError, match="You cannot work on this case"):
        relay_services.take_step(message=staff_draft, actor=None, step="submit")
    assert RelayMessage.objects.get(pk=staff_draft.pk).status == MessageStatus.DRAFT


def test_delivery_through_the_link_is_recorded_by_opening_it_only(personas: Personas) -> None:
    built = _case(personas)
    message = released_letter(personas, built, "Sorry.")
    with pytest.raises(DomainError, match="recorded when the recipient opens the message there"):
        relay_services.take_step(
            message=message, actor=personas.facilitator, step="deliver", delivery_method=DeliveryMethod.SECURE_LINK
        )
    with pytest.raises(DomainError, match="recorded when the recipient opens the message there"):
        relay_services.take_step(message=message, actor=None, step="deliver", delivery_method=DeliveryMethod.POST)
    delivered = relay_services.take_step(
        message=message, actor=personas.facilitator, step="deliver", delivery_method=DeliveryMethod.POST
    )
    assert delivered.delivered_by == personas.facilitator


def test_a_message_is_opened_only_by_its_recipient(personas: Personas) -> None:
    built = _case(personas)
    message = released_letter(personas, built, "Sorry.")
    with pytest.raises(Http404):
        actions.message_to(built.responsible, message.pk)
    with pytest.raises(Http404):
        actions.open_message(participant=built.responsible, message=message)
    assert actions.open_message(participant=built.harmed, message=actions.message_to(built.harmed, message.pk))
    assert RelayMessage.objects.get(pk=message.pk).status == MessageStatus.DELIVERED


def test_a_refused_reply_names_nobody(personas: Personas, later: Callable[[datetime.timedelta], None]) -> None:
    built = _case(personas)
    message = actions.message_to(built.harmed, released_letter(personas, built, "Sorry.").pk)
    actions.open_message(participant=built.harmed, message=message)
    # Long enough for every risk assessment to go stale: the gates no longer hold.
    later(datetime.timedelta(days=personas.service.risk_assessment_valid_days + 30))
    with pytest.raises(DomainError) as refused:
        actions.reply(participant=built.harmed, message=message, body="Thank you.")
    assert refused.value.message == (
        "Your message cannot be passed on at the moment. Please talk to your facilitator about it."
    )
    for name in (built.harmed.person.given_name, built.responsible.person.given_name):
        assert name not in refused.value.message
    assert not RelayMessage.objects.filter(reply_to=message).exists()
    assert RelayMessage.objects.get(pk=message.pk).status == MessageStatus.DELIVERED


def test_no_reply_once_the_process_has_stopped(personas: Personas) -> None:
    built = _case(personas)
    message = actions.message_to(built.harmed, released_letter(personas, built, "Sorry.").pk)
    actions.open_message(participant=built.harmed, message=message)
    consent_services.withdraw_consent(participant=built.responsible, actor=personas.facilitator)
    built.harmed.case.refresh_from_db()
    assert not actions.may_write(built.harmed)
    with pytest.raises(DomainError, match="cannot be passed on at the moment"):
        actions.reply(participant=built.harmed, message=message, body="Thank you.")


def test_a_new_letter_goes_only_to_a_principal_they_have_exchanged_messages_with(personas: Personas) -> None:
    built = _case(personas)
    assert actions.counterparts(built.harmed) == []
    supporter = people_services.add_participant(
        case=built.case,
        actor=personas.facilitator,
        details={"given_name": "Sam"},
        role=ParticipantRole.SUPPORTER,
        supports=built.harmed,
        takes_part=False,
    )
    with pytest.raises(DomainError, match="Choose who the letter is for"):
        actions.write_letter(participant=built.harmed, recipient=built.responsible, body="Hello.")
    released_letter(personas, built, "Sorry.")
    assert actions.counterparts(built.harmed) == [built.responsible]
    assert actions.counterparts(built.responsible) == [built.harmed]
    with pytest.raises(DomainError, match="Choose who the letter is for"):
        actions.write_letter(participant=built.harmed, recipient=supporter, body="Hello.")
    letter = actions.write_letter(participant=built.harmed, recipient=built.responsible, body="Hello.")
    assert (letter.kind, letter.status, letter.written_by) == (MessageKind.LETTER, MessageStatus.SUBMITTED, None)


# The survey ---------------------------------------------------------------------------------------------------------


def test_an_online_survey_is_the_participants_own_and_only_theirs(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP)
    values: dict[str, Any] = {
        "case": built.case,
        "participant": built.harmed,
        "taken_on": timezone.localdate(),
        "answers": followup_services.SurveyAnswers(satisfaction=4),
    }
    with pytest.raises(DomainError, match="only when the person answers it through their secure link"):
        followup_services.record_survey(actor=personas.facilitator, method=SurveyMethod.ONLINE, **values)
    with pytest.raises(DomainError, match="You cannot work on this case"):
        followup_services.record_survey(actor=None, method=SurveyMethod.PHONE, **values)
    survey = actions.answer_survey(participant=built.harmed, answers=followup_services.SurveyAnswers(satisfaction=4))
    assert (survey.taken_by, survey.method) == (None, SurveyMethod.ONLINE)
    with pytest.raises(DomainError, match="There is no survey for you to answer at the moment"):
        actions.answer_survey(participant=built.harmed, answers=followup_services.SurveyAnswers())


def test_a_survey_is_open_only_while_following_up(personas: Personas) -> None:
    built = _case(personas, State.AGREEMENT_MONITORING)
    assert not actions.survey_is_open(built.harmed)
    with pytest.raises(DomainError, match="There is no survey for you to answer at the moment"):
        actions.answer_survey(participant=built.harmed, answers=followup_services.SurveyAnswers(satisfaction=4))
