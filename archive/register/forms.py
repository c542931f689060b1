from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration, User
from archive.models import Case, Direction
from archive.register.selectors import SearchParams
from archive.register.services import Entry
from channels_registry.models import SocialAccount
from nora_social.core.fields import IdField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _AccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.platform.name})"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sökord"),
        required=False,
        max_length=200,
        help_text=_(
            "Söker i ärendemening, avsändare/mottagare och innehåll. Alla böjningsformer "
            'hittas. Använd "citattecken" för en fras och - framför ett ord som inte ska finnas med.'
        ),
    )
    administration = forms.ModelChoiceField(
        label=_("Förvaltning"), queryset=Administration.objects.all(), required=False
    )
    account = _AccountChoice(
        label=_("Konto"),
        queryset=SocialAccount.objects.select_related("platform").order_by("display_name"),
        required=False,
    )
    date_from = forms.DateField(label=_("Datum från"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Datum till och med"), required=False, widget=DATE)
    direction = forms.ChoiceField(
        label=_("Riktning"), choices=[("", _("Alla"))] + Direction.choices, required=False
    )
    secrecy = forms.ChoiceField(
        label=_("Sekretess"),
        choices=[("", _("Alla")), ("secret", _("Med sekretess")), ("open", _("Utan sekretess"))],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sortera"),
        choices=[("date", _("Datum, nyast först")), ("relevance", _("Relevans"))],
        required=False,
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatumet ligger före startdatumet."))
        return data

    def params(self) -> SearchParams:
        data = self.cleaned_data
        return SearchParams(
            text=data.get("q") or "",
            administration=data.get("administration"),
            account=data.get("account"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            direction=data.get("direction") or "",
            secrecy=data.get("secrecy") or "",
            sort=data.get("sort") or "date",
        )


class _CaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} {obj.title}"


class EntryForm(forms.Form):
    """What every register entry asks: direction, date, party, subject, secrecy
    and handling officer; ``entry()`` is the service's ``Entry``."""

    direction = forms.ChoiceField(label=_("Riktning"), choices=Direction.choices)
    document_date = forms.DateField(
        label=_("Inkom eller upprättades"), widget=DATE, initial=timezone.localdate
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
    secrecy_provision = forms.CharField(
        label=_("Sekretess"),
        max_length=200,
        required=False,
        help_text=_('Tomt om ingen sekretess, annars bestämmelsen, t.ex. "OSL 21 kap. 7 §".'),
    )
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


class RegisterForm(EntryForm):
    field_order = ["case", "account"]

    case = _CaseChoice(
        label=_("Ärende"),
        queryset=Case.objects.order_by("-year", "series", "-number"),
        required=False,
        help_text=_("Lämna tomt för kontots samlingsärende för året."),
    )
    account = _AccountChoice(
        label=_("Konto"),
        queryset=SocialAccount.objects.select_related("platform").order_by("display_name"),
        required=False,
    )


class PublicFilterForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Förvaltning"), queryset=Administration.objects.all(), required=False
    )
    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)


class PendingRecordForm(forms.Form):
    """Which record awaiting registration a button on the list is about."""

    record_type = IdField()
    record_id = IdField()


class MinorForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), max_length=300)
