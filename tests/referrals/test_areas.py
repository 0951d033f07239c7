"""A referral's area: one of the areas its service covers (or typed, when the service lists none), on the form, in
the API, on the referral's page and in the demo."""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from amends.accounts.models import Service
from amends.audit.models import AuditAction, AuditEvent
from amends.core.errors import DomainError
from amends.people.models import ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.models import (
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    Setting,
)
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_api_cases import TokenClient

pytestmark = pytest.mark.django_db

AREAS = "Gloucester, Stroud, Forest of Dean"


def _covering(service: Service, areas: str = AREAS) -> Service:
    service.areas_covered = areas
    service.save(update_fields=["areas_covered"])
    return service


def _form(**changes: str) -> dict[str, str]:
    data = {
        "source": "police",
        "referrer_name": "PC Jones",
        "offence_category": "burglary",
        "reported_on": (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        "justice_stage": "pre_charge",
        "initiated_by": "person_harmed",
        "setting": "criminal_justice",
        "harmed_given_name": "Ann",
        "harmed_family_name": "Harmed",
    }
    data.update(changes)
    return data


def _refer(personas: Personas, **details: Any) -> Referral:
    return referral_services.create_referral(
        service=personas.service,
        actor=personas.referrer,
        details={
            "source": ReferralSource.POLICE,
            "offence_category": OffenceCategory.THEFT,
            "justice_stage": JusticeStage.PRE_CHARGE,
            "initiated_by": Initiator.PERSON_HARMED,
            "setting": Setting.CRIMINAL_JUSTICE,
            **details,
        },
        people=[referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, {"given_name": "Ann"})],
    )


def _api_body(**changes: Any) -> dict[str, Any]:
    return {
        "source": "police",
        "offence_category": "burglary",
        "justice_stage": "pre_charge",
        "initiated_by": "person_harmed",
        "setting": "criminal_justice",
        "people": [{"role": "person_harmed", "given_name": "Ann", "family_name": "Harmed"}],
        **changes,
    }


def test_it_reads_the_areas_one_a_line_or_separated_by_commas_on_one_line(personas: Personas) -> None:
    assert referral_services.service_areas(_covering(personas.service, " Gloucester,Stroud ,, Forest  of Dean\n")) == [
        "Gloucester",
        "Stroud",
        "Forest of Dean",
    ]
    assert referral_services.service_areas(
        _covering(personas.service, "Gloucester\n\n  Bristol, City of  \nstroud\nStroud\n")
    ) == ["Gloucester", "Bristol, City of", "stroud"]
    assert referral_services.service_areas(_covering(personas.service, " \n ")) == []


def test_the_form_offers_the_areas_the_service_covers(personas: Personas) -> None:
    _covering(personas.service)
    page = signed_in_client(personas.referrer).get(f"/services/{personas.service.pk}/referrals/new/").content.decode()
    assert "Area where it happened" in page
    assert "The local area it belongs to, for the service's figures" in page
    assert '<select name="area"' in page
    for value, label in (("", "Not known"), ("Gloucester", "Gloucester"), ("Forest of Dean", "Forest of Dean")):
        assert f'<option value="{value}"' in page
        assert f">{label}</option>" in page


