"""What the directory task keeps between runs: the log of each run (shown to the
information officer) and where the last delta round ended."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DirectoryRun(models.Model):
    """One reading of the staff directory: what it found and changed, or why it
    failed (a Swedish message without credentials). A log, written only by the
    task; the people it changed carry the change in their own history."""

    class Status(models.TextChoices):
        RUNNING = "running", _("pågår")
        OK = "ok", _("klar")
        FAILED = "failed", _("misslyckades")

    source = models.CharField(_("källa"), max_length=10)
    started_at = models.DateTimeField(_("startad"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    full_read = models.BooleanField(_("hela katalogen"), default=True)
    people_read = models.PositiveIntegerField(_("lästa personer"), default=0)
    matched = models.PositiveIntegerField(_("kända i tjänsten"), default=0)
    updated = models.PositiveIntegerField(_("uppdaterade"), default=0)
    roles_changed = models.PositiveIntegerField(_("ändrade roller"), default=0)
    left = models.PositiveIntegerField(_("slutade"), default=0)
    scheduled = models.PositiveIntegerField(_("slutar senare"), default=0)
    error = models.TextField(_("fel"), blank=True)
    changes = models.JSONField(_("ändringar"), default=list, blank=True)

    class Meta:
        verbose_name = _("katalogsynkronisering")
        verbose_name_plural = _("katalogsynkroniseringar")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class DirectoryCursor(models.Model):
    """Where the source's last delta round ended (Microsoft Graph's
    ``@odata.deltaLink``) and when the whole directory was last read."""

    source = models.CharField(max_length=10, unique=True)
    delta_link = models.TextField(blank=True)
    full_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.source
