"""The register (diarium): cases and the documents in them (§10; OSL 5 kap.).

A case is numbered per register series (the nämnd's, e.g. ``KS``) and year
(``KS 2026/17``), a document within its case (``KS 2026/17-3``). Numbers come
from counter rows locked with ``select_for_update``, so concurrent registrations
never share or skip a number. Each account has one collective case per year that
gathers its records.

A document links the record it registers (a moderation action, post, question,
plan, later a snapshot) generically, so this app reaches rightward to no one and
the apps it links need not know it. Disposal and purges (a later step) remove a
document with its history rows and leave their own entry; nothing here deletes.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nora_social.core.transitions import TransitionsMixin


class CaseCounter(models.Model):
    """The last case number used in a register series and year. Locked row."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_counter_per_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_number}"


class Case(models.Model):
    """An ärende. ``account`` and ``is_collective`` mark an account's collective
    case for a year, which gathers the records of that account."""

    administration = models.ForeignKey(
        "accounts.Administration",
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    series = models.CharField(_("diarieserie"), max_length=10)
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("löpnummer"))
    title = models.CharField(
        _("ärendemening"),
        max_length=300,
        help_text=_("Skrivs utan personuppgifter: den visas för allmänheten."),
    )
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    is_collective = models.BooleanField(_("samlingsärende"), default=False)
    opened_on = models.DateField(_("registrerat"), default=timezone.localdate)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The last document number used in this case; the case row is the lock.
    last_document_number = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["last_document_number"])

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-year", "series", "-number"]
        permissions = [("search_register", _("Söka i diariet"))]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"], name="one_case_per_reference"
            ),
            models.UniqueConstraint(
                fields=["account", "year"],
                condition=Q(is_collective=True),
                name="one_collective_case_per_account_year",
            ),
            models.CheckConstraint(
                name="collective_case_has_account",
                condition=Q(is_collective=False) | Q(account__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.series} {self.year}/{self.number}"


class Direction(models.TextChoices):
    RECEIVED = "received", _("Inkommen")
    DRAWN_UP = "drawn_up", _("Upprättad")


class Document(models.Model):
    """A registered document (OSL 5 kap. 1–2 §): when it came in or was drawn up,
    from or to whom, what it concerns, and its secrecy marking (5 kap. 5 §).

    ``subject`` is public and written without personal data; ``party`` and the
    linked record's content are not. ``search_text`` is the casefolded text the
    registrar searches (subject, party, linked content), filled at registration;
    ``search_vector`` is its tsvector on PostgreSQL (GIN-indexed), empty elsewhere.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="documents"
    )
    number = models.PositiveIntegerField(_("handlingsnummer"))
    # The case's administration, copied at registration (a case never changes
    # administration): the register search filters on it, and an index cannot
    # reach into archive_case (see archive/search.py).
    administration = models.ForeignKey(
        "accounts.Administration",
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    registered_on = models.DateField(_("registreringsdatum"), default=timezone.localdate)
    document_date = models.DateField(_("inkom eller upprättades"))
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices)
    party = models.CharField(_("avsändare eller mottagare"), max_length=200, blank=True)
    subject = models.CharField(
        _("ärendemening"),
        max_length=300,
        help_text=_("Skrivs utan personuppgifter: den visas för allmänheten."),
    )
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_documents",
    )
    handling_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_documents",
    )
    secrecy_provision = models.CharField(
        _("sekretess"),
        max_length=200,
        blank=True,
        help_text=_('Tomt om ingen sekretess, annars bestämmelsen, t.ex. "OSL 21 kap. 7 §".'),
    )
    # With a secret entry the subject may itself reveal what is secret: then the
    # public sees only "Sekretess enligt <provision>".
    subject_masked = models.BooleanField(
        _("dölj ärendemeningen för allmänheten"),
        default=True,
        help_text=_("Gäller handlingar med sekretess."),
    )
    record_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    search_text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["search_vector", "administration"])

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["-registered_on", "-pk"]
        permissions = [("register_document", _("Registrera handlingar i diariet"))]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_document_per_number"),
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=Q(record_id__isnull=False),
                name="record_registered_once",
            ),
        ]
        indexes = [
            models.Index(fields=["registered_on"]),
            models.Index(fields=["document_date"]),
            models.Index(fields=["record_type", "record_id"]),
            # The search page's order within one administration (newest first).
            models.Index(
                fields=["administration", "-document_date", "-id"], name="document_admin_date"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.case.reference}-{self.number}"

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy_provision)

    @property
    def public_subject(self) -> str:
        """What the public register shows in place of the subject."""
        if self.is_secret and self.subject_masked:
            return _("Sekretess enligt %(provision)s") % {"provision": self.secrecy_provision}
        return self.subject


class MinorRecord(models.Model):
    """A record of little importance (§10, "ringa betydelse") that needs no entry
    in the register: marked once, with who decided and why."""

    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    reason = models.CharField(_("skäl"), max_length=300)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handling av ringa betydelse")
        verbose_name_plural = _("handlingar av ringa betydelse")
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id"], name="minor_marked_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_type_id}:{self.record_id}"


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


# --- Retention, disposal (gallring), holds and purges (DESIGN.md "Records") ---


class DisposableType(models.TextChoices):
    """The kinds of record a retention decision may cover (app label.Model)."""

    MODERATION_ACTION = "moderation.ModerationAction", _("Modereringsåtgärder")
    QUESTION = "moderation.Question", _("Inkomna frågor och synpunkter")
    POST = "moderation.Post", _("Kontots egna inlägg")
    SNAPSHOT = "archive.Snapshot", _("Ögonblicksbilder av konton")
    ACTIVITY_PLAN = "activity_plans.ActivityPlan", _("Aktivitetsplaner för konton")


class RetentionDecision(models.Model):
    """A retention decision (gallringsbeslut): which body decided, when, under
    which paragraph of the document plan, and what it says about one kind of
    record. Disposal only ever happens under one of these."""

    class Rule(models.TextChoices):
        KEEP = "keep", _("Bevaras")
        AFTER_YEARS = "after_years", _("Gallras efter ett antal år")
        NOT_CURRENT = "not_current", _("Gallras när den inte längre är aktuell")

    record_type = models.CharField(
        _("slags handling"), max_length=60, choices=DisposableType.choices
    )
    rule = models.CharField(_("beslut"), max_length=12, choices=Rule.choices)
    years = models.PositiveSmallIntegerField(
        _("antal år"),
        null=True,
        blank=True,
        help_text=_("Räknas från det datum handlingen kom in eller upprättades."),
    )
    decided_by_body = models.CharField(_("beslutande organ"), max_length=200)
    decided_on = models.DateField(_("beslutsdatum"))
    plan_paragraph = models.CharField(
        _("punkt i dokumenthanteringsplanen"),
        max_length=100,
        help_text=_("T.ex. 3.4.2."),
    )
    decision_reference = models.CharField(_("beslutets diarienummer"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gallringsbeslut")
        verbose_name_plural = _("gallringsbeslut")
        ordering = ["-decided_on", "-pk"]
        permissions = [("dispose_records", _("Gallra handlingar enligt gallringsbeslut"))]
        constraints = [
            models.CheckConstraint(
                name="after_years_has_years",
                condition=~Q(rule="after_years") | Q(years__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.decided_by_body} {self.decided_on:%Y-%m-%d} ({self.plan_paragraph})"


class Hold(models.Model):
    """A stop on disposal (an open records request or an appeal), placed and
    lifted by the registrar: on one record, or on everything of an account."""

    class Kind(models.TextChoices):
        RECORDS_REQUEST = "records_request", _("Begäran om allmän handling")
        APPEAL = "appeal", _("Överklagande")

    kind = models.CharField(_("skäl"), max_length=20, choices=Kind.choices)
    reference = models.CharField(
        _("diarienummer eller beteckning"), max_length=100, help_text=_("T.ex. KS 2026/31.")
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holds",
    )
    record_type = models.CharField(
        _("slags handling"), max_length=60, choices=DisposableType.choices, blank=True
    )
    record_id = models.PositiveBigIntegerField(_("postens nummer"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gallringsstopp")
        verbose_name_plural = _("gallringsstopp")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="hold_covers_account_or_record",
                condition=Q(account__isnull=False)
                | (~Q(record_type="") & Q(record_id__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class DisposalEntry(models.Model):
    """What one disposal run removed, under which decision, by whom and when.
    No content: type, reference and counts only."""

    # Set by ``disposal_run`` on the entry it returns: records left in place because
    # another record still points to them (they come up again in the next run).
    kept_back: int

    decision = models.ForeignKey(
        RetentionDecision, on_delete=models.PROTECT, related_name="disposals"
    )
    record_type = models.CharField(max_length=60, choices=DisposableType.choices)
    record_count = models.PositiveIntegerField(default=0)
    history_row_count = models.PositiveIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    skipped_held = models.PositiveIntegerField(default=0)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gallringsanteckning")
        verbose_name_plural = _("gallringsanteckningar")
        ordering = ["-performed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.record_type} × {self.record_count} ({self.performed_at:%Y-%m-%d})"


class DisposedRecord(models.Model):
    """One record a disposal removed: its type, number and register reference."""

    entry = models.ForeignKey(DisposalEntry, on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(max_length=60)
    record_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=60, blank=True)
    record_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.reference or f"{self.record_type} {self.record_id}"


class PurgeEntry(TransitionsMixin, models.Model):
    """A purge of material that must not be kept: proposed by the registrar with
    a reason, confirmed by the security coordinator (another person). After the
    removal only this metadata remains."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Föreslagen")
        CONFIRMED = "confirmed", _("Rensad")
        REFUSED = "refused", _("Avslagen")

    TRANSITIONS = {
        Status.PROPOSED: {Status.CONFIRMED, Status.REFUSED},
        Status.CONFIRMED: set(),
        Status.REFUSED: set(),
    }

    record_type = models.CharField(
        _("slags handling"), max_length=60, choices=DisposableType.choices
    )
    record_id = models.PositiveBigIntegerField(_("postens nummer"))
    reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    reason = models.TextField(
        _("skäl"),
        help_text=_("Varför materialet inte får bevaras. Skriv inte av innehållet."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("kommentar"), max_length=300, blank=True)
    history_row_count = models.PositiveIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rensning")
        verbose_name_plural = _("rensningar")
        ordering = ["-proposed_at", "-pk"]
        permissions = [
            ("propose_purge", _("Föreslå rensning av material som inte får bevaras")),
            ("confirm_purge", _("Bekräfta rensning av material som inte får bevaras")),
            ("export_archive", _("Exportera till arkivmyndigheten")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=Q(status="proposed"),
                name="one_open_purge_per_record",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.record_type} {self.record_id}"


# Requests for public documents live in their own sub-package (app_label archive).
from archive.requests.models import (  # noqa: E402, F401
    Appeal,
    Decision,
    Delegation,
    FeeSchedule,
    HandOut,
    Mask,
    Pause,
    RecordsRequest,
    RequestedDocument,
)
