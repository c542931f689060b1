from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MajorChangeForm(forms.Form):
    note = forms.CharField(
        label=_("Vad har förändrats?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("T.ex. nytt namn, ny profilbild, nytt syfte eller ny målgrupp (§10)."),
    )


class ScreenshotForm(forms.Form):
    image = forms.FileField(
        label=_("Skärmdump"),
        help_text=_("PNG, JPEG eller WebP, högst 10 MB. Ta den av kontot som det ser ut nu."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    captured_on = forms.DateField(
        label=_("Skärmdumpen togs"), initial=timezone.localdate, widget=DATE
    )
    caption = forms.CharField(
        label=_("Vad bilden visar"),
        max_length=200,
        required=False,
        help_text=_('T.ex. "Profilsidan" eller "Om-fliken".'),
    )
