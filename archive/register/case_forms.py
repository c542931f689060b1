"""Forms of the registrar's case pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration, User
from archive.models import Direction, SecrecyProvision
from archive.register.forms import DATE, _AccountChoice
from archive.register.services import Entry
from channels_registry.models import SocialAccount


def provision_choices() -> list[tuple[str, str]]:
    rows = SecrecyProvision.objects.filter(active=True).order_by("provision")
    return [("", str(_("Ingen sekretess")))] + [(p.provision, str(p)) for p in rows]


class _AdministrationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.register_series}: {obj.name}"


class CaseOpenForm(forms.Form):
    administration = _AdministrationChoice(
        label=_("Diarieserie"),
        queryset=Administration.objects.order_by("register_series", "name"),
        help_text=_("Ärendet får nästa nummer i seriens löpnummer för året."),
    )
    title = forms.CharField(
        label=_("Ärendemening"),
        max_length=300,
        help_text=_("Skriv utan personuppgifter: den visas för allmänheten."),
        error_messages={"required": _("Skriv en ärendemening.")},
    )
    secrecy_provision = forms.ChoiceField(
        label=_("Sekretess för ärendemeningen"),
        required=False,
        help_text=_(
            "Välj en bestämmelse om ärendemeningen röjer något som är sekretess: "
            "allmänheten ser då bara sekretessmarkeringen."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["secrecy_provision"]
        assert isinstance(field, forms.ChoiceField)  # type narrowing of an invariant  # nosec B101
        field.choices = provision_choices()


class FileDocumentForm(forms.Form):
    account = _AccountChoice(
        label=_("Konto"),
        queryset=SocialAccount.objects.select_related("platform").order_by("display_name"),
        required=False,
        help_text=_("Lämna tomt för en handling som inte gäller något konto."),
    )
    direction = forms.ChoiceField(label=_("Riktning"), choices=Direction.choices)
    document_date = forms.DateField(
        label=_("Inkom, skickades eller upprättades"), widget=DATE, initial=timezone.localdate
    )
    party = forms.CharField(
        label=_("Avsändare eller mottagare"),
        max_length=200,
        required=False,
        help_text=_("Visas inte för allmänheten."),
    )
    subject = forms.CharField(
        label=_("Ärendemening"),
        max_length=300,
        help_text=_("Skriv utan personuppgifter: den visas för allmänheten."),
    )
    secrecy_provision = forms.ChoiceField(label=_("Sekretess"), required=False)
    subject_masked = forms.BooleanField(
        label=_("Ärendemeningen röjer det som är sekretess: visa bara sekretessmarkeringen"),
        required=False,
        initial=True,
    )
    handling_officer = forms.ModelChoiceField(
        label=_("Handläggare"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False,
    )
    file = forms.FileField(
        label=_("Fil"),
        required=False,
        help_text=_("PDF eller bild (PNG, JPEG, WebP), högst 10 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["secrecy_provision"]
        assert isinstance(field, forms.ChoiceField)  # type narrowing of an invariant  # nosec B101
        field.choices = provision_choices()

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            direction=data["direction"],
            document_date=data["document_date"],
            subject=data["subject"],
            party=data.get("party") or "",
            secrecy_provision=data.get("secrecy_provision") or "",
            subject_masked=bool(data.get("subject_masked")),
            handling_officer=data.get("handling_officer"),
        )


class LinkForm(forms.Form):
    reference = forms.CharField(
        label=_("Diarienummer för det relaterade ärendet"),
        max_length=40,
        help_text=_("T.ex. KS 2026/17."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Skäl att öppna ärendet igen"), max_length=300)


class CaseFilterForm(forms.Form):
    administration = _AdministrationChoice(
        label=_("Diarieserie"),
        queryset=Administration.objects.order_by("register_series", "name"),
        required=False,
    )
    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alla")), ("open", _("Pågående")), ("closed", _("Avslutade"))],
        required=False,
    )
