"""The RJ case: its state, the people allocated to it, its notes, its timeline and its tasks."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service
from amends.core.fields import EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel


class State(models.TextChoices):
    """Where a case is (DESIGN.md §3). The transitions between them are in workflow.py, nowhere else."""

    REFERRED = "referred", _("Accepted, awaiting allocation")
    ALLOCATED = "allocated", _("Allocated")
    CONTACTING = "contacting", _("Making contact")
    ASSESSING = "assessing", _("Assessing")
    AWAITING_SIGNOFF = "awaiting_signoff", _("Awaiting sign-off")
    PREPARING = "preparing", _("Preparing")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROCESS = "in_process", _("Process under way")
    AGREEMENT_MONITORING = "agreement_monitoring", _("Monitoring the agreement")
    FOLLOWING_UP = "following_up", _("Following up")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")


OPEN_STATES = frozenset(State) - {State.CLOSED}


class ProcessKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face conference")
    VIRTUAL = "virtual", _("Virtual conference")
    SHUTTLE = "shuttle", _("Shuttle mediation")
    LETTERS = "letters", _("Letter exchange")
    AUDIO = "audio", _("Recorded audio")
    VIDEO = "video", _("Recorded video")
    COMMUNITY_CONFERENCE = "community_conference", _("Community conference")
    REFERRAL_ORDER_PANEL = "referral_order_panel", _("Referral-order panel")
    MEDIATION = "mediation", _("Mediation")
    CIRCLE = "circle", _("Restorative circle")


# The parties never meet in these: the facilitator carries what passes between them.
INDIRECT_PROCESSES = frozenset({ProcessKind.SHUTTLE, ProcessKind.LETTERS, ProcessKind.AUDIO, ProcessKind.VIDEO})
# The parties meet, but only through a screen.
VIRTUAL_PROCESSES = frozenset({ProcessKind.VIRTUAL})
# Recording is part of the process itself, so consent to record is needed.
RECORDED_PROCESSES = frozenset({ProcessKind.AUDIO, ProcessKind.VIDEO})


class SensitivityFlag(models.TextChoices):
    """Sensitive and complex cases (RJC Service Provider Code D): higher-level staff and a coordinator's sign-off."""

    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    SEXUAL_HARM = "sexual_harm", _("Sexual harm")
    STALKING = "stalking", _("Stalking")
    TRAFFICKING = "trafficking", _("Human trafficking")
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation", _("Child sexual exploitation")
    HATE_CRIME = "hate_crime", _("Hate crime")
    SERIOUS_VIOLENCE = "serious_violence", _("Serious violence")
    CHILD_PARTICIPANT = "child_participant", _("A child takes part")
    CUSTODY = "custody", _("A participant is in custody")


class ClosureReason(models.TextChoices):
    COMPLETED_DIRECT = "completed_direct", _("Completed: direct process")
    COMPLETED_INDIRECT = "completed_indirect", _("Completed: indirect process")
    HARMED_DECLINED = "harmed_declined", _("The person harmed declined")
    RESPONSIBLE_DECLINED = "responsible_declined", _("The person responsible declined")
    CONSENT_WITHDRAWN_HARMED = "consent_withdrawn_harmed", _("Consent withdrawn by the person harmed")
    CONSENT_WITHDRAWN_RESPONSIBLE = "consent_withdrawn_responsible", _("Consent withdrawn by the person responsible")
    DENIES_RESPONSIBILITY = "denies_responsibility", _("The person responsible denies responsibility")
    UNSUITABLE = "unsuitable", _("Unsuitable: risk")
    NO_CONTACT = "no_contact", _("No contact could be made")
    TRANSFERRED = "transferred", _("Transferred to another service")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    DECEASED = "deceased", _("A participant has died")
    OTHER = "other", _("Other")


class HoldReason(models.TextChoices):
    TRIAL_PENDING = "trial_pending", _("Waiting for a trial or sentence")
    CUSTODY_MOVE = "custody_move", _("Custody move or release")
    HEALTH = "health", _("Health or wellbeing")
    PARTICIPANT_REQUEST = "participant_request", _("A participant asked to pause")
    SAFEGUARDING = "safeguarding", _("Safeguarding enquiry")
    OTHER = "other", _("Other")


