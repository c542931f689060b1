"""Requests for public documents (begäran om allmän handling; TF 2 kap., OSL 6 kap.).

A request comes in (the public form at ``/begaran/`` or registered by staff by
channel), is registered in the diarium as a case of its own, and each document
it asks for is assessed: public, partly secret or secret, with the OSL
provision. Partly secret documents are masked on a copy (``Mask``, the masking
log, written once); the hand-out is a new PDF/A without the masked content,
fetched by an expiring link. A refusal becomes a written decision with appeal
instructions on request (OSL 6:3, 6:8), registered in the request's case.

Tokens (the anonymous requester's tracking link, a hand-out's download link)
are stored as SHA-256 hashes only: the link itself is shown or sent once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nora_social.core.append_only import AppendOnlyModel
from nora_social.core.transitions import TransitionsMixin


class Delegation(models.Model):
    """The delegation list of an administration: who may decide on requests
    for its documents (refuse, in whole or in part). Kept by the registrar or
    the information officer; ended, never deleted."""

    administration = models.ForeignKey(
        "accounts.Administration",
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="request_delegations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegat"),
        on_delete=models.PROTECT,
        related_name="request_delegations",
    )
    title = models.CharField(_("befattning"), max_length=100)
    decision_reference = models.CharField(
        _("delegationsbeslut"), max_length=100, help_text=_("T.ex. KS 2026/4 punkt 2.3.")
    )
    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    ended_on = models.DateField(_("upphörde"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation för begäran om allmän handling")
        verbose_name_plural = _("delegationer för begäran om allmän handling")
        ordering = ["administration__name", "user__last_name", "pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.title})"


class Channel(models.TextChoices):
    WEB = "web", _("Webbformulär")
    PHONE = "phone", _("Telefon")
    EMAIL = "email", _("E-post")
    LETTER = "letter", _("Brev")
    VISIT = "visit", _("Besök")


class Delivery(models.TextChoices):
    EMAIL = "email", _("Digitalt, som fil att hämta")
    POST = "post", _("På papper med post")
    ON_SITE = "on_site", _("Läsa på plats")


class RecordsRequest(TransitionsMixin, models.Model):
    """A request for public documents, with its clock."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Inkommen")
        ASSIGNED = "assigned", _("Tilldelad")
        ASSESSED = "assessed", _("Prövad")
        HANDED_OUT = "handed_out", _("Utlämnad")
        PARTLY = "partly", _("Delvis utlämnad")
        REFUSED = "refused", _("Avslagen")
        DECISION_REQUESTED = "decision_requested", _("Beslut begärt")
        DECIDED = "decided", _("Beslut fattat")
        APPEALED = "appealed", _("Överklagad")
        CLOSED = "closed", _("Avslutad")

    TRANSITIONS = {
        Status.RECEIVED: {Status.ASSIGNED},
        Status.ASSIGNED: {Status.ASSESSED},
        Status.ASSESSED: {Status.HANDED_OUT, Status.PARTLY, Status.REFUSED},
        Status.HANDED_OUT: {Status.CLOSED},
        Status.PARTLY: {Status.DECISION_REQUESTED, Status.CLOSED},
        Status.REFUSED: {Status.DECISION_REQUESTED, Status.CLOSED},
        Status.DECISION_REQUESTED: {Status.DECIDED},
        Status.DECIDED: {Status.APPEALED, Status.CLOSED},
        Status.APPEALED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    # The clock runs until the documents are handed out or refused.
    OPEN = (Status.RECEIVED, Status.ASSIGNED, Status.ASSESSED)

    case = models.ForeignKey(
        "archive.Case",
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records_requests",
    )
    administration = models.ForeignKey(
        "accounts.Administration",
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="records_requests",
    )
    channel = models.CharField(_("kom in via"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("kom in"), default=timezone.now, db_index=True)
    description = models.TextField(_("vad som begärs"), max_length=4000)
    asked_reference = models.CharField(_("diarienummer som begärs"), max_length=60, blank=True)
    delivery = models.CharField(_("hur handlingen lämnas ut"), max_length=10, choices=Delivery)
    requester_name = models.CharField(_("namn"), max_length=200, blank=True)
    requester_email = models.EmailField(_("e-post"), blank=True)
    requester_address = models.TextField(_("postadress"), max_length=500, blank=True)
    tracking_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records_requests",
    )
    is_threat = models.BooleanField(_("innehåller hot"), default=False)
    paused_at = models.DateTimeField(_("klockan stoppad"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    decision_requested_at = models.DateTimeField(_("beslut begärt"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tomt när begäran kom via webbformuläret."),
    )
    history = HistoricalRecords(excluded_fields=["tracking_token_hash"])

    class Meta:
        verbose_name = _("begäran om allmän handling")
        verbose_name_plural = _("begäranden om allmän handling")
        ordering = ["-received_at", "-pk"]
        permissions = [("handle_records_requests", _("Handlägga begäran om allmän handling"))]

    def __str__(self) -> str:
        return self.case.reference if self.case is not None else f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class Assessment(models.TextChoices):
    PUBLIC = "public", _("Offentlig")
    PARTLY = "partly", _("Delvis sekretess")
    SECRET = "secret", _("Sekretess")


class RequestedDocument(models.Model):
    """One document a request asks for, and its secrecy assessment."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.PROTECT, related_name="documents")
    document = models.ForeignKey(
        "archive.Document",
        verbose_name=_("handling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    assessment = models.CharField(
        _("prövning"), max_length=10, choices=Assessment.choices, blank=True
    )
    provision = models.CharField(_("bestämmelse"), max_length=100, blank=True)
    reasons = models.TextField(_("skäl"), max_length=2000, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begärd handling")
        verbose_name_plural = _("begärda handlingar")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="requested_document_names_something",
                condition=Q(document__isnull=False) | ~Q(description=""),
            )
        ]

    def __str__(self) -> str:
        return self.document.reference if self.document is not None else self.description


class Mask(AppendOnlyModel):
    """One entry of the masking log: a string (masked wherever it occurs) or a
    region of a page (fractions of the page, from the top left), the provision,
    who masked it and when. The original is never altered."""

    class Kind(models.TextChoices):
        STRING = "string", _("Text")
        REGION = "region", _("Område")

    item = models.ForeignKey(RequestedDocument, on_delete=models.PROTECT, related_name="masks")
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("text som maskeras"), max_length=200, blank=True)
    page = models.PositiveSmallIntegerField(_("sida"), null=True, blank=True)
    left = models.FloatField(null=True, blank=True)
    top = models.FloatField(null=True, blank=True)
    width = models.FloatField(null=True, blank=True)
    height = models.FloatField(null=True, blank=True)
    provision = models.CharField(_("bestämmelse"), max_length=100)
    masked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    masked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("maskering")
        verbose_name_plural = _("maskeringslogg")
        ordering = ["masked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.kind} ({self.provision})"


class Pause(AppendOnlyModel):
    """A stop of the clock with its recorded reason (e.g. waiting for the
    requester to say which documents), and its end as a second row."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.PROTECT, related_name="pauses")
    resumed = models.BooleanField(default=False)
    reason = models.CharField(_("skäl"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {'resumed' if self.resumed else 'paused'}"


def handout_path(instance, filename: str) -> str:
    return f"requests/{timezone.now():%Y/%m}/{filename}"


class HandOut(models.Model):
    """A hand-out: the masked copies as one PDF/A, fetched by an expiring link
    (e-mail), printed (post), or a record of the visit (on site). With the
    pages and the fee by the taxa: the invoice basis."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.PROTECT, related_name="handouts")
    delivery = models.CharField(_("sätt"), max_length=10, choices=Delivery)
    pdf = models.FileField(_("utlämnad kopia"), upload_to=handout_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), default=0)
    fee = models.PositiveIntegerField(_("avgift (kronor)"), default=0)
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    expires_at = models.DateTimeField(_("länken gäller till"), null=True, blank=True)
    visit_note = models.CharField(_("anteckning om besöket"), max_length=300, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("utlämnande")
        verbose_name_plural = _("utlämnanden")
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.delivery}"

    @property
    def link_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class Decision(models.Model):
    """The written decision (OSL 6:3) with the appeal instructions (OSL 6:8),
    rendered as PDF/A and registered as a drawn-up document in the case."""

    request = models.OneToOneField(
        RecordsRequest, on_delete=models.PROTECT, related_name="decision"
    )
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("beslutsfattare"), on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(_("skäl"), max_length=4000)
    decided_on = models.DateField(_("beslutsdatum"), default=timezone.localdate)
    pdf = models.FileField(_("beslut (PDF/A)"), upload_to=handout_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    sent_on = models.DateField(_("skickat"), null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslut om allmän handling")
        verbose_name_plural = _("beslut om allmän handling")

    def __str__(self) -> str:
        return f"{self.request} {self.decided_on}"


class Appeal(models.Model):
    """An appeal of the decision, registered on the case, checked for timeliness
    (three weeks from the day the requester received the decision) and forwarded
    to kammarrätten with the documents."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.PROTECT, related_name="appeals")
    received_on = models.DateField(_("överklagandet kom in"))
    decision_received_on = models.DateField(_("klaganden fick beslutet"))
    in_time = models.BooleanField(_("i rätt tid"))
    forwarded_on = models.DateField(_("överlämnat till kammarrätten"), null=True, blank=True)
    # The package to the court (a ZIP of PDF/A parts and the appeal letter),
    # prepared once; its SHA-256 is what the forwarding records.
    package = models.FileField(
        _("paket till kammarrätten"), upload_to=handout_path, max_length=200, blank=True
    )
    package_sha256 = models.CharField(
        _("paketets kontrollsumma (SHA-256)"), max_length=64, blank=True
    )
    package_made_at = models.DateTimeField(_("paketet förbereddes"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("överklagande")
        verbose_name_plural = _("överklaganden")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.received_on}"


class FeeSchedule(models.Model):
    """The municipality's taxa for copies (the common model as default: the
    first 9 pages free, 50 kronor for the tenth, 2 kronor per page after;
    digital hand-out free). The newest in force applies; reading on site is free."""

    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    free_pages = models.PositiveSmallIntegerField(_("avgiftsfria sidor"), default=9)
    first_paid_page_fee = models.PositiveIntegerField(_("avgift för första betalsidan"), default=50)
    per_page_after = models.PositiveIntegerField(_("avgift per sida därefter"), default=2)
    digital_free = models.BooleanField(_("digitalt utlämnande är avgiftsfritt"), default=True)
    decision_reference = models.CharField(_("taxebeslut"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taxa för kopior")
        verbose_name_plural = _("taxor för kopior")
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.valid_from}"

    def fee_for(self, pages: int, *, digital: bool) -> int:
        if digital and self.digital_free or pages <= self.free_pages:
            return 0
        return self.first_paid_page_fee + (pages - self.free_pages - 1) * self.per_page_after
