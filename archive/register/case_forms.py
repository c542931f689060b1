"""Forms of the registrar's case pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration
from archive.models import SecrecyProvision
from archive.register.forms import DATE, EntryForm, _AccountChoice
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
        choices=provision_choices,
        required=False,
        help_text=_(
            "Välj en bestämmelse om ärendemeningen röjer något som är sekretess: "
            "allmänheten ser då bara sekretessmarkeringen."
        ),
    )


class FileDocumentForm(EntryForm):
    """A register entry filed into a case: from any account or none, secrecy from
    the maintained list of provisions, and a file."""

    field_order = ["account", *EntryForm.base_fields, "file"]

    account = _AccountChoice(
        label=_("Konto"),
        queryset=SocialAccount.objects.select_related("platform").order_by("display_name"),
        required=False,
        help_text=_("Lämna tomt för en handling som inte gäller något konto."),
    )
    document_date = forms.DateField(
        label=_("Inkom, skickades eller upprättades"), widget=DATE, initial=timezone.localdate
    )
    secrecy_provision = forms.ChoiceField(  # type: ignore[assignment]  # the list, not free text
        label=_("Sekretess"), choices=provision_choices, required=False
    )
    file = forms.FileField(
        label=_("Fil"),
        required=False,
        help_text=_("PDF eller bild (PNG, JPEG, WebP), högst 10 MB."),
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
