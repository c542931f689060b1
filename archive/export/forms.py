"""The form that chooses what an archive package holds."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Administration
from archive.disposal.forms import account_choice


class ExportForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=gettext_lazy("Förvaltning"),
        queryset=Administration.objects.order_by("name"),
        required=False,
    )
    account = account_choice(False, gettext_lazy("Eller ett konto"))
    year = forms.IntegerField(
        label=gettext_lazy("År (tomt för alla år)"), min_value=2000, max_value=2100, required=False
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("administration") and not data.get("account"):
            raise forms.ValidationError(_("Välj en förvaltning eller ett konto."))
        if data.get("administration") and data.get("account"):
            raise forms.ValidationError(_("Välj antingen en förvaltning eller ett konto."))
        return data
