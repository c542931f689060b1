"""The log of archive packages: each E-ARK package written (who, when, what it
holds, its size and SHA-256, the validator's verdict when written) and each
later check of a package against its entry. Both are written once and never
changed (arkivlagen 6 §: the registrar must be able to show what was delivered
to the archive authority, and that it arrived whole)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nora_social.core.append_only import AppendOnlyModel


class ArchiveExport(AppendOnlyModel):
    """One package written, by the registrar's page or ``write_archive_package``."""

    class Channel(models.TextChoices):
        WEB = "web", _("Webbsidan Arkivexport")
        COMMAND = "command", _("Kommandot write_archive_package")

    objid = models.CharField(_("paketets id (OBJID)"), max_length=100, unique=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exporterat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    exported_at = models.DateTimeField(_("exporterat"), default=timezone.now)
    channel = models.CharField(_("hur"), max_length=10, choices=Channel.choices)
    administration = models.ForeignKey(
        "accounts.Administration",
        verbose_name=_("förvaltning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    label = models.CharField(_("urval"), max_length=300)
    cases = models.PositiveIntegerField(_("ärenden"))
    documents = models.PositiveIntegerField(_("handlingar"))
    snapshots = models.PositiveIntegerField(_("ögonblicksbilder"))
    data_files = models.PositiveIntegerField(_("lagrade filer"))
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("paketets SHA-256"), max_length=64)
    valid = models.BooleanField(_("giltigt när det skrevs"))
    checked_files = models.PositiveIntegerField(_("kontrollerade filer"))
    problems = models.TextField(_("fel vid kontrollen"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arkivpaket")
        verbose_name_plural = _("arkivpaket")
        ordering = ["-exported_at", "-pk"]
        indexes = [models.Index(fields=["exported_at"])]

    def __str__(self) -> str:
        return self.objid

    @property
    def administration_id_in_scope(self) -> int | None:
        """The administration the package belongs to (an account's, for an account)."""
        if self.administration_id is not None:
            return self.administration_id
        if self.account is not None:
            return self.account.unit.administration_id
        return None


class ExportVerification(AppendOnlyModel):
    """A later check of a written package (``validate_archive_package``): the
    validator's verdict and whether the file is the one that was written (same
    size and SHA-256 as the export's entry)."""

    export = models.ForeignKey(
        ArchiveExport,
        verbose_name=_("arkivpaket"),
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    verified_at = models.DateTimeField(_("kontrollerat"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontrollerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid = models.BooleanField(_("giltigt"))
    same_file = models.BooleanField(_("samma fil som exporterades"))
    checked_files = models.PositiveIntegerField(_("kontrollerade filer"))
    problems = models.TextField(_("fel"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontroll av arkivpaket")
        verbose_name_plural = _("kontroller av arkivpaket")
        ordering = ["-verified_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.export_id}:{self.verified_at:%Y-%m-%d}"

    @property
    def ok(self) -> bool:
        return self.valid and self.same_file
