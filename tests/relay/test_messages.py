"""Relay messages through their services: who writes them, the steps and their refusals, the check's flags, files."""

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import State, Task, TaskKind, TimelineEntry, TimelineKind
from amends.cases.services import RefusedError
from amends.consent import services as consent_services
from amends.core.errors import DomainError
from amends.people.identifying import add_identifying_detail
from amends.people.models import IdentifyingDetailKind
from amends.relay import files, services
from amends.relay.models import (
    DeliveryMethod,
    FlagKind,
    FlagResolution,
    IdentifyingFlag,
    MessageFile,
    MessageKind,
    MessageStatus,
    RelayMessage,
)
from amends.relay.selectors import released_to
from amends.risk import services as risk_services
from amends.risk.models import RiskInformationKind
from tests.personas import Personas
from tests.relay.conftest import (
    EXE_BYTES,
    LETTER,
    PDF_BYTES,
    PNG_BYTES,
    letter_case,
    released_letter,
    step,
    upload,
    write_letter,
)

pytestmark = pytest.mark.django_db


def _flags(message: RelayMessage) -> list[IdentifyingFlag]:
    return list(IdentifyingFlag.objects.filter(message=message).order_by("pk"))


def _redact_all(personas: Personas, message: RelayMessage) -> None:
    for flag in _flags(message):
        if not flag.is_resolved:
            flag.message = message
            services.resolve_flag(flag=flag, actor=personas.facilitator, resolution=FlagResolution.REDACTED)


# Writing -------------------------------------------------------------------------------------------------------------


def test_it_writes_a_draft_and_records_no_words_in_the_audit(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built)
    assert message.status == MessageStatus.DRAFT
    event = AuditEvent.objects.get(action=AuditAction.MESSAGE_SAVED)
    assert event.changes["body"] == "[encrypted]"
    assert "Elm Grove" not in str(event.changes)


def test_it_refuses_a_message_to_its_sender(personas: Personas) -> None:
    built = letter_case(personas)
    with pytest.raises(DomainError, match="someone other than the person it is from"):
        services.create_message(
            case=built.case, actor=personas.facilitator, sender=built.harmed, recipient=built.harmed, kind="letter"
        )


def test_it_refuses_a_participant_of_another_case(personas: Personas) -> None:
    built = letter_case(personas)
    other = letter_case(personas)
    with pytest.raises(DomainError, match="Choose someone in this case"):
        services.create_message(
            case=built.case, actor=personas.facilitator, sender=built.responsible, recipient=other.harmed, kind="letter"
        )


def test_it_refuses_messages_before_the_case_is_prepared(personas: Personas) -> None:
    built = letter_case(personas, State.ASSESSING)
    with pytest.raises(DomainError, match="while the process is being prepared"):
        write_letter(personas, built)


def test_it_lets_only_the_case_team_write(personas: Personas) -> None:
    built = letter_case(personas)
    with pytest.raises(DomainError, match="You cannot work on this case"):
        services.create_message(
            case=built.case, actor=personas.supervisor, sender=built.responsible, recipient=built.harmed, kind="letter"
        )


def test_it_refuses_a_closed_case(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built)
    from amends.cases import services as case_services

    case = case_services.transition_case(
        case=built.case, actor=personas.coordinator, name="close", closure_reason="other"
    )
    message.case = case
    with pytest.raises(DomainError, match="This case is closed"):
        services.edit_message(message=message, actor=personas.facilitator, kind="letter", body="Changed")


def test_it_refuses_to_submit_an_empty_message(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, body="")
    with pytest.raises(DomainError, match="before submitting it"):
        step(personas, message, "submit")


def test_it_refuses_an_edit_from_an_old_version(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built)
    services.edit_message(message=message, actor=personas.facilitator, kind="letter", body="First", expected_version=1)
    with pytest.raises(DomainError, match="Someone else changed this record"):
        services.edit_message(
            message=message, actor=personas.facilitator, kind="letter", body="Second", expected_version=1
        )


# The steps -----------------------------------------------------------------------------------------------------------


