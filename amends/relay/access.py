"""The way in to relay messages, their files and flags for views and the API: through the case, so a record that
does not exist and one the user may not see both answer 404."""

from django.http import Http404

from amends.accounts.models import User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.permissions import CaseAccess
from amends.relay import selectors
from amends.relay.models import IdentifyingFlag, MessageFile, RelayMessage

# Who wrote the message and who took each step, shown on its page.
STEP_BY = (
    "written_by",
    "submitted_by",
    "review_started_by",
    "returned_by",
    "approved_by",
    "released_by",
    "delivered_by",
    "acknowledged_by",
    "replied_by",
    "declined_by",
)


def get_messages_case_for_user(user: User, case_id: int, access: CaseAccess = CaseAccess.VIEW) -> Case:
    """The case whose messages are asked for."""
    return case_access.get_case_for_user(user, case_id, access)


def get_message_for_user(
    user: User, case_id: int, message_id: int, access: CaseAccess = CaseAccess.VIEW
) -> RelayMessage:
    case = case_access.get_case_for_user(user, case_id, access)
    message = (
        RelayMessage.objects.select_related("sender__person", "recipient__person", "reply_to", *STEP_BY)
        .filter(pk=message_id, case=case)
        .first()
    )
    if message is None:
        raise Http404
    message.case = case
    return message


def get_file_for_user(
    user: User, case_id: int, message_id: int, file_id: int, access: CaseAccess = CaseAccess.VIEW
) -> MessageFile:
    message = get_message_for_user(user, case_id, message_id, access)
    message_file = MessageFile.objects.filter(pk=file_id, message=message).first()
    if message_file is None:
        raise Http404
    message_file.message = message
    return message_file


def get_flag_for_user(
    user: User, case_id: int, message_id: int, flag_id: int, access: CaseAccess = CaseAccess.WORK
) -> IdentifyingFlag:
    message = get_message_for_user(user, case_id, message_id, access)
    flag = IdentifyingFlag.objects.filter(pk=flag_id, message=message).first()
    if flag is None:
        raise Http404
    flag.message = message
    return flag


def message_list(user: User, case_id: int) -> tuple[Case, list[RelayMessage]]:
    """A case's messages to show, oldest first, with who sent each to whom: the view is recorded against the case
    with how many messages."""
    case = get_messages_case_for_user(user, case_id)
    messages = list(selectors.case_messages(case))
    record_list_view(actor=user, listed=Listed.MESSAGES, count=len(messages), service=case.service, owner=case)
    return case, messages


def view_message_for_user(user: User, case_id: int, message_id: int) -> RelayMessage:
    """A message to show, with its words: the view is recorded."""
    message = get_message_for_user(user, case_id, message_id)
    record_view(actor=user, target=message, service=message.case.service)
    return message


def view_file_for_user(user: User, case_id: int, message_id: int, file_id: int) -> MessageFile:
    """A message's file to download: the view is recorded."""
    message_file = get_file_for_user(user, case_id, message_id, file_id)
    record_view(actor=user, target=message_file, service=message_file.message.case.service)
    return message_file
