"""Forms of the register for staff. They only collect and clean input: every rule
about accounts, people and names is decided by ``services.py``."""

from typing import TYPE_CHECKING, cast

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration, User
from accounts.selectors import Qualifications, qualifications
from channels_registry.models import (
    AccountMember,
    Platform,
    SocialAccount,
)
from channels_registry.services import EDITABLE_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccountFilterForm(forms.Form):
    """GET filters of the account list; an unknown value just filters nothing."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla"))] + list(SocialAccount.Status.choices),
    )
    platform = forms.ModelChoiceField(
        label=_("Plattform"),
        required=False,
        queryset=Platform.objects.all(),
        empty_label=_("Alla"),
    )
    administration = forms.ModelChoiceField(
        label=_("Förvaltning"),
        required=False,
        queryset=Administration.objects.all(),
        empty_label=_("Alla"),
    )

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("platform"):
            qs = qs.filter(platform=data["platform"])
        if data.get("administration"):
            qs = qs.filter(unit__administration=data["administration"])
        return qs


ACCOUNT_DATA_FIELDS = [
    "platform",
    "display_name",
    "handle",
    "url",
    "unit",
    "purpose",
    "target_audience",
    "contact",
    "posts_min",
    "posts_period",
    "update_frequency_text",
    "response_hours",
    "response_clock",
    "response_time_text",
]


ADDRESS_HELP = _(
    "Kontots egen adress på plattformen, med https://, t.ex. "
    "https://www.facebook.com/norakommun eller https://www.youtube.com/@norakommunfilm. "
    "Den publika förteckningen länkar hit (§4, §10)."
)


def _url_field(
    model, name: str, help_text: "StrOrPromise" = "", required: bool = False
) -> forms.URLField:
    field = model._meta.get_field(name)
    return forms.URLField(
        label=capfirst(field.verbose_name),
        required=required,
        max_length=field.max_length,
        assume_scheme="https",
        help_text=help_text,
        error_messages={
            "invalid": _("Ange en giltig webbadress, t.ex. https://www.facebook.com/norakommun."),
            "required": _("Ange kontots adress."),
        },
    )


class _AccountFieldsMixin:
    fields: dict[str, forms.Field]  # mixed into a ModelForm

    def _tune_widgets(self):
        for name in ("display_name", "handle"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"data-name-check": name, "autocomplete": "off", "spellcheck": "false"}
                )
        for name in ("posts_min", "response_hours"):
            if name in self.fields:
                self.fields[name].validators.append(MinValueValidator(1))
                self.fields[name].widget.attrs["min"] = 1


def _override_reason_field() -> forms.CharField:
    """§4: the information officer's exception, decided where the name is written."""
    return forms.CharField(
        label=_("Skäl för undantag från namnreglerna"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Fyll bara i om namnet inte följer namnreglerna och du beslutar om ett undantag. "
            "Ett användarnamn som redan finns på plattformen kan aldrig undantas."
        ),
    )


class AccountCreateForm(_AccountFieldsMixin, forms.ModelForm):
    """The fields of ``services.AccountData``, the pre-existing flag and, for the
    information officer, a reason to let a name through despite §4."""

    is_pre_existing = forms.BooleanField(
        label=_("Kontot fanns före policyn"),
        required=False,
        help_text=_(
            "Ett konto som fanns före policyn ska ha en godkänd aktivitetsplan inom 90 dagar."
        ),
    )
    override_reason = _override_reason_field()
    url = _url_field(SocialAccount, "url", ADDRESS_HELP)

    class Meta:
        model = SocialAccount
        fields = ACCOUNT_DATA_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["platform"]).queryset = Platform.objects.filter(
            is_active=True
        )
        unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
        assert unit_field.queryset is not None  # a foreign key's field always has one  # nosec B101
        unit_field.queryset = unit_field.queryset.select_related("administration")
        if not can_override:
            del self.fields["override_reason"]
        self._tune_widgets()


class AccountEditForm(_AccountFieldsMixin, forms.ModelForm):
    url = _url_field(SocialAccount, "url", ADDRESS_HELP)
    override_reason = _override_reason_field()

    class Meta:
        model = SocialAccount
        fields = list(EDITABLE_FIELDS)
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]
        self._tune_widgets()

    def changes(self) -> dict:
        """Only what the person changed, so an untouched name is not rechecked."""
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE_FIELDS
        }


class AccountAddressForm(forms.Form):
    """§4, §10: the account's real address, once it exists on the platform."""

    url = _url_field(SocialAccount, "url", ADDRESS_HELP, required=True)


def _qualification_label(user: User, quals: dict[int, Qualifications], platform: str) -> str:
    ack = quals[user.pk].acknowledgement if user.pk in quals else None
    competence = quals[user.pk].competences.get(platform) if user.pk in quals else None
    parts = [str(user)]
    if user.unit is not None:
        parts.append(f"({user.unit.name})")
    ack_text = (
        _("policyn kvitterad %(date)s") % {"date": ack.acknowledged_on.isoformat()}
        if ack
        else _("policyn ej kvitterad")
    )
    comp_text = (
        _("plattformskunskap %(date)s") % {"date": competence.achieved_on.isoformat()}
        if competence
        else _("ingen registrerad plattformskunskap")
    )
    return f"{' '.join(parts)} – {ack_text}, {comp_text}"


def candidate_people():
    """Who can be put on an account: employed and not deactivated."""
    today = timezone.localdate()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .select_related("unit")
        .order_by("last_name", "first_name", "username")
    )


class MemberAddForm(forms.Form):
    """Put a person on the account. The picker shows each candidate's §12
    acknowledgement and §9 competence for the account's platform."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Roll"), choices=AccountMember.Role.choices)
    holds_credentials = forms.BooleanField(
        label=_("Har inloggningsuppgifterna"),
        required=False,
        help_text=_("Kontoansvarig och ersättare måste ha inloggningsuppgifterna (§3, §5)."),
    )
    starts_on = forms.DateField(label=_("Från"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, platform: str, **kwargs):
        super().__init__(*args, **kwargs)
        people = candidate_people()
        quals = qualifications(people.values_list("pk", flat=True), platform)
        user_field = cast(forms.ModelChoiceField, self.fields["user"])
        user_field.queryset = people
        # Django reads the label function per instance; the stubs see only the method.
        user_field.label_from_instance = lambda u: _qualification_label(u, quals, platform)  # type: ignore[method-assign,assignment]
        self.fields["user"].error_messages["invalid_choice"] = _(
            "Välj en person som är anställd i kommunen och inte inaktiverad."
        )


class NamingOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl för undantaget"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Ange skälet till undantaget.")},
    )


class StartClosingForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför ska kontot avvecklas?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Ange varför kontot ska avvecklas.")},
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Vad har hänt med kontot på plattformen?"),
        choices=SocialAccount.ClosureOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bekräfta att kontot är raderat på plattformen eller överlämnat (§5).")
        },
    )
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("T.ex. till vem kontot lämnades över."),
    )


class PlatformForm(forms.ModelForm):
    base_url = _url_field(Platform, "base_url")

    class Meta:
        model = Platform
        fields = [
            "name",
            "slug",
            "access_kind",
            "requires_public_without_login",
            "base_url",
            "domains",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Competence (§9) names platforms by slug: it never changes once made.
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("Kortnamnet kan inte ändras när plattformen finns.")
