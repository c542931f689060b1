from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts import security
from accounts.models import Absence, PlatformCompetence


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Tänk på att lösenordet skiljer på stora och små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat."),
        "local_off": _(
            "Inloggning med lösenord är avstängd. Logga in med kommunens konto i stället."
        ),
    }

    def clean(self):
        from accounts.sso.backends import local_login_allowed

        username = self.cleaned_data.get("username")
        if username and not local_login_allowed(username):
            raise forms.ValidationError(self.error_messages["local_off"], code="local_off")
        return super().clean()


class StepUpForm(forms.Form):
    """Password, or a TOTP code for a person who has enrolled one.

    After ``STEP_UP_FAILURE_LIMIT`` wrong answers within the window, step-up is
    locked for the person (not just the session); a code is accepted only once."""

    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Engångskod från din app"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_totp:
            del self.fields["code"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        locked_until = security.step_up_locked_until(self.user)
        if locked_until is not None:
            raise forms.ValidationError(
                _(
                    "För många felaktiga försök. Du kan försöka igen kl. %(time)s. "
                    "Behöver du hjälp direkt, kontakta kommunens IT-support."
                )
                % {"time": formats.time_format(timezone.localtime(locked_until), "H:i")}
            )
        code = (cleaned.get("code") or "").strip()
        password = cleaned.get("password") or ""
        if code:
            if not security.totp_code_use(user=self.user, code=code):
                security.step_up_failure_record(user=self.user)
                raise forms.ValidationError(_("Koden stämmer inte. Försök igen med en ny kod."))
            security.step_up_failures_clear(user=self.user)
            return cleaned
        if not password:
            raise forms.ValidationError(_("Ange ditt lösenord eller en engångskod."))
        # check_password, not authenticate(): the person is already logged in, and
        # the login lockout (django-axes) counts logins, not step-ups.
        if not self.user.check_password(password):
            security.step_up_failure_record(user=self.user)
            raise forms.ValidationError(_("Lösenordet stämmer inte."))
        security.step_up_failures_clear(user=self.user)
        return cleaned


class TotpConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Kod från appen"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, secret: str, **kwargs):
        self.secret = secret
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        # The time step is kept so the enrolment code cannot be replayed for step-up.
        self.step = (
            security.matching_step(self.secret, code, timezone.now()) if code.isascii() else None
        )
        if self.step is None:
            raise forms.ValidationError(
                _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt.")
            )
        return code


class CompetenceForm(forms.ModelForm):
    platform = forms.ChoiceField(label=_("Plattform"))

    class Meta:
        model = PlatformCompetence
        fields = ["platform", "achieved_on", "how"]
        widgets = {"achieved_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, platform_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["platform"]).choices = platform_choices


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Slutdatum kan inte vara före startdatum."))
        return cleaned


class PolicyPublishForm(forms.Form):
    """The adopted policy as the information officer publishes it (§12, §13)."""

    title = forms.CharField(label=_("Rubrik"), max_length=200, initial="Policy för sociala medier")
    decision_reference = forms.CharField(
        label=_("Beslut"),
        max_length=120,
        help_text=_("Vem som beslutade och paragrafen, t.ex. KF 2014-11-12 § 145."),
    )
    decided_on = forms.DateField(
        label=_("Beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Policyns text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Hela den antagna texten. Varje avsnitt börjar på en egen rad med sitt nummer, "
            "t.ex. 5. Kontoansvarig; punktlistor börjar med •. Texten kan inte ändras efter "
            "publiceringen: en ändring publiceras som en ny version."
        ),
    )
