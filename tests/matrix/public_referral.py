"""Permission-matrix rows for self-referrals: the public form (anyone, no sign-in) and the staff check of a
self-referral, on its page and through the API (coordinators of the service only).

The matrix's target referral was entered by staff, so each row's path first makes a self-referral in the target's
service, as the public form does; the API row's body then carries that referral's version."""

from typing import Any

from amends.people.models import ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.models import Initiator, OffenceCategory, Referral, ReferralSource
from tests.matrix.base import Endpoint, Target
from tests.matrix.case_api import API

COORDINATOR = frozenset({"coordinator"})


def _self_referral(t: Target) -> Referral:
    return referral_services.create_self_referral(
        service=t.service,
        details={"initiated_by": Initiator.PERSON_HARMED, "offence_category": OffenceCategory.THEFT},
        people=[referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, {"given_name": "Sam", "phone": "0"})],
    )


def _latest_self_referral(t: Target) -> Referral:
    return Referral.objects.filter(service=t.service, source=ReferralSource.SELF).latest("pk")


def _check_page(t: Target) -> str:
    return f"/referrals/{_self_referral(t).pk}/check/"


def _check_api(t: Target) -> str:
    return f"{API}/referrals/{_self_referral(t).pk}/verification"


def _check_body(t: Target) -> dict[str, Any]:
    return {"note": "Called back on the number given; it was them.", "version": _latest_self_referral(t).version}


ENDPOINTS = (
    Endpoint("check self-referral", "GET", _check_page, COORDINATOR),
    Endpoint("check self-referral", "POST", _check_page, COORDINATOR),
    Endpoint("API: check self-referral", "POST", _check_api, COORDINATOR, body=_check_body),
)

URL_NAMES = ("verify_self_referral",)

API_PATHS = (f"{API}/referrals/{{referral_id}}/verification",)

API_WRITES = (f"POST {API}/referrals/{{referral_id}}/verification",)

_WHY = "public: {}, tested in tests/public/test_self_referral.py"
PUBLIC = {
    "public:refer": _WHY.format("anyone may ask for RJ without an account"),
    "public:refer_done": _WHY.format("what happens next, repeating nothing typed"),
}