def test_it_takes_a_letter_through_review_release_delivery_and_acknowledgement(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "I am sorry. Rob")
    message = step(personas, message, "submit")
    assert Task.objects.open().filter(case=built.case, kind=TaskKind.REVIEW_MESSAGE).count() == 1
    message = step(personas, message, "start_review")
    message = step(personas, message, "approve")
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.REVIEW_MESSAGE).exists()
    message = step(personas, message, "release")
    message = step(personas, message, "deliver", delivery_method=DeliveryMethod.IN_PERSON)
    message = step(personas, message, "acknowledge")
    message.refresh_from_db()
    assert message.status == MessageStatus.ACKNOWLEDGED
    assert message.delivery_method == DeliveryMethod.IN_PERSON
    assert message.released_by == personas.facilitator
    kinds = set(TimelineEntry.objects.filter(case=built.case).values_list("kind", flat=True))
    assert {
        TimelineKind.MESSAGE_SUBMITTED,
        TimelineKind.MESSAGE_APPROVED,
        TimelineKind.MESSAGE_RELEASED,
        TimelineKind.MESSAGE_DELIVERED,
        TimelineKind.MESSAGE_ACKNOWLEDGED,
    } <= kinds
    details = " ".join(TimelineEntry.objects.filter(case=built.case).values_list("detail", flat=True))
    assert "Rob" not in details
    assert "sorry" not in details


def test_it_refuses_a_step_the_status_does_not_allow(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "I am sorry.")
    with pytest.raises(DomainError, match="Release to the recipient is not possible: the message is draft"):
        step(personas, message, "release")
    with pytest.raises(DomainError, match="There is no such step"):
        step(personas, message, "teleport")


def test_it_refuses_release_before_approval(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built, "I am sorry."), "submit")
    with pytest.raises(DomainError, match="not possible: the message is submitted for review"):
        step(personas, message, "release")


def test_it_refuses_release_while_the_process_is_only_being_prepared(personas: Personas) -> None:
    built = letter_case(personas, State.PREPARING)
    message = write_letter(personas, built, "I am sorry.")
    message = step(personas, step(personas, message, "submit"), "approve")
    with pytest.raises(DomainError, match="released and delivered only while the process is under way"):
        step(personas, message, "release")


def test_it_refuses_release_once_the_recipient_withdraws_consent(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, step(personas, write_letter(personas, built, "I am sorry."), "submit"), "approve")
    consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator)
    message.case.refresh_from_db()
    with pytest.raises(RefusedError) as refused:
        step(personas, message, "release")
    assert "Ann Harmed" in refused.value.message
    assert RelayMessage.objects.get(pk=message.pk).status == MessageStatus.APPROVED


def test_it_refuses_release_when_new_risk_information_makes_an_assessment_stale(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, step(personas, write_letter(personas, built, "I am sorry."), "submit"), "approve")
    risk_services.record_risk_information(
        case=built.case,
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="He was seen near her street.",
        participant=built.responsible,
    )
    with pytest.raises(RefusedError, match="Release to the recipient is not possible yet"):
        step(personas, message, "release")


def test_it_returns_a_message_for_changes_with_a_reason_and_takes_it_back(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built, "I am sorry."), "submit")
    with pytest.raises(DomainError, match="Say what should change"):
        step(personas, message, "return")
    message = step(personas, message, "return", reason="Say more about what you will do now.")
    assert message.status == MessageStatus.RETURNED
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.REVIEW_MESSAGE).exists()
    message = services.edit_message(
        message=message, actor=personas.facilitator, kind="letter", body="I am sorry. I am in a course now."
    )
    message = step(personas, message, "submit")
    assert message.status == MessageStatus.SUBMITTED


def test_it_refuses_to_change_a_submitted_message(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built, "I am sorry."), "submit")
    with pytest.raises(DomainError, match="changed only as a draft or when returned"):
        services.edit_message(message=message, actor=personas.facilitator, kind="letter", body="Other words")


def test_the_recipient_may_decline_before_delivery_with_a_reason(personas: Personas) -> None:
    built = letter_case(personas)
    message = released_letter(personas, built)
    with pytest.raises(DomainError, match="Say why they declined it"):
        step(personas, message, "decline")
    message = step(personas, message, "decline", reason="Not ready to read it.")
    message.refresh_from_db()
    assert message.status == MessageStatus.DECLINED
    assert message.decline_reason == "Not ready to read it."
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.MESSAGE_DECLINED).exists()