class Case(VersionedModel, TimeStampedModel):
    """One RJ case, opened when a coordinator accepts a referral."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.REFERRED, db_index=True)
    lead_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_led"
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_co_facilitated"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_supervised"
    )
    sensitivity_flags = models.JSONField(_("sensitive or complex"), default=list, blank=True)
    process_kind = models.CharField(_("chosen process"), max_length=24, choices=ProcessKind.choices, blank=True)
    # Pre-sentence RJ: a court defers sentence with a restorative requirement (the fourth gate).
    pre_sentence = models.BooleanField(_("pre-sentence (deferred sentence)"), default=False)
    deferment_order_on = models.DateField(_("date of the deferment order"), null=True, blank=True)
    deferred_until = models.DateField(_("sentence deferred until"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    # Milestones for the figures, each set the first time the case reaches it and never moved after.
    suitable_at = models.DateTimeField(_("assessed as suitable"), null=True, blank=True)
    process_started_at = models.DateTimeField(_("process started"), null=True, blank=True)
    hold_reason = models.CharField(_("reason for hold"), max_length=24, choices=HoldReason.choices, blank=True)
    hold_review_on = models.DateField(_("review the hold by"), null=True, blank=True)
    state_before_hold = models.CharField(max_length=24, choices=State.choices, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=32, choices=ClosureReason.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # When its personal data was erased under the retention schedule: the case stays, for the figures.
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ("-opened_at",)
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = (
            models.CheckConstraint(
                condition=Q(lead_facilitator__isnull=True)
                | Q(co_facilitator__isnull=True)
                | ~Q(lead_facilitator=models.F("co_facilitator")),
                name="case_lead_is_not_co_facilitator",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.ON_HOLD) | (~Q(hold_reason="") & Q(hold_review_on__isnull=False)),
                name="case_hold_has_reason_and_review",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED) | (~Q(closure_reason="") & Q(closed_at__isnull=False)),
                name="case_closed_has_reason",
            ),
        )

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED

    @property
    def is_sensitive(self) -> bool:
        return bool(self.sensitivity_flags)

    def get_sensitivity_flags_display(self) -> list[str]:
        return [str(SensitivityFlag(flag).label) for flag in self.sensitivity_flags if flag in SensitivityFlag.values]

    def facilitator_ids(self) -> set[int]:
        return {pk for pk in (self.lead_facilitator_id, self.co_facilitator_id) if pk}


class CaseCounter(models.Model):
    """The last case number used by a service in a year, for references such as SV-2026-00042."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("service", "year"), name="one_counter_per_service_year"),)

    def __str__(self) -> str:
        return f"{self.service_id}/{self.year}: {self.last_number}"


