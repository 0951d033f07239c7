"""The public feedback and complaints form: what it records in the complaints register (and audits), what it asks
for and keeps when something is missing, the honeypot and the rate limit that keep programs out, the page after
sending that repeats nothing typed, and its query count."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.accounts.models import Service
from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Task, TaskKind
from amends.complaints.models import AnswerBy, Channel, Complaint, ComplaintKind, FromRole
from amends.core.workdays import add_working_days
from tests.complaints.builders import record
from tests.factories import ServiceFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

SUMMARY = "Nobody called me back after the first visit, and I waited three weeks."


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """The rate limiter counts in the cache, which outlives each test's database transaction."""
    cache.clear()
    yield
    cache.clear()


def limited_to(rate: str) -> Any:
    return override_settings(ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, "public_feedback": rate})


@pytest.fixture
def service(personas: Personas) -> Service:
    service = personas.service
    service.phone = "01632 960 123"
    service.save()
    return service


def form_url(service: Service, *, welsh: bool = False) -> str:
    return f"{'/cy' if welsh else ''}/rj/{service.code.lower()}/feedback/"


def complaint(**changes: str) -> dict[str, str]:
    data = {
        "kind": "complaint",
        "from_role": "person_harmed",
        "summary": SUMMARY,
        "answer_by": "email",
        "name": "Sam Rivers",
        "email": "sam.rivers@example.com",
        "phone": "",
        "address": "",
        "website": "",
    }
    data.update(changes)
    return data


def test_a_complaint_goes_into_the_register_due_in_ten_working_days(service: Service, personas: Personas) -> None:
    response = Client().post(form_url(service), complaint())
    assert response.status_code == 302
    assert response["Location"] == f"/rj/{service.code.lower()}/feedback/sent/"
    saved = Complaint.objects.get()
    today = timezone.localdate()
    assert saved.service == service
    assert saved.kind == ComplaintKind.COMPLAINT
    assert saved.channel == Channel.ONLINE_FORM
    assert saved.from_role == FromRole.PERSON_HARMED
    assert saved.received_on == today
    assert saved.due_on == add_working_days(today, 10)
    assert saved.recorded_by is None
    assert saved.handler == personas.coordinator
    assert saved.summary == SUMMARY
    assert saved.answer_by == AnswerBy.EMAIL
    assert saved.contact == "Sam Rivers, sam.rivers@example.com"
    event = AuditEvent.objects.get(action=AuditAction.COMPLAINT_RECORDED)
    assert event.actor is None
    assert event.target_id == str(saved.pk)
    assert event.service == service
    assert SUMMARY not in str(event.changes)
    assert Task.objects.open().filter(kind=TaskKind.COMPLAINT, assigned_to=personas.coordinator).exists()


def test_the_page_after_sending_gives_the_answer_date_and_repeats_nothing_typed(service: Service) -> None:
    client = Client()
    response = client.post(form_url(service), complaint(), follow=True)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    due = add_working_days(timezone.localdate(), 10)
    assert "Thank you. We have received your feedback." in html
    assert f"we will give it to you by {due:%A} {due.day} {due:%B %Y}" in html
    for typed in (SUMMARY, "Sam Rivers", "sam.rivers@example.com"):
        assert typed not in html
        assert typed not in str(dict(client.session.items()))
    assert "govuk-exit-this-page" in html
    # Shown once: reloaded, or seen by the next person at the same computer, it says no more than thanks.
    again = client.get(f"/rj/{service.code.lower()}/feedback/sent/").content.decode()
    assert "Thank you. We have received your feedback." in again
    assert "We will look into your complaint" not in again


def test_a_compliment_is_recorded_with_no_clock(service: Service) -> None:
    response = Client().post(
        form_url(service),
        complaint(kind="compliment", from_role="supporter", answer_by="none", name="", email=""),
        follow=True,
    )
    saved = Complaint.objects.get()
    assert saved.kind == ComplaintKind.COMPLIMENT
    assert saved.due_on is None
    assert saved.handler is None
    assert saved.contact == ""
    assert saved.answer_by == AnswerBy.NONE
    html = response.content.decode()
    assert "Thank you. We have received your feedback." in html
    assert "We will look into your complaint" not in html


def test_i_would_rather_not_say_is_anonymous(service: Service) -> None:
    Client().post(form_url(service), complaint(kind="other", from_role="anonymous", answer_by="none"))
    saved = Complaint.objects.get()
    assert saved.from_role == FromRole.ANONYMOUS
    # No answer wanted: the email address typed is not kept, only the name they chose to give.
    assert saved.contact == "Sam Rivers"


def test_only_the_chosen_way_of_answering_is_kept(service: Service) -> None:
    Client().post(form_url(service), complaint(answer_by="phone", phone="07700 900 982", name=""))
    assert Complaint.objects.get().contact == "07700 900 982"


def test_a_letter_keeps_the_address_on_one_line(service: Service) -> None:
    Client().post(form_url(service), complaint(answer_by="letter", address="1 High Street\n\nGloucester\nGL1 1AA"))
    assert Complaint.objects.get().contact == "Sam Rivers, 1 High Street, Gloucester, GL1 1AA"