def test_the_recipient_cannot_decline_once_it_is_delivered(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, released_letter(personas, built), "deliver", delivery_method=DeliveryMethod.POST)
    with pytest.raises(DomainError, match="not possible: the message is delivered"):
        step(personas, message, "decline", reason="Changed my mind.")


def test_delivery_needs_how_it_was_delivered(personas: Personas) -> None:
    built = letter_case(personas)
    message = released_letter(personas, built)
    with pytest.raises(DomainError, match="Choose how it was delivered"):
        step(personas, message, "deliver")


def test_a_reply_is_a_draft_the_other_way(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, released_letter(personas, built), "deliver", delivery_method=DeliveryMethod.POST)
    reply = step(personas, message, "reply")
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED
    assert reply.status == MessageStatus.DRAFT
    assert reply.reply_to == message
    assert (reply.sender, reply.recipient) == (built.harmed, built.responsible)


# Nothing reaches the recipient before release -----------------------------------------------------------------------


def test_only_released_messages_are_passed_on_to_the_recipient(personas: Personas) -> None:
    built = letter_case(personas)
    draft = write_letter(personas, built, "A draft.")
    submitted = step(personas, write_letter(personas, built, "Submitted."), "submit")
    approved = step(personas, step(personas, write_letter(personas, built, "Approved."), "submit"), "approve")
    declined_before = step(personas, approved, "decline", reason="No.")
    released = released_letter(personas, built)
    shown = set(released_to(built.harmed))
    assert shown == {released}
    assert not {draft, submitted, declined_before} & shown
    assert not set(released_to(built.responsible))


def test_a_message_declined_after_release_stays_passed_on(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, released_letter(personas, built), "decline", reason="Not now.")
    assert list(released_to(built.harmed)) == [message]


# The identifying-details check -------------------------------------------------------------------------------------


def test_submitting_flags_the_senders_street_address(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built), "submit")
    assert [(flag.kind, flag.matched_text) for flag in _flags(message)] == [(FlagKind.ADDRESS, "14 Elm Grove Road")]


def test_it_refuses_approval_while_a_flag_is_unresolved_naming_how_many_and_what(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built, LETTER + " Ring 029 2087 1234."), "submit")
    with pytest.raises(DomainError) as refused:
        step(personas, message, "approve")
    assert "2 (phone number, street address)" in refused.value.message
    assert RelayMessage.objects.get(pk=message.pk).status == MessageStatus.SUBMITTED


def test_redacting_takes_the_words_out_and_approval_records_the_redaction(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built), "submit")
    _redact_all(personas, message)
    message = step(personas, message, "approve", redactions="Address taken out.")
    message.refresh_from_db()
    assert "Elm Grove" not in message.body
    assert "[redacted]" in message.body
    assert "14 Elm Grove Road" in message.redactions
    assert "Address taken out." in message.redactions
    flag = _flags(message)[0]
    assert flag.resolution == FlagResolution.REDACTED
    assert flag.resolved_by == personas.facilitator
    event = AuditEvent.objects.filter(action=AuditAction.MESSAGE_FLAG_RESOLVED).get()
    assert "Elm Grove" not in str(event.changes)


def test_keeping_a_detail_needs_a_reason(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built), "submit")
    flag = _flags(message)[0]
    flag.message = message
    with pytest.raises(DomainError, match="Say why the detail is kept"):
        services.resolve_flag(flag=flag, actor=personas.facilitator, resolution=FlagResolution.KEPT_SENDER_AGREED)
    services.resolve_flag(
        flag=flag, actor=personas.facilitator, resolution=FlagResolution.KEPT_NOT_IDENTIFYING, reason="Old address."
    )
    assert step(personas, message, "approve").status == MessageStatus.APPROVED


