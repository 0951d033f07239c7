"""The public self-referral form: anyone asks a service for RJ without an account or a crime reference; the request
lands in the triage queue as a self-referral with the person's details encrypted; mistakes keep what was typed; the
page after sending repeats nothing; a field people never see and a rate limit keep programs out; and services under
the Welsh Language Standards ask the language question of everyone."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from amends.accounts.models import Service
from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Task, TaskKind
from amends.people.models import AccessNeed, Language, ParticipantRole, Person
from amends.referrals.models import Initiator, JusticeStage, Referral, ReferralSource, ReferredPerson
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings: Any) -> Iterator[None]:
    """Each test starts with no requests counted; the limit is low enough to reach."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "self_referral": "2/h/ip"}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(personas: Personas) -> Service:
    service = personas.service
    service.phone = "01632 960 123"
    service.first_contact_working_days = 5
    service.save()
    return service


def form_path(service: Service, *, welsh: bool = False) -> str:
    return f"{'/cy' if welsh else ''}/rj/{service.code.lower()}/refer/"


def done_path(service: Service) -> str:
    return f"/rj/{service.code.lower()}/refer/sent/"


def answers(**changes: Any) -> dict[str, Any]:
    """A request from the person harmed, with values no page shows unless it repeats them."""
    return {
        "initiated_by": Initiator.PERSON_HARMED.value,
        "given_name": "Zephyrine",
        "family_name": "Quillfeather",
        "offence_category": "criminal_damage",
        "justice_stage": "not_reported",
        "crime_reference": "XQ/998877",
        "summary": "Someone smashed the greenhouse at Wyebank Farm.",
        "phone": "07700 900 654",
        "email": "zephyrine@example.org",
        "safe_times": "Tuesdays after 7pm",
        "no_voicemail": "on",
        "safe_contact_notes": "My brother reads my post.",
        "correspondence_language": "en",
        "access_needs": ["large_print", "hearing_loop"],
        "access_needs_notes": "Please speak slowly.",
        "interpreter_language": "Portuguese",
        **changes,
    }


TYPED = (
    "Zephyrine",
    "Quillfeather",
    "XQ/998877",
    "Wyebank",
    "07700 900 654",
    "zephyrine@example.org",
    "Tuesdays after 7pm",
    "My brother reads",
    "Please speak slowly",
    "Portuguese",
)


def send(service: Service, **changes: Any) -> Any:
    return Client().post(form_path(service), answers(**changes))


# The form -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("welsh", [False, True], ids=["English", "Welsh"])
def test_anyone_opens_the_form_without_signing_in(service: Service, welsh: bool) -> None:
    response = Client().get(form_path(service, welsh=welsh))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'<html lang="{"cy" if welsh else "en"}"' in html
    assert service.name in html


def test_the_service_is_found_whatever_the_case_of_its_code(service: Service) -> None:
    assert Client().get(f"/rj/{service.code.upper()}/refer/").status_code == 200
    assert Client().get("/rj/nosuch/refer/").status_code == 404
    assert Client().post("/rj/nosuch/refer/", answers()).status_code == 404


def test_the_form_says_no_crime_reference_is_needed_and_hides_the_trap_field(service: Service) -> None:
    html = Client().get(form_path(service)).content.decode()

    assert "You do not need one" in html
    assert 'class="govuk-visually-hidden" aria-hidden="true"' in html
    trap = html[html.index('name="website"') - 200 : html.index('name="website"') + 200]
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


# Sending -----------------------------------------------------------------------------------------------------------


def test_a_request_lands_in_the_triage_queue_as_a_self_referral(service: Service, personas: Personas) -> None:
    response = send(service)

    assert response.status_code == 302
    assert response["Location"] == done_path(service)
    referral = Referral.objects.get()
    assert referral.service == service
    assert referral.source == ReferralSource.SELF
    assert referral.entered_by is None
    assert referral.initiated_by == Initiator.PERSON_HARMED
    assert referral.justice_stage == JusticeStage.NOT_REPORTED
    assert referral.crime_reference == "XQ/998877"
    assert referral.summary == "Someone smashed the greenhouse at Wyebank Farm."
    assert referral.received_on == timezone.localdate()
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_CREATED)
    assert (event.actor, event.target_id) == (None, str(referral.pk))
    assert Task.objects.filter(referral=referral, kind=TaskKind.TRIAGE, assigned_to=personas.coordinator).exists()

    queue = signed_in_client(personas.coordinator).get(f"/services/{service.pk}/referrals/").content.decode()
    assert f"Referral {referral.pk}" in queue
    assert "Self-referral" in queue
    assert "Not checked yet" in queue


