"""The referral pages: intake, triage, duplicates, and what a referrer sees."""

import datetime

import pytest
from django.utils import timezone

from amends.cases.models import State
from amends.cases.selectors import possible_duplicates
from amends.referrals.models import Referral, TriageDecision
from tests.case_builders import build_case, make_referral
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, str]:
    data = {
        "source": "police",
        "referrer_name": "PC Jones",
        "crime_reference": "ab/123 ",
        "offence_category": "burglary",
        "reported_on": (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        "justice_stage": "pre_charge",
        "initiated_by": "person_harmed",
        "setting": "criminal_justice",
        "harmed_given_name": "Ann",
        "harmed_family_name": "Harmed",
        "harmed_date_of_birth": "01/05/1980",
    }
    data.update(changes)
    return data


def test_it_takes_a_referral_from_the_form(personas: Personas) -> None:
    response = signed_in_client(personas.referrer).post(f"/services/{personas.service.pk}/referrals/new/", _form())
    referral = Referral.objects.get(entered_by=personas.referrer)
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.crime_reference == "AB/123"
    assert [named.person.full_name for named in referral.people.select_related("person")] == ["Ann Harmed"]


def test_it_asks_for_someone_named_and_keeps_what_was_typed(personas: Personas) -> None:
    response = signed_in_client(personas.referrer).post(
        f"/services/{personas.service.pk}/referrals/new/", _form(harmed_given_name="", harmed_family_name="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Name the person harmed or the person responsible." in page
    assert 'value="PC Jones"' in page
    assert not Referral.objects.exists()


def test_it_keeps_what_was_typed_when_a_rule_refuses(personas: Personas) -> None:
    told = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = signed_in_client(personas.referrer).post(
        f"/services/{personas.service.pk}/referrals/new/", _form(victim_told_about_rj_on=told)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say who told them about RJ." in page
    assert f'value="{told}"' in page
    assert not Referral.objects.exists()


def test_it_shows_the_referrer_only_the_status(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer, crime_reference="XY/1")
    page = signed_in_client(personas.referrer).get(f"/referrals/{referral.pk}/").content.decode()
    assert "Awaiting triage" in page
    assert "Ann" not in page
    assert "XY/1" not in page
    mine = signed_in_client(personas.referrer).get("/referrals/mine/").content.decode()
    assert f"Referral {referral.pk}" in mine


def test_it_lists_referrals_awaiting_triage(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)
    page = signed_in_client(personas.coordinator).get(f"/services/{personas.service.pk}/referrals/").content.decode()
    assert f"Referral {referral.pk}" in page
    assert "Awaiting triage" in page


def test_it_shows_possible_duplicates_before_accepting(personas: Personas) -> None:
    existing = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.ASSESSING,
        crime_reference="AB/9",
    ).case
    same_reference = make_referral(service=personas.service, actor=personas.referrer, crime_reference="ab/9")
    page = signed_in_client(personas.coordinator).get(f"/referrals/{same_reference.pk}/").content.decode()
    assert "Possible duplicates" in page
    assert existing.reference in page
    # Someone named again, with no crime reference at all, is found through their blind index.
    same_person = make_referral(service=personas.service, actor=personas.referrer)
    assert existing in possible_duplicates(same_person).cases
    stranger = make_referral(
        service=personas.service,
        actor=personas.referrer,
        harmed={"given_name": "Zed", "family_name": "Other", "date_of_birth": datetime.date(1970, 1, 1)},
        responsible={"given_name": "Yan", "family_name": "Else", "date_of_birth": datetime.date(1971, 1, 1)},
    )
    assert not possible_duplicates(stranger)


def test_it_accepts_a_referral_and_opens_the_case(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)
    response = signed_in_client(personas.coordinator).post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "accept", "reason": "Within scope", "flags": ["hate_crime"], "version": referral.version},
    )
    referral.refresh_from_db()
    assert referral.decision == TriageDecision.ACCEPTED
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{referral.case_id}/"
    assert referral.case is not None
    assert "hate_crime" in referral.case.sensitivity_flags
    status = signed_in_client(personas.referrer).get(f"/referrals/{referral.pk}/").content.decode()
    assert referral.case.reference in status


def test_it_asks_where_a_referral_is_redirected(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)
    client = signed_in_client(personas.coordinator)
    refused = client.post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "redirect", "reason": "Out of area", "version": referral.version},
    )
    assert refused.status_code == 200
    assert "Name the service it was redirected to." in refused.content.decode()
    assert "Out of area" in refused.content.decode()
    done = client.post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "redirect", "reason": "Out of area", "redirected_to": "North RJ", "version": referral.version},
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.decision == TriageDecision.REDIRECTED


def test_it_refuses_a_triage_made_from_a_stale_page(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)
    response = signed_in_client(personas.coordinator).post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "decline", "reason": "Not suitable", "version": referral.version - 1},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    referral.refresh_from_db()
    assert referral.decision == TriageDecision.AWAITING
