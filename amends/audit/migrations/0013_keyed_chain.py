"""Key the audit chain: each event records the key that hashed it (amends/audit/chain.py).

Rows are append-only, so the events already written keep their plain SHA-256; one keyed event is appended after them,
so the chain ends keyed and cannot be rewritten back to the start without the key.
"""

from typing import Any

from django.db import migrations, models
from django.utils import timezone

from amends.audit import chain, triggers


def reinstall_triggers(apps: Any, schema_editor: Any) -> None:
    # SQLite adds the column by rebuilding the table, which drops its triggers.
    triggers.install(schema_editor.connection)


def seal_unkeyed_events(apps: Any, schema_editor: Any) -> None:
    """Append a keyed event after the events hashed before the chain was keyed, if there are any."""
    database = schema_editor.connection.alias
    event_model = apps.get_model("audit", "AuditEvent")
    head = apps.get_model("audit", "AuditChainHead").objects.using(database).select_for_update().filter(pk=1).first()
    if head is None or head.last_event_id == 0:
        return
    unkeyed = event_model.objects.using(database).filter(key_id=chain.UNKEYED).count()
    event = event_model(
        occurred_at=timezone.now(),
        action="audit_chain_keyed",
        changes={"unkeyed_events": unkeyed},
        request_id="",
        previous_hash=head.last_hash,
        key_id=chain.signing_key_id(),
    )
    event.hash = chain.seal(event)
    event.save(using=database)
    head.last_event_id, head.last_hash = event.pk, event.hash
    head.save(using=database, update_fields=["last_event_id", "last_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0012_alter_auditevent_action'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='key_id',
            field=models.CharField(blank=True, default='', max_length=16),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('signed_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('signed_out', 'Signed out'), ('password_changed', 'Password changed'), ('password_reset', 'Password reset'), ('second_factor_added', 'Second factor added'), ('second_factor_removed', 'Second factor removed'), ('recovery_codes_renewed', 'Recovery codes renewed'), ('organisation_saved', 'Organisation saved'), ('service_created', 'Service created'), ('service_updated', 'Service details changed'), ('opening_hours_updated', 'Opening hours changed'), ('partnership_saved', 'Partnership saved'), ('invitation_sent', 'Invitation sent'), ('invitation_withdrawn', 'Invitation withdrawn'), ('invitation_accepted', 'Invitation accepted'), ('membership_started', 'Role given'), ('membership_ended', 'Role ended'), ('supervisor_assigned', 'Supervisor changed'), ('facilitator_record_saved', 'Facilitator record saved'), ('training_recorded', 'Training recorded'), ('cpd_recorded', 'CPD recorded'), ('supervision_recorded', 'Supervision session recorded'), ('observed_practice_recorded', 'Observed practice recorded'), ('referral_created', 'Referral received'), ('referral_updated', 'Referral changed'), ('referral_triaged', 'Referral triaged'), ('case_opened', 'Case opened'), ('case_allocated', 'Case allocated'), ('conflict_declared', 'Conflict of interest declared'), ('case_state_changed', 'Case moved on'), ('case_details_changed', 'Case details changed'), ('case_note_added', 'Case note added'), ('participant_added', 'Participant added'), ('participant_updated', 'Participant changed'), ('person_updated', "Person's details changed"), ('equality_recorded', 'Equality monitoring recorded'), ('contact_logged', 'Contact logged'), ('information_given', 'Information given recorded'), ('responsibility_recorded', 'Responsibility recorded'), ('consent_given', 'Consent given'), ('consent_withdrawn', 'Consent withdrawn'), ('risk_assessed', 'Risk assessed'), ('risk_signed_off', 'Risk assessment signed off'), ('risk_information_recorded', 'Risk information recorded'), ('task_completed', 'Task done'), ('agreement_made', 'Outcome agreement made'), ('agreement_changed', 'Outcome agreement changed'), ('participant_agreed', 'Agreement to the outcome recorded'), ('action_added', 'Agreement action added'), ('payment_recorded', 'Compensation payment recorded'), ('action_verified', 'Agreement action verified'), ('action_withdrawn', 'Agreement action withdrawn'), ('venue_saved', 'Venue saved'), ('meeting_booked', 'Meeting booked'), ('meeting_changed', 'Meeting changed'), ('meeting_cancelled', 'Meeting cancelled'), ('meeting_recorded', 'Meeting recorded'), ('message_saved', 'Relay message saved'), ('message_moved', 'Relay message moved on'), ('message_flag_resolved', 'Identifying-details flag resolved'), ('file_uploaded', 'File uploaded'), ('survey_recorded', 'Feedback survey recorded'), ('reoffending_checked', 'Reoffending checked'), ('onward_referral_saved', 'Onward referral saved'), ('panel_member_saved', 'Panel member saved'), ('referral_order_saved', 'Referral order saved'), ('victim_invitation_decided', 'Decision whether to invite the person harmed'), ('panel_seated', 'Panel members chosen for a meeting'), ('contract_item_saved', 'Contract item saved'), ('order_breached', 'Breach of the order recorded'), ('court_report_saved', 'Report to the court saved'), ('figures_exported', 'Figures downloaded'), ('export_requested', 'File of figures requested'), ('complaint_recorded', 'Complaint or compliment recorded'), ('complaint_updated', 'Complaint handled'), ('complaint_responded', 'Complaint answered'), ('complaint_escalated', 'Complaint escalated'), ('referral_verified', 'Self-referral checked'), ('link_issued', 'Secure link issued'), ('link_revoked', 'Secure link revoked'), ('link_locked', 'Secure link locked after failed checks'), ('link_check_failed', 'Secure link check failed'), ('link_opened', 'Secure link opened'), ('participant_viewed', 'Page viewed through a secure link'), ('access_token_created', 'API token created'), ('access_token_revoked', 'API token revoked'), ('data_protection_saved', 'Data protection settings changed'), ('retention_rule_saved', 'Retention schedule changed'), ('legal_hold_placed', 'Legal hold placed'), ('legal_hold_lifted', 'Legal hold lifted'), ('personal_data_erased', 'Personal data erased'), ('rights_request_saved', 'Data protection request recorded'), ('rights_request_decided', 'Data protection request decided'), ('rights_request_completed', 'Data protection request carried out'), ('rights_request_withheld', 'Records withheld from a subject access export'), ('subject_access_exported', 'Subject access export downloaded'), ('sharing_agreement_saved', 'Information sharing agreement saved'), ('disclosure_recorded', 'Disclosure recorded'), ('record_viewed', 'Record viewed'), ('audit_viewed', 'Audit viewed'), ('audit_chain_keyed', 'Audit chain keyed')], db_index=True, max_length=40, verbose_name='action'),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
        migrations.RunPython(seal_unkeyed_events, migrations.RunPython.noop),
    ]
