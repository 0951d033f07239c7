"""Withholding records of a subject access export: a record also about someone else, which it would not be reasonable
to give without their agreement (DPA 2018 Sch. 2 para. 16), is left out of the downloads, which say how many were and
on what ground; the coordinator's reason stays on the request."""

import json
import re

import pytest
from django.urls import reverse

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import CaseNote
from amends.core.errors import DomainError
from amends.dataprotection import rights, subject_access
from amends.dataprotection.models import RightsRequest
from tests.case_builders import BuiltCase
from tests.conftest import signed_in_client
from tests.dataprotection.test_rights_services import release
from tests.dataprotection.test_subject_access import access_request, letters_case
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ABOUT_HIM = "He told me about his own court case next month and his drinking."
REASON = "About the person responsible's health and other offending."


def _url(name: str, request: RightsRequest) -> str:
    return reverse(f"dataprotection:{name}", kwargs={"service_id": request.service_id, "request_id": request.pk})


def _with_a_note(personas: Personas) -> tuple[BuiltCase, RightsRequest, str]:
    built = letters_case(personas)
    case_services.add_case_note(case=built.case, actor=personas.facilitator, text=ABOUT_HIM)
    note = CaseNote.objects.filter(case=built.case).latest("pk")
    return built, access_request(built.harmed.person, personas.coordinator), f"note-{note.pk}"


def _texts(report: subject_access.Report) -> str:
    return json.dumps(report, ensure_ascii=False)


def test_a_withheld_record_is_left_out_and_the_export_says_how_many_and_why(personas: Personas) -> None:
    _built, request, key = _with_a_note(personas)
    assert key in {
        record["key"] for _heading, record in subject_access.keyed_records(subject_access.release_report(request))
    }

    withheld = rights.withhold_records(request=request, actor=personas.coordinator, keys=[key], reason=REASON)

    report = subject_access.release_report(withheld)
    assert ABOUT_HIM not in _texts(report)
    assert REASON not in _texts(report)  # the reason may say what the record is about: it stays on the request
    last = report["sections"][-1]
    assert last["heading"] == "What we have not given you"
    assert last["rows"][0] == {"key": "Records not given", "value": "1"}
    assert "Schedule 2, paragraph 16" in last["rows"][1]["value"]
    assert ABOUT_HIM in _texts(subject_access.build_report(request.person, service=request.service))
    event = AuditEvent.objects.get(action=AuditAction.RIGHTS_REQUEST_WITHHELD, target_id=str(request.pk))
    assert event.changes == {"withheld": {"before": [], "after": [key]}, "reason": "[encrypted]"}

    # Giving everything back takes the section away.
    given = rights.withhold_records(request=withheld, actor=personas.coordinator, keys=[], reason="")
    assert (given.withheld, given.withholding_reason) == ([], "")
    assert ABOUT_HIM in _texts(subject_access.release_report(given))


def test_withholding_is_a_coordinators_with_a_reason_before_the_release(personas: Personas) -> None:
    _built, request, key = _with_a_note(personas)
    with pytest.raises(DomainError, match="Only a coordinator"):
        rights.withhold_records(request=request, actor=personas.facilitator, keys=[key], reason=REASON)
    with pytest.raises(DomainError, match="Say why") as no_reason:
        rights.withhold_records(request=request, actor=personas.coordinator, keys=[key], reason="  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(DomainError, match="Choose records"):
        rights.withhold_records(request=request, actor=personas.coordinator, keys=["Ann Harmed"], reason=REASON)
    assert RightsRequest.objects.get(pk=request.pk).withheld == []
    released = release(personas, RightsRequest.objects.get(pk=request.pk))
    with pytest.raises(DomainError, match="before it is released"):
        rights.withhold_records(request=released, actor=personas.coordinator, keys=[key], reason=REASON)


def test_a_coordinator_withholds_a_note_through_the_pages(personas: Personas) -> None:
    _built, request, key = _with_a_note(personas)
    coordinator = signed_in_client(personas.coordinator)
    preview = coordinator.get(_url("access_preview", request)).content.decode()
    assert "Nothing is withheld" in preview
    assert _url("access_withhold", request) in preview

    form = coordinator.get(_url("access_withhold", request)).content.decode()
    assert f'value="{key}"' in form
    missing = coordinator.post(_url("access_withhold", request), {"version": request.version, "withhold": [key]})
    page = missing.content.decode()
    assert "Say why these records are withheld." in page
    assert re.search(rf'value="{key}"[^>]*checked', page)  # what was chosen is kept

    saved = coordinator.post(
        _url("access_withhold", request), {"version": request.version, "withhold": [key], "reason": REASON}
    )
    assert saved.status_code == 302
    assert saved["Location"] == _url("access_preview", request)
    preview = coordinator.get(_url("access_preview", request)).content.decode()
    assert "1 record is withheld" in preview
    assert "(withheld)" in preview
    assert ABOUT_HIM in preview  # still there to read, and to give back

    downloaded = json.loads(coordinator.post(_url("access_json", request)).content)
    assert ABOUT_HIM not in json.dumps(downloaded, ensure_ascii=False)
    assert downloaded["sections"][-1]["heading"] == "What we have not given you"
    assert RightsRequest.objects.get(pk=request.pk).withholding_reason == REASON
