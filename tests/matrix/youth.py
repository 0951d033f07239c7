"""Permission-matrix rows for the youth and court pages and API: the panel member register, a case's referral order
(with its forms) and its report to the court.

Each referral-order path first makes the target's case a referral-order panel process and, where the row needs them,
records the order, meets the gates, takes the case on to preparing and books its panel meeting. Each court-report path
records a deferment order on the case. Supervised rows make the service's supervisor the case's supervisor: they may
read, and nothing more.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import Case, ProcessKind, State
from amends.meetings.models import Meeting, MeetingPurpose
from amends.youth.models import CourtReport, PanelMember, PanelRole, ReferralOrder
from tests.case_builders import meet_gates
from tests.matrix.base import Endpoint, Target
from tests.matrix.case_api import API, _supervised
from tests.youth.builders import book_panel, make_panel, record_order

CASE_TEAM = frozenset({"coordinator", "facilitator"})
READERS = CASE_TEAM | {"supervisor"}
REGISTER_READERS = frozenset({"coordinator", "facilitator", "supervisor", "administrator"})
REGISTER_KEEPERS = frozenset({"coordinator", "administrator"})


def _youth_case(t: Target) -> Case:
    """The target's case, its process a referral-order panel (once)."""
    case = Case.objects.get(pk=t.case.pk)
    if case.process_kind != ProcessKind.REFERRAL_ORDER_PANEL:
        case_services.update_case_details(
            case=case,
            actor=t.coordinator,
            details={"process_kind": ProcessKind.REFERRAL_ORDER_PANEL},
            expected_version=None,
        )
    return Case.objects.get(pk=t.case.pk)


def _ordered(t: Target) -> ReferralOrder:
    case = _youth_case(t)
    return ReferralOrder.objects.filter(case=case).first() or record_order(case, t.coordinator)


def _panel_meeting(t: Target) -> Meeting:
    """A booked panel meeting of the ordered case, being prepared with its gates met, and a register to seat."""
    case = Case.objects.get(pk=t.case.pk)
    if case.state == State.ASSESSING:
        meet_gates(case, t.member, ProcessKind.REFERRAL_ORDER_PANEL)
        case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=t.member, name="start_preparing")
    _ordered(t)
    make_panel(t.service, t.coordinator)
    meeting = Meeting.objects.filter(case_id=t.case.pk, purpose=MeetingPurpose.PANEL).first()
    return meeting or book_panel(Case.objects.get(pk=t.case.pk), t.member)


def _deferred(t: Target) -> Case:
    """The target's case with a deferment order recorded (once), so its court report is scheduled."""
    case = Case.objects.get(pk=t.case.pk)
    if not case.pre_sentence:
        today = timezone.localdate()
        case_services.update_case_details(
            case=case,
            actor=t.coordinator,
            details={
                "pre_sentence": True,
                "deferment_order_on": today,
                "deferred_until": today + datetime.timedelta(days=28),
            },
            expected_version=None,
        )
    return Case.objects.get(pk=t.case.pk)


def _order_page(rest: str = "", make: Callable[[Target], Any] = _youth_case) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        make(t)
        return f"/cases/{t.case.pk}/referral-order/{rest}"

    return path


def _seat_page(t: Target) -> str:
    return f"/cases/{t.case.pk}/referral-order/meetings/{_panel_meeting(t).pk}/panel/"


def _report_page(rest: str = "") -> Callable[[Target], str]:
    def path(t: Target) -> str:
        _deferred(t)
        return f"/cases/{t.case.pk}/court-report/{rest}"

    return path


def _register(rest: str = "") -> Callable[[Target], str]:
    return lambda t: f"/services/{t.service.pk}/panel-members/{rest}"


def _member(t: Target) -> PanelMember:
    return make_panel(t.service, t.coordinator)[0]


def _member_page(t: Target) -> str:
    return f"/services/{t.service.pk}/panel-members/{_member(t).pk}/"


def _api_order(rest: str = "", make: Callable[[Target], Any] = _youth_case) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        make(t)
        return f"{API}/cases/{t.case.pk}/referral-order{rest}"

    return path


def _api_seat(t: Target) -> str:
    return f"{API}/cases/{t.case.pk}/referral-order/meetings/{_panel_meeting(t).pk}/panel"


def _api_report(rest: str = "") -> Callable[[Target], str]:
    def path(t: Target) -> str:
        _deferred(t)
        return f"{API}/cases/{t.case.pk}/court-report{rest}"

    return path


def _order_body(t: Target) -> dict[str, Any]:
    return {
        "made_on": timezone.localdate() - datetime.timedelta(days=3),
        "length_months": 6,
        "court": "Gloucester Youth Court",
        "version": _order_version(t),
    }


def _order_version(t: Target) -> int:
    """The case's referral order's version, or 0 when it has none yet."""
    order = ReferralOrder.objects.filter(case_id=t.case.pk).first()
    return order.version if order else 0