def test_it_keeps_the_persons_details_and_how_to_reach_them_safely(service: Service) -> None:
    send(service)

    named = ReferredPerson.objects.select_related("person").get()
    person = named.person
    assert named.role == ParticipantRole.PERSON_HARMED
    assert (person.given_name, person.family_name) == ("Zephyrine", "Quillfeather")
    assert (person.phone, person.email) == ("07700 900 654", "zephyrine@example.org")
    assert person.no_voicemail is True
    assert person.no_letters is False
    assert person.safe_times == "Tuesdays after 7pm"
    assert person.safe_contact_notes == "My brother reads my post."
    assert person.correspondence_language == Language.ENGLISH
    assert person.language_asked_on == timezone.localdate()
    assert person.access_needs == sorted([AccessNeed.HEARING_LOOP, AccessNeed.LARGE_PRINT])
    assert person.access_needs_notes == "Please speak slowly."
    assert person.interpreter_language == "Portuguese"


def test_it_stores_the_persons_details_encrypted(service: Service) -> None:
    send(service)

    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name, phone, email, safe_times FROM people_person")
        stored = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT summary FROM referrals_referral")
        stored += " " + str(cursor.fetchone()[0])
    for typed in ("Zephyrine", "Quillfeather", "900 654", "zephyrine@", "Tuesdays", "Wyebank"):
        assert typed not in stored