def test_it_flags_the_details_held_on_the_senders_record(personas: Personas) -> None:
    built = letter_case(personas)
    add_identifying_detail(
        participant=built.responsible,
        actor=personas.facilitator,
        kind=IdentifyingDetailKind.SCHOOL,
        value="Ysgol Y Dre",
    )
    message = step(personas, write_letter(personas, built, "My girl is at ysgol y dre now. Rob Responsible"), "submit")
    assert {flag.matched_text for flag in _flags(message)} == {"ysgol y dre", "Responsible"}
    assert {flag.kind for flag in _flags(message)} == {FlagKind.ON_RECORD}


def test_flags_that_no_longer_match_go_away_and_resolved_ones_that_do_stay_resolved(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built, "I am at 14 Elm Grove Road, CF10 1AA."), "submit")
    kept = next(flag for flag in _flags(message) if flag.kind == FlagKind.POSTCODE)
    kept.message = message
    services.resolve_flag(
        flag=kept, actor=personas.facilitator, resolution=FlagResolution.KEPT_SENDER_AGREED, reason="He wants it."
    )
    message = step(personas, message, "return", reason="Take the street out.")
    message = services.edit_message(
        message=message, actor=personas.facilitator, kind="letter", body="I am in CF10 1AA. Email me: r@example.com"
    )
    flags = _flags(message)
    assert {(flag.kind, flag.matched_text) for flag in flags} == {
        (FlagKind.POSTCODE, "CF10 1AA"),
        (FlagKind.EMAIL, "r@example.com"),
    }
    postcode = next(flag for flag in flags if flag.kind == FlagKind.POSTCODE)
    assert postcode.pk == kept.pk
    assert postcode.resolution == FlagResolution.KEPT_SENDER_AGREED


def test_a_file_is_flagged_to_check_by_eye_and_needs_a_reason(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "")
    upload(personas, message, PDF_BYTES)
    message = step(personas, message, "submit")
    (flag,) = _flags(message)
    assert flag.kind == FlagKind.FILE
    flag.message = message
    with pytest.raises(DomainError, match="Say what you checked in the file"):
        services.resolve_flag(flag=flag, actor=personas.facilitator, resolution=FlagResolution.REDACTED)
    services.resolve_flag(
        flag=flag, actor=personas.facilitator, resolution=FlagResolution.REDACTED, reason="Blacked out the address."
    )
    assert step(personas, message, "approve").status == MessageStatus.APPROVED


def test_flags_are_resolved_only_during_review(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built), "submit")
    flag = _flags(message)[0]
    message = step(personas, message, "return", reason="Take it out yourself.")
    flag.message = message
    with pytest.raises(DomainError, match="while the message is reviewed"):
        services.resolve_flag(flag=flag, actor=personas.facilitator, resolution=FlagResolution.REDACTED)


# Files ---------------------------------------------------------------------------------------------------------------


def test_it_stores_a_file_encrypted_under_a_random_name_outside_the_web_root(personas: Personas, private_dir) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built)
    stored = upload(personas, message, PDF_BYTES, name="letter to Ann.pdf")
    assert isinstance(stored, MessageFile)
    assert stored.content_type == "application/pdf"
    assert "Ann" not in stored.stored_name
    on_disk = (private_dir / "relay" / stored.stored_name).read_bytes()
    assert on_disk != PDF_BYTES
    assert PDF_BYTES not in on_disk
    assert files.read_decrypted(stored.stored_name) == PDF_BYTES
    assert MessageFile.objects.get(pk=stored.pk).original_name == "letter to Ann.pdf"
    event = AuditEvent.objects.get(action=AuditAction.FILE_UPLOADED)
    assert event.changes["name"] == "[encrypted]"


def test_it_knows_a_png_renamed_exe_and_refuses_an_executable_renamed_pdf(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built)
    png = upload(personas, message, PNG_BYTES, name="scan.exe")
    assert isinstance(png, MessageFile)
    assert png.content_type == "image/png"
    with pytest.raises(DomainError, match="Upload a PDF, JPEG or PNG scan"):
        upload(personas, message, EXE_BYTES, name="letter.pdf")
    assert MessageFile.objects.count() == 1


