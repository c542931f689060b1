"""The municipality's own posts, moderation actions, escalations and incoming
questions (§3, §5, §6, §10; lag 1998:112).

Posts, their corrections and moderation actions are public records: once logged
they are never edited (a correction is a new entry pointing to the old one) and
never deleted except by the archive's disposal or purge, which remove rows with
queryset deletes and leave their own entry of what went.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.categories import Category

# RecordLockedError is re-exported: callers catch it from here.
from nora_social.core.append_only import AppendOnlyModel
from nora_social.core.append_only import RecordLockedError as RecordLockedError
from nora_social.core.fields import HttpsURLField
from nora_social.core.transitions import TransitionsMixin


class Post(AppendOnlyModel):
    """A post the account published. Its author follows the discussion (§3)."""

    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skribent"),
        on_delete=models.PROTECT,
        related_name="authored_posts",
        help_text=_("Den som skrev inlägget följer diskussionen och svarar på frågor (§3)."),
    )
    published_at = models.DateTimeField(_("publicerat"), db_index=True)
    text = models.TextField(_("text"))
    link = HttpsURLField(_("länk till inlägget"), max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(_("loggat"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["account", "published_at"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.published_at:%Y-%m-%d %H:%M}"


class PostCorrection(AppendOnlyModel):
    """An open correction of a wrong post (§5: "erkänn detta och rätta det")."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="corrections")
    what_was_wrong = models.TextField(_("vad som var fel"))
    correction_text = models.TextField(_("rättelsen som publicerades"))
    corrected_at = models.DateTimeField(_("rättat"))
    link = HttpsURLField(_("länk till rättelsen"), max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.corrected_at:%Y-%m-%d}"


