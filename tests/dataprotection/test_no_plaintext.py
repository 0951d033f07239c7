"""What the database holds: no personal data in plaintext, in the encrypted fields, their history or the audit.

The case is built through the services, as staff would build it, with distinctive personal details; then every
column of every table is read past the ORM (nothing decrypted) and searched for every value any encrypted field
holds. A new encrypted field is covered without a change here; a copy of personal data into a plain column (a
history table, an audit row, a cache of a name) fails it.
"""

import datetime

from django.apps import apps
from django.db import connection
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import ProcessKind, State
from amends.complaints.models import Channel, ComplaintKind, FromRole
from amends.complaints.services import record_complaint
from amends.core.fields import encrypted_columns
from amends.people import services as people_services
from amends.people.identifying import add_identifying_detail
from amends.people.models import ContactChannel, ContactOutcome, Person
from amends.relay import services as relay_services
from amends.relay.models import MessageKind
from tests.case_builders import build_case
from tests.personas import Personas

SHORTEST_SEARCHED = 8
DETAILS = {
    "given_name": "Zephyrine",
    "family_name": "Quillfeather",
    "preferred_name": "Zephy Quill",
    "date_of_birth": datetime.date(1979, 4, 23),
    "phone": "07700 900461",
    "email": "zephyrine.q@example.org",
    "address": "12 Quillon Street, Marlbrook MB9 4QZ",
    "safe_times": "Weekday mornings before nine",
    "safe_contact_notes": "Her brother Thaddeus answers the landline",
    "access_needs_notes": "Hearing aid in her left ear",
    "access_needs": ["learning_disability", "hearing_loop"],
}


def _stored_text() -> str:
    """Every value of every column of every table, as the database holds it."""
    quote = connection.ops.quote_name
    held: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            columns = ", ".join(quote(field.column) for field in model._meta.local_concrete_fields)
            cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)}")  # noqa: S608
            held.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return "\n".join(held)


def _plaintexts() -> set[str]:
    """Every text held in an encrypted field, decrypted, long enough to be told apart from a code or a word."""
    found: set[str] = set()
    for model, fields in encrypted_columns().items():
        for row in model._base_manager.all():
            for field in fields:
                value = getattr(row, field.attname)
                if isinstance(value, datetime.date):
                    value = value.isoformat()
                if isinstance(value, str):
                    found |= {line.strip() for line in value.splitlines() if len(line.strip()) >= SHORTEST_SEARCHED}
    return found


def test_no_personal_data_is_held_in_plaintext_anywhere(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.AGREEMENT_MONITORING,
        crime_reference="WZ/55501/26",
        process=ProcessKind.FACE_TO_FACE,
    )
    case, harmed = built.case, built.harmed
    people_services.update_person(
        person=harmed.person, actor=personas.facilitator, case=case, details=DETAILS, expected_version=None
    )
    people_services.update_person(
        person=harmed.person,
        actor=personas.facilitator,
        case=case,
        details={"address": "3 Larkspur Mews, Marlbrook MB2 7XY"},
        expected_version=None,
    )
    people_services.record_equality(
        person=harmed.person,
        actor=personas.facilitator,
        case=case,
        answers={"ethnicity": "mixed", "religion": "buddhist", "sexual_orientation": "bisexual"},
    )
    add_identifying_detail(
        participant=harmed, actor=personas.facilitator, kind="school", value="Marlbrook Juniper Academy"
    )
    people_services.log_contact(
        participant=harmed,
        actor=personas.facilitator,
        occurred_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
        summary="Talked through her worries about meeting him",
    )
    case_services.add_case_note(
        case=case, actor=personas.facilitator, text="Zephyrine mentioned the Quillon Street burglary scares her"
    )
    relay_services.create_message(
        case=case,
        actor=personas.facilitator,
        sender=built.responsible,
        recipient=harmed,
        kind=MessageKind.LETTER,
        body="Dear Zephyrine, I am truly sorry about the window",
    )
    record_complaint(
        service=personas.service,
        actor=None,
        kind=ComplaintKind.COMPLAINT,
        received_on=timezone.localdate(),
        channel=Channel.ONLINE_FORM,
        from_role=FromRole.PERSON_HARMED,
        summary="Nobody rang Zephyrine back on 07700 900461",
        contact="zephyrine.q@example.org",
    )

    plaintexts = _plaintexts()
    stored = _stored_text()

    # The search found what it was meant to search for...
    assert {"Zephyrine", "3 Larkspur Mews, Marlbrook MB2 7XY", "WZ/55501/26", "1979-04-23"} <= plaintexts
    # ...and none of it, nor any other encrypted value, is held as it was typed: not in its column, not in the audit
    # trail, the case's timeline or any other history.
    leaked = sorted(text for text in plaintexts if text in stored)
    assert leaked == []
    # The address it replaced is not kept anywhere either.
    assert "Quillon Street, Marlbrook" not in stored
    # Accessibility needs can be health data: a list of codes, encrypted as one value.
    assert Person.objects.get(pk=harmed.person_id).access_needs == ["hearing_loop", "learning_disability"]
    # (A venue's facilities name a hearing loop in plain text: they are no one's personal data.)
    assert "learning_disability" not in stored
