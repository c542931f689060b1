"""Forms on the public pages, and the form field every POSTed object id goes through."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nora_social.public_forms import PublicForm

# Primary keys are BigAutoField: a posted id outside 1..2**63-1 is refused as a
# form error instead of reaching the database (where PostgreSQL raises).
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """The id of a row, usually from a hidden input: a whole number in the
    primary-key range, or a form error (never a 500 for "abc", "1.5" or "")."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Ingen post angavs."),
                "invalid": _("Okänd post."),
                "min_value": _("Okänd post."),
                "max_value": _("Okänd post."),
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        # IntegerField accepts "1.0" and "1e3"; an id is digits only.
        if value not in self.empty_values and not str(value).strip().isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdListField(forms.Field):
    """Several row ids (checkboxes or repeated hidden inputs), each as IdField."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        field = IdField()
        try:
            return [field.clean(v) for v in value]
        except forms.ValidationError:
            raise forms.ValidationError(_("Okänd post."), code="invalid") from None


class ModelIdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose ids past the primary-key range are an
    invalid choice: the stock field sends them to an ``IN`` query, where SQLite
    raises OverflowError."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else []:
            text = str(pk).strip()
            if text.isdigit() and int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        # A private method of Django's field, absent from the stubs.
        return super()._check_values(value)  # type: ignore[misc]


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
