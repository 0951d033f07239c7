"""Case pages, the dashboard and tasks: fetch through access, call one service, redirect."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts import access as account_access
from amends.accounts.access import signed_in_user
from amends.cases import access, presenters, selectors, services, workflow
from amends.cases.forms import AllocationForm, CaseDetailsForm, CaseFilterForm, ConflictForm, NoteForm, TransitionForm
from amends.cases.models import Case
from amends.core.errors import DomainError, add_to_form
from amends.core.pages import save_form
from amends.permissions import Capability, CaseAccess, can, can_anywhere, can_on_case

CASES_PER_PAGE = 25


def _dashboard_row(case: Case) -> list[object]:
    return [
        presenters.case_link(case),
        presenters.state_tag(case.state),
        presenters.name_of(case.lead_facilitator) or _("Not allocated"),
        presenters.day(case.next_task_due) or _("None"),  # type: ignore[attr-defined]
    ]


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    today = timezone.localdate()
    cases = access.my_cases(user)
    supervises = can_anywhere(user, Capability.SUPERVISE_CASES)
    supervised = access.supervised_cases_of(user) if supervises else []
    tasks = selectors.tasks_in_order(access.tasks_of(user))
    return render(
        request,
        "cases/dashboard.html",
        {
            "case_rows": [_dashboard_row(case) for case in cases],
            "supervises": supervises,
            "supervised_rows": [_dashboard_row(case) for case in supervised],
            "tasks": [
                {"task": task, "about": presenters.task_link(task), "due": presenters.due_cell(task, today)}
                for task in tasks
            ],
        },
    )


@require_safe
def task_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    today = timezone.localdate()
    tasks = selectors.tasks_in_order(access.tasks_of(user))
    return render(
        request,
        "cases/task_list.html",
        {
            "tasks": [
                {"task": task, "about": presenters.task_link(task), "due": presenters.due_cell(task, today)}
                for task in tasks
            ]
        },
    )


@require_http_methods(["POST"])
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    user = signed_in_user(request)
    task = access.get_task_for_user(user, task_id)
    try:
        services.complete_task(task=task, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Task marked as done."))
    return redirect("dashboard")


@require_safe
def case_list(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service = account_access.get_service_for_user(user, service_id, Capability.VIEW_ALL_CASES)
    state = request.GET.get("state", "")
    page = access.case_list_page(
        user, service, state=state, page_number=request.GET.get("page"), per_page=CASES_PER_PAGE
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "service": service,
            "page": page,
            "filter_form": CaseFilterForm(request.GET or None),
            "rows": [
                [
                    presenters.case_link(case),
                    presenters.state_tag(case.state),
                    presenters.name_of(case.lead_facilitator) or _("Not allocated"),
                    presenters.day(case.opened_at),
                ]
                for case in page
            ],
        },
    )


@require_safe
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.view_case_for_user(user, case_id)
    page = selectors.case_page(case)
    can_work = can_on_case(user, CaseAccess.WORK, case)
    # A closed case keeps its record as it was: only a note, or reopening it, is offered.
    can_change = can_work and case.is_open
    can_allocate = can(user, Capability.ALLOCATE_CASES, case.service) and case.is_open
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "case_rows": presenters.case_rows(case, can_allocate=can_allocate, can_work=can_change),
            "gates": presenters.gate_panel(case, page.gates),
            "participant_rows": presenters.participant_rows(case, page.participants),
            "participant_add_url": presenters.reverse_or_empty("participant_add", case_id=case.pk)
            if can_change
            else "",
            "steps": workflow.available(case) if can_work else [],
            "process_links": presenters.process_links(case),
            "task_rows": [
                [t.get_kind_display(), presenters.name_of(t.assigned_to), presenters.due_cell(t, timezone.localdate())]
                for t in page.tasks
            ],
            "note_rows": presenters.note_rows(page.notes),
            "timeline_rows": presenters.timeline_rows(page.timeline),
            "can_work": can_work,
            "can_change": can_change,
            "can_allocate": can_allocate,
        },
    )


@require_http_methods(["GET", "POST"])
def case_allocate(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_user(user, case_id)
    if not can(user, Capability.ALLOCATE_CASES, case.service):
        raise Http404
    candidates = selectors.allocation_candidates(case.service)
    facilitators = [c for c in candidates if c.facilitates]
    supervisors = [c for c in candidates if c.supervises]
    initial = {
        "lead": str(case.lead_facilitator_id or ""),
        "co_facilitator": str(case.co_facilitator_id or ""),
        "supervisor": str(case.supervisor_id or ""),
        "version": case.version,
    }
    form = AllocationForm(request.POST or None, initial=initial, facilitators=facilitators, supervisors=supervisors)
    if request.method == "POST" and form.is_valid():
        lead = form.person("lead")
        try:
            if lead is None:
                raise DomainError(_("Choose the lead facilitator."), field="lead")
            services.allocate_case(
                case=case,
                actor=user,
                lead=lead,
                co_facilitator=form.person("co_facilitator"),
                supervisor=form.person("supervisor"),
                expected_version=form.expected_version(),
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Case allocated."))
            return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/case_allocate.html", {"case": case, "form": form, "candidates": candidates})


@require_http_methods(["GET", "POST"])
def case_conflict(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    form = ConflictForm(request.POST or None)
    saved = save_form(
        request,
        form,
        lambda: services.declare_conflict(
            case=case,
            actor=user,
            has_conflict=form.cleaned_data["has_conflict"] == "yes",
            details=form.cleaned_data["details"],
        ),
        _("Declaration recorded."),
    )
    if saved is not None:
        return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "heading": _("Declare a conflict of interest"), "button": _("Save declaration")},
    )


@require_http_methods(["GET", "POST"])
def case_details_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    initial = {
        "sensitivity_flags": case.sensitivity_flags,
        "process_kind": case.process_kind,
        "pre_sentence": case.pre_sentence,
        "deferment_order_on": case.deferment_order_on,
        "deferred_until": case.deferred_until,
        "version": case.version,
    }
    form = CaseDetailsForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda: services.update_case_details(
            case=case, actor=user, details=form.details(), expected_version=form.expected_version()
        ),
        _("Case details saved."),
    )
    if saved is not None:
        return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "heading": _("Change the case details"), "button": _("Save details")},
    )


@require_http_methods(["GET", "POST"])
def case_transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    try:
        transition = workflow.TRANSITIONS[workflow.TransitionName(name)]
    except ValueError:
        raise Http404 from None
    if not transition.offered:
        raise Http404
    initial = {"version": case.version, "hold_review_on": services.latest_hold_review(case)}
    form = TransitionForm(request.POST or None, initial=initial, transition=transition)
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            services.transition_case(
                case=case,
                actor=user,
                name=transition.name,
                expected_version=form.expected_version(),
                **form.arguments(),
            )
        except services.TransitionRefusedError as error:
            refused = True
            add_to_form(form, error)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("%(step)s: done.") % {"step": transition.label})
            return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "cases/case_transition.html",
        {"case": case, "form": form, "transition": transition, "refused": refused},
    )


@require_http_methods(["GET", "POST"])
def case_note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    form = NoteForm(request.POST or None)
    saved = save_form(
        request,
        form,
        lambda: services.add_case_note(case=case, actor=user, text=form.cleaned_data["text"]),
        _("Note added."),
    )
    if saved is not None:
        return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "heading": _("Add a case note"), "button": _("Save note")},
    )
