"""The security audit: an append-only, hash-chained record of who did or saw what."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.audit import chain

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    # Signing in and second factors.
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGNED_OUT = "signed_out", _("Signed out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    SECOND_FACTOR_ADDED = "second_factor_added", _("Second factor added")
    SECOND_FACTOR_REMOVED = "second_factor_removed", _("Second factor removed")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Recovery codes renewed")
    # Organisations, services and the people in them.
    ORGANISATION_SAVED = "organisation_saved", _("Organisation saved")
    SERVICE_CREATED = "service_created", _("Service created")
    SERVICE_UPDATED = "service_updated", _("Service details changed")
    OPENING_HOURS_UPDATED = "opening_hours_updated", _("Opening hours changed")
    PARTNERSHIP_SAVED = "partnership_saved", _("Partnership saved")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    MEMBERSHIP_STARTED = "membership_started", _("Role given")
    MEMBERSHIP_ENDED = "membership_ended", _("Role ended")
    SUPERVISOR_ASSIGNED = "supervisor_assigned", _("Supervisor changed")
    # Practitioners' records.
    FACILITATOR_RECORD_SAVED = "facilitator_record_saved", _("Facilitator record saved")
    TRAINING_RECORDED = "training_recorded", _("Training recorded")
    CPD_RECORDED = "cpd_recorded", _("CPD recorded")
    SUPERVISION_RECORDED = "supervision_recorded", _("Supervision session recorded")
    OBSERVED_PRACTICE_RECORDED = "observed_practice_recorded", _("Observed practice recorded")
    # Referrals and cases.
    REFERRAL_CREATED = "referral_created", _("Referral received")
    REFERRAL_UPDATED = "referral_updated", _("Referral changed")
    REFERRAL_TRIAGED = "referral_triaged", _("Referral triaged")
    CASE_OPENED = "case_opened", _("Case opened")
    CASE_ALLOCATED = "case_allocated", _("Case allocated")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
    CASE_STATE_CHANGED = "case_state_changed", _("Case moved on")
    CASE_DETAILS_CHANGED = "case_details_changed", _("Case details changed")
    CASE_NOTE_ADDED = "case_note_added", _("Case note added")
    PARTICIPANT_ADDED = "participant_added", _("Participant added")
    PARTICIPANT_UPDATED = "participant_updated", _("Participant changed")
    PERSON_UPDATED = "person_updated", _("Person's details changed")
    EQUALITY_RECORDED = "equality_recorded", _("Equality monitoring recorded")
    CONTACT_LOGGED = "contact_logged", _("Contact logged")
    INFORMATION_GIVEN = "information_given", _("Information given recorded")
    RESPONSIBILITY_RECORDED = "responsibility_recorded", _("Responsibility recorded")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    RISK_ASSESSED = "risk_assessed", _("Risk assessed")
    RISK_SIGNED_OFF = "risk_signed_off", _("Risk assessment signed off")
    RISK_INFORMATION_RECORDED = "risk_information_recorded", _("Risk information recorded")
    TASK_COMPLETED = "task_completed", _("Task done")
    # Outcome agreements and their actions.
    AGREEMENT_MADE = "agreement_made", _("Outcome agreement made")
    AGREEMENT_CHANGED = "agreement_changed", _("Outcome agreement changed")
    PARTICIPANT_AGREED = "participant_agreed", _("Agreement to the outcome recorded")
    ACTION_ADDED = "action_added", _("Agreement action added")
    PAYMENT_RECORDED = "payment_recorded", _("Compensation payment recorded")
    ACTION_VERIFIED = "action_verified", _("Agreement action verified")
    ACTION_WITHDRAWN = "action_withdrawn", _("Agreement action withdrawn")
    # Meetings, the facilitated relay and follow-up.
    VENUE_SAVED = "venue_saved", _("Venue saved")
    MEETING_BOOKED = "meeting_booked", _("Meeting booked")
    MEETING_CHANGED = "meeting_changed", _("Meeting changed")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_RECORDED = "meeting_recorded", _("Meeting recorded")
    MESSAGE_SAVED = "message_saved", _("Relay message saved")
    MESSAGE_MOVED = "message_moved", _("Relay message moved on")
    MESSAGE_FLAG_RESOLVED = "message_flag_resolved", _("Identifying-details flag resolved")
    FILE_UPLOADED = "file_uploaded", _("File uploaded")
    SURVEY_RECORDED = "survey_recorded", _("Feedback survey recorded")
    REOFFENDING_CHECKED = "reoffending_checked", _("Reoffending checked")
    ONWARD_REFERRAL_SAVED = "onward_referral_saved", _("Onward referral saved")
    # Youth and court variants.
    PANEL_MEMBER_SAVED = "panel_member_saved", _("Panel member saved")
    REFERRAL_ORDER_SAVED = "referral_order_saved", _("Referral order saved")
    VICTIM_INVITATION_DECIDED = "victim_invitation_decided", _("Decision whether to invite the person harmed")
    PANEL_SEATED = "panel_seated", _("Panel members chosen for a meeting")
    CONTRACT_ITEM_SAVED = "contract_item_saved", _("Contract item saved")
    ORDER_BREACHED = "order_breached", _("Breach of the order recorded")
    COURT_REPORT_SAVED = "court_report_saved", _("Report to the court saved")
    # Figures and complaints.
    FIGURES_EXPORTED = "figures_exported", _("Figures downloaded")
    EXPORT_REQUESTED = "export_requested", _("File of figures requested")
    COMPLAINT_RECORDED = "complaint_recorded", _("Complaint or compliment recorded")
    COMPLAINT_UPDATED = "complaint_updated", _("Complaint handled")
    COMPLAINT_RESPONDED = "complaint_responded", _("Complaint answered")
    COMPLAINT_ESCALATED = "complaint_escalated", _("Complaint escalated")
    # The public side: self-referrals and participants' secure links.
    REFERRAL_VERIFIED = "referral_verified", _("Self-referral checked")
    LINK_ISSUED = "link_issued", _("Secure link issued")
    LINK_REVOKED = "link_revoked", _("Secure link revoked")
    LINK_LOCKED = "link_locked", _("Secure link locked after failed checks")
    LINK_CHECK_FAILED = "link_check_failed", _("Secure link check failed")
    LINK_OPENED = "link_opened", _("Secure link opened")
    PARTICIPANT_VIEWED = "participant_viewed", _("Page viewed through a secure link")
    ACCESS_TOKEN_CREATED = "access_token_created", _("API token created")
    ACCESS_TOKEN_REVOKED = "access_token_revoked", _("API token revoked")
    # Data protection.
    DATA_PROTECTION_SAVED = "data_protection_saved", _("Data protection settings changed")
    RETENTION_RULE_SAVED = "retention_rule_saved", _("Retention schedule changed")
    LEGAL_HOLD_PLACED = "legal_hold_placed", _("Legal hold placed")
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", _("Legal hold lifted")
    PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased")
    RIGHTS_REQUEST_SAVED = "rights_request_saved", _("Data protection request recorded")
    RIGHTS_REQUEST_DECIDED = "rights_request_decided", _("Data protection request decided")
    RIGHTS_REQUEST_COMPLETED = "rights_request_completed", _("Data protection request carried out")
    RIGHTS_REQUEST_WITHHELD = "rights_request_withheld", _("Records withheld from a subject access export")
    SUBJECT_ACCESS_EXPORTED = "subject_access_exported", _("Subject access export downloaded")
    SHARING_AGREEMENT_SAVED = "sharing_agreement_saved", _("Information sharing agreement saved")
    DISCLOSURE_RECORDED = "disclosure_recorded", _("Disclosure recorded")
    # Reads of personal data.
    RECORD_VIEWED = "record_viewed", _("Record viewed")
    AUDIT_VIEWED = "audit_viewed", _("Audit viewed")
    LIST_VIEWED = "list_viewed", _("List viewed")
    # The audit itself.
    AUDIT_CHAIN_KEYED = "audit_chain_keyed", _("Audit chain keyed")


# Events that record a sign-in, a read, a download or the audit's own keeping: they change nothing Amends holds about
# anyone's case. Every other event records a change, and LastWrite follows it.
READS = frozenset(
    {
        AuditAction.SIGNED_IN,
        AuditAction.SIGN_IN_FAILED,
        AuditAction.SIGNED_OUT,
        AuditAction.FIGURES_EXPORTED,
        AuditAction.EXPORT_REQUESTED,
        AuditAction.RECORD_VIEWED,
        AuditAction.AUDIT_VIEWED,
        AuditAction.LIST_VIEWED,
        AuditAction.LINK_CHECK_FAILED,
        AuditAction.LINK_OPENED,
        AuditAction.PARTICIPANT_VIEWED,
        AuditAction.SUBJECT_ACCESS_EXPORTED,
        AuditAction.AUDIT_CHAIN_KEYED,
    }
)


class AuditEvent(models.Model):
    """One thing that happened. Rows are never changed or deleted: database triggers refuse it."""

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField(_("record type"), max_length=64, blank=True, db_index=True)
    target_id = models.CharField(_("record"), max_length=64, blank=True)
    service = models.ForeignKey("accounts.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which of AUDIT_CHAIN_KEYS hashed the event ("" for plain SHA-256, before the chain was keyed); hashed with it.
    key_id = models.CharField(max_length=16, blank=True, default=chain.UNKEYED)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.get_action_display()}"

    def compute_hash(self) -> str:
        """HMAC-SHA-256 under the key named by key_id over the previous hash and this event's content (plain SHA-256
        for an event from before the chain was keyed: amends/audit/chain.py says why and how)."""
        return chain.seal(self)


class AuditChainHead(models.Model):
    """The newest event's id and hash: locking this row orders writers, and it shows a deleted tail."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"{self.last_event_id}"


class LastWrite(models.Model):
    """The newest audited change in a service, or outside any service (`service` empty: a practitioner's CPD, say).
    Every write is audited, so this moves whenever what the figures count may have: the dashboards kept between views
    (amends/figures/kept.py) compare it with the one they were counted at."""

    service = models.OneToOneField(
        "accounts.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.service_id}: {self.event_id}"
