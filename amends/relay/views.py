"""The message pages of a case: the list, one message with its files, flags and steps, and the forms that write.
Each view fetches through access, calls one service, and redirects; a refused rule goes on the form."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import User
from amends.cases.models import Case
from amends.core.pages import save_form
from amends.permissions import CaseAccess, can_on_case
from amends.relay import access, files, presenters, selectors, services
from amends.relay.forms import FileForm, FlagForm, MessageEditForm, MessageForm, StepForm
from amends.relay.models import FlagKind, FlagPlace, IdentifyingFlag, RelayMessage


def _to_message(message: RelayMessage) -> HttpResponse:
    return redirect("message_detail", case_id=message.case_id, message_id=message.pk)


def _may_write(user: User, case: Case) -> bool:
    return case.is_open and can_on_case(user, CaseAccess.WORK, case)


def _form_page(
    request: HttpRequest,
    case: Case,
    form: object,
    heading: str,
    button: str,
    message: RelayMessage | None = None,
    **extra: object,
) -> HttpResponse:
    return render(
        request,
        "relay/message_form.html",
        {"case": case, "form": form, "heading": heading, "button": button, "message": message, **extra},
    )


@require_safe
def message_list(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case, messages = access.message_list(user, case_id)
    return render(
        request,
        "relay/message_list.html",
        {
            "case": case,
            "rows": presenters.message_rows(messages),
            "may_write": _may_write(user, case) and case.state in services.WRITING_STATES,
        },
    )


@require_http_methods(["GET", "POST"])
def message_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access.get_messages_case_for_user(user, case_id, CaseAccess.WORK)
    form = MessageForm(
        request.POST if request.method == "POST" else None, participants=selectors.case_participants(case)
    )
    message = save_form(
        request,
        form,
        lambda: services.create_message(
            case=case,
            actor=user,
            sender=form.participant("sender_id"),
            recipient=form.participant("recipient_id"),
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
        ),
        _("Message saved as a draft. Nothing is passed on until it is reviewed, approved and released."),
    )
    if message is not None:
        return _to_message(message)
    return _form_page(request, case, form, _("Write a message"), _("Save draft"))


def _step_forms(message: RelayMessage, may_write: bool) -> list[dict[str, object]]:
    if not may_write:
        return []
    return [
        {
            "step": step.name,
            "label": step.label,
            "form": StepForm(step=step.name, initial={"version": message.version}),
            "warning": step.name in ("return", "decline"),
        }
        for step in services.steps_from(message.status)
    ]


@require_safe
def message_detail(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    user = signed_in_user(request)
    message = access.view_message_for_user(user, case_id, message_id)
    case = message.case
    page = selectors.message_page(message)
    may_write = _may_write(user, case)
    resolving = may_write and message.status in services.AWAITING_REVIEW
    return render(
        request,
        "relay/message_detail.html",
        {
            "case": case,
            "message": message,
            "summary_rows": presenters.message_summary(message),
            "file_rows": presenters.file_rows(page.files),
            "flags": [
                {
                    "flag": flag,
                    "kind": FlagKind(flag.kind).label,
                    "rows": presenters.flag_rows(flag),
                    "form": FlagForm(flag=flag) if resolving and flag.resolution != "redacted" else None,
                }
                for flag in page.flags
            ],
            "unresolved": sum(1 for flag in page.flags if not flag.is_resolved),
            "reply_rows": presenters.message_rows(page.replies),
            "may_edit": may_write and message.is_editable,
            "step_forms": _step_forms(message, may_write),
        },
    )


@require_http_methods(["GET", "POST"])
def message_edit(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    user = signed_in_user(request)
    message = access.get_message_for_user(user, case_id, message_id, CaseAccess.WORK)
    form = MessageEditForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": message.kind, "body": message.body, "version": message.version},
    )
    saved = save_form(
        request,
        form,
        lambda: services.edit_message(
            message=message,
            actor=user,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            expected_version=form.expected_version(),
        ),
        _("Message saved."),
    )
    if saved is not None:
        return _to_message(message)
    return _form_page(request, message.case, form, _("Change the message"), _("Save message"), message)


@require_http_methods(["GET", "POST"])
def file_add(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    user = signed_in_user(request)
    message = access.get_message_for_user(user, case_id, message_id, CaseAccess.WORK)
    form = FileForm(request.POST or None, request.FILES or None) if request.method == "POST" else FileForm()
    saved = save_form(
        request,
        form,
        lambda: services.add_file(
            message=message,
            actor=user,
            name=form.cleaned_data["file"].name,
            content=form.cleaned_data["file"],
        ),
        _("File added."),
    )
    if saved is not None:
        return _to_message(message)
    return _form_page(
        request, message.case, form, _("Add a scan or recording"), _("Upload file"), message, multipart=True
    )


@require_safe
def file_download(request: HttpRequest, case_id: int, message_id: int, file_id: int) -> HttpResponse:
    """The file, decrypted, as an attachment of the type its first bytes showed: never shown in the browser."""
    user = signed_in_user(request)
    return files.attachment(access.view_file_for_user(user, case_id, message_id, file_id))


@require_http_methods(["GET", "POST"])
def flag_resolve(request: HttpRequest, case_id: int, message_id: int, flag_id: int) -> HttpResponse:
    user = signed_in_user(request)
    flag: IdentifyingFlag = access.get_flag_for_user(user, case_id, message_id, flag_id)
    message = flag.message
    form = FlagForm(request.POST if request.method == "POST" else None, flag=flag)
    saved = save_form(
        request,
        form,
        lambda: services.resolve_flag(
            flag=flag, actor=user, resolution=form.cleaned_data["resolution"], reason=form.cleaned_data["reason"]
        ),
        _("Decision recorded."),
    )
    if saved is not None:
        return _to_message(message)
    found = presenters.flag_found(flag) if flag.place == FlagPlace.TEXT else presenters.flag_where(flag)
    return _form_page(
        request,
        message.case,
        form,
        _("Decide about a flagged detail: %(kind)s") % {"kind": FlagKind(flag.kind).label},
        _("Save decision"),
        message,
        intro=found,
    )


@require_http_methods(["GET", "POST"])
def message_step(request: HttpRequest, case_id: int, message_id: int, step: str) -> HttpResponse:
    user = signed_in_user(request)
    message = access.get_message_for_user(user, case_id, message_id, CaseAccess.WORK)
    chosen = services.STEPS_BY_NAME.get(step)
    if chosen is None:
        raise Http404
    form = StepForm(request.POST if request.method == "POST" else None, step=step, initial={"version": message.version})
    moved = save_form(
        request,
        form,
        lambda: services.take_step(
            message=message,
            actor=user,
            step=step,
            expected_version=form.expected_version(),
            **form.step_fields(),
        ),
        _("Saved: %(step)s.") % {"step": chosen.label},
    )
    if moved is not None:
        return _to_message(moved)
    return _form_page(request, message.case, form, str(chosen.label), str(chosen.label), message)
