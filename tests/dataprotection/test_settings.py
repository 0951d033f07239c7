"""An organisation's data protection settings and purposes: who changes them, each rule, what is audited, and how
the privacy notice shows them (in Welsh on Welsh pages) with the retention schedule, in a flat number of queries."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amends.accounts.models import Regime
from amends.audit.models import AuditAction, AuditEvent
from amends.core.errors import DomainError
from amends.dataprotection import settings_services, sharing
from amends.dataprotection.models import (
    Condition,
    LawfulBasis,
    PartnerKind,
    ProcessingPurpose,
    Purpose,
    RecordType,
    RetentionRule,
)
from tests.conftest import signed_in_client
from tests.dataprotection.test_sharing import add_agreement
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def settings_url(personas: Personas, rest: str = "") -> str:
    return f"/services/{personas.service.pk}/data-protection/settings/{rest}"


def privacy_url(personas: Personas, *, welsh: bool = False) -> str:
    return f"{'/cy' if welsh else ''}/rj/{personas.service.code.lower()}/privacy/"


def save_settings(personas: Personas, **details: Any) -> Any:
    return settings_services.save_data_protection_settings(
        organisation=personas.service.organisation,
        service=personas.service,
        actor=personas.coordinator,
        details=details,
    )


def add_purpose(personas: Personas, **details: Any) -> ProcessingPurpose:
    values: dict[str, Any] = {
        "purpose": Purpose.DELIVERING_RJ,
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "condition": Condition.SUBSTANTIAL_PUBLIC_INTEREST,
        "explanation": "To run restorative justice with you.",
    }
    values.update(details)
    return settings_services.save_purpose(
        organisation=personas.service.organisation, service=personas.service, actor=personas.coordinator, details=values
    )


def refused(field: str | None, call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    assert error.value.field == field, error.value.message
    return error.value.message


# --- The controller's details -------------------------------------------------------------------------------------


def test_a_coordinator_changes_the_controller_details_and_it_is_audited(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    response = client.post(
        settings_url(personas, "controller/"),
        {
            "controller_name": "Severn Restorative Trust",
            "ico_registration_number": "za 123456",
            "controller_address": "1 Quay Street\n\nGloucester",
            "data_protection_officer_email": "DPO@severn.example",
            "regime": Regime.UK_GDPR,
            "appropriate_policy_url": "https://severn.example/policy",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == settings_url(personas)
    organisation = personas.service.organisation
    organisation.refresh_from_db()
    assert organisation.ico_registration_number == "ZA123456"
    assert organisation.controller_address == "1 Quay Street\nGloucester"
    assert organisation.data_protection_officer_email == "dpo@severn.example"
    event = AuditEvent.objects.get(action=AuditAction.DATA_PROTECTION_SAVED)
    assert event.service == personas.service
    assert event.changes["ico_registration_number"] == {"before": "", "after": "ZA123456"}
    page = client.get(settings_url(personas)).content.decode()
    assert "Severn Restorative Trust" in page
    assert "https://severn.example/policy" in page


@pytest.mark.parametrize(
    ("details", "field", "words"),
    [
        ({"ico_registration_number": "12345"}, "ico_registration_number", "a Z and 7 more letters or numbers"),
        ({"data_protection_officer_email": "not an email"}, "data_protection_officer_email", "correct format"),
        ({"appropriate_policy_url": "policy document"}, "appropriate_policy_url", "beginning https://"),
        ({"regime": "law of the sea"}, "regime", "Choose the law"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(
    personas: Personas, details: dict[str, Any], field: str, words: str
) -> None:
    assert words in refused(field, save_settings, personas, **details)


def test_a_mistake_on_the_form_keeps_what_was_typed(personas: Personas) -> None:
    response = signed_in_client(personas.coordinator).post(
        settings_url(personas, "controller/"),
        {"controller_name": "Severn Trust", "ico_registration_number": "AB1", "regime": Regime.UK_GDPR},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "An ICO registration number is a Z and 7 more letters or numbers" in page
    assert 'value="Severn Trust"' in page


def test_only_those_managing_data_protection_in_one_of_its_services_change_them(personas: Personas) -> None:
    organisation = personas.service.organisation
    for actor, service in (
        (personas.facilitator, personas.service),
        (personas.other_coordinator, personas.other_service),
    ):
        refused(
            None,
            settings_services.save_data_protection_settings,
            organisation=organisation,
            service=service,
            actor=actor,
            details={"controller_name": "Someone"},
        )
    settings_services.save_data_protection_settings(
        organisation=organisation,
        service=personas.service,
        actor=personas.administrator,
        details={"controller_name": "Someone"},
    )


# --- Purposes -----------------------------------------------------------------------------------------------------


def test_a_uk_gdpr_organisation_uses_the_article_6_bases(personas: Personas) -> None:
    message = refused("lawful_basis", add_purpose, personas, lawful_basis=LawfulBasis.LAW_ENFORCEMENT_TASK)
    assert "choose a basis from Article 6" in message
    assert add_purpose(personas).lawful_basis == LawfulBasis.PUBLIC_TASK


def test_a_part_3_organisation_uses_the_part_3_bases_and_conditions(personas: Personas) -> None:
    save_settings(personas, regime=Regime.LAW_ENFORCEMENT)
    personas.service.organisation.refresh_from_db()
    message = refused("lawful_basis", add_purpose, personas)
    assert "choose a Part 3 basis" in message
    message = refused(
        "condition", add_purpose, personas, lawful_basis=LawfulBasis.LAW_ENFORCEMENT_TASK, condition=Condition.EQUALITY
    )
    assert "strictly necessary" in message
    purpose = add_purpose(
        personas, lawful_basis=LawfulBasis.LAW_ENFORCEMENT_TASK, condition=Condition.SENSITIVE_LAW_ENFORCEMENT
    )
    assert purpose.condition == Condition.SENSITIVE_LAW_ENFORCEMENT


def test_the_part_3_condition_is_refused_under_uk_gdpr(personas: Personas) -> None:
    message = refused("condition", add_purpose, personas, condition=Condition.SENSITIVE_LAW_ENFORCEMENT)
    assert "is for law enforcement processing under Part 3" in message


@pytest.mark.parametrize("purpose", [Purpose.DELIVERING_RJ, Purpose.SAFEGUARDING, Purpose.EQUALITY])
def test_criminal_offence_and_special_category_purposes_need_a_condition(personas: Personas, purpose: Purpose) -> None:
    message = refused("condition", add_purpose, personas, purpose=purpose, condition=Condition.NONE)
    assert "uses criminal offence or special category data" in message


def test_other_purposes_need_no_condition(personas: Personas) -> None:
    assert add_purpose(personas, purpose=Purpose.FIGURES, condition="").condition == ""


def test_each_purpose_is_given_once_and_keeps_its_purpose_when_changed(personas: Personas) -> None:
    purpose = add_purpose(personas)
    refused("purpose", add_purpose, personas)
    settings_services.save_purpose(
        organisation=personas.service.organisation,
        service=personas.service,
        actor=personas.coordinator,
        purpose=purpose,
        details={"purpose": Purpose.FIGURES, "lawful_basis": LawfulBasis.LEGITIMATE_INTERESTS},
    )
    purpose.refresh_from_db()
    assert (purpose.purpose, purpose.lawful_basis) == (Purpose.DELIVERING_RJ, LawfulBasis.LEGITIMATE_INTERESTS)
    assert AuditEvent.objects.filter(action=AuditAction.DATA_PROTECTION_SAVED).latest("pk").changes == {
        "lawful_basis": {"before": "public_task", "after": "legitimate_interests"}
    }


def test_a_coordinator_adds_changes_and_removes_a_purpose_through_the_pages(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    form = {"purpose": "safeguarding", "lawful_basis": "public_task", "condition": "", "explanation": "To keep safe."}
    response = client.post(settings_url(personas, "purposes/add/"), form)
    assert "uses criminal offence or special category data" in response.content.decode()
    assert "To keep safe." in response.content.decode()
    response = client.post(settings_url(personas, "purposes/add/"), {**form, "condition": "safeguarding"})
    assert response.status_code == 302
    purpose = ProcessingPurpose.objects.get()
    # Once given, the purpose is not offered again.
    offered = client.get(settings_url(personas, "purposes/add/")).content.decode()
    assert 'name="purpose" value="delivering_rj"' in offered
    assert 'name="purpose" value="safeguarding"' not in offered
    response = client.post(
        settings_url(personas, f"purposes/{purpose.pk}/"),
        {"lawful_basis": "vital_interests", "condition": "safeguarding", "explanation_cy": "I gadw pawb yn ddiogel."},
    )
    assert response.status_code == 302
    purpose.refresh_from_db()
    assert (purpose.lawful_basis, purpose.explanation_cy) == ("vital_interests", "I gadw pawb yn ddiogel.")
    assert client.post(settings_url(personas, f"purposes/{purpose.pk}/remove/")).status_code == 302
    assert not ProcessingPurpose.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DATA_PROTECTION_SAVED).latest("pk").changes["removed"] == (
        "safeguarding"
    )


def test_a_change_of_regime_flags_the_purposes_whose_basis_no_longer_fits(personas: Personas) -> None:
    add_purpose(personas)
    save_settings(personas, regime=Regime.LAW_ENFORCEMENT)
    page = signed_in_client(personas.coordinator).get(settings_url(personas)).content.decode()
    assert "The lawful basis of these purposes does not fit the regime: Delivering restorative justice" in page
    assert "Does not fit the regime" in page


def test_the_data_protection_page_leads_managers_to_the_settings(personas: Personas) -> None:
    hub = f"/services/{personas.service.pk}/data-protection/"
    assert f'href="{settings_url(personas)}"' in signed_in_client(personas.coordinator).get(hub).content.decode()
    assert settings_url(personas) not in signed_in_client(personas.facilitator).get(hub).content.decode()


# --- The privacy notice -------------------------------------------------------------------------------------------


def test_the_privacy_notice_shows_the_regime_the_purposes_and_how_long_records_are_kept(personas: Personas) -> None:
    save_settings(
        personas,
        controller_name="Severn Restorative Trust",
        data_protection_officer_email="dpo@severn.example",
        appropriate_policy_url="https://severn.example/policy",
    )
    add_purpose(personas, explanation="To run restorative justice with you.", explanation_cy="I redeg cyfiawnder.")
    RetentionRule.objects.create(
        service=personas.service, record_type=RecordType.COMPLAINT, keep_months=30, changed_by=personas.coordinator
    )
    page = Client().get(privacy_url(personas)).content.decode()
    for words in (
        "Severn Restorative Trust is the data controller",
        'href="mailto:dpo@severn.example"',
        "We use your information under UK GDPR and DPA 2018 Part 2.",
        'href="https://severn.example/policy"',
        "Delivering restorative justice",
        "To run restorative justice with you.",
        "Public task (Art. 6(1)(e))",
        "Statutory and government purposes (Sch. 1 para 6)",
        "84 months after the case closed",
        "30 months after a complaint was answered",
    ):
        assert words in page, words
    assert "I redeg cyfiawnder." not in page
    welsh = Client().get(privacy_url(personas, welsh=True)).content.decode()
    assert "I redeg cyfiawnder." in welsh
    assert "To run restorative justice with you." not in welsh


def test_a_services_own_notice_still_shows_the_controller_and_purposes(personas: Personas) -> None:
    service = personas.service
    service.privacy_notice = "We keep your details safe."
    service.save()
    save_settings(personas, data_protection_officer_email="dpo@severn.example")
    add_purpose(personas)
    page = Client().get(privacy_url(personas)).content.decode()
    assert "We keep your details safe." in page
    assert f"{service.organisation.name} is the data controller." in page
    assert 'href="mailto:dpo@severn.example"' in page
    assert "Delivering restorative justice" in page
    assert "Who we are" not in page


def _grow_purposes(personas: Personas, count: int) -> None:
    used = set(ProcessingPurpose.objects.values_list("purpose", flat=True))
    for purpose in [value for value in Purpose.values if value not in used][:count]:
        add_purpose(personas, purpose=purpose)
    rules = set(RetentionRule.objects.values_list("record_type", flat=True))
    for record_type in [value for value in RecordType.values if value not in rules][:count]:
        RetentionRule.objects.create(
            service=personas.service, record_type=record_type, keep_months=24, changed_by=personas.coordinator
        )


@pytest.mark.parametrize("page", ["privacy", "settings"])
def test_the_pages_keep_their_query_count_flat(personas: Personas, page: str) -> None:
    if page == "privacy":
        client, url = Client(), privacy_url(personas)
    else:
        client, url = signed_in_client(personas.coordinator), settings_url(personas)
    _grow_purposes(personas, 1)
    few = queries_for(client, url)
    _grow_purposes(personas, 5)
    assert queries_for(client, url) == few


def test_the_privacy_notice_names_the_kinds_of_organisation_it_shares_with_under_agreements_in_force(
    personas: Personas,
) -> None:
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    add_agreement(personas.service, personas.coordinator, starts_on=year_ago)
    ended = add_agreement(
        personas.service,
        personas.coordinator,
        partner="Severn Youth Justice",
        partner_kind=PartnerKind.YOUTH_JUSTICE,
        reference="ISA-2",
        starts_on=year_ago,
    )
    sharing.end_sharing_agreement(
        agreement=ended, actor=personas.coordinator, ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = Client().get(privacy_url(personas)).content.decode()
    assert "Who we share your information with" in page
    assert "<li>Police</li>" in page
    assert "Youth justice service" not in page
