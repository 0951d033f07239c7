"""The demo's data protection: each organisation's purposes, each service's sharing agreements (its referrals from
the police pass the intake check), and two disclosures from the first service's cases; loading it twice adds
nothing."""

import pytest
from django.core.management import call_command
from django.test import Client

from amends.accounts.models import Service
from amends.dataprotection import sharing
from amends.dataprotection.demo import DEMO_POLICE, DEMO_PURPOSES
from amends.dataprotection.models import Disclosure, ProcessingPurpose, SharingAgreement
from amends.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_demo_has_agreements_purposes_and_disclosures() -> None:
    call_command("load_demo", "--quiet-sign-ins")
    services = list(Service.objects.filter(code__in=["SV", "DY"]).select_related("organisation"))
    assert len(services) == 2
    for service in services:
        assert ProcessingPurpose.objects.filter(organisation=service.organisation).count() == len(DEMO_PURPOSES)
        assert SharingAgreement.objects.filter(service=service).count() == 3
        referrals = list(Referral.objects.filter(service=service, referrer_organisation=DEMO_POLICE))
        assert referrals
        assert all(referral.sharing_agreement_id is not None for referral in referrals)
        assert not any(sharing.lacks_sharing_agreement(referral) for referral in referrals)
    disclosures = list(Disclosure.objects.select_related("approved_by", "recorded_by"))
    assert len(disclosures) == 2
    assert {disclosure.approved_by.email.split(".")[0] for disclosure in disclosures} == {"coordinator"}
    assert {disclosure.recorded_by.email.split(".")[0] for disclosure in disclosures} == {"coordinator", "facilitator"}
    call_command("load_demo", "--quiet-sign-ins")
    assert Disclosure.objects.count() == 2
    assert SharingAgreement.objects.count() == 6
    welsh = Client().get("/cy/rj/dy/privacy/").content.decode()
    assert "I ddweud wrth bobl a niweidiwyd gan drosedd am gyfiawnder adferol" in welsh