def test_it_names_a_file_by_what_its_bytes_show_it_is(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built)
    stored = upload(personas, message, PDF_BYTES, name="report.exe")
    assert isinstance(stored, MessageFile)
    assert MessageFile.objects.get(pk=stored.pk).original_name == "report.pdf"
    assert stored.stored_name.endswith(".pdf.enc")


@pytest.mark.parametrize(
    ("name", "kind", "named"),
    [
        ("report.exe", files.PDF, "report.pdf"),
        ("report.pdf.exe", files.PDF, "report.pdf"),
        ("report", files.PDF, "report.pdf"),
        ("Scan.PDF", files.PDF, "Scan.PDF"),
        ("photo.jpeg", files.JPEG, "photo.jpeg"),
        ("photo.jpeg", files.PNG, "photo.png"),
        ("", files.MP3, "audio.mp3"),
        (".pdf", files.PDF, "document.pdf"),
    ],
)
def test_it_gives_a_name_the_extension_of_what_the_file_is(name: str, kind: files.Sniffed, named: str) -> None:
    assert files.named_for(name, kind) == named


def test_it_keeps_the_true_extension_of_a_long_name() -> None:
    named = files.named_for("a" * 300 + ".exe", files.PDF)
    assert len(named) == files.MAX_NAME_LENGTH
    assert named.endswith("a.pdf")


def test_it_serves_a_file_stored_under_a_false_name_under_a_true_one(personas: Personas) -> None:
    built = letter_case(personas)
    stored = upload(personas, write_letter(personas, built), PDF_BYTES)
    assert isinstance(stored, MessageFile)
    # A file uploaded before names were corrected keeps its uploaded name; it is still served under a true one.
    MessageFile.objects.filter(pk=stored.pk).update(original_name="report.exe")
    response = files.attachment(MessageFile.objects.get(pk=stored.pk))
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'


def test_it_refuses_a_file_over_the_size_limit(personas: Personas, settings, private_dir) -> None:
    settings.AMENDS_RELAY_MAX_UPLOAD_MB = 1
    built = letter_case(personas)
    message = write_letter(personas, built)
    with pytest.raises(DomainError, match="The file is too large: the most is 1 MB"):
        upload(personas, message, PDF_BYTES + b"0" * (1024 * 1024))
    assert not MessageFile.objects.exists()
    assert not (private_dir / "relay").exists() or not list((private_dir / "relay").iterdir())


def test_it_recognises_the_allowed_recordings() -> None:
    assert files.sniff(b"ID3\x04\x00") == files.MP3
    assert files.sniff(b"\xff\xfb\x90\x00") == files.MP3
    assert files.sniff(b"RIFF\x00\x00\x00\x00WAVEfmt ") == files.WAV
    assert files.sniff(b"\x00\x00\x00\x20ftypM4A \x00") == files.M4A
    assert files.sniff(b"\x00\x00\x00\x20ftypisom\x00") == files.MP4
    assert files.sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm") == files.WEBM
    assert files.sniff(b"\xff\xd8\xff\xe0") == files.JPEG
    assert files.sniff(b"\x00\x00\x00\x20ftypqt  \x00") is None
    assert files.sniff(b"<html><script>") is None


def test_files_are_added_only_to_a_draft_or_returned_message(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built, "I am sorry."), "submit")
    with pytest.raises(DomainError, match="changed only as a draft or when returned"):
        upload(personas, message, PDF_BYTES)


def test_the_review_task_goes_to_the_lead_facilitator(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "I am sorry.")
    services.take_step(message=message, actor=personas.coordinator, step="submit")
    task = Task.objects.open().get(case=built.case, kind=TaskKind.REVIEW_MESSAGE)
    assert task.assigned_to == personas.facilitator
    assert task.due_on > timezone.localdate()


def test_a_shuttle_message_is_written_down_by_the_facilitator(personas: Personas) -> None:
    built = letter_case(personas)
    message = services.create_message(
        case=built.case,
        actor=personas.facilitator,
        sender=built.harmed,
        recipient=built.responsible,
        kind=MessageKind.SHUTTLE,
        body="Ann wants to know why her house.",
    )
    assert message.get_kind_display() == "Shuttle message, written down by the facilitator"
