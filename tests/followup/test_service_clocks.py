"""The service's follow-up clocks are changed with its other details; left blank, they keep their days."""

import pytest

from amends.audit.models import AuditAction, AuditEvent
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _details(personas: Personas, **clocks: str) -> dict[str, str]:
    return {
        "name": personas.service.name,
        "areas_covered": "Stroud",
        "phone": "",
        "email": "",
        "out_of_hours_message": "",
        "out_of_hours_message_cy": "",
        "privacy_notice": "",
        "privacy_notice_cy": "",
        **clocks,
    }


def test_a_coordinator_changes_the_follow_up_clocks(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    url = f"/services/{personas.service.pk}/edit/"
    assert "first follow-up contact after (days)" in client.get(url).content.decode().lower()
    data = _details(personas, first_follow_up_days="21", second_follow_up_days="120")
    assert client.post(url, data).status_code == 302
    personas.service.refresh_from_db()
    assert (personas.service.first_follow_up_days, personas.service.second_follow_up_days) == (21, 120)
    changes = AuditEvent.objects.get(action=AuditAction.SERVICE_UPDATED).changes
    assert changes["second_follow_up_days"] == {"before": 91, "after": 120}


def test_blank_clocks_keep_their_days(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    assert client.post(f"/services/{personas.service.pk}/edit/", _details(personas)).status_code == 302
    personas.service.refresh_from_db()
    assert (personas.service.first_follow_up_days, personas.service.second_follow_up_days) == (14, 91)


def test_the_second_follow_up_must_come_after_the_first(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    data = _details(personas, first_follow_up_days="30", second_follow_up_days="20")
    response = client.post(f"/services/{personas.service.pk}/edit/", data)
    assert response.status_code == 200
    assert "The second follow-up contact must come after the first." in response.content.decode()
    personas.service.refresh_from_db()
    assert personas.service.first_follow_up_days == 14