def test_it_takes_the_area_chosen_on_the_form_and_shows_it_on_the_referral(personas: Personas) -> None:
    _covering(personas.service)
    response = signed_in_client(personas.referrer).post(
        f"/services/{personas.service.pk}/referrals/new/", _form(area="Stroud")
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.area == "Stroud"
    created = AuditEvent.objects.get(action=AuditAction.REFERRAL_CREATED, target_id=str(referral.pk))
    assert created.changes["area"] == {"before": None, "after": "Stroud"}
    page = signed_in_client(personas.coordinator).get(f"/referrals/{referral.pk}/").content.decode()
    shown = page[page.index(">Area<") :]
    assert shown.index("Stroud") < shown.index("Criminal justice stage")


def test_a_referral_whose_area_is_not_known_says_so(personas: Personas) -> None:
    _covering(personas.service)
    signed_in_client(personas.referrer).post(f"/services/{personas.service.pk}/referrals/new/", _form(area=""))
    referral = Referral.objects.get()
    assert referral.area == ""
    page = signed_in_client(personas.coordinator).get(f"/referrals/{referral.pk}/").content.decode()
    shown = page[page.index(">Area<") :]
    assert shown.index("Not known") < shown.index("Criminal justice stage")


def test_the_form_refuses_an_area_the_service_does_not_cover_and_keeps_what_was_typed(personas: Personas) -> None:
    _covering(personas.service)
    response = signed_in_client(personas.referrer).post(
        f"/services/{personas.service.pk}/referrals/new/", _form(area="Bristol")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the areas the service covers, or “Not known”." in page
    assert 'value="PC Jones"' in page
    assert not Referral.objects.exists()


def test_the_service_refuses_an_area_it_does_not_cover_and_saves_nothing(personas: Personas) -> None:
    _covering(personas.service)
    with pytest.raises(DomainError) as caught:
        _refer(personas, area="Bristol")
    assert caught.value.field == "area"
    assert "“Bristol”" in caught.value.message
    assert "Gloucester, Stroud, Forest of Dean" in caught.value.message
    assert not Referral.objects.exists()


def test_a_service_that_lists_no_areas_takes_the_area_in_words(personas: Personas) -> None:
    client = signed_in_client(personas.referrer)
    form = client.get(f"/services/{personas.service.pk}/referrals/new/").content.decode()
    assert '<select name="area"' not in form
    assert 'name="area"' in form
    client.post(f"/services/{personas.service.pk}/referrals/new/", _form(area="  Cheltenham   town "))
    assert Referral.objects.get().area == "Cheltenham town"


def test_a_correction_checks_the_area_but_keeps_one_the_service_no_longer_lists(personas: Personas) -> None:
    _covering(personas.service)
    referral = _refer(personas, area="Stroud")
    _covering(personas.service, "Gloucester\nForest of Dean")
    kept = referral_services.update_referral(
        referral=referral, actor=personas.coordinator, details={"area": "Stroud"}, expected_version=referral.version
    )
    assert kept.area == "Stroud"
    with pytest.raises(DomainError):
        referral_services.update_referral(
            referral=kept, actor=personas.coordinator, details={"area": "Bristol"}, expected_version=kept.version
        )
    moved = referral_services.update_referral(
        referral=Referral.objects.get(pk=referral.pk),
        actor=personas.coordinator,
        details={"area": "gloucester"},
        expected_version=kept.version,
    )
    assert Referral.objects.get(pk=moved.pk).area == "Gloucester"
    updated = AuditEvent.objects.get(action=AuditAction.REFERRAL_UPDATED, target_id=str(referral.pk))
    assert updated.changes == {"area": {"before": "Stroud", "after": "Gloucester"}}


def test_the_api_takes_and_gives_back_the_area(personas: Personas) -> None:
    _covering(personas.service)
    made = TokenClient(personas.referrer).post(
        f"/services/{personas.service.pk}/referrals", _api_body(area="forest of dean")
    )
    assert made.status_code == 201, made.content
    # The referrer sees only the status; the person who triages sees the area, in the service's spelling.
    assert made.json()["area"] is None
    read = TokenClient(personas.coordinator).get(f"/referrals/{made.json()['id']}").json()
    assert read["area"] == "Forest of Dean"
    assert Referral.objects.get().area == "Forest of Dean"


def test_the_api_refuses_an_area_the_service_does_not_cover(personas: Personas) -> None:
    _covering(personas.service)
    refused = TokenClient(personas.coordinator).post(
        f"/services/{personas.service.pk}/referrals", _api_body(area="Bristol")
    )
    assert refused.status_code == 409
    assert refused.json()["field"] == "area"
    assert "Bristol" in refused.json()["detail"]
    assert not Referral.objects.exists()


def test_the_demo_referrals_are_in_the_areas_their_service_covers() -> None:
    call_command("load_demo", "--quiet-sign-ins")
    referrals = list(Referral.objects.select_related("service"))
    assert referrals
    for referral in referrals:
        assert referral.area in referral_services.service_areas(referral.service)
    # The first demo service tells every story; its referrals fall in more than one area.
    assert len({referral.area for referral in referrals if referral.service.code == "SV"}) > 1


def test_the_victims_code_due_date_kept_for_the_figures_follows_a_correction(personas: Personas) -> None:
    # Reported on Friday 6 November 2026: 5 working days is Friday 13 November, 1 with enhanced rights Monday 9th.
    referral = _refer(personas, reported_on=datetime.date(2026, 11, 6))
    assert Referral.objects.get(pk=referral.pk).right_3_due_on == datetime.date(2026, 11, 13)
    corrected = referral_services.update_referral(
        referral=referral,
        actor=personas.coordinator,
        details={"enhanced_rights": "child"},
        expected_version=referral.version,
    )
    assert Referral.objects.get(pk=corrected.pk).right_3_due_on == datetime.date(2026, 11, 9)
