"""The demo service that `make run` loads."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import override_settings

from amends.accounts.demo import DEMO_PASSWORD, demo_email
from amends.accounts.models import Membership, Role, Service, User
from amends.audit.services import verify_chain

pytestmark = pytest.mark.django_db


def test_it_loads_one_person_per_role_in_two_services_and_can_run_twice() -> None:
    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Membership.objects.count(), Service.objects.count())
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert (User.objects.count(), Membership.objects.count(), Service.objects.count()) == counts
    assert Service.objects.count() == 2
    for slug in ("sv", "dy"):
        for role in (Role.COORDINATOR, Role.FACILITATOR, Role.SUPERVISOR, Role.REFERRER, Role.COMMISSIONER):
            user = User.objects.get(email=demo_email(role, slug))
            assert user.check_password(DEMO_PASSWORD)
            assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "coordinator.sv@demo.amends.example" in output.getvalue()
    assert verify_chain() is None


@override_settings(PRODUCTION=True)
def test_it_refuses_to_load_the_demo_in_production() -> None:
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()
