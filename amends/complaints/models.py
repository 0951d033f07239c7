"""The service's register of complaints, compliments and other feedback (Victims' Code right 12).

A complaint names the person in the service who answers it (the handler) and is due an answer within 10 working days
of being received; a compliment or other feedback is recorded and counted, with no handler and no clock. Whoever
complained is recorded by their part (person harmed, referrer, member of the public...), never as a link to a person
record: a complaint may come from someone who is not in any case, or who does not give their name. A complaint may
say which case it is about.

The register is kept by staff; a public complaints form (a later issue) records into it through the same service.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service
from amends.core.fields import EncryptedCharField, EncryptedTextField
from amends.core.models import TimeStampedModel
from amends.core.versioning import VersionedModel

# Victims' Code right 12: a complaint is answered within 10 working days of being received.
ANSWER_WITHIN_WORKING_DAYS = 10


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    COMPLIMENT = "compliment", _("Compliment")
    OTHER = "other", _("Other feedback")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    ONLINE_FORM = "online_form", _("Online form")


class FromRole(models.TextChoices):
    """Who made the complaint or gave the feedback, by their part: not a link to anyone's record."""

    PERSON_HARMED = "person_harmed", _("Person harmed (victim)")
    PERSON_RESPONSIBLE = "person_responsible", _("Person responsible (offender)")
    SUPPORTER = "supporter", _("Supporter or family member")
    REFERRER = "referrer", _("Referrer or partner agency")
    PUBLIC = "public", _("Member of the public")
    ANONYMOUS = "anonymous", _("Anonymous")


class AnswerBy(models.TextChoices):
    """How the person wants the answer."""

    EMAIL = "email", _("By email")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")
    IN_PERSON = "in_person", _("In person")
    NONE = "none", _("They do not want an answer")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EscalatedTo(models.TextChoices):
    """Where a complaint went next when the person was not satisfied (see services.escalation_route)."""

    ORGANISATION = "organisation", _("The organisation's complaints lead")
    COMMISSIONER = "commissioner", _("The Police and Crime Commissioner")
    OMBUDSMAN = "ombudsman", _("The Parliamentary and Health Service Ombudsman, through an MP")
    RJC = "rjc", _("The Restorative Justice Council")
    OTHER = "other", _("Somewhere else")


class Complaint(VersionedModel, TimeStampedModel):
    """One complaint, compliment or other feedback received by the service."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="complaints")
    kind = models.CharField(_("kind"), max_length=16, choices=ComplaintKind.choices)
    received_on = models.DateField(_("date received"))
    channel = models.CharField(_("how it came"), max_length=16, choices=Channel.choices)
    from_role = models.CharField(_("from"), max_length=24, choices=FromRole.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("case it is about"),
    )
    summary = EncryptedTextField(_("what they said"))
    contact = EncryptedCharField(_("how to reach them"), max_length=200, blank=True, default="")
    answer_by = models.CharField(_("how they want the answer"), max_length=16, choices=AnswerBy.choices, blank=True)
    # None when the public form recorded it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Complaints only: who answers it, and by when.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_handled",
        verbose_name=_("handler"),
    )
    due_on = models.DateField(_("answer by"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged"), null=True, blank=True)
    responded_on = models.DateField(_("answered"), null=True, blank=True)
    response = EncryptedTextField(_("the answer"), blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    escalated_on = models.DateField(_("escalated"), null=True, blank=True)
    escalated_to = models.CharField(_("escalated to"), max_length=16, choices=EscalatedTo.choices, blank=True)
    escalation_details = EncryptedTextField(_("about the escalation"), blank=True, default="")
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ("-received_on", "-pk")
        verbose_name = _("complaint or compliment")
        verbose_name_plural = _("complaints and compliments")
        indexes = (models.Index(fields=("service", "received_on"), name="complaint_service_received"),)
        constraints = (
            models.CheckConstraint(
                condition=~Q(kind=ComplaintKind.COMPLAINT) | Q(handler__isnull=False, due_on__isnull=False),
                name="complaint_has_handler_and_due_date",
            ),
            models.CheckConstraint(
                condition=Q(kind=ComplaintKind.COMPLAINT)
                | Q(
                    handler__isnull=True,
                    due_on__isnull=True,
                    acknowledged_on__isnull=True,
                    responded_on__isnull=True,
                    escalated_on__isnull=True,
                ),
                name="only_a_complaint_is_handled",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True, outcome="") | (Q(responded_on__isnull=False) & ~Q(outcome="")),
                name="complaint_answer_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(escalated_on__isnull=True, escalated_to="")
                | (Q(escalated_on__isnull=False) & ~Q(escalated_to="")),
                name="complaint_escalation_has_destination",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=F("received_on")),
                name="complaint_answered_after_received",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True) | Q(acknowledged_on__gte=F("received_on")),
                name="complaint_acknowledged_after_received",
            ),
            models.CheckConstraint(
                condition=Q(escalated_on__isnull=True) | Q(escalated_on__gte=F("received_on")),
                name="complaint_escalated_after_received",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.received_on})"

    @property
    def is_complaint(self) -> bool:
        return self.kind == ComplaintKind.COMPLAINT

    @property
    def is_answered(self) -> bool:
        return self.responded_on is not None

    @property
    def is_open(self) -> bool:
        """A complaint still waiting for its answer."""
        return self.is_complaint and self.responded_on is None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    @property
    def answered_in_time(self) -> bool | None:
        if self.responded_on is None or self.due_on is None:
            return None
        return self.responded_on <= self.due_on
