"""The form to connect an account to its platform with a pasted token."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from channels_registry.connections.models import ConnectorKind


class ConnectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Plattform"), choices=ConnectorKind.choices)
    external_id = forms.CharField(
        label=_("Kontots id hos plattformen"),
        max_length=100,
        help_text=_(
            "Facebooksidans id, Instagramkontots id, YouTube-kanalens id (UC…), "
            "LinkedIn-organisationens id (siffrorna i urn:li:organization:…) "
            "eller X-kontots användar-id (siffror)."
        ),
    )
    external_name = forms.CharField(label=_("Namn hos plattformen"), max_length=200, required=False)
    access_token = forms.CharField(
        label=_("Åtkomsttoken"),
        # Never rendered back, not even after a refusal.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        max_length=4000,
        help_text=_(
            "Sidans token från kommunens Meta-app, eller en OAuth-token för YouTube, "
            "LinkedIn eller X. Den krypteras och visas aldrig igen."
        ),
    )
    refresh_token = forms.CharField(
        label=_("Förnyelsetoken (valfri)"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        max_length=4000,
        help_text=_(
            "YouTube, LinkedIn och X: med förnyelsetoken och kommunens app inställd förnyas "
            "åtkomsttoken av sig själv innan den går ut. Krypteras och visas aldrig igen."
        ),
    )
    token_expires_at = forms.DateTimeField(
        label=_("Token gäller till"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Lämna tomt för en token som inte går ut (Meta: långlivad sidtoken)."),
    )
    scopes = forms.CharField(
        label=_("Beviljade behörigheter"),
        required=False,
        max_length=1000,
        help_text=_(
            "T.ex. pages_read_engagement pages_read_user_content pages_messaging; "
            "r_organization_social (LinkedIn); tweet.read users.read offline.access (X)."
        ),
    )


class OAuthChoiceForm(forms.Form):
    """Which of the pages (or Instagram accounts) Meta listed to connect."""

    choice = forms.ChoiceField(label=_("Vilket konto hos plattformen?"), widget=forms.RadioSelect)

    def __init__(self, *args, options: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choice"]).choices = options
