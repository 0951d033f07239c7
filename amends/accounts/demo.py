"""The demo service: two services in one partnership, one person for each role in each, practice records.

Demo accounts share a password and a TOTP secret that are published in the README: never load this in production.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.db import transaction
from django.utils import timezone

from amends.accounts import practice, services
from amends.accounts.models import (
    Day,
    FacilitatorRecord,
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    RJCLevel,
    Role,
    Service,
    Specialism,
    User,
    WelshSkill,
)
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.demo import STORIES, Staff, awaiting_triage, load_demo_cases
from amends.dataprotection.demo import prepare_data_protection, record_demo_disclosures, record_demo_requests

DEMO_PASSWORD = "amends-demo-only"  # noqa: S105 - published on purpose, for the demo only
DEMO_TOTP_SECRET = "AMENDSDEMOTOTPSECRETONLYFORDEMOS"  # noqa: S105 - published on purpose, for the demo only
DEMO_EMAIL_DOMAIN = "demo.amends.example"


@dataclass(frozen=True)
class DemoService:
    name: str
    code: str
    organisation: str
    kind: OrganisationKind
    areas: str
    phone: str
    welsh: bool
    slug: str


DEMO_SERVICES = (
    DemoService(
        name="Severn Vale Restorative Justice Service",
        code="SV",
        organisation="Severn Vale Restorative Justice",
        kind=OrganisationKind.RJ_PROVIDER,
        areas="Gloucester, Stroud, Forest of Dean",
        phone="01452 000 000",
        welsh=False,
        slug="sv",
    ),
    DemoService(
        name="Dyfed Restorative Justice Service",
        code="DY",
        organisation="Dyfed Victim and Witness Care",
        kind=OrganisationKind.VICTIM_SERVICE,
        areas="Carmarthenshire, Ceredigion, Pembrokeshire",
        phone="01267 000 000",
        welsh=True,
        slug="dy",
    ),
)

# Role, first name, last name: one person in each role in each service.
DEMO_PEOPLE = (
    (Role.COORDINATOR, "Carys", "Morgan"),
    (Role.FACILITATOR, "Dafydd", "Hughes"),
    (Role.SUPERVISOR, "Ffion", "Davies"),
    (Role.REFERRER, "Priya", "Shah"),
    (Role.COMMISSIONER, "Tom", "Bennett"),
    (Role.ADMINISTRATOR, "Alex", "Price"),
)
PARTNERSHIP_LEAD = ("Sam", "Okafor")


def demo_email(role: Role, slug: str) -> str:
    return f"{role.value.replace('_', '-')}.{slug}@{DEMO_EMAIL_DOMAIN}"


def partnership_lead_email() -> str:
    return f"partnership-lead@{DEMO_EMAIL_DOMAIN}"


def current_demo_code() -> str:
    """The demo TOTP code for this 30-second window, for people trying the demo without an authenticator app."""
    counter = next(yield_hotp_counters_from_time())
    return str(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))


def demo_sign_ins() -> list[tuple[str, str]]:
    """Each demo account's email with a description, in the order the README lists them."""
    rows = []
    for demo in DEMO_SERVICES:
        for role, first, last in DEMO_PEOPLE:
            rows.append((demo_email(role, demo.slug), f"{role.label} ({first} {last}), {demo.name}"))
    rows.append((partnership_lead_email(), f"{Role.PARTNERSHIP_LEAD.label} ({' '.join(PARTNERSHIP_LEAD)}), both"))
    return rows