def test_missing_answers_are_asked_for_and_what_was_typed_is_kept(service: Service) -> None:
    response = Client().post(form_url(service), complaint(kind="", from_role="", answer_by=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "There is a problem" in html
    assert "Select what you would like to do" in html
    assert "Select who you are" in html
    assert "Select how you would like us to answer" in html
    assert SUMMARY in html
    assert 'value="Sam Rivers"' in html
    assert not Complaint.objects.exists()
    nothing_said = Client().post(form_url(service), complaint(summary="  ")).content.decode()
    assert "Enter what happened" in nothing_said
    assert 'value="sam.rivers@example.com"' in nothing_said
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("answer_by", "changes", "message"),
    [
        ("email", {"email": ""}, "Enter your email address, so that we can answer you"),
        ("email", {"email": "not an address"}, "Enter an email address in the correct format, like name@example.com"),
        ("phone", {"phone": ""}, "Enter your phone number, so that we can answer you"),
        ("phone", {"phone": "call me"}, "Enter a phone number, like 01632 960 001 or 07700 900 982"),
        ("letter", {"address": ""}, "Enter your postal address, so that we can answer you"),
    ],
)
def test_the_detail_for_the_chosen_way_of_answering_is_needed(
    service: Service, answer_by: str, changes: dict[str, str], message: str
) -> None:
    response = Client().post(form_url(service), complaint(answer_by=answer_by, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert SUMMARY in html
    assert not Complaint.objects.exists()


def test_what_happened_is_refused_past_five_thousand_characters(service: Service) -> None:
    html = Client().post(form_url(service), complaint(summary="a" * 5001)).content.decode()
    assert "What happened must be 5,000 characters or fewer" in html
    assert not Complaint.objects.exists()


def test_the_honeypot_is_hidden_from_people(service: Service) -> None:
    html = Client().get(form_url(service)).content.decode()
    start = html.index('<div class="govuk-visually-hidden" aria-hidden="true">')
    hidden = html[start : html.index("</div>", start)]
    assert '<label for="id_website">Leave this empty</label>' in hidden
    assert 'name="website"' in hidden
    assert 'tabindex="-1"' in hidden
    assert 'autocomplete="off"' in hidden


def test_a_filled_honeypot_records_nothing_but_seems_to_succeed(service: Service) -> None:
    response = Client().post(form_url(service), complaint(website="https://spam.example"), follow=True)
    assert response.redirect_chain == [(f"/rj/{service.code.lower()}/feedback/sent/", 302)]
    assert "Thank you. We have received your feedback." in response.content.decode()
    assert not Complaint.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.COMPLAINT_RECORDED).exists()
    # Even when the rest of the form is nonsense.
    Client().post(form_url(service), {"website": "x", "kind": "spam"})
    assert not Complaint.objects.exists()


def test_the_rate_limit_refuses_the_sixth_form_within_the_hour(service: Service) -> None:
    client = Client()
    with limited_to("5/h/ip"):
        for _ in range(5):
            assert client.post(form_url(service), complaint()).status_code == 302
        refused = client.post(form_url(service), complaint(summary="The sixth one."))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many forms sent from here" in html
    assert "Try again in an hour, or phone us on 01632 960 123." in html
    assert "The sixth one." not in html
    assert "govuk-exit-this-page" in html
    assert Complaint.objects.count() == 5


def test_the_rate_limit_counts_forms_sent_from_each_address(service: Service) -> None:
    with limited_to("2/h/ip"):
        for _ in range(2):
            assert Client().post(form_url(service), complaint()).status_code == 302
        assert Client().post(form_url(service), complaint()).status_code == 429
        elsewhere = Client(REMOTE_ADDR="198.51.100.7").post(form_url(service), complaint())
    assert elsewhere.status_code == 302
    assert Complaint.objects.count() == 3


def test_forms_sent_back_for_a_missing_answer_do_not_count_against_the_limit(service: Service) -> None:
    client = Client()
    with limited_to("2/h/ip"):
        for _ in range(3):
            assert client.post(form_url(service), complaint(kind="")).status_code == 200
        assert client.post(form_url(service), complaint()).status_code == 302
        assert client.post(form_url(service), complaint()).status_code == 302
        assert client.post(form_url(service), complaint()).status_code == 429
    assert Complaint.objects.count() == 2


def test_a_service_with_nobody_to_answer_complaints_asks_people_to_phone(personas: Personas) -> None:
    lonely = ServiceFactory(phone="01632 960 999")
    html = Client().post(form_url(lonely), complaint()).content.decode()
    assert "Sorry, we could not send this. Please phone or email us instead." in html
    assert SUMMARY in html
    assert not Complaint.objects.exists()
    Client().post(form_url(lonely), complaint(kind="compliment"))
    assert Complaint.objects.get().kind == ComplaintKind.COMPLIMENT


def test_the_welsh_form_records_and_thanks_in_welsh_pages(service: Service) -> None:
    response = Client().post(form_url(service, welsh=True), complaint())
    assert response.status_code == 302
    assert response["Location"] == f"/cy/rj/{service.code.lower()}/feedback/sent/"
    assert Complaint.objects.get().channel == Channel.ONLINE_FORM


def test_sending_keeps_the_query_count_flat(service: Service, personas: Personas) -> None:
    def queries_to_send() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = Client().post(form_url(service), complaint())
        assert response.status_code == 302
        return len(captured)

    with limited_to("100/h/ip"):
        # The first complaint gives the handler their task, and the first form starts this address's count.
        queries_to_send()
        few = queries_to_send()
        for _ in range(10):
            record(service, personas.coordinator)
            ServiceFactory()
        many = queries_to_send()
    assert many == few, f"{few} queries to send with few complaints, {many} with more"
