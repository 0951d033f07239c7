"""The sharing agreements register, the disclosure log, the case page's disclosures and the form that records one,
and the intake check on the triage pages and through the API: what they show and keep, what they audit, and their
query counts."""

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amends.accounts.models import Role
from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case
from amends.dataprotection.models import Disclosure, PartnerKind, SharingAgreement, SharingBasis
from amends.people.models import ParticipantRole
from amends.referrals.models import Referral, ReferralSource
from tests.conftest import signed_in_client
from tests.dataprotection.test_sharing import (
    POLICE,
    a_case,
    add_agreement,
    days_ago,
    disclose,
    partner_referral,
)
from tests.factories import MembershipFactory, UserFactory
from tests.personas import Personas
from tests.test_api_cases import SessionClient, TokenClient
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def dp(personas: Personas, rest: str = "") -> str:
    return f"/services/{personas.service.pk}/data-protection/{rest}"


def typed(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- The register -------------------------------------------------------------------------------------------------


def test_the_register_shows_where_each_agreement_stands(personas: Personas) -> None:
    add_agreement(personas.service, personas.coordinator, review_on=days_ago(-30))
    add_agreement(personas.service, personas.coordinator, partner="Victim Support", review_on=days_ago(2))
    add_agreement(personas.service, personas.coordinator, partner="Old Probation", ends_on=days_ago(100))
    add_agreement(personas.service, personas.coordinator, partner="New Probation", starts_on=days_ago(-10))
    page = signed_in_client(personas.administrator).get(dp(personas, "agreements/")).content.decode()
    for words in ("In force", "Review overdue", "Ended", "Not yet in force", "ISA-1", "Victim Support"):
        assert words in page, words
    assert "Add an agreement" in page
    assert page.count(">End<") == 3
    assert page.count(">Change<") == 4


def test_a_coordinator_adds_an_agreement_and_a_mistake_keeps_what_was_typed(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    form = {
        "partner": "Western Area Police",
        "partner_kind": "police",
        "reference": "ISA-7",
        "purpose": "Referrals from officers.",
        "starts_on": typed(days_ago(10)),
        "review_on": typed(days_ago(20)),
    }
    response = client.post(dp(personas, "agreements/add/"), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The review date must be on or after the date it is in force from." in page
    assert 'value="ISA-7"' in page
    assert not SharingAgreement.objects.exists()
    form["review_on"] = typed(days_ago(-300))
    response = client.post(dp(personas, "agreements/add/"), form)
    assert response.status_code == 302
    assert response["Location"] == dp(personas, "agreements/")
    agreement = SharingAgreement.objects.get()
    assert agreement.reference == "ISA-7"
    assert agreement.review_on == days_ago(-300)


def test_a_coordinator_changes_and_ends_an_agreement(personas: Personas) -> None:
    agreement = add_agreement(personas.service, personas.coordinator)
    client = signed_in_client(personas.coordinator)
    url = dp(personas, f"agreements/{agreement.pk}/")
    assert 'value="ISA-1"' in client.get(url).content.decode()
    form = {
        "partner": POLICE,
        "partner_kind": "police",
        "reference": "ISA-1a",
        "purpose": agreement.purpose,
        "starts_on": typed(agreement.starts_on),
    }
    assert client.post(url, form).status_code == 302
    response = client.post(f"{url}end/", {"ends_on": typed(days_ago(400))})
    assert "An agreement ends on or after the date it is in force from" in response.content.decode()
    assert client.post(f"{url}end/", {"ends_on": typed(days_ago(1))}).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.reference, agreement.ends_on) == ("ISA-1a", days_ago(1))


def test_the_data_protection_page_leads_to_the_log_and_the_register(personas: Personas) -> None:
    page = signed_in_client(personas.coordinator).get(dp(personas)).content.decode()
    assert f'href="{dp(personas, "disclosures/")}"' in page
    assert f'href="{dp(personas, "agreements/")}"' in page
    page = signed_in_client(personas.facilitator).get(dp(personas)).content.decode()
    assert "To record a disclosure, go to the case's page." in page
    assert dp(personas, "disclosures/") not in page


# --- Recording a disclosure from the case -------------------------------------------------------------------------


def test_a_facilitator_records_a_disclosure_from_the_case_page(personas: Personas) -> None:
    case = a_case(personas)
    client = signed_in_client(personas.facilitator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Nothing from this case has been shared outside the service." in page
    add_url = f"/cases/{case.pk}/disclosures/add/"
    assert f'href="{add_url}"' in page
    form_page = client.get(add_url).content.decode()
    harmed = case.participants.get(role=ParticipantRole.PERSON_HARMED).person
    assert "Ann Harmed (Person harmed (victim))" in form_page
    assert personas.coordinator.full_name in form_page
    response = client.post(
        add_url,
        {
            "person": str(harmed.pk),
            "shared_on": typed(days_ago(1)),
            "recipient": "Gloucester Crown Court",
            "recipient_kind": "court",
            "what": "That she took part, for sentencing.",
            "basis": "consent",
            "approved_by": str(personas.coordinator.pk),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#disclosures"
    disclosure = Disclosure.objects.get()
    assert (disclosure.recorded_by, disclosure.approved_by) == (personas.facilitator, personas.coordinator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Gloucester Crown Court" in page
    assert "Ann Harmed" in page
    # The facilitator does not read the service's log, so the row does not link to it.
    assert f"/disclosures/{disclosure.pk}/" not in page


def test_a_coordinator_is_the_approver_unless_they_choose_another(personas: Personas) -> None:
    case = a_case(personas)
    page = signed_in_client(personas.coordinator).get(f"/cases/{case.pk}/disclosures/add/").content.decode()
    assert re.search(rf'name="approved_by" value="{personas.coordinator.pk}"[^>]* checked', page)


def test_the_form_shows_a_refusal_and_keeps_what_was_typed(personas: Personas) -> None:
    case = a_case(personas)
    harmed = case.participants.get(role=ParticipantRole.PERSON_HARMED).person
    response = signed_in_client(personas.coordinator).post(
        f"/cases/{case.pk}/disclosures/add/",
        {
            "person": str(harmed.pk),
            "shared_on": typed(days_ago(0)),
            "recipient": POLICE,
            "recipient_kind": "police",
            "what": "Her new address.",
            "basis": "safeguarding",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why sharing it with the police was necessary and proportionate." in page
    assert "Her new address." in page
    assert not Disclosure.objects.exists()


def test_the_case_page_shows_disclosures_only_to_those_who_read_the_log_or_record_them(personas: Personas) -> None:
    case = a_case(personas)
    case_services.allocate_case(
        case=case, actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.supervisor
    )
    disclosure = disclose(case, personas.coordinator)
    supervisor_page = signed_in_client(personas.supervisor).get(f"/cases/{case.pk}/").content.decode()
    assert "Shared outside the service" not in supervisor_page
    coordinator_page = signed_in_client(personas.coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert "Shared outside the service" in coordinator_page
    assert dp(personas, f"disclosures/{disclosure.pk}/") in coordinator_page


# --- The log ------------------------------------------------------------------------------------------------------


def test_the_log_lists_every_disclosure_and_filters_by_recipient_and_date(personas: Personas) -> None:
    case = a_case(personas)
    disclose(case, personas.coordinator, recipient="Crown Court", shared_on=days_ago(40))
    disclose(
        case,
        personas.coordinator,
        recipient="Western Area Police",
        recipient_kind=PartnerKind.POLICE,
        necessity="To vary bail.",
        shared_on=days_ago(5),
    )
    client = signed_in_client(personas.administrator)
    page = client.get(dp(personas, "disclosures/")).content.decode()
    assert "Crown Court" in page
    assert "Western Area Police" in page
    # The administrator sees no cases: the reference, without a link.
    assert case.reference in page
    assert f'href="/cases/{case.pk}/"' not in page
    police_only = client.get(dp(personas, "disclosures/"), {"recipient_kind": "police"}).content.decode()
    assert "Western Area Police" in police_only
    assert "Crown Court" not in police_only
    lately = client.get(dp(personas, "disclosures/"), {"shared_from": typed(days_ago(10))}).content.decode()
    assert "Crown Court" not in lately
    assert "Western Area Police" in lately
    backwards = client.get(
        dp(personas, "disclosures/"), {"shared_from": typed(days_ago(1)), "shared_to": typed(days_ago(10))}
    ).content.decode()
    assert "The second date must be the same as or after the first." in backwards


def test_a_disclosure_page_shows_what_was_shared_and_the_view_is_audited(personas: Personas) -> None:
    case = a_case(personas)
    disclosure = disclose(
        case,
        personas.coordinator,
        recipient=POLICE,
        recipient_kind=PartnerKind.POLICE,
        necessity="To vary bail conditions on the day.",
        what="The date of the meeting.",
    )
    page = signed_in_client(personas.coordinator).get(dp(personas, f"disclosures/{disclosure.pk}/")).content.decode()
    for words in ("The date of the meeting.", "To vary bail conditions on the day.", "Ann Harmed", case.reference):
        assert words in page, words
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, target_type="dataprotection.disclosure", target_id=str(disclosure.pk)
    ).exists()


# --- The intake check on the triage pages and through the API -----------------------------------------------------


def test_the_triage_queue_and_the_referral_page_say_when_no_agreement_was_in_force(personas: Personas) -> None:
    without = partner_referral(personas.service, personas.referrer)
    add_agreement(personas.service, personas.coordinator, partner="Victim Support")
    under = partner_referral(personas.service, personas.referrer, organisation="Victim Support")
    client = signed_in_client(personas.coordinator)
    queue = client.get(f"/services/{personas.service.pk}/referrals/").content.decode()
    assert queue.count("No sharing agreement with Western Area Police") == 1
    page = client.get(f"/referrals/{without.pk}/").content.decode()
    assert "No sharing agreement with Western Area Police" in page
    assert "say why it can be received without one" in page
    assert 'name="received_without_agreement"' in page
    page = client.get(f"/referrals/{under.pk}/").content.decode()
    assert "Victim Support (ISA-1)" in page
    assert 'name="received_without_agreement"' not in page


def test_accepting_through_the_page_asks_why_there_is_no_agreement(personas: Personas) -> None:
    referral = partner_referral(personas.service, personas.referrer)
    client = signed_in_client(personas.coordinator)
    form = {"decision": "accept", "reason": "Within scope", "version": referral.version}
    response = client.post(f"/referrals/{referral.pk}/triage/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say why the referral can be received without one" in page
    assert "Within scope" in page
    referral.refresh_from_db()
    assert referral.case is None
    response = client.post(
        f"/referrals/{referral.pk}/triage/",
        {**form, "received_without_agreement": "The person gave consent to the referral."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.case is not None
    assert referral.received_without_agreement == "The person gave consent to the referral."
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "The person gave consent to the referral." in page


def test_a_self_referral_shows_no_sharing_agreement_section(personas: Personas) -> None:
    referral = partner_referral(personas.service, personas.coordinator, source=ReferralSource.SELF)
    page = signed_in_client(personas.coordinator).get(f"/referrals/{referral.pk}/").content.decode()
    assert "Information sharing agreement" not in page
    assert "No sharing agreement" not in page


def _api_referral(client: Any, service_id: int, organisation: str) -> dict[str, Any]:
    response = client.post(
        f"/services/{service_id}/referrals",
        {
            "source": "police",
            "referrer_organisation": organisation,
            "offence_category": "burglary",
            "justice_stage": "pre_charge",
            "initiated_by": "person_harmed",
            "setting": "criminal_justice",
            "people": [{"role": "person_harmed", "given_name": "Ann", "family_name": "Harmed"}],
        },
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_the_api_says_when_a_referral_needs_a_reason_and_takes_it(personas: Personas) -> None:
    agreement = add_agreement(personas.service, personas.coordinator)
    coordinator = SessionClient(personas.coordinator)
    under = _api_referral(TokenClient(personas.referrer), personas.service.pk, "western area police")
    without = _api_referral(coordinator, personas.service.pk, "Eastern Area Police")
    assert under["full"] is False
    assert "needs_sharing_agreement" not in under or under["needs_sharing_agreement"] is None
    assert without["sharing_agreement_id"] is None
    assert without["needs_sharing_agreement"] is True
    read = coordinator.get(f"/referrals/{under['id']}").json()
    assert (read["sharing_agreement_id"], read["needs_sharing_agreement"]) == (agreement.pk, False)
    body = {"decision": "accept", "reason": "Within scope", "version": without["version"]}
    refused = coordinator.post(f"/referrals/{without['id']}/triage", body)
    assert refused.status_code == 409
    assert "no information sharing agreement with Eastern Area Police" in refused.json()["detail"]
    accepted = coordinator.post(
        f"/referrals/{without['id']}/triage", {**body, "received_without_agreement": "Consent given by phone."}
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["referral"]["received_without_agreement"] == "Consent given by phone."
    assert accepted.json()["referral"]["needs_sharing_agreement"] is False
    accepted = coordinator.post(
        f"/referrals/{under['id']}/triage", {"decision": "accept", "reason": "In scope", "version": read["version"]}
    )
    assert accepted.status_code == 200, accepted.content
    assert Referral.objects.get(pk=under["id"]).sharing_agreement == agreement


# --- Query counts -------------------------------------------------------------------------------------------------


def _grow_agreements(personas: Personas) -> Callable[[int], None]:
    def grow(count: int) -> None:
        for _ in range(count):
            add_agreement(personas.service, personas.coordinator, partner=f"Partner {SharingAgreement.objects.count()}")

    return grow


def _grow_disclosures(personas: Personas, case: Case) -> Callable[[int], None]:
    def grow(count: int) -> None:
        agreement = SharingAgreement.objects.filter(partner=POLICE).first() or add_agreement(
            personas.service, personas.coordinator
        )
        for number in range(count):
            disclose(case, personas.coordinator, shared_on=days_ago(number))
            disclose(
                case,
                personas.facilitator,
                recipient=POLICE,
                recipient_kind=PartnerKind.POLICE,
                basis=SharingBasis.AGREEMENT,
                agreement=agreement,
                necessity="To vary bail.",
                approved_by=personas.coordinator,
            )

    return grow


@pytest.mark.parametrize("page", ["agreements", "log", "case", "add", "queue"])
def test_the_pages_keep_their_query_count_flat(personas: Personas, page: str) -> None:
    case = a_case(personas)
    client: Client = signed_in_client(personas.coordinator)
    url, grow = {
        "agreements": (dp(personas, "agreements/"), _grow_agreements(personas)),
        "log": (dp(personas, "disclosures/"), _grow_disclosures(personas, case)),
        "case": (f"/cases/{case.pk}/", _grow_disclosures(personas, case)),
        "add": (f"/cases/{case.pk}/disclosures/add/", _grow_agreements(personas)),
        "queue": (
            f"/services/{personas.service.pk}/referrals/",
            lambda count: [partner_referral(personas.service, personas.referrer) for _ in range(count)],
        ),
    }[page]
    grow(2)
    few = queries_for(client, url)
    grow(8)
    assert queries_for(client, url) == few, url


def test_a_facilitator_not_working_on_the_case_cannot_reach_the_form(personas: Personas) -> None:
    case = a_case(personas)
    stranger = UserFactory(full_name="Another Facilitator")
    MembershipFactory(user=stranger, service=personas.service, role=Role.FACILITATOR)
    client = signed_in_client(stranger)
    assert client.get(f"/cases/{case.pk}/disclosures/add/").status_code == 404
    assert client.post(f"/cases/{case.pk}/disclosures/add/", {}).status_code == 404
