"""factory_boy factories for the records tests build on."""

import datetime
from decimal import Decimal
from typing import Any

import factory
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from amends.accounts.models import (
    CPDRecord,
    FacilitatorRecord,
    Membership,
    ObservedPractice,
    Organisation,
    OrganisationKind,
    Partnership,
    RJCLevel,
    Role,
    Service,
    SupervisionSession,
    User,
)

# A fixed TOTP secret for test accounts, so a test can compute the code a person would type.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@amends.example")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def second_factor(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        """Every staff account has TOTP unless a test says second_factor=False."""
        if create and extracted is not False:
            TOTP.activate(obj, TEST_TOTP_SECRET)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Restorative Justice Provider {n}")
    kind = OrganisationKind.RJ_PROVIDER


def _code(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "S" + letters[n // 26 % 26] + letters[n % 26]


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Restorative Justice Service {n}")
    code = factory.Sequence(_code)
    phone = "01000 000000"
    email = factory.Sequence(lambda n: f"service{n}@amends.example")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.POLICE)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    role = Role.FACILITATOR


class FacilitatorRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilitatorRecord

    user = factory.SubFactory(UserFactory)
    rjc_level = RJCLevel.INTERMEDIATE
    registration_number = factory.Sequence(lambda n: f"RJC-{n:05d}")
    registration_expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))


class CPDRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CPDRecord

    record = factory.SubFactory(FacilitatorRecordFactory)
    activity = "Trauma-informed practice"
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    hours = Decimal("3.0")
    rjc_approved = True


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession

    record = factory.SubFactory(FacilitatorRecordFactory)
    service = factory.SubFactory(ServiceFactory)
    supervisor = factory.SubFactory(UserFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(weeks=4))


class ObservedPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservedPractice

    record = factory.SubFactory(FacilitatorRecordFactory)
    service = factory.SubFactory(ServiceFactory)
    observer = factory.SubFactory(UserFactory)
    observed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
