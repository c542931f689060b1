"""Forms for the credential escrow (§3, §8).

A secret typed into a form is never sent back to the browser: on an error every
field named in ``EscrowDeposit.SECRET_FIELDS`` comes back empty (the password with
``render_value=False``, the others through ``SecretTextInput`` and
``SecretTextarea``), so the value lives only in the request that deposits it.
"""

from typing import cast

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from channels_registry.models import EscrowDeposit, Platform
from nora_social.core.fields import IdField

NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


class SecretTextarea(forms.Textarea):
    """A textarea that never renders the value it was given."""

    def format_value(self, value):
        return None


class SecretTextInput(forms.TextInput):
    """A one-line input that never renders the value it was given (login name,
    bound contact: secret once deposited, so never echoed either)."""

    def format_value(self, value):
        return None


def _secret_text(label, help_text="", required=False, required_message="") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        error_messages={"required": required_message} if required_message else None,
        strip=False,
        widget=SecretTextarea(attrs={**NO_AUTOFILL, "rows": 4}),
    )


class _DepositForm(forms.Form):
    """The fields every deposit has; ``kind`` says which secrets belong to it."""

    kind: str = ""

    confirm_municipal = forms.BooleanField(
        label=_(
            "Jag intygar att det här är åtkomst som kommunen äger, aldrig en privat inloggning (§8)."
        ),
        required=True,
        error_messages={
            "required": _(
                "Kryssa i att åtkomsten ägs av kommunen. Privata inloggningar får aldrig deponeras (§8)."
            )
        },
    )

    def secrets(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in EscrowDeposit.SECRET_FIELDS
            if name in self.fields
        }


class SharedLoginDepositForm(_DepositForm):
    """A shared login owned by the municipality."""

    kind = EscrowDeposit.Kind.SHARED_LOGIN

    login_name = forms.CharField(
        label=_("Användarnamn"),
        max_length=300,
        error_messages={"required": _("Ange användarnamnet.")},
        widget=SecretTextInput(attrs=NO_AUTOFILL),
    )
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        max_length=500,
        error_messages={"required": _("Ange lösenordet.")},
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Visas aldrig igen efter att du har sparat, inte heller om något blir fel."),
    )
    recovery_codes = _secret_text(
        _("Reservkoder för tvåstegsverifiering"),
        _("En kod per rad, om plattformen ger sådana."),
    )
    bound_contact = forms.CharField(
        label=_("Kopplad e-postadress eller telefon"),
        required=False,
        max_length=300,
        widget=SecretTextInput(attrs=NO_AUTOFILL),
        help_text=_("Den funktionsadress eller det telefonnummer som kontot är kopplat till."),
    )

    field_order = ["login_name", "password", "recovery_codes", "bound_contact", "confirm_municipal"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password.strip():
            raise forms.ValidationError(_("Ange lösenordet."))
        return password


class NamedRolesDepositForm(_DepositForm):
    """A municipality-owned business account: its own recovery is deposited; the
    people and their roles are registered on the overview page."""

    kind = EscrowDeposit.Kind.NAMED_ROLES

    business_account = forms.CharField(
        label=_("Företagskontot (id eller namn)"),
        max_length=300,
        error_messages={"required": _("Ange företagskontots namn eller id.")},
        widget=SecretTextInput(attrs=NO_AUTOFILL),
        help_text=_("T.ex. företagskontots namn eller id i plattformens verktyg."),
    )
    business_recovery = _secret_text(
        _("Företagskontots återställning"),
        _("Reservkoder, återställningsnyckel eller annat som behövs för att återta kontot."),
        required=True,
        required_message=_("Ange hur företagskontot återställs."),
    )
    bound_contact = forms.CharField(
        label=_("Kopplad e-postadress eller telefon"),
        required=False,
        max_length=300,
        widget=SecretTextInput(attrs=NO_AUTOFILL),
        help_text=_(
            "Den funktionsadress eller det telefonnummer som företagskontot är kopplat till."
        ),
    )

    field_order = ["business_account", "business_recovery", "bound_contact", "confirm_municipal"]

    def clean_business_recovery(self):
        value = self.cleaned_data["business_recovery"]
        if not value.strip():
            raise forms.ValidationError(_("Ange hur företagskontot återställs."))
        return value


def deposit_form_class(platform: Platform) -> type[_DepositForm]:
    if platform.access_kind == Platform.AccessKind.SHARED_LOGIN:
        return SharedLoginDepositForm
    return NamedRolesDepositForm


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Varför du behöver se inloggningsuppgifterna. Skälet loggas och kontoansvarig får veta det."
        ),
        error_messages={"required": _("Ange varför du behöver se inloggningsuppgifterna.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Ange varför du behöver se inloggningsuppgifterna."))
        return reason


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "T.ex. att kontoansvarig och ersättare är frånvarande och kontot måste bevakas."
        ),
        error_messages={"required": _("Ange varför du behöver åtkomst.")},
    )


class AccessDecisionForm(forms.Form):
    GRANT = "grant"
    DENY = "deny"

    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[(GRANT, _("Bevilja")), (DENY, _("Avslå"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om du beviljar eller avslår.")},
    )
    hours = forms.IntegerField(
        label=_("Antal timmar"),
        required=False,
        min_value=1,
        initial=24,
        error_messages={
            "min_value": _("Åtkomst kan beviljas i minst en timme."),
            "invalid": _("Ange ett helt antal timmar."),
        },
    )
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.ESCROW_GRANT_MAX_HOURS
        hours = cast(forms.IntegerField, self.fields["hours"])
        hours.max_value = limit
        hours.validators.append(
            MaxValueValidator(
                limit, message=_("Åtkomst kan beviljas i högst %(limit_value)s timmar.")
            )
        )
        hours.widget.attrs.update({"min": 1, "max": limit})
        hours.help_text = _("Högst %(max)s timmar.") % {"max": limit}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        wants_grant = cleaned.get("decision") == self.GRANT
        if wants_grant and not cleaned.get("hours") and "hours" not in self.errors:
            self.add_error("hours", _("Ange hur många timmar åtkomsten gäller."))
        return cleaned


def _current_people():
    today = timezone.localdate()
    return User.objects.filter(is_active=True).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )


class EndRoleForm(forms.Form):
    role = IdField()


class BusinessRoleForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={"required": _("Välj en person.")},
    )
    platform_role = forms.CharField(
        label=_("Roll på plattformen"),
        max_length=80,
        help_text=_("T.ex. Administratör, Redaktör eller Moderator."),
        error_messages={"required": _("Ange personens roll på plattformen.")},
    )
    starts_on = forms.DateField(
        label=_("Från"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = _current_people().order_by(
            "last_name", "first_name"
        )