def _demo_user(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def _practice(user: User, *, level: RJCLevel, service: Service, coordinator: User, supervisor: User | None) -> None:
    if FacilitatorRecord.objects.filter(user=user).exists():
        return
    today = timezone.localdate()
    practice.save_facilitator_record(
        member=user,
        actor=coordinator,
        service=service,
        rjc_level=level,
        registration_number=f"RJC-{user.pk:05d}",
        registration_expires_on=today + datetime.timedelta(days=40 if level == RJCLevel.FOUNDATION else 300),
        welsh_skill=WelshSkill.FLUENT if service.welsh_language_standards else WelshSkill.ENTRY,
        specialisms=[Specialism.YOUNG_PEOPLE] if level == RJCLevel.INTERMEDIATE else [Specialism.DOMESTIC_ABUSE],
    )
    practice.record_training(
        member=user,
        actor=coordinator,
        service=service,
        title="Restorative justice facilitator training",
        provider="Restorative Justice Council registered trainer",
        completed_on=today - datetime.timedelta(days=400),
        rjc_registered_trainer=True,
        level=level,
    )
    practice.record_cpd(
        member=user,
        actor=coordinator,
        service=service,
        activity="Working with harm in families",
        completed_on=today - datetime.timedelta(days=60),
        hours=Decimal("4.5"),
        rjc_approved=True,
    )
    practice.record_cpd(
        member=user,
        actor=coordinator,
        service=service,
        activity="Facilitating in sensitive and complex cases",
        completed_on=today - datetime.timedelta(days=150),
        hours=Decimal("12"),
        rjc_approved=True,
    )
    if supervisor is not None:
        practice.record_supervision(
            member=user,
            actor=supervisor,
            service=service,
            held_on=today - datetime.timedelta(weeks=11),
            notes="Reviewed open cases and preparation plans.",
        )
        practice.record_observed_practice(
            member=user,
            actor=supervisor,
            service=service,
            observed_on=today - datetime.timedelta(days=200),
            notes="Observed a preparation meeting.",
        )


@transaction.atomic
def load_demo() -> None:
    """Create the demo, or leave it as it is when it is already there."""
    partnership_org, _ = Organisation.objects.get_or_create(
        name="Office of the Police and Crime Commissioner for the Western Area",
        defaults={"kind": OrganisationKind.POLICE},
    )
    partnership, _ = Partnership.objects.get_or_create(
        name="Western Restorative Justice Partnership", defaults={"lead_organisation": partnership_org}
    )
    for demo in DEMO_SERVICES:
        organisation, _ = Organisation.objects.get_or_create(
            name=demo.organisation,
            defaults={
                "kind": demo.kind,
                "controller_name": demo.organisation,
                "ico_registration_number": f"ZA{demo.code}0000",
            },
        )
        service, created = Service.objects.get_or_create(
            code=demo.code,
            defaults={
                "name": demo.name,
                "organisation": organisation,
                "areas_covered": demo.areas,
                "phone": demo.phone,
                "email": f"rj.{demo.slug}@{DEMO_EMAIL_DOMAIN}",
                "welsh_language_standards": demo.welsh,
                "out_of_hours_message": "We are closed. If you are in danger, call 999.",
                "out_of_hours_message_cy": "Rydym ar gau. Os ydych mewn perygl, ffoniwch 999." if demo.welsh else "",
            },
        )
        partnership.services.add(service)
        people = {}
        for role, first, last in DEMO_PEOPLE:
            user = _demo_user(demo_email(role, demo.slug), f"{first} {last}")
            services.grant_role(service=service, user=user, role=role, actor=None)
            people[role] = user
        coordinator = people[Role.COORDINATOR]
        facilitator_role = Membership.objects.current().get(
            service=service, user=people[Role.FACILITATOR], role=Role.FACILITATOR
        )
        # Unchanged on a second run: the service records a change only when there is one.
        services.assign_supervisor(membership=facilitator_role, supervisor=people[Role.SUPERVISOR], actor=coordinator)
        if created:
            services.set_opening_hours(
                service=service,
                actor=coordinator,
                hours={
                    day: services.DayHours(closed=False, opens=datetime.time(9), closes=datetime.time(17))
                    if day < Day.SATURDAY
                    else services.DayHours(closed=True)
                    for day in Day
                },
            )
        _practice(
            people[Role.FACILITATOR],
            level=RJCLevel.INTERMEDIATE,
            service=service,
            coordinator=coordinator,
            supervisor=people[Role.SUPERVISOR],
        )
        _practice(
            people[Role.SUPERVISOR], level=RJCLevel.ADVANCED, service=service, coordinator=coordinator, supervisor=None
        )
        staff = Staff(coordinator=coordinator, facilitator=people[Role.FACILITATOR], supervisor=people[Role.SUPERVISOR])
        # The organisation's data protection settings and the service's sharing agreements come before its referrals.
        prepare_data_protection(service, coordinator)
        # Every story in the first service; the Welsh service starts with referrals waiting for triage.
        load_demo_cases(service, staff, stories=STORIES if demo is DEMO_SERVICES[0] else (awaiting_triage,))
        record_demo_disclosures(service, staff)
        record_demo_requests(service, staff)
    lead = _demo_user(partnership_lead_email(), " ".join(PARTNERSHIP_LEAD))
    if not Membership.objects.current().filter(user=lead, partnership=partnership).exists():
        membership = Membership.objects.create(user=lead, partnership=partnership, role=Role.PARTNERSHIP_LEAD)
        record_event(
            action=AuditAction.MEMBERSHIP_STARTED,
            actor=None,
            target=membership,
            changes={"user": lead.pk, "partnership": partnership.pk, "role": Role.PARTNERSHIP_LEAD.value},
        )
