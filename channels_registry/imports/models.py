"""One reading-in of a file of existing accounts (issue 16): who confirmed which
file (its SHA-256 and the file itself, kept server-side for the task), when, how
it went and what it created. The task's record of having run: a redelivered task
finds the run done and imports nothing more. Loaded through
``channels_registry.models`` (app label ``channels_registry``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AccountImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Väntar på att starta")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    digest = models.CharField(_("filens SHA-256"), max_length=64)
    file_name = models.CharField(_("filnamn"), max_length=255)
    # The file as confirmed; the history does not copy it at each change of state.
    data = models.BinaryField(_("filen"), editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("startad av"),
    )
    created_at = models.DateTimeField(_("bekräftad"), default=timezone.now)
    started_at = models.DateTimeField(_("började"), null=True, blank=True)
    finished_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rader"), default=0)
    created_accounts = models.PositiveIntegerField(_("skapade konton"), default=0)
    created_members = models.PositiveIntegerField(_("skapade personer på konton"), default=0)
    account_ids = models.JSONField(_("skapade konton (id)"), default=list, blank=True)
    error = models.TextField(_("fel"), blank=True)
    problems = models.JSONField(_("fel per rad"), default=list, blank=True)

    history = HistoricalRecords(excluded_fields=["data"])

    class Meta:
        verbose_name = _("inläsning av konton")
        verbose_name_plural = _("inläsningar av konton")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["digest", "status"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
