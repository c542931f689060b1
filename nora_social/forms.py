"""Forms on the public pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nora_social.core.public_forms import PublicForm


class AccessibilityReportForm(PublicForm):
    """A report of an accessibility problem (DOS-lagen 2018:1937, 16 §: the
    public must be able to tell us about content that is not accessible)."""

    page_url = forms.CharField(
        label=_("Vilken sida gäller det?"),
        max_length=500,
        help_text=_("Webbadressen eller sidans namn, till exempel /konton/."),
        error_messages={"required": _("Ange vilken sida det gäller.")},
    )
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Vad försökte du göra, och vad hindrade dig? Skriv inga känsliga uppgifter."),
        error_messages={
            "required": _("Beskriv problemet, så att vi kan åtgärda det."),
            "max_length": _("Beskrivningen får vara högst %(limit_value)d tecken."),
        },
    )
    name = forms.CharField(
        label=_("Ditt namn (frivilligt)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Din e-postadress (frivilligt)"),
        required=False,
        help_text=_("Ange den om du vill ha svar från oss."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Ange en giltig e-postadress, till exempel namn@exempel.se.")},
    )

    def clean_page_url(self):
        # One line only: the value goes into a mail body, never into a header.
        return " ".join(self.cleaned_data["page_url"].split())

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Beskriv problemet, så att vi kan åtgärda det."))
        return text
