from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.roles import Role


class GroupMappingForm(forms.Form):
    idp_group = forms.CharField(
        label=_("Grupp hos inloggningstjänsten"),
        max_length=255,
        help_text=_(
            "Gruppens id eller namn som det står i inloggningen, t.ex. Entra ID:s "
            "objekt-id för gruppen eller ADFS:ens gruppnamn."
        ),
    )
    role = forms.ChoiceField(
        label=_("Roll"), choices=[("", "–")] + list(Role.choices), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.select_related("administration"),
        required=False,
    )
