"""The way in to people's requests under their rights: through the service and the person, so a request about
someone the user may not see answers 404 like one that does not exist. Also the register's reads."""

from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.dataprotection.models import LegalHold, RightsRequest
from amends.dataprotection.rights import OPEN_STATUSES, person_visible_to
from amends.people.models import Participant, Person
from amends.permissions import Capability, CaseAccess, can, case_filter


def get_register_for_user(user: User, service_id: int) -> Service:
    """The service whose register of requests is asked for: for those who record requests there."""
    return account_access.get_service_for_user(user, service_id, Capability.RECORD_RIGHTS_REQUESTS)


def get_person_for_user(user: User, service_id: int, person_id: int) -> tuple[Service, Person]:
    """A person of the service whom the user may see, to record a request about."""
    service = get_register_for_user(user, service_id)
    person = Person.objects.filter(pk=person_id, service=service).first()
    if person is None or not person_visible_to(user, person):
        raise Http404
    person.service = service
    return service, person


def get_request_for_user(
    user: User, service_id: int, request_id: int, capability: Capability = Capability.RECORD_RIGHTS_REQUESTS
) -> RightsRequest:
    """One request of the service, about someone the user may see, with the people its page names."""
    service = account_access.get_service_for_user(user, service_id, capability)
    if not can(user, Capability.RECORD_RIGHTS_REQUESTS, service):
        raise Http404
    request = (
        RightsRequest.objects.filter(pk=request_id, service=service)
        .select_related("person", "recorded_by", "decided_by", "completed_by", "lifted_by")
        .first()
    )
    if request is None or not person_visible_to(user, request.person):
        raise Http404
    request.service = request.person.service = service
    return request


def view_request_for_user(user: User, service_id: int, request_id: int) -> RightsRequest:
    """One request to show, with the person it is about: the view is recorded."""
    request = get_request_for_user(user, service_id, request_id)
    record_view(actor=user, target=request, service=request.service)
    return request


def get_decided_request_for_user(user: User, service_id: int, request_id: int) -> RightsRequest:
    """A request, for a coordinator who decides the service's requests."""
    return get_request_for_user(user, service_id, request_id, Capability.DECIDE_RIGHTS_REQUESTS)


def _people_seen_by(user: User, service: Service) -> Q:
    """The requests about people the user may see: all of them for a coordinator, otherwise those about people in
    cases the user may view."""
    if can(user, Capability.VIEW_ALL_CASES, service):
        return Q()
    in_their_cases = Participant.objects.filter(person_id=OuterRef("person_id")).filter(
        case_filter(user, CaseAccess.VIEW, prefix="case__")
    )
    return Q(Exists(in_their_cases))


def request_list(user: User, service: Service) -> QuerySet[RightsRequest]:
    """The service's requests the user may see: open ones first, soonest due first; then the rest, newest first."""
    is_open = Q(status__in=sorted(OPEN_STATUSES))
    return (
        RightsRequest.objects.filter(_people_seen_by(user, service), service=service)
        .annotate(
            closed=Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField()),
            open_due=Case(When(is_open, then=Coalesce("extended_on", "due_on")), default=None),
        )
        .select_related("person")
        .order_by("closed", F("open_due").asc(nulls_last=True), "-received_on", "-pk")
    )


def person_cases(user: User, request: RightsRequest) -> list[Participant]:
    """The person's parts in cases the user may view, to link to their record in each."""
    return list(
        Participant.objects.filter(person_id=request.person_id)
        .filter(case_filter(user, CaseAccess.VIEW, prefix="case__"))
        .select_related("case")
        .order_by("-case__created_at", "-pk")
    )


def under_legal_hold(request: RightsRequest) -> bool:
    """Whether a legal hold is in force on one of the person's cases (an erasure would be refused)."""
    return LegalHold.objects.filter(lifted_at__isnull=True, case__participants__person_id=request.person_id).exists()


def request_list_page(user: User, service: Service, *, page_number: str | None, per_page: int) -> Page[RightsRequest]:
    """One page of the service's requests for display, its view recorded with how many rows were shown: each row names
    the person who asked."""
    page = Paginator(request_list(user, service), per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    record_list_view(actor=user, listed=Listed.DATA_PROTECTION_REQUESTS, count=len(page.object_list), service=service)
    return page
