"""What is kept of the platforms: raw events, captured objects and their versions.

Append-only throughout: a version is never updated; the chain of an account's
versions carries each previous hash. The content of a version (raw JSON, text,
author) is a row of its own so that a CSAM purge (1998:112 § 5) removes the
content and keeps the version's metadata and hashes, and the chain still
verifies.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nora_social.core.append_only import AppendOnlyModel


class RawEvent(AppendOnlyModel):
    """A webhook delivery's change, stored before the platform is answered.
    Idempotent by ``event_key`` (platform, page or account id and a hash of
    the change): a redelivery stores nothing new and processes nothing twice.
    ``connection`` is only set on events stored before intake stopped looking
    it up: processing finds the connection from the payload's entry id."""

    platform = models.CharField(max_length=20)
    connection = models.ForeignKey(
        "channels_registry.PlatformConnection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    event_key = models.CharField(max_length=200, unique=True)
    object_platform_id = models.CharField(max_length=200, blank=True, db_index=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    payload = models.JSONField()

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.platform} {self.event_key}"


class RawEventProcessed(AppendOnlyModel):
    """That a raw event was processed (its own row: the event is never updated).
    ``failure`` names the kind of error when its content could not be read or
    recorded (the event is kept as it came; the poll captures the object)."""

    event = models.OneToOneField(RawEvent, on_delete=models.CASCADE, related_name="processed")
    processed_at = models.DateTimeField(default=timezone.now)
    failure = models.CharField(max_length=100, blank=True)


class CapturedObject(AppendOnlyModel):
    """A post, comment, reply or message as the platform identifies it. What it
    says and whether it is still there is in its versions."""

    class Kind(models.TextChoices):
        POST = "post", _("Inlägg")
        COMMENT = "comment", _("Kommentar")
        REPLY = "reply", _("Svar på kommentar")
        MESSAGE = "message", _("Meddelande")

    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        related_name="captured_objects",
    )
    connection = models.ForeignKey(
        "channels_registry.PlatformConnection", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    platform_id = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    own = models.BooleanField(
        _("kontots eget"),
        help_text=_("Publicerat av kontot självt (upprättad handling)."),
    )
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("först hämtat"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("hämtat objekt")
        verbose_name_plural = _("hämtade inlägg, kommentarer och meddelanden")
        ordering = ["-first_seen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "platform_id"], name="one_captured_object_per_platform_id"
            )
        ]
        indexes = [
            # The timeline: an account's objects newest first, in the order it
            # shows them, so a page's keys are read from the index alone.
            models.Index(fields=["account", "first_seen_at", "id"], name="captured_timeline")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.platform_id}"


class CapturedVersion(AppendOnlyModel):
    """One state of a captured object, chained per account (``seq`` counts the
    account's versions; ``chain_hash`` covers the previous hash, the metadata
    and the content's hash)."""

    class State(models.TextChoices):
        VISIBLE = "visible", _("Synlig")
        HIDDEN = "hidden", _("Dold på plattformen")
        GONE = "gone", _("Borttagen från plattformen")

    captured = models.ForeignKey(CapturedObject, on_delete=models.PROTECT, related_name="versions")
    account = models.ForeignKey(
        "channels_registry.SocialAccount", on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("läge"), max_length=10, choices=State.choices)
    captured_at = models.DateTimeField(_("hämtad"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("ändrad på plattformen"), null=True, blank=True)
    content_sha256 = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versioner")
        ordering = ["account_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["account", "seq"], name="one_chain_position"),
            models.UniqueConstraint(fields=["captured", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.captured_id} v{self.number} {self.state}"


class CapturedContent(AppendOnlyModel):
    """What a version said: the platform's raw JSON and the normalised fields.
    ``digest`` of these is the version's ``content_sha256``."""

    version = models.OneToOneField(
        CapturedVersion, on_delete=models.PROTECT, related_name="content"
    )
    author_name = models.CharField(_("avsändare"), max_length=300, blank=True)
    author_platform_id = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    permalink = models.URLField(_("länk"), max_length=1000, blank=True)
    raw = models.JSONField(_("plattformens svar"))

    def __str__(self) -> str:
        return f"content of {self.version_id}"


class CapturePurge(AppendOnlyModel):
    """Content removed from the capture because keeping it is a crime
    (barnpornografi, 1998:112 § 5, BrB 16:10 a): only the metadata stays."""

    captured = models.OneToOneField(CapturedObject, on_delete=models.PROTECT, related_name="purge")
    action = models.ForeignKey(
        "moderation.ModerationAction", on_delete=models.PROTECT, related_name="+"
    )
    purged_at = models.DateTimeField(default=timezone.now)
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    contents_removed = models.PositiveIntegerField()
    raw_events_removed = models.PositiveIntegerField()
    warc_records_removed = models.PositiveIntegerField()


class CaptureEvidence(AppendOnlyModel):
    """A moderation action's captured object: the preserved content (§5, §10)
    the action removed, which replaces the screenshot as its evidence."""

    action = models.OneToOneField(
        "moderation.ModerationAction", on_delete=models.PROTECT, related_name="capture_evidence"
    )
    captured = models.ForeignKey(CapturedObject, on_delete=models.PROTECT, related_name="evidence")
    linked_at = models.DateTimeField(default=timezone.now)


class CapturedQuestion(AppendOnlyModel):
    """A question started from a captured message or comment, its clock from
    the capture."""

    question = models.OneToOneField(
        "moderation.Question", on_delete=models.PROTECT, related_name="capture"
    )
    captured = models.OneToOneField(
        CapturedObject, on_delete=models.PROTECT, related_name="question_link"
    )


class AuthorRequest(AppendOnlyModel):
    """An own post captured with no logged author: the account's people were
    asked to log it (§3: the author follows the discussion)."""

    captured = models.OneToOneField(
        CapturedObject, on_delete=models.PROTECT, related_name="author_request"
    )
    asked_at = models.DateTimeField(default=timezone.now)


class WarcFile(models.Model):
    """The WARC file (ISO 28500) of a connection's raw exchanges on one day.
    Appended to during the day, so not append-only as a row; its records are."""

    connection = models.ForeignKey(
        "channels_registry.PlatformConnection", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    path = models.CharField(max_length=300)
    records = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "day"], name="one_warc_per_day")
        ]

    def __str__(self) -> str:
        return self.path


class ChainGap(AppendOnlyModel):
    """Positions of an account's chain that a recorded removal took away: a
    disposal under a retention decision or a confirmed purge (archive). The
    hashes at its edges (``enter_hash``: the chain before the first removed
    position; ``leave_hash``: the last removed position's own hash) let the
    chain check step over the gap, and ``gap_hash`` covers this row so that it
    cannot be changed unnoticed either. The removal is named by kind and number
    (``removed_by``, ``removal_number``): the archive, which records it, answers
    whether it is on record."""

    account = models.ForeignKey(
        "channels_registry.SocialAccount", on_delete=models.PROTECT, related_name="+"
    )
    first_seq = models.PositiveBigIntegerField()
    last_seq = models.PositiveBigIntegerField()
    enter_hash = models.CharField(max_length=64)
    leave_hash = models.CharField(max_length=64)
    gap_hash = models.CharField(max_length=64)
    # The removed object, by number and platform id: the row itself is gone.
    record_id = models.PositiveBigIntegerField()
    platform_id = models.CharField(max_length=200)
    removed_by = models.CharField(max_length=20)
    removal_number = models.PositiveBigIntegerField()
    removal_reference = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lucka i kedjan")
        verbose_name_plural = _("luckor i kedjan")
        ordering = ["account_id", "first_seq"]
        constraints = [
            models.UniqueConstraint(fields=["account", "first_seq"], name="one_gap_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.first_seq}–{self.last_seq}"
