from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration, User
from archive.requests.models import Assessment, Channel, Delegation, Delivery
from nora_social.core.public_forms import PublicForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PROVISION_HELP = _('T.ex. "OSL 21 kap. 7 §" (personuppgifter) eller "OSL 26 kap. 1 §".')


class _RequestFields(forms.Form):
    reference = forms.CharField(
        label=_("Diarienummer"),
        required=False,
        max_length=60,
        help_text=_("Om du vet det, t.ex. KS 2026/3-2. Du behöver inte ange det."),
    )
    description = forms.CharField(
        label=_("Vilka handlingar vill du ta del av?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Beskriv handlingarna så gott du kan, t.ex. konto, datum och vad de gäller."),
    )
    delivery = forms.ChoiceField(
        label=_("Hur vill du få handlingarna?"),
        choices=Delivery.choices,
        initial=Delivery.EMAIL,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Namn (frivilligt)"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("E-post (frivilligt)"),
        required=False,
        help_text=_(
            "Då skickar vi länken till handlingarna med e-post. Utan e-post hämtar du dem "
            "via länken du får när du skickar begäran."
        ),
    )
    address = forms.CharField(
        label=_("Postadress (frivilligt)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Behövs om du vill få handlingarna med post."),
    )


class PublicRequestForm(PublicForm, _RequestFields):
    """The public form: anonymity is a right, so nothing about the person is required."""


class StaffRequestForm(_RequestFields):
    channel = forms.ChoiceField(
        label=_("Begäran kom in via"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
    )
    received_at = forms.DateTimeField(
        label=_("Kom in"), widget=DATETIME, initial=lambda: timezone.localtime().replace(second=0)
    )
    is_threat = forms.BooleanField(
        label=_("Begäran innehåller hot (säkerhetssamordnaren ser den)"), required=False
    )

    field_order = ["channel", "received_at", "reference", "description", "delivery"]


class AddDocumentForm(forms.Form):
    reference = forms.CharField(
        label=_("Diarienummer för handlingen"), max_length=60, required=False
    )
    description = forms.CharField(
        label=_("Eller beskriv handlingen"), max_length=300, required=False
    )


class AssessForm(forms.Form):
    assessment = forms.ChoiceField(
        label=_("Prövning"), choices=Assessment.choices, widget=forms.RadioSelect
    )
    provision = forms.CharField(
        label=_("Bestämmelse i OSL"), max_length=100, required=False, help_text=PROVISION_HELP
    )
    reasons = forms.CharField(
        label=_("Skäl"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StringMaskForm(forms.Form):
    text = forms.CharField(
        label=_("Text att maskera"),
        max_length=200,
        help_text=_("Maskeras överallt där den förekommer, på alla sidor, oavsett skiftläge."),
    )
    provision = forms.CharField(label=_("Bestämmelse"), max_length=100, help_text=PROVISION_HELP)


class RegionMaskForm(forms.Form):
    page = forms.IntegerField(label=_("Sida"), min_value=1)
    left = forms.FloatField(
        label=_("Vänster kant (procent av bredden)"), min_value=0, max_value=100
    )
    top = forms.FloatField(label=_("Övre kant (procent av höjden)"), min_value=0, max_value=100)
    width = forms.FloatField(label=_("Bredd (procent)"), min_value=0.1, max_value=100)
    height = forms.FloatField(label=_("Höjd (procent)"), min_value=0.1, max_value=100)
    provision = forms.CharField(label=_("Bestämmelse"), max_length=100, help_text=PROVISION_HELP)


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl att stoppa klockan"),
        max_length=300,
        help_text=_("T.ex. väntar på att den som begär anger vilka handlingar som avses."),
    )


class HandOutForm(forms.Form):
    visit_note = forms.CharField(
        label=_("Anteckning om besöket (vid läsning på plats)"), max_length=300, required=False
    )


class DecisionForm(forms.Form):
    delegation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Beslutsfattare (delegat)"), queryset=Delegation.objects.none()
    )
    reasons = forms.CharField(
        label=_("Skäl för beslutet"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vad som inte lämnas ut och varför, med hänvisning till bestämmelsen."),
    )

    def __init__(self, *args, delegations=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["delegation"]
        assert isinstance(field, forms.ModelChoiceField)  # type narrowing of an invariant  # nosec B101
        field.queryset = delegations if delegations is not None else Delegation.objects.none()


class SentForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Beslutet skickades"), widget=DATE, initial=timezone.localdate
    )


class AppealForm(forms.Form):
    received_on = forms.DateField(
        label=_("Överklagandet kom in"), widget=DATE, initial=timezone.localdate
    )
    decision_received_on = forms.DateField(
        label=_("Klaganden fick beslutet"),
        widget=DATE,
        help_text=_("Tre veckor räknas från den dagen."),
    )
    letter = forms.FileField(
        label=_("Överklagandeskrivelsen"),
        required=False,
        help_text=_(
            "PDF eller inskannad bild (PNG, JPEG, WebP), högst 10 MB. Skickas till kammarrätten."
        ),
    )


class LetterForm(forms.Form):
    letter = forms.FileField(
        label=_("Överklagandeskrivelsen"),
        help_text=_("PDF eller inskannad bild (PNG, JPEG, WebP), högst 10 MB."),
    )


class DelegationForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Förvaltning"), queryset=Administration.objects.order_by("name")
    )
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.filter(is_active=True).order_by("last_name")
    )
    title = forms.CharField(label=_("Befattning"), max_length=100)
    decision_reference = forms.CharField(label=_("Delegationsbeslut"), max_length=100)
