"""Issuing, sending, checking, locking and revoking participants' secure links."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import State
from amends.core.errors import DomainError
from amends.participation import links
from amends.participation.models import MOST_FAILED_CHECKS, ParticipantLink
from amends.participation.senders import OutboxTextSender
from amends.people.models import Language, ParticipantRole
from amends.people.services import add_participant
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db

TOKEN_IN_URL = re.compile(r"/link/([A-Za-z0-9_-]{20,})/")


@pytest.fixture(autouse=True)
def _fresh_limits_and_outbox() -> None:
    cache.clear()
    OutboxTextSender.outbox.clear()


@pytest.fixture
def built(personas: Personas) -> BuiltCase:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.ASSESSING,
    )
    person = built.harmed.person
    person.email = "ann@example.org"
    person.phone = "07700 900123"
    person.address = "1 High Street, Townsville"
    person.save()
    return built


def _issue(built: BuiltCase, personas: Personas, **options: object) -> links.IssuedLink:
    values: dict[str, object] = {"channel": "email", "second_check": "date_of_birth", **options}
    return links.issue_link(participant=built.harmed, actor=personas.facilitator, **values)  # type: ignore[arg-type]


def _token(issued: links.IssuedLink) -> str:
    match = TOKEN_IN_URL.search(issued.url)
    assert match is not None
    return match.group(1)


def _open(client: Client, issued: links.IssuedLink) -> None:
    response = client.get(f"/link/{_token(issued)}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:check")


def _answer(client: Client, answer: str) -> object:
    return client.post(reverse("participation:check"), {"answer": answer})


def test_an_emailed_link_says_only_that_there_is_something_to_see(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ann@example.org"]
    assert _token(issued) in email.body
    for secret in (personas.service.name, built.case.reference, "Ann", "Harmed", "Rob", "restorative", "burglary"):
        assert secret.lower() not in (email.subject + email.body).lower()
    # Only a keyed hash of the token is kept.
    assert not ParticipantLink.objects.filter(token_hash=_token(issued)).exists()
    assert ParticipantLink.objects.get().token_hash == ParticipantLink.hash_secret(_token(issued))


@pytest.mark.parametrize(
    ("language", "welsh", "english"),
    [(Language.WELSH, True, False), (Language.ENGLISH, False, True), (Language.UNKNOWN, True, True)],
)
def test_the_message_is_in_their_language_or_in_both(
    built: BuiltCase, personas: Personas, language: str, welsh: bool, english: bool
) -> None:
    person = built.harmed.person
    person.correspondence_language = language
    person.save()
    _issue(built, personas)
    body = mail.outbox[0].body
    assert ("Mae rhywbeth newydd i chi ei weld" in body, "/cy/link/" in body) == (welsh, welsh)
    assert ("There is something new for you to see" in body) is english


@pytest.mark.parametrize("standards", [True, False])
def test_in_both_languages_welsh_comes_first_only_under_the_welsh_language_standards(
    built: BuiltCase, personas: Personas, standards: bool
) -> None:
    personas.service.welsh_language_standards = standards
    personas.service.save(update_fields=["welsh_language_standards"])
    _issue(built, personas)
    for sent in (mail.outbox[0].subject, mail.outbox[0].body):
        assert (sent.index("Mae rhywbeth newydd") < sent.index("There is something new")) is standards


def test_a_text_to_someone_whose_language_is_not_known_is_in_both(built: BuiltCase, personas: Personas) -> None:
    personas.service.welsh_language_standards = True
    personas.service.save(update_fields=["welsh_language_standards"])
    _issue(built, personas, channel="sms")
    body = OutboxTextSender.outbox[0][1]
    assert body.index("Mae rhywbeth newydd") < body.index("There is something new")


def test_a_text_goes_through_the_configured_sender(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas, channel="sms")
    assert OutboxTextSender.outbox == [("07700 900123", OutboxTextSender.outbox[0][1])]
    assert _token(issued) in OutboxTextSender.outbox[0][1]
    assert not mail.outbox


@override_settings(AMENDS_TEXT_SENDER="amends.participation.senders.NoTextSender")
def test_without_a_text_sender_a_text_is_refused_and_no_link_is_left(built: BuiltCase, personas: Personas) -> None:
    with pytest.raises(DomainError, match="Text messages are not set up"):
        _issue(built, personas, channel="sms")
    assert not ParticipantLink.objects.exists()


def test_no_letter_for_someone_who_asked_for_none(built: BuiltCase, personas: Personas) -> None:
    person = built.harmed.person
    person.no_letters = True
    person.save()
    with pytest.raises(DomainError, match="asked not to be sent letters"):
        _issue(built, personas, channel="letter")


def test_a_date_of_birth_check_needs_a_date_of_birth(built: BuiltCase, personas: Personas) -> None:
    person = built.harmed.person
    person.date_of_birth = None
    person.save()
    with pytest.raises(DomainError, match="date of birth is not recorded"):
        _issue(built, personas)
    assert _issue(built, personas, second_check="code").code


def test_professionals_are_not_given_links(built: BuiltCase, personas: Personas) -> None:
    professional = add_participant(
        case=built.case,
        actor=personas.facilitator,
        role=ParticipantRole.PROFESSIONAL,
        details={"given_name": "Pat", "email": "pat@example.org"},
    )
    with pytest.raises(DomainError, match="not the professionals"):
        links.issue_link(participant=professional, actor=personas.facilitator, channel="email", second_check="code")


def test_only_someone_working_on_the_case_issues_a_link(built: BuiltCase, personas: Personas) -> None:
    with pytest.raises(DomainError):
        links.issue_link(
            participant=built.harmed, actor=personas.other_facilitator, channel="email", second_check="code"
        )


def test_the_right_date_of_birth_opens_the_link_and_is_audited(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    client = Client()
    _open(client, issued)
    response = _answer(client, "01/05/1980")
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:home")
    event = AuditEvent.objects.filter(action=AuditAction.LINK_OPENED).get()
    assert event.actor is None
    assert client.get(reverse("participation:home")).status_code == 200


def test_the_token_leaves_the_address_bar(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    client = Client()
    _open(client, issued)
    page = client.get(reverse("participation:check"))
    assert page.status_code == 200
    assert _token(issued) not in page.content.decode()


def test_the_address_without_the_token_lets_in_only_the_browser_that_presented_it(
    built: BuiltCase, personas: Personas
) -> None:
    issued = _issue(built, personas)
    _open(Client(), issued)
    someone_else = Client()
    page = someone_else.get(reverse("participation:check"))
    assert "does not work any more" in page.content.decode()
    assert _answer(someone_else, "01/05/1980").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.LINK_OPENED).exists()
    assert someone_else.get(reverse("participation:home"))["Location"] == reverse("participation:ended")


def test_wrong_answers_count_down_and_then_lock_the_link(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    client = Client()
    _open(client, issued)
    response = _answer(client, "02/05/1980")
    assert f"You have {MOST_FAILED_CHECKS - 1} tries left" in response.content.decode()  # type: ignore[attr-defined]
    for _attempt in range(MOST_FAILED_CHECKS - 1):
        response = _answer(client, "02/05/1980")
    assert "did not match too many times" in response.content.decode()  # type: ignore[attr-defined]
    link = ParticipantLink.objects.get()
    assert link.locked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.LINK_LOCKED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.LINK_CHECK_FAILED).count() == MOST_FAILED_CHECKS - 1
    # Locked means locked: even the right answer, from a fresh start, no longer opens it.
    fresh = Client()
    assert "does not work any more" in fresh.get(f"/link/{_token(issued)}/").content.decode()


def test_a_code_check_opens_with_the_code_shown_once(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas, second_check="code")
    assert issued.code.isdigit()
    assert len(issued.code) == links.CODE_DIGITS
    assert issued.code not in mail.outbox[0].body
    client = Client()
    _open(client, issued)
    assert _answer(client, "000000" if issued.code != "000000" else "111111").status_code == 200  # type: ignore[attr-defined]
    response = _answer(client, f" {issued.code[:3]} {issued.code[3:]} ")
    assert response["Location"] == reverse("participation:home")  # type: ignore[index]


def test_a_new_link_replaces_the_old_one(built: BuiltCase, personas: Personas) -> None:
    first = _issue(built, personas)
    _issue(built, personas)
    assert "does not work any more" in Client().get(f"/link/{_token(first)}/").content.decode()


def test_a_revoked_link_stops_at_once_even_in_an_open_session(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    client = Client()
    _open(client, issued)
    _answer(client, "01/05/1980")
    assert client.get(reverse("participation:home")).status_code == 200
    links.revoke_link(link=issued.link, actor=personas.facilitator)
    response = client.get(reverse("participation:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:ended")
    assert AuditEvent.objects.filter(action=AuditAction.LINK_REVOKED, actor=personas.facilitator).exists()


def test_an_expired_link_does_not_open(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas, days=1)
    ParticipantLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "does not work any more" in Client().get(f"/link/{_token(issued)}/").content.decode()


def test_an_unknown_token_is_not_found() -> None:
    response = Client().get("/link/not-a-real-token-at-all-0000000000/")
    assert response.status_code == 404
    assert "does not work any more" in response.content.decode()


@override_settings(ACCOUNT_RATE_LIMITS={"participant_check": "2/h/ip"})
def test_checks_are_rate_limited_per_connection(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    client = Client()
    _open(client, issued)
    _answer(client, "02/05/1980")
    _answer(client, "03/05/1980")
    response = _answer(client, "01/05/1980")
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert ParticipantLink.objects.get().failed_checks == 2


def test_staff_issue_from_the_participant_page_and_see_the_code_once(built: BuiltCase, personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    url = reverse("participation:issue_link", kwargs={"case_id": built.case.pk, "participant_id": built.harmed.pk})
    response = client.post(url, {"channel": "letter", "second_check": "code", "days": "14"})
    assert response.status_code == 200
    page = response.content.decode()
    link = ParticipantLink.objects.get()
    assert "/link/" in page
    assert re.search(r'id="link-code">\d{6}<', page)
    detail = client.get(
        reverse("participant_detail", kwargs={"case_id": built.case.pk, "participant_id": built.harmed.pk})
    ).content.decode()
    assert "Works until" in detail
    assert "Printed in a letter" in detail
    assert "/link/" not in detail
    assert link.expires_at.date() == (timezone.now() + datetime.timedelta(days=14)).date()


def test_a_refused_link_keeps_the_choices_made(built: BuiltCase, personas: Personas) -> None:
    person = built.harmed.person
    person.phone = ""
    person.save()
    client = signed_in_client(personas.facilitator)
    url = reverse("participation:issue_link", kwargs={"case_id": built.case.pk, "participant_id": built.harmed.pk})
    response = client.post(url, {"channel": "sms", "second_check": "code", "days": "10"})
    page = response.content.decode()
    assert "There is no phone number for them" in page
    assert 'value="10"' in page
    assert re.search(r'value="sms"[^>]*checked', page)
    assert not ParticipantLink.objects.exists()


def test_staff_stop_a_link_from_the_participant_page(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    client = signed_in_client(personas.facilitator)
    url = reverse(
        "participation:revoke_link",
        kwargs={"case_id": built.case.pk, "participant_id": built.harmed.pk, "link_id": issued.link.pk},
    )
    assert client.get(url).status_code == 200
    client.post(url)
    assert ParticipantLink.objects.get().revoked_at is not None


@pytest.mark.parametrize(
    ("language", "standards", "prefix"),
    [
        (Language.WELSH, False, "/cy/link/"),
        (Language.ENGLISH, True, "/link/"),
        (Language.UNKNOWN, True, "/cy/link/"),
        (Language.UNKNOWN, False, "/link/"),
        (Language.BOTH, True, "/cy/link/"),
    ],
)
def test_the_link_opens_in_their_language(
    built: BuiltCase, personas: Personas, language: str, standards: bool, prefix: str
) -> None:
    person = built.harmed.person
    person.correspondence_language = language
    person.save()
    personas.service.welsh_language_standards = standards
    personas.service.save()
    built.harmed.case.service.refresh_from_db()
    issued = _issue(built, personas, channel="letter")
    assert issued.url.removeprefix(settings.AMENDS_BASE_URL).startswith(prefix)


def test_exit_this_page_ends_a_participants_session_on_the_way_out(built: BuiltCase, personas: Personas) -> None:
    issued = _issue(built, personas)
    client = Client()
    assert f'href="{settings.AMENDS_EXIT_PAGE_URL}"' in client.get("/link/ended/").content.decode()
    _open(client, issued)
    _answer(client, "01/05/1980")
    home = client.get(reverse("participation:home")).content.decode()
    assert f'href="{reverse("participation:exit")}"' in home
    response = client.get(reverse("participation:exit"))
    assert response["Location"] == settings.AMENDS_EXIT_PAGE_URL
    assert client.get(reverse("participation:home"))["Location"] == reverse("participation:ended")
