"""Files of figures prepared in the background: what was asked for, how far it has got, and where the file is kept.

The file itself is encrypted in AMENDS_PRIVATE_DIR / "exports", under a random name, never in the web root, and is
deleted with its row once the service's `export_keep_days` have passed.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Partnership, Service
from amends.figures.periods import Period, PeriodKind


class ExportView(models.TextChoices):
    """Whose dashboard the file comes from: the values of dashboards.View."""

    SERVICE = "service", _("Service figures")
    PARTNERSHIP = "partnership", _("Partnership figures")
    COMMISSIONER = "commissioner", _("Commissioner's figures")


class ExportKind(models.TextChoices):
    DASHBOARD = "dashboard", _("Every figure, with every breakdown")
    QUARTERLY_RETURN = "quarterly_return", _("Quarterly commissioner return")
    RJC_DATASET = "rjc_dataset", _("RJC Registered Service Provider annual dataset")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Spreadsheet (XLSX)")
    CSV = "csv", _("Comma-separated values (CSV)")
    PDF = "pdf", _("Document to print (PDF)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Preparing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Export(models.Model):
    """A file of figures someone asked for: prepared by the prepare_export task, step by step."""

    # One of the two: a service's figures, or a partnership's. Exports are short-lived, so they go with their scope.
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    view = models.CharField(_("view"), max_length=16, choices=ExportView.choices)
    kind = models.CharField(_("what"), max_length=20, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    period_kind = models.CharField(max_length=8, choices=[(kind.value, kind.value) for kind in PeriodKind])
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # The language the file is written in: the requester's when they asked.
    language = models.CharField(max_length=8, default="en")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    # Random, never derived from what is in the file; the file is at AMENDS_PRIVATE_DIR / "exports" / stored_name.
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    # What went wrong, in words fit to show: never personal data, never a traceback.
    error = models.CharField(max_length=200, blank=True)
    # The service's export_keep_days when it was asked for (the shortest of a partnership's services').
    keep_days = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # When the row and its file are deleted: the service's export_keep_days after it finished (or was asked for).
    expires_at = models.DateTimeField(_("deleted after"))
    # When the file was deleted; the row stays a while longer so its address can say so (tasks.TOMBSTONE_DAYS).
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("file of figures")
        verbose_name_plural = _("files of figures")
        indexes = (models.Index(fields=("expires_at",), name="export_expires_at"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(service__isnull=False, partnership__isnull=True)
                | Q(service__isnull=True, partnership__isnull=False),
                name="export_of_a_service_or_a_partnership",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="export_period_in_order"),
            models.CheckConstraint(condition=Q(steps_done__lte=F("steps_total")), name="export_steps_in_range"),
            models.CheckConstraint(
                condition=~Q(kind=ExportKind.RJC_DATASET) | Q(view=ExportView.SERVICE, service__isnull=False),
                name="export_rjc_dataset_of_a_service",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ExportKind.QUARTERLY_RETURN) | Q(view=ExportView.COMMISSIONER),
                name="export_return_is_suppressed",
            ),
        )

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def period(self) -> Period:
        return Period(PeriodKind(self.period_kind), self.period_start, self.period_end)

    @property
    def is_finished(self) -> bool:
        return self.status in {ExportStatus.READY, ExportStatus.FAILED}

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and bool(self.stored_name) and self.file_deleted_at is None

    def has_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())
