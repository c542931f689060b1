"""Forms for retention decisions, holds and purges."""

from django import forms
from django.utils.translation import gettext_lazy

from archive.models import DisposableType, Hold, RetentionDecision
from channels_registry.models import SocialAccount
from nora_social.core.fields import IdListField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def account_choice(required: bool, label) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=label,
        queryset=SocialAccount.objects.select_related("platform").order_by("display_name"),
        required=required,
    )
    # Django reads the label function per instance; the stubs see only the method.
    field.label_from_instance = lambda a: f"{a.display_name} ({a.platform.name})"  # type: ignore[method-assign,assignment]
    return field


# --- Forms -------------------------------------------------------------------------


class DecisionForm(forms.Form):
    record_type = forms.ChoiceField(
        label=gettext_lazy("Slags handling"), choices=DisposableType.choices
    )
    rule = forms.ChoiceField(label=gettext_lazy("Beslut"), choices=RetentionDecision.Rule.choices)
    years = forms.IntegerField(
        label=gettext_lazy("Antal år"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=gettext_lazy("Bara när handlingarna gallras efter ett antal år."),
    )
    decided_by_body = forms.CharField(label=gettext_lazy("Beslutande organ"), max_length=200)
    decided_on = forms.DateField(label=gettext_lazy("Beslutsdatum"), widget=DATE)
    plan_paragraph = forms.CharField(
        label=gettext_lazy("Punkt i dokumenthanteringsplanen"), max_length=100
    )
    decision_reference = forms.CharField(
        label=gettext_lazy("Beslutets diarienummer"), max_length=50, required=False
    )


class PreviewConfirmForm(forms.Form):
    """The ids the preview listed, posted back with the confirmation."""

    record = IdListField(required=False)


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Skäl"), choices=Hold.Kind.choices)
    reference = forms.CharField(
        label=gettext_lazy("Diarienummer för begäran eller överklagandet"), max_length=100
    )
    account = account_choice(False, gettext_lazy("Konto (stoppar allt på kontot)"))
    record_type = forms.ChoiceField(
        label=gettext_lazy("Eller en enskild post: slags handling"),
        choices=[("", "—"), *DisposableType.choices],
        required=False,
    )
    record_id = forms.IntegerField(
        label=gettext_lazy("Postens nummer"), min_value=1, required=False
    )
    note = forms.CharField(label=gettext_lazy("Kommentar"), max_length=300, required=False)


class PurgeForm(forms.Form):
    record_type = forms.ChoiceField(
        label=gettext_lazy("Slags handling"), choices=DisposableType.choices
    )
    record_id = forms.IntegerField(label=gettext_lazy("Postens nummer"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Varför materialet inte får bevaras (felaktigt uppladdat, brottsligt att inneha). "
            "Skriv inte av innehållet."
        ),
    )


class PurgeDecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Kommentar (krävs vid avslag)"), max_length=300, required=False
    )