class ConflictDeclaration(TimeStampedModel):
    """A facilitator's declaration of any conflict of interest with the people in a case (append-only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflict_declarations")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    details = EncryptedTextField(_("details"), blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")

    def __str__(self) -> str:
        return f"{self.case} / {self.facilitator_id}"


class CaseNote(TimeStampedModel):
    """A case note, kept as written (append-only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"{self.case} note {self.pk}"


class TimelineKind(models.TextChoices):
    """What the case timeline shows: the story of the case, for the people working on it (not the security audit)."""

    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted and case opened")
    ALLOCATED = "allocated", _("Facilitators allocated")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
    STATE_CHANGED = "state_changed", _("Case moved on")
    PARTICIPANT_ADDED = "participant_added", _("Participant added")
    PARTICIPANT_UPDATED = "participant_updated", _("Part in the case changed")
    PERSON_UPDATED = "person_updated", _("Person's details changed")
    CONTACT_LOGGED = "contact_logged", _("Contact logged")
    NOTE_ADDED = "note_added", _("Note added")
    INFORMATION_GIVEN = "information_given", _("Information given")
    RESPONSIBILITY_RECORDED = "responsibility_recorded", _("Responsibility recorded")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    RISK_ASSESSED = "risk_assessed", _("Risk assessed")
    RISK_SIGNED_OFF = "risk_signed_off", _("Risk assessment signed off")
    RISK_INFORMATION = "risk_information", _("New risk information")
    SAFEGUARDING_CONCERN = "safeguarding_concern", _("Safeguarding concern")
    DETAILS_CHANGED = "details_changed", _("Case details changed")
    TASK_DONE = "task_done", _("Task done")
    AGREEMENT_MADE = "agreement_made", _("Outcome agreement made")
    AGREEMENT_CHANGED = "agreement_changed", _("Outcome agreement changed")
    PARTICIPANT_AGREED = "participant_agreed", _("Agreed to the outcome")
    ACTION_ADDED = "action_added", _("Agreement action added")
    PAYMENT_RECORDED = "payment_recorded", _("Compensation payment recorded")
    ACTION_COMPLETED = "action_completed", _("Agreement action completed")
    ACTION_NOT_COMPLETED = "action_not_completed", _("Agreement action not completed")
    ACTION_WITHDRAWN = "action_withdrawn", _("Agreement action withdrawn")
    MEETING_BOOKED = "meeting_booked", _("Meeting booked")
    MEETING_CHANGED = "meeting_changed", _("Meeting changed")
    MEETING_POSTPONED = "meeting_postponed", _("Meeting postponed")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_RECORDED = "meeting_recorded", _("Meeting recorded")
    MEETING_HALTED = "meeting_halted", _("Meeting halted for safety")
    MESSAGE_SUBMITTED = "message_submitted", _("Message submitted for review")
    MESSAGE_RETURNED = "message_returned", _("Message returned for changes")
    MESSAGE_APPROVED = "message_approved", _("Message approved")
    MESSAGE_RELEASED = "message_released", _("Message released")
    MESSAGE_DELIVERED = "message_delivered", _("Message delivered")
    MESSAGE_DECLINED = "message_declined", _("Message declined by the recipient")
    MESSAGE_ACKNOWLEDGED = "message_acknowledged", _("Message acknowledged")
    SURVEY_RECORDED = "survey_recorded", _("Feedback survey recorded")
    REOFFENDING_CHECKED = "reoffending_checked", _("Reoffending checked")
    ONWARD_REFERRAL_MADE = "onward_referral_made", _("Onward referral made")
    ONWARD_REFERRAL_UPDATED = "onward_referral_updated", _("Onward referral updated")
    REFERRAL_ORDER_RECORDED = "referral_order_recorded", _("Referral order recorded")
    VICTIM_INVITATION_DECIDED = "victim_invitation_decided", _("Decision whether to invite the person harmed")
    PANEL_SEATED = "panel_seated", _("Panel members chosen for a meeting")
    CONTRACT_ITEM_ADDED = "contract_item_added", _("Contract item added")
    ORDER_BREACHED = "order_breached", _("Breach of the order recorded")
    COURT_REPORT_SENT = "court_report_sent", _("Report sent to the court")


class TimelineEntry(models.Model):
    """One thing that happened in a case. `detail` holds a reason or summary in the words used, encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(_("what"), max_length=32, choices=TimelineKind.choices)
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=State.choices, blank=True)
    detail = EncryptedTextField(_("detail"), blank=True, default="")

    class Meta:
        ordering = ("-occurred_at", "-pk")
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class TaskKind(models.TextChoices):
    TRIAGE = "triage", _("Triage the referral (Victims' Code right 4: referred within 2 working days)")
    TELL_ABOUT_RJ = "tell_about_rj", _("Tell the person harmed about RJ (Victims' Code right 3)")
    DECLARE_CONFLICT = "declare_conflict", _("Declare any conflict of interest")
    FIRST_CONTACT = "first_contact", _("Make first contact")
    RISK_REVIEW = "risk_review", _("Review the risk assessment")
    SIGN_OFF = "sign_off", _("Sign off the risk assessment")
    HOLD_REVIEW = "hold_review", _("Review the case on hold")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent was withdrawn: review the case")
    SAFEGUARDING = "safeguarding", _("Safeguarding concern: review the case")
    REALLOCATE = "reallocate", _("A facilitator declared a conflict: allocate again")
    TELL_ABOUT_ACTION = "tell_about_action", _("Tell the person harmed whether an agreed action was completed")
    MEETING_REMINDER = "meeting_reminder", _("Confirm the meeting with everyone attending")
    TELL_OF_CANCELLED_MEETING = (
        "tell_meeting_off",
        _("Tell the people coming that a meeting will not go ahead"),
    )
    REVIEW_MESSAGE = "review_message", _("Review a message before it is passed on")
    FOLLOW_UP = "follow_up", _("Follow-up contact due")
    REOFFENDING_CHECK = "reoffending_check", _("Check for reoffending")
    PANEL_REVIEW = "panel_review", _("Hold the panel's review meeting")
    COURT_REPORT = "court_report", _("Report back to the court")
    COMPLAINT = "complaint", _("Answer a complaint (Victims' Code: within 10 working days)")
    RIGHTS_REQUEST = "rights_request", _("Answer a data protection request (within one month)")


# Tasks about a service's register, never a case or a referral: a complaint's (the case's facilitators may be the
# ones complained about) and a data protection request's (it is about a person, across their cases).
REGISTER_TASK_KINDS = (TaskKind.COMPLAINT, TaskKind.RIGHTS_REQUEST)


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> "TaskQuerySet":
        return self.filter(completed_at__isnull=True)


class Task(TimeStampedModel):
    """A deadline for a named person, created by the workflow and the clocks."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    kind = models.CharField(_("task"), max_length=24, choices=TaskKind.choices)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    due_on = models.DateField(_("due"))
    completed_at = models.DateTimeField(_("done"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ("due_on", "pk")
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = (
            models.CheckConstraint(
                condition=Q(case__isnull=False)
                | Q(referral__isnull=False)
                | Q(kind__in=REGISTER_TASK_KINDS, case__isnull=True, referral__isnull=True),
                name="task_is_about_a_case_or_referral",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.completed_at is None and self.due_on < today
