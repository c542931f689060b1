from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.mixins import GuardianUserMixin
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from nora_social.core.crypto import EncryptedTextField
from nora_social.core.fields import HttpsURLField


class User(GuardianUserMixin, AbstractUser):
    """A person at Nora kommun. ``left_on`` marks someone who left the municipality:
    they never count as an account's credential holder again."""

    title = models.CharField(_("befattning"), max_length=120, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    left_on = models.DateField(_("slutade"), null=True, blank=True)
    totp_secret = EncryptedTextField(_("TOTP-nyckel"), blank=True, default="")
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The TOTP time step of the last code accepted: a code is good once (RFC 6238 §5.2).
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["totp_secret", "password", "last_login", "totp_last_step"]
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_confirmed_at and self.totp_secret)

    def is_current(self, on=None) -> bool:
        """Employed and active: the only people who count in the people rules."""
        on = on or timezone.localdate()
        return self.is_active and (self.left_on is None or self.left_on > on)

    def has_role(self, role: str) -> bool:
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self._role_cache = cache
        return role in cache


class Administration(models.Model):
    """A förvaltning, with the register series of its nämnd (``KS``, ``BUN``)."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    register_series = models.CharField(
        _("diarieserie"),
        max_length=10,
        validators=[RegexValidator(r"^[A-ZÅÄÖ]{2,10}$", _("Versaler, 2–10 tecken, t.ex. KS."))],
        help_text=_("Nämndens diarieserie, t.ex. KS eller BUN."),
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("förvaltningschef"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_administrations",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An enhet in an administration, with its nearest manager."""

    administration = models.ForeignKey(
        Administration,
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("namn"), max_length=200)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chef"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_units",
    )
    nora_se_url = HttpsURLField(_("enhetens sidor på nora.se"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["administration__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "name"], name="unit_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.administration.name})"


class Substitute(models.Model):
    """A ställföreträdare for a unit's manager, an administration's head, or a role
    (the information officer's named deputy is a substitute for the role)."""

    class Scope(models.TextChoices):
        UNIT = "unit", _("Enhet")
        ADMINISTRATION = "administration", _("Förvaltning")
        ROLE = "role", _("Roll")

    scope = models.CharField(_("gäller"), max_length=20, choices=Scope.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="substitutes"
    )
    administration = models.ForeignKey(
        Administration, null=True, blank=True, on_delete=models.CASCADE, related_name="substitutes"
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ställföreträdare"),
        on_delete=models.PROTECT,
        related_name="substitutions",
    )
    valid_from = models.DateField(_("från"), default=timezone.localdate)
    valid_until = models.DateField(_("till och med"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ställföreträdare")
        verbose_name_plural = _("ställföreträdare")
        ordering = ["scope", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="substitute_scope_matches",
                condition=(
                    Q(scope="unit", unit__isnull=False, administration__isnull=True, role="")
                    | Q(
                        scope="administration",
                        unit__isnull=True,
                        administration__isnull=False,
                        role="",
                    )
                    | Q(scope="role", unit__isnull=True, administration__isnull=True) & ~Q(role="")
                ),
            )
        ]

    def __str__(self) -> str:
        target = self.unit or self.administration or self.get_role_display()
        return f"{self.person} ({target})"


class Absence(models.Model):
    """A registered absence (semester, tjänstledighet): the person is skipped as an
    approver and does not cover an account in that period (§3, §5)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till och med"))
    note = models.CharField(_("anteckning"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frånvaro")
        verbose_name_plural = _("frånvaro")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                name="absence_ends_after_start", condition=Q(ends_on__gte=models.F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.starts_on}–{self.ends_on}"


class PolicyVersion(models.Model):
    """A version of the social media policy as adopted (§12, §13): its text, the
    decision that adopted it and when. Published by the information officer and
    never changed after; a revision by a new decision is a new version, which
    everyone acknowledges again. The newest published version is the current one.
    """

    number = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    title = models.CharField(_("rubrik"), max_length=200, default="Policy för sociala medier")
    decision_reference = models.CharField(
        _("beslut"),
        max_length=120,
        help_text=_("Vem som beslutade och paragrafen, t.ex. KF 2014-11-12 § 145."),
    )
    decided_on = models.DateField(_("beslutsdatum"))
    text = models.TextField(
        _("text"),
        help_text=_(
            "Hela den antagna texten. Varje avsnitt börjar på en egen rad med sitt nummer, "
            "t.ex. 5. Kontoansvarig eller § 5 Kontoansvarig."
        ),
    )
    published_at = models.DateTimeField(_("publicerad"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicerad av"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policyversion")
        verbose_name_plural = _("policyversioner")
        ordering = ["-number"]
        permissions = [("publish_policy", _("Publicera policyn för sociala medier"))]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext("version %(number)s (%(decision)s)") % {
            "number": self.number,
            "decision": self.decision_reference,
        }


class PolicyAcknowledgement(models.Model):
    """That a person has read one version of the social media policy (§12), and
    when. ``policy`` is empty for acknowledgements made before the policy's text
    was in the app; they count for no published version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acknowledgements"
    )
    policy = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("policyversion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    # The version as it read when acknowledged, kept beside the link for the record.
    policy_version = models.CharField(_("policyversion"), max_length=200)
    acknowledged_on = models.DateField(_("datum"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kvittens av policyn")
        verbose_name_plural = _("kvittenser av policyn")
        ordering = ["-acknowledged_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "policy"],
                name="one_ack_per_policy",
                condition=Q(policy__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "policy_version"],
                name="one_ack_per_unlinked_policy_version",
                condition=Q(policy__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.policy_version} ({self.acknowledged_on})"


class PlatformCompetence(models.Model):
    """Basic knowledge of a platform (§9), by platform slug, and when it was shown.

    The platform is named by slug, not a foreign key: platforms belong to the
    register app, which builds on this one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_competences"
    )
    platform = models.SlugField(_("plattform"), max_length=40)
    achieved_on = models.DateField(_("datum"), default=timezone.localdate)
    how = models.CharField(
        _("hur"), max_length=200, blank=True, help_text=_("T.ex. utbildning eller erfarenhet.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plattformskunskap")
        verbose_name_plural = _("plattformskunskaper")
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(fields=["user", "platform"], name="one_competence_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.platform}"


class Notification(models.Model):
    """The in-app list of things a person must know or do; mail goes out beside it.

    ``about`` is the record the notice is about (a plan to approve, a forwarded
    question, an escalation): a notice goes with its record when the record is
    disposed of or purged. ``url`` is only where the notice leads."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["about_type", "about_id"]),
        ]

    def __str__(self) -> str:
        return self.subject


class StepUpFailure(models.Model):
    """A wrong password or code at step-up. Enough of them in a short window lock
    step-up for the person (accounts/security.py); the rows are technical, not
    history, and are deleted on the next successful step-up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_up_failures"
    )
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "failed_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.failed_at:%Y-%m-%d %H:%M}"


class ExternalIdentity(models.Model):
    """A person's stable identifier at the municipality's identity provider: the
    OIDC subject (or Entra ID's ``oid``) or a persistent SAML NameID. Sign-on
    matches people on this, never on an e-mail address, which can be reused."""

    class Provider(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    provider = models.CharField(_("inloggningstjänst"), max_length=10, choices=Provider.choices)
    subject = models.CharField(_("identifierare"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="external_identities"
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extern identitet")
        verbose_name_plural = _("externa identiteter")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.subject}"


class GroupMapping(models.Model):
    """What membership of a group at the identity provider gives in the app: a
    role, a unit, or both. Applied at each sign-on; a person in no mapped group
    gets no access. Edited by the information officer."""

    idp_group = models.CharField(
        _("grupp hos inloggningstjänsten"),
        max_length=255,
        unique=True,
        help_text=_(
            "Gruppens id eller namn som det står i inloggningen, t.ex. Entra ID:s "
            "objekt-id för gruppen eller ADFS:ens gruppnamn."
        ),
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("enhet"), null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gruppkoppling")
        verbose_name_plural = _("gruppkopplingar")
        ordering = ["idp_group"]
        constraints = [
            models.CheckConstraint(
                name="group_mapping_gives_something",
                condition=~Q(role="") | Q(unit__isnull=False),
                violation_error_message=_("Välj en roll, en enhet eller båda."),
            )
        ]

    def __str__(self) -> str:
        return self.idp_group


class LoginEvent(models.Model):
    """One successful sign-in and its assurance: how the person logged in and
    what the identity provider said about the strength (acr, amr). Never holds
    a token or a password."""

    class Method(models.TextChoices):
        PASSWORD = "password", _("Lösenord (lokalt konto)")
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="login_events"
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    method = models.CharField(_("metod"), max_length=10, choices=Method.choices)
    acr = models.CharField(_("acr"), max_length=255, blank=True)
    amr = models.CharField(_("amr"), max_length=255, blank=True)
    multi_factor = models.BooleanField(_("flerfaktor"), default=False)
    step_up = models.BooleanField(_("förnyad inloggning för steg-upp"), default=False)
    ip_address = models.GenericIPAddressField(_("ip-adress"), null=True, blank=True)

    class Meta:
        verbose_name = _("inloggning")
        verbose_name_plural = _("inloggningar")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.method} {self.at:%Y-%m-%d %H:%M}"


# The directory task's own tables live with it (accounts/directory/).
from accounts.directory.models import DirectoryCursor as DirectoryCursor  # noqa: E402
from accounts.directory.models import DirectoryRun as DirectoryRun  # noqa: E402
