"""The register (diarium): cases, documents and minor records (§10; OSL 5 kap.)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nora_social.core.append_only import AppendOnlyModel


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
    secrecy_provision = models.CharField(
        _("sekretess för ärendemeningen"),
        max_length=200,
        blank=True,
        help_text=_("Om ärendemeningen röjer något som är sekretess: bestämmelsen."),
    )
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why the case was opened again; earlier reasons are in the history.
    reopen_reason = models.CharField(_("skäl att öppna igen"), max_length=300, blank=True)
    # The last document number used in this case; the case row is the lock.
    last_document_number = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["last_document_number"])

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-year", "series", "-number"]
        permissions = [
            ("search_register", _("Söka i diariet")),
            ("manage_cases", _("Öppna, länka och avsluta ärenden")),
        ]
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

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def public_title(self) -> str:
        """What the public register shows in place of the title."""
        if self.secrecy_provision:
            return _("Sekretess enligt %(provision)s") % {"provision": self.secrecy_provision}
        return self.title


class CaseLink(models.Model):
    """Two related cases (e.g. a complaint about a post and the police report's
    follow-up). Stored once, shown on both cases."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="links_from")
    other = models.ForeignKey(
        Case, verbose_name=_("relaterat ärende"), on_delete=models.PROTECT, related_name="links_to"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("länk mellan ärenden")
        verbose_name_plural = _("länkar mellan ärenden")
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "other"], name="one_link_per_case_pair"),
            models.CheckConstraint(name="case_not_linked_to_itself", condition=~Q(case=F("other"))),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} – {self.other_id}"


class SecrecyProvision(models.Model):
    """The maintained list of OSL provisions the register uses in secrecy
    markings (OSL 5 kap. 5 §); kept by the registrar in the admin."""

    provision = models.CharField(_("bestämmelse"), max_length=100, unique=True)
    description = models.CharField(_("vad den skyddar"), max_length=200)
    active = models.BooleanField(_("används"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sekretessbestämmelse")
        verbose_name_plural = _("sekretessbestämmelser")
        ordering = ["provision"]

    def __str__(self) -> str:
        return f"{self.provision} ({self.description})"


class Direction(models.TextChoices):
    RECEIVED = "received", _("Inkommen")
    SENT = "sent", _("Utgående")
    DRAWN_UP = "drawn_up", _("Upprättad")


def filed_document_path(instance, filename: str) -> str:
    return f"register/{timezone.now():%Y/%m}/{filename}"


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
    # reach into archive_case (see archive/register/search.py).
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
    # A file filed from outside (a letter, a scanned form), checked on upload.
    file = models.FileField(_("fil"), upload_to=filed_document_path, max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
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


def document_file_path(instance: "DocumentFile", filename: str) -> str:
    """A generated name under the year: the person's file name stays in ``name``."""
    import posixpath
    import uuid

    extension = posixpath.splitext(filename)[1].lower()[:10]
    return f"register/{timezone.localdate().year}/{uuid.uuid4().hex}{extension}"


class DocumentFile(AppendOnlyModel):
    """A file of a registered document, kept as it was when registered (a
    drawn-up report's PDF/A and its spreadsheet): with its size and SHA-256, so
    the archive package lists it in METS and PREMIS and ``verify_archive``
    re-hashes it. Written once; removed only with its document, by disposal or
    purge."""

    document = models.ForeignKey(
        Document, verbose_name=_("handling"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("fil"), upload_to=document_file_path, max_length=200)
    name = models.CharField(_("filnamn"), max_length=200)
    mimetype = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fil till handling")
        verbose_name_plural = _("filer till handlingar")
        ordering = ["document", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "name"], name="one_file_name_per_document")
        ]

    def __str__(self) -> str:
        return self.name
