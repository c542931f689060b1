"""Snapshots of the accounts (§10): requests, uploaded screenshots, the made snapshot."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- Snapshots (§10: yearly, or at a major change; a final one at closing) ---


def snapshot_screenshot_path(instance, filename: str) -> str:
    """A random name: the uploaded name says nothing we trust or want to keep."""
    ext = getattr(instance, "_image_ext", "bin")
    return f"snapshots/screenshots/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class SnapshotReason(models.TextChoices):
    YEARLY = "yearly", _("Årlig ögonblicksbild")
    MAJOR_CHANGE = "major_change", _("Större förändring")
    FINAL = "final", _("Slutlig ögonblicksbild vid avveckling")


class SnapshotRequest(models.Model):
    """The account's people are asked to upload fresh screenshots of the live
    account; when they have, the snapshot is made from them."""

    class Status(models.TextChoices):
        OPEN = "open", _("Väntar på skärmdumpar")
        QUEUED = "queued", _("Ögonblicksbilden skapas")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        related_name="snapshot_requests",
    )
    reason = models.CharField(_("anledning"), max_length=20, choices=SnapshotReason.choices)
    note = models.CharField(_("vad som har förändrats"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tomt när begäran kom från den årliga körningen."),
    )
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("köad av"),
        help_text=_("Den som bad om att ögonblicksbilden skulle skapas."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begäran om ögonblicksbild")
        verbose_name_plural = _("begäranden om ögonblicksbilder")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status__in=["open", "queued"]),
                name="one_pending_snapshot_request_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.reason} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.reason == SnapshotReason.FINAL


class SnapshotScreenshot(models.Model):
    """A screenshot of the live account, uploaded for a snapshot request.
    Checked by content (images only) before it is stored; never changed after."""

    # Set before the first save from the checked image; names the file
    # (snapshot_screenshot_path).
    _image_ext: str

    request = models.ForeignKey(
        SnapshotRequest,
        verbose_name=_("begäran"),
        on_delete=models.PROTECT,
        related_name="screenshots",
    )
    image = models.FileField(_("skärmdump"), upload_to=snapshot_screenshot_path, max_length=200)
    content_type = models.CharField(max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("vad bilden visar"), max_length=200, blank=True)
    captured_on = models.DateField(_("skärmdumpen togs"), default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skärmdump för ögonblicksbild")
        verbose_name_plural = _("skärmdumpar för ögonblicksbilder")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.image.name}"


class Snapshot(models.Model):
    """The snapshot as a PDF/A-2b: registered profile, checklist, people,
    screenshots and the period's records. Written once (temp name, then moved),
    SHA-256 stored, never changed after; registered in the account's yearly case."""

    request = models.OneToOneField(
        SnapshotRequest,
        verbose_name=_("begäran"),
        on_delete=models.PROTECT,
        related_name="snapshot",
    )
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    reason = models.CharField(_("anledning"), max_length=20, choices=SnapshotReason.choices)
    final = models.BooleanField(_("slutlig"), default=False)
    period_start = models.DateField(_("perioden från"))
    period_end = models.DateField(_("perioden till"))
    screenshots_taken_on = models.DateField(_("skärmdumparna togs"))
    made_at = models.DateTimeField(_("skapad"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.FileField(_("ögonblicksbild (PDF/A)"), upload_to="snapshots/%Y/", max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ögonblicksbild")
        verbose_name_plural = _("ögonblicksbilder")
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["account", "screenshots_taken_on"])]

    def __str__(self) -> str:
        return f"{self.account_id} {timezone.localtime(self.made_at):%Y-%m-%d}"
