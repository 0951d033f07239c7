"""The public pages of each service: anyone reaches them in English and Welsh without signing in, an unknown service
is not found, and each shows the service's own details; the contact page says whether it is open now; the privacy
notice and out-of-hours message are the service's own, in Welsh on Welsh pages; and the query counts stay flat."""

import datetime
import zoneinfo
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from amends.accounts.models import Day, OpeningHours, Service
from tests.complaints.builders import record
from tests.factories import ServiceFactory
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
PAGES = ("", "contact/", "privacy/", "accessibility/", "feedback/")


@pytest.fixture
def service(personas: Personas) -> Service:
    service = personas.service
    service.phone = "01632 960 123"
    service.email = "rj@severn.example"
    service.areas_covered = "Gloucestershire and South Gloucestershire"
    service.save()
    return service


def path(service: Service, page: str = "", *, welsh: bool = False) -> str:
    return f"{'/cy' if welsh else ''}/rj/{service.code.lower()}/{page}"


def set_hours(service: Service, days: list[Day], opens: datetime.time, closes: datetime.time) -> None:
    for day in days:
        OpeningHours.objects.create(service=service, day=day, opens=opens, closes=closes)


def frozen_at(monkeypatch: pytest.MonkeyPatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


WEEKDAYS = [Day.MONDAY, Day.TUESDAY, Day.WEDNESDAY, Day.THURSDAY, Day.FRIDAY]


@pytest.mark.parametrize("welsh", [False, True], ids=["English", "Welsh"])
@pytest.mark.parametrize("page", PAGES)
def test_anyone_reads_each_page_without_signing_in(service: Service, page: str, welsh: bool) -> None:
    response = Client().get(path(service, page, welsh=welsh))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'<html lang="{"cy" if welsh else "en"}"' in html
    assert service.name in html
    assert "govuk-exit-this-page" in html
    assert "999" in html
    assert "101" in html
    # The footer links to the service's other pages, in the page's language.
    assert f'href="{path(service, "privacy/", welsh=welsh)}"' in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("page", PAGES)
def test_an_unknown_service_is_not_found(service: Service, page: str) -> None:
    assert Client().get(f"/rj/zzz/{page}").status_code == 404
    assert Client().get(f"/cy/rj/zzz/{page}").status_code == 404


def test_the_service_is_found_whatever_the_case_of_its_code(service: Service) -> None:
    assert Client().get(f"/rj/{service.code.upper()}/").status_code == 200
    assert Client().get(f"/rj/{service.code.lower()}/contact/").status_code == 200


def test_the_list_of_services_links_to_each_one(service: Service, personas: Personas) -> None:
    for welsh in (False, True):
        response = Client().get("/cy/rj/" if welsh else "/rj/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-exit-this-page" in html
        for listed in (service, personas.other_service):
            assert f'href="{path(listed, welsh=welsh)}">{listed.name}</a>' in html


def test_the_service_page_explains_restorative_justice_and_how_to_take_part(service: Service) -> None:
    html = Client().get(path(service)).content.decode()
    for words in (
        "the person responsible accepts that they caused the harm",
        "both people are willing to take part",
        "a trained facilitator decides it is safe and suitable for everyone",
        "meet face to face or by video",
        "shuttle",
        "write letters to each other",
        "send recorded audio or video messages",
        "For the person harmed",
        "For the person responsible",
        "Taking part does not change a sentence or a court's decision.",
        "Either person can stop at any time",
    ):
        assert words in html, words
    assert 'href="tel:01632960123">01632 960 123</a>' in html
    assert 'href="mailto:rj@severn.example">rj@severn.example</a>' in html
    assert f'href="{path(service, "contact/")}">How to contact us</a>' in html


def test_the_service_page_links_to_the_self_referral_form_once_there_is_one(service: Service) -> None:
    html = Client().get(path(service)).content.decode()
    try:
        refer_url = reverse("public:refer", kwargs={"code": service.code.lower()})
    except NoReverseMatch:
        assert "You can also phone or email us:" not in html
        assert "Phone or email us:" in html
    else:
        assert f'href="{refer_url}"' in html
        assert "You can also phone or email us:" in html


def test_the_contact_page_says_the_service_is_open_now(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    set_hours(service, WEEKDAYS, datetime.time(9), datetime.time(17, 30))
    OpeningHours.objects.create(service=service, day=Day.SATURDAY, closed=True)
    frozen_at(monkeypatch, datetime.datetime(2026, 12, 9, 10, tzinfo=LONDON))
    html = Client().get(path(service, "contact/")).content.decode()
    assert "Open now. Closes at 5:30pm" in html
    assert '<th scope="row" class="govuk-table__header">Monday</th>' in html
    assert '<td class="govuk-table__cell">9am to 5:30pm</td>' in html
    assert '<th scope="row" class="govuk-table__header">Bank holidays</th>' in html
    assert "Gloucestershire and South Gloucestershire" in html
    assert 'href="tel:01632960123">01632 960 123</a>' in html
    assert "In an emergency, call 999. If it is not an emergency, call the police on 101." in html


def test_the_contact_page_says_when_a_closed_service_opens(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    set_hours(service, WEEKDAYS, datetime.time(8), datetime.time(17))
    set_hours(service, [Day.BANK_HOLIDAY], datetime.time(10), datetime.time(13))
    frozen_at(monkeypatch, datetime.datetime(2026, 12, 5, 22, tzinfo=LONDON))
    assert "Closed. Opens Monday at 8am" in Client().get(path(service, "contact/")).content.decode()
    # Christmas Eve evening: Christmas Day is a bank holiday, with its own hours.
    frozen_at(monkeypatch, datetime.datetime(2026, 12, 24, 18, tzinfo=LONDON))
    assert "Closed. Opens tomorrow at 10am" in Client().get(path(service, "contact/")).content.decode()


def test_a_service_with_no_hours_says_it_is_not_open(service: Service) -> None:
    html = Client().get(path(service, "contact/")).content.decode()
    assert "Closed. Not open in the next 2 weeks" in html
    assert html.count('<td class="govuk-table__cell">Closed</td>') == len(Day)


def test_the_out_of_hours_message_is_in_the_page_language(service: Service) -> None:
    service.out_of_hours_message = "Leave a message and we will call you back.\n\nWe never call from a withheld number."
    service.out_of_hours_message_cy = "Gadewch neges a byddwn yn eich ffonio yn ôl."
    service.save()
    english = Client().get(path(service, "contact/")).content.decode()
    assert '<p class="govuk-body">Leave a message and we will call you back.</p>' in english
    assert '<p class="govuk-body">We never call from a withheld number.</p>' in english
    assert "Gadewch neges" not in english
    welsh = Client().get(path(service, "contact/", welsh=True)).content.decode()
    assert "Gadewch neges a byddwn yn eich ffonio yn ôl." in welsh
    assert "Leave a message" not in welsh
    service.out_of_hours_message_cy = ""
    service.save()
    assert "Leave a message" in Client().get(path(service, "contact/", welsh=True)).content.decode()


def test_the_contact_page_welcomes_welsh_where_the_standards_apply(service: Service) -> None:
    welcome = "You can contact us in Welsh."
    assert welcome not in Client().get(path(service, "contact/")).content.decode()
    service.welsh_language_standards = True
    service.save()
    assert welcome in Client().get(path(service, "contact/")).content.decode()


def test_the_privacy_page_shows_the_service_notice_in_the_page_language(service: Service) -> None:
    service.privacy_notice = "We keep your details safe.\n\nWe delete them after 7 years.\n<script>alert(1)</script>"
    service.privacy_notice_cy = "Rydym yn cadw eich manylion yn ddiogel."
    service.save()
    english = Client().get(path(service, "privacy/")).content.decode()
    assert '<p class="govuk-body">We keep your details safe.</p>' in english
    assert "We delete them after 7 years.<br>&lt;script&gt;alert(1)&lt;/script&gt;" in english
    assert "<script>alert(1)" not in english
    assert "Rydym yn cadw" not in english
    assert "Who we are" not in english
    welsh = Client().get(path(service, "privacy/", welsh=True)).content.decode()
    assert "Rydym yn cadw eich manylion yn ddiogel." in welsh
    assert "We keep your details safe." not in welsh


def test_the_welsh_privacy_page_falls_back_to_the_english_notice(service: Service) -> None:
    service.privacy_notice = "We keep your details safe."
    service.save()
    assert "We keep your details safe." in Client().get(path(service, "privacy/", welsh=True)).content.decode()


def test_without_a_notice_the_privacy_page_names_the_controller_and_how_to_reach_them(service: Service) -> None:
    organisation = service.organisation
    html = Client().get(path(service, "privacy/")).content.decode()
    assert f"{organisation.name} is the data controller for the information that {service.name} keeps" in html
    assert 'href="mailto:rj@severn.example"' in html
    organisation.controller_name = "Severn Restorative Trust"
    organisation.data_protection_officer_email = "dpo@severn.example"
    organisation.ico_registration_number = "ZA123456"
    organisation.save()
    html = Client().get(path(service, "privacy/")).content.decode()
    assert "Severn Restorative Trust is the data controller" in html
    assert 'href="mailto:dpo@severn.example"' in html
    assert "ZA123456" in html


def test_the_accessibility_statement_follows_the_model_statement(service: Service) -> None:
    html = Client().get(path(service, "accessibility/")).content.decode()
    for words in (
        "use every page with a keyboard only",
        "screen reader",
        "use every page without JavaScript",
        "read every page in Welsh",
        "Reporting accessibility problems with these pages",
        "Enforcement procedure",
        "Equality Advisory and Support Service (EASS)",
        "version 2.2, level AA",
        "axe accessibility checker",
        "This statement was prepared on 5 December 2026.",
    ):
        assert words in html, words
    assert 'href="tel:01632960123"' in html
    assert f'href="{path(service, "feedback/")}">use our feedback form</a>' in html


def add_services(count: int) -> None:
    for _ in range(count):
        other = ServiceFactory(areas_covered="Somewhere")
        set_hours(other, WEEKDAYS, datetime.time(9), datetime.time(17))


def add_hours(service: Service) -> Callable[[int], None]:
    """Fill in the service's days one by one, then add other services with hours."""

    def grow(count: int) -> None:
        taken = set(service.opening_hours.values_list("day", flat=True))
        free = [day for day in Day if day not in taken][:count]
        set_hours(service, free, datetime.time(9), datetime.time(17))
        add_services(count)

    return grow


def add_complaints(service: Service, personas: Personas) -> Callable[[int], None]:
    def grow(count: int) -> None:
        for _ in range(count):
            record(service, personas.coordinator)
        add_services(count)

    return grow


@pytest.mark.parametrize("page", ["index", *PAGES])
def test_it_keeps_the_query_count_flat(service: Service, personas: Personas, page: str) -> None:
    client = Client()
    url = "/rj/" if page == "index" else path(service, page)
    grow = add_hours(service) if page == "contact/" else add_complaints(service, personas)
    grow(1)
    few = queries_for(client, url)
    grow(6)
    many = queries_for(client, url)
    assert many == few, f"{url}: {few} queries with little data, {many} with more"