def screenshot_path(instance, filename: str) -> str:
    """A random name: the uploaded name says nothing we trust or want to keep."""
    ext = getattr(instance, "_screenshot_ext", "bin")
    return f"moderation/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class ModerationAction(AppendOnlyModel):
    """Content hidden, unpublished or deleted, preserved first (§5, §10).

    A citizen's comment is a received public record; the municipality's own post
    one drawn up. For barnpornografi nothing of the content is kept."""

    # Set before the first save from the checked image; names the file (screenshot_path).
    _screenshot_ext: str

    class Action(models.TextChoices):
        HIDDEN = "hidden", _("Dolt")
        UNPUBLISHED = "unpublished", _("Avpublicerat")
        DELETED = "deleted", _("Raderat")

    class Origin(models.TextChoices):
        CITIZEN = "citizen", _("Kommentar eller inlägg från en medborgare (inkommen handling)")
        OWN_POST = "own_post", _("Kommunens eget inlägg (upprättad handling)")

    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        related_name="moderation_actions",
    )
    action = models.CharField(_("åtgärd"), max_length=12, choices=Action.choices)
    origin = models.CharField(_("vems innehåll"), max_length=10, choices=Origin.choices)
    post = models.ForeignKey(
        Post,
        verbose_name=_("eget inlägg"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="removals",
    )
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    comment_rule = models.CharField(
        _("kommentarsregel som tillämpades"), max_length=300, blank=True
    )
    reason = models.TextField(_("motivering"))
    content_author = models.CharField(_("avsändare som den visades"), max_length=200, blank=True)
    content_text = models.TextField(_("innehållet"), blank=True)
    content_link = HttpsURLField(_("länk till innehållet"), max_length=500, blank=True)
    content_posted_at = models.DateTimeField(_("publicerades"), null=True, blank=True)
    captured_at = models.DateTimeField(_("bevarat (skärmdump tagen)"), null=True, blank=True)
    screenshot = models.FileField(
        _("skärmdump"), upload_to=screenshot_path, max_length=200, blank=True
    )
    screenshot_type = models.CharField(max_length=40, blank=True)
    # Recorded as the file is stored, so ``verify_archive`` can prove later that
    # the kept evidence is the file that was logged.
    screenshot_sha256 = models.CharField(
        _("SHA-256 för skärmdumpen"), max_length=64, blank=True, editable=False
    )
    secrecy_provision = models.CharField(
        _("sekretessbestämmelse i OSL"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. 26 kap. 1 § OSL. Innehållet avpubliceras och ska diarieföras."),
    )
    for_registration = models.BooleanField(
        _("ska diarieföras"),
        default=False,
        help_text=_("Sekretess (§10, OSL 5 kap. 1 §): registreras i diariet."),
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("rättar posten"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_note = models.TextField(_("vad som var fel i den tidigare posten"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(_("loggat"), default=timezone.now, db_index=True)
    history = HistoricalRecords(excluded_fields=["screenshot"])

    class Meta:
        verbose_name = _("modereringsåtgärd")
        verbose_name_plural = _("modereringsåtgärder")
        ordering = ["-logged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="no_content_for_barnpornografi",
                condition=~Q(category="barnpornografi")
                | Q(content_text="", content_link="", screenshot=""),
            ),
            models.CheckConstraint(
                name="comment_rule_named",
                condition=~Q(category="kommentarsregler") | ~Q(comment_rule=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.get_category_display()} ({self.logged_at:%Y-%m-%d})"


class Escalation(models.Model):
    """A legal-duty removal goes to the security coordinator and the unit's
    manager (§5: "Kontakt ska då tas med kommunens säkerhetssamordnare alternativt
    till överordnad chef"), who record whether a police report was made."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Ej bedömd")
        REPORTED = "reported", _("Polisanmäld")
        NOT_REPORTED = "not_reported", _("Inte polisanmäld")

    action = models.OneToOneField(
        ModerationAction, on_delete=models.PROTECT, related_name="escalation"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    notified = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    outcome = models.CharField(
        _("polisanmälan"), max_length=15, choices=Outcome.choices, default=Outcome.PENDING
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anmäld av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_on = models.DateField(_("anmäld den"), null=True, blank=True)
    police_reference = models.CharField(_("polisens diarienummer"), max_length=100, blank=True)
    decision_note = models.TextField(_("kommentar"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eskalering")
        verbose_name_plural = _("eskaleringar")
        ordering = ["-created_at"]
        permissions = [
            ("view_all_escalations", _("Se alla eskaleringar")),
            ("record_police_report", _("Registrera polisanmälan")),
        ]

    def __str__(self) -> str:
        return f"{self.action} – {self.get_outcome_display()}"


class Question(TransitionsMixin, models.Model):
    """A question or view that came in (§5: answered within the promised time, or
    forwarded to the staff member best placed to answer)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Obesvarad")
        FORWARDED = "forwarded", _("Vidarebefordrad")
        ANSWERED = "answered", _("Besvarad")

    TRANSITIONS = {
        Status.OPEN: {Status.FORWARDED, Status.ANSWERED},
        Status.FORWARDED: {Status.FORWARDED, Status.ANSWERED},
        Status.ANSWERED: set(),
    }
    UNANSWERED = (Status.OPEN, Status.FORWARDED)

    account = models.ForeignKey(
        "channels_registry.SocialAccount",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    received_at = models.DateTimeField(_("inkom"))
    asker = models.CharField(_("frågeställare som den visades"), max_length=200)
    text = models.TextField(_("frågan eller synpunkten"))
    link = HttpsURLField(_("länk"), max_length=500, blank=True)
    due_at = models.DateTimeField(_("ska besvaras senast"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vidarebefordrad till"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="question_queue",
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_note = models.TextField(_("meddelande"), blank=True)
    answer = models.TextField(_("svar"), blank=True)
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inkommen fråga")
        verbose_name_plural = _("inkomna frågor")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.asker} {self.received_at:%Y-%m-%d %H:%M}"

    def is_overdue(self, now=None) -> bool:
        return self.status in self.UNANSWERED and self.due_at < (now or timezone.now())


# Platform capture (issue 17) lives in its own sub-package.
from moderation.capture.models import (  # noqa: E402, F401
    AuthorRequest,
    CapturedContent,
    CapturedObject,
    CapturedQuestion,
    CapturedVersion,
    CaptureEvidence,
    CapturePurge,
    RawEvent,
    RawEventProcessed,
    WarcFile,
)
