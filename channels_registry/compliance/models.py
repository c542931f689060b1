"""The sweep's findings, its runs (the dead man's switch) and the daily digests.
Loaded through ``channels_registry.models`` (app label ``channels_registry``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Finding(models.Model):
    """A compliance finding from the sweep. Idempotent: at most one open finding per
    rule, account and key; one that no longer holds is resolved with the time; if it
    returns, it is a new finding."""

    class Severity(models.TextChoices):
        HIGH = "high", _("Hög")
        MEDIUM = "medium", _("Medel")
        LOW = "low", _("Låg")

    rule_code = models.CharField(max_length=60, db_index=True)
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    key = models.CharField(max_length=100, blank=True, default="")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "account", "key"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_finding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_code}: {self.message}"


class SweepRun(models.Model):
    """One run of the compliance sweep: the dead man's switch reads the last one."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    time_critical_only = models.BooleanField(default=False)
    # A re-check of some accounts only; the dead man's switch counts full sweeps.
    scoped = models.BooleanField(default=False)
    failed_rules = models.CharField(max_length=500, blank=True, default="")
    opened = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    still_open = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Sweep {self.started_at:%Y-%m-%d %H:%M}"


class Digest(models.Model):
    """One daily reminder to one person: the log of which findings were sent to
    whom, when and why (owner, or escalated to manager or head). At most one per
    person and day, so two digest runs at once send nothing twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="finding_digests"
    )
    digest_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    notification = models.ForeignKey(
        "accounts.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    findings: "models.ManyToManyField[Finding, DigestItem]" = models.ManyToManyField(
        Finding, through="DigestItem", related_name="digests"
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "digest_on"], name="one_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.digest_on}"


class DigestItem(models.Model):
    """A finding in a digest, and in which capacity the person received it."""

    class Reason(models.TextChoices):
        OWNER = "owner", _("Kontoansvarig")
        DEPUTY = "deputy", _("Ersättare")
        MANAGER = "manager", _("Enhetschef")
        HEAD = "head", _("Förvaltningschef")

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="digest_items")
    reason = models.CharField(max_length=10, choices=Reason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["digest", "finding"], name="one_item_per_finding")
        ]

    def __str__(self) -> str:
        return f"{self.digest_id}: {self.finding_id} ({self.reason})"
