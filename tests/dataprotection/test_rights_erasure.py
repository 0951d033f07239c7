"""An erasure carried out at the person's request keeps every anonymous figure as it was."""

from typing import Any

import pytest
from django.utils import timezone

from amends.dataprotection import rights
from amends.dataprotection.models import RightsRequestKind
from amends.figures import definitions
from amends.figures.definitions import Scope
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period, PeriodKind
from amends.people import services as people_services
from amends.people.models import Person
from tests.case_builders import build_case
from tests.dataprotection.test_rights_services import approved
from tests.personas import Personas

pytestmark = pytest.mark.django_db

BREAKDOWNS = (
    Dimension.NONE,
    Dimension.ROLE,
    Dimension.AGE_GROUP,
    Dimension.AGE_BAND,
    Dimension.SEX,
    Dimension.ETHNICITY,
    Dimension.RELIGION,
)


def figures(personas: Personas) -> list[Any]:
    scope = Scope((personas.service.pk,))
    period = Period.containing(PeriodKind.YEAR, timezone.localdate())
    return [
        (table.figure.key, dimension, table.total.values, [(row.key, row.values) for row in table.rows])
        for dimension in BREAKDOWNS
        for table in definitions.compute_all(scope, period, dimension)
    ]


def test_erasing_a_person_at_their_request_keeps_every_figure(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    people_services.record_equality(
        person=built.harmed.person,
        actor=personas.facilitator,
        case=built.case,
        answers={"age_band": "35_44", "sex": "female", "ethnicity": "white", "religion": "buddhist"},
    )
    before = figures(personas)
    request = approved(personas, built.harmed.person, RightsRequestKind.ERASURE)
    rights.complete_request(request=request, actor=personas.coordinator)

    person = Person.objects.get(pk=built.harmed.person_id)
    assert person.anonymised_at is not None
    assert (person.given_name, person.family_name, person.date_of_birth) == ("", "", None)
    assert figures(personas) == before