def test_someone_asks_on_behalf_of_the_person_responsible(service: Service) -> None:
    response = send(
        service,
        initiated_by=Initiator.OTHER.value,
        their_role=ParticipantRole.PERSON_RESPONSIBLE.value,
        referrer_name="Morwenna Asker",
        referrer_organisation="His youth worker",
        referrer_contact="morwenna@example.org",
        justice_stage="do_not_know",
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.initiated_by == Initiator.OTHER
    assert (referral.referrer_name, referral.referrer_organisation, referral.referrer_contact) == (
        "Morwenna Asker",
        "His youth worker",
        "morwenna@example.org",
    )
    # "I do not know" starts nothing in the criminal justice system until the service learns more.
    assert referral.justice_stage == JusticeStage.NOT_REPORTED
    assert ReferredPerson.objects.get().role == ParticipantRole.PERSON_RESPONSIBLE
    # Nobody harmed is named, so there is nobody to tell about RJ yet.
    assert list(referral.tasks.values_list("kind", flat=True)) == [TaskKind.TRIAGE]


def test_someone_asking_for_another_must_say_who_they_are_and_the_part_of_the_other(service: Service) -> None:
    response = send(service, initiated_by=Initiator.OTHER.value)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select whether they were harmed or are responsible for the harm" in html
    assert "Enter your name" in html
    assert "Enter your phone number or email address" in html
    assert not Referral.objects.exists()


def test_the_person_asking_for_themselves_need_not_say_more_about_anyone_else(service: Service) -> None:
    assert send(service, referrer_name="", referrer_contact="", their_role="").status_code == 302


def test_the_questions_for_someone_asking_for_another_are_not_marked_optional(service: Service) -> None:
    html = Client().get(form_path(service)).content.decode()

    assert "Your name (optional)" not in html
    assert "Your phone number or email address (optional)" not in html
    assert "How do you know them? (optional)" in html


# Mistakes ----------------------------------------------------------------------------------------------------------


def test_a_request_with_no_way_to_reach_anyone_keeps_what_was_typed(service: Service) -> None:
    response = send(service, phone="", email="", address="")

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Give a phone number, an email address or a postal address" in html
    for typed in ("Zephyrine", "Quillfeather", "XQ/998877", "Wyebank", "Tuesdays after 7pm", "Portuguese"):
        assert typed in html
    assert re.search(r'value="large_print"[^>]*checked', html)
    assert re.search(r'name="no_voicemail"[^>]*checked', html)
    assert re.search(r'name="initiated_by" value="person_harmed"[^>]*checked', html)
    assert not Referral.objects.exists()
    assert not Person.objects.exists()


def test_every_mistake_is_shown_at_once(service: Service) -> None:
    response = send(service, phone="", email="", address="", given_name="")

    html = response.content.decode()
    assert "Enter a first name" in html
    assert "Give a phone number, an email address or a postal address" in html


def test_someone_asking_for_another_may_be_the_only_way_to_reach_them(service: Service) -> None:
    response = send(
        service,
        phone="",
        email="",
        initiated_by=Initiator.OTHER.value,
        their_role=ParticipantRole.PERSON_HARMED.value,
        referrer_name="Morwenna Asker",
        referrer_contact="07700 900 111",
    )

    assert response.status_code == 302
    assert Referral.objects.get().referrer_contact == "07700 900 111"


def test_only_an_address_is_not_enough_when_letters_are_not_safe(service: Service) -> None:
    response = send(service, phone="", email="", address="1 Orchard Lane", no_letters="on")

    assert response.status_code == 200
    assert "You asked us not to send letters" in response.content.decode()
    assert not Referral.objects.exists()


def test_it_asks_for_the_first_name_and_the_kind_of_harm(service: Service) -> None:
    response = send(service, given_name="", offence_category="")

    html = response.content.decode()
    assert "Enter a first name" in html
    assert "Select what kind of harm it was" in html
    assert not Referral.objects.exists()


def test_a_wrongly_typed_email_address_is_explained(service: Service) -> None:
    response = send(service, email="not an address")

    assert "Enter an email address in the correct format" in response.content.decode()
    assert not Referral.objects.exists()


# The page after sending ---------------------------------------------------------------------------------------------


def test_the_page_after_sending_repeats_nothing_that_was_typed(service: Service) -> None:
    client = Client()
    response = client.post(form_path(service), answers(), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Thank you. We have your request." in html
    assert f"Someone from {service.name} will contact you within 5 working days" in html
    assert "in the way you told us is safe" in html
    assert "call 999" in html
    assert "101" in html
    for typed in TYPED:
        assert typed not in html
    assert response["Cache-Control"] == "no-store"


def test_the_page_after_sending_says_next_working_day_for_a_one_day_promise(service: Service) -> None:
    service.first_contact_working_days = 1
    service.save(update_fields=["first_contact_working_days"])

    html = Client().get(done_path(service)).content.decode()

    assert "by the end of the next working day" in html


# Programs and floods -----------------------------------------------------------------------------------------------


def test_a_filled_in_trap_field_is_told_it_was_sent_and_nothing_is_kept(service: Service) -> None:
    events = AuditEvent.objects.count()

    response = send(service, website="https://spam.example")

    assert response.status_code == 302
    assert response["Location"] == done_path(service)
    assert not Referral.objects.exists()
    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == events


def test_too_many_requests_from_one_place_are_refused_and_not_kept(service: Service) -> None:
    assert send(service).status_code == 302
    assert send(service).status_code == 302

    refused = send(service)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Please phone us instead" in html
    assert service.phone in html
    assert "Zephyrine" not in html
    assert Referral.objects.count() == 2


def test_putting_a_mistake_right_does_not_count_towards_the_limit(service: Service) -> None:
    for _ in range(3):
        assert send(service, phone="", email="").status_code == 200

    assert send(service).status_code == 302
    assert send(service).status_code == 302
    assert Referral.objects.count() == 2


# Welsh -------------------------------------------------------------------------------------------------------------


def test_the_welsh_form_is_sent_from_the_welsh_page(service: Service) -> None:
    response = Client().post(form_path(service, welsh=True), answers(correspondence_language="cy"))

    assert response.status_code == 302
    assert response["Location"] == f"/cy/rj/{service.code.lower()}/refer/sent/"
    assert Person.objects.get().correspondence_language == Language.WELSH


def test_the_language_question_is_optional_without_the_welsh_language_standards(service: Service) -> None:
    response = send(service, correspondence_language="")

    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.correspondence_language, person.language_asked_on) == ("", None)


def test_a_service_under_the_welsh_language_standards_asks_everyone_the_language_question(service: Service) -> None:
    service.welsh_language_standards = True
    service.save(update_fields=["welsh_language_standards"])

    unanswered = send(service, correspondence_language="")

    assert unanswered.status_code == 200
    assert "Select the language we should use when we write to you" in unanswered.content.decode()
    assert not Referral.objects.exists()

    assert send(service, correspondence_language="both").status_code == 302
    person = Person.objects.get()
    assert (person.correspondence_language, person.language_asked_on) == (Language.BOTH, timezone.localdate())


# Queries -----------------------------------------------------------------------------------------------------------


def test_the_form_runs_a_fixed_number_of_queries(service: Service) -> None:
    client = Client()
    few = queries_for(client, form_path(service))
    for _ in range(5):
        send(service)
        cache.clear()

    assert queries_for(client, form_path(service)) == few
    assert queries_for(client, done_path(service)) <= few
