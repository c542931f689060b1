"""The form that starts a yearly report: the period and the scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration


class ReportForm(forms.Form):
    start = forms.DateField(
        label=_("Periodens första dag"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Ange periodens första dag."),
            "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."),
        },
    )
    end = forms.DateField(
        label=_("Periodens sista dag"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("En period som går förbi i dag slutar i dag."),
        error_messages={
            "required": _("Ange periodens sista dag."),
            "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."),
        },
    )
    administration = forms.ModelChoiceField(
        label=_("Omfattning"),
        queryset=Administration.objects.order_by("name"),
        required=False,
        empty_label=_("Hela kommunen"),
        error_messages={"invalid_choice": _("Välj en förvaltning i listan.")},
    )