ENDPOINTS = (
    Endpoint("panel members", "GET", _register(), REGISTER_READERS),
    Endpoint("panel member add", "GET", _register("add/"), REGISTER_KEEPERS),
    Endpoint("panel member add", "POST", _register("add/"), REGISTER_KEEPERS),
    Endpoint("panel member edit", "GET", _member_page, REGISTER_KEEPERS),
    Endpoint("panel member edit", "POST", _member_page, REGISTER_KEEPERS),
    Endpoint("referral order", "GET", _order_page(), CASE_TEAM),
    Endpoint("referral order, supervised", "GET", _supervised(_order_page("", _ordered)), READERS),
    Endpoint("referral order record", "GET", _order_page("record/"), CASE_TEAM),
    Endpoint("referral order record", "POST", _supervised(_order_page("record/")), CASE_TEAM),
    Endpoint("victim invitation", "GET", _order_page("victim-invitation/", _ordered), CASE_TEAM),
    Endpoint("victim invitation", "POST", _supervised(_order_page("victim-invitation/", _ordered)), CASE_TEAM),
    Endpoint("panel seat", "GET", _seat_page, CASE_TEAM),
    Endpoint("panel seat", "POST", _supervised(_seat_page), CASE_TEAM),
    Endpoint("breach add", "GET", _order_page("breaches/add/", _ordered), CASE_TEAM),
    Endpoint("breach add", "POST", _supervised(_order_page("breaches/add/", _ordered)), CASE_TEAM),
    Endpoint("final meeting", "GET", _order_page("final-meeting/", _ordered), CASE_TEAM),
    Endpoint("final meeting", "POST", _supervised(_order_page("final-meeting/", _ordered)), CASE_TEAM),
    Endpoint("court report", "GET", _report_page(), CASE_TEAM),
    Endpoint("court report, supervised", "GET", _supervised(_report_page()), READERS),
    Endpoint("court report send", "GET", _report_page("send/"), CASE_TEAM),
    Endpoint("court report send", "POST", _supervised(_report_page("send/")), CASE_TEAM),
    Endpoint("API: panel members", "GET", lambda t: f"{API}/services/{t.service.pk}/panel-members", REGISTER_READERS),
    Endpoint(
        "API: add panel member",
        "POST",
        lambda t: f"{API}/services/{t.service.pk}/panel-members",
        REGISTER_KEEPERS,
        body=lambda t: {"name": "Ali Rees", "role": PanelRole.COMMUNITY, "trained_on": "2025-02-01"},
    ),
    Endpoint(
        "API: change panel member",
        "PATCH",
        lambda t: f"{API}/services/{t.service.pk}/panel-members/{_member(t).pk}",
        REGISTER_KEEPERS,
        body=lambda t: {"in_use": False, "version": PanelMember.objects.filter(service=t.service).latest("pk").version},
    ),
    Endpoint("API: referral order", "GET", _supervised(_api_order("", _ordered)), READERS),
    Endpoint("API: record referral order", "POST", _supervised(_api_order()), CASE_TEAM, body=_order_body),
    Endpoint(
        "API: victim invitation",
        "POST",
        _supervised(_api_order("/victim-invitation", _ordered)),
        CASE_TEAM,
        body=lambda t: {"involvement": "invited", "details": "She asked to take part.", "version": _order_version(t)},
    ),
    Endpoint(
        "API: seat panel",
        "POST",
        _supervised(_api_seat),
        CASE_TEAM,
        body=lambda t: {
            "member_ids": [member.pk for member in make_panel(t.service, t.coordinator)],
            "version": _panel_meeting(t).version,
        },
    ),
    Endpoint(
        "API: record breach",
        "POST",
        _supervised(_api_order("/breaches", _ordered)),
        CASE_TEAM,
        body=lambda t: {
            "occurred_on": timezone.localdate(),
            "what_happened": "Missed two sessions.",
            "referred_to_court": False,
        },
    ),
    Endpoint(
        "API: final meeting",
        "POST",
        _supervised(_api_order("/final-meeting", _panel_meeting)),
        CASE_TEAM,
        body=lambda t: {"meeting_id": _panel_meeting(t).pk, "outcome": "completed", "version": _order_version(t)},
        # The panel meeting is tomorrow: everyone allowed is told to record it as held first.
        refused=CASE_TEAM,
    ),
    Endpoint("API: court report", "GET", _supervised(_api_report()), READERS),
    Endpoint(
        "API: send court report",
        "POST",
        _supervised(_api_report("/send")),
        CASE_TEAM,
        body=lambda t: {
            "sent_on": timezone.localdate(),
            "summary": "They met; an apology was given.",
            "version": CourtReport.objects.get(case_id=t.case.pk).version,
        },
    ),
)

URL_NAMES = (
    "panel_member_list",
    "panel_member_add",
    "panel_member_edit",
    "referral_order",
    "referral_order_record",
    "referral_order_invitation",
    "panel_seat",
    "breach_add",
    "final_meeting",
    "court_report",
    "court_report_send",
)

API_PATHS = tuple(
    API + path
    for path in (
        "/services/{service_id}/panel-members",
        "/services/{service_id}/panel-members/{member_id}",
        "/cases/{case_id}/referral-order",
        "/cases/{case_id}/referral-order/victim-invitation",
        "/cases/{case_id}/referral-order/meetings/{meeting_id}/panel",
        "/cases/{case_id}/referral-order/breaches",
        "/cases/{case_id}/referral-order/final-meeting",
        "/cases/{case_id}/court-report",
        "/cases/{case_id}/court-report/send",
    )
)

API_WRITES = (
    f"POST {API}/services/{{service_id}}/panel-members",
    f"PATCH {API}/services/{{service_id}}/panel-members/{{member_id}}",
    f"POST {API}/cases/{{case_id}}/referral-order",
    f"POST {API}/cases/{{case_id}}/referral-order/victim-invitation",
    f"POST {API}/cases/{{case_id}}/referral-order/meetings/{{meeting_id}}/panel",
    f"POST {API}/cases/{{case_id}}/referral-order/breaches",
    f"POST {API}/cases/{{case_id}}/referral-order/final-meeting",
    f"POST {API}/cases/{{case_id}}/court-report/send",
)
