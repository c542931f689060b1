"""Logging a moderation action from captured content: the content comes from
the capture, so the person only says what was done and why."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.categories import NO_CONTENT_CATEGORIES
from moderation.forms import ActionForm

CONTENT_FIELDS = (
    "content_author",
    "content_text",
    "content_link",
    "content_posted_at",
    "captured_at",
    "screenshot",
)


class CapturedActionForm(ActionForm):
    """``ActionForm`` without the content fields: the capture is the evidence
    (§5, §10), and for barnpornografi nothing of it is kept."""

    def __init__(self, *args, captured_content: dict, **kwargs):
        self.captured_content = captured_content
        super().__init__(*args, **kwargs)
        for name in CONTENT_FIELDS:
            self.fields.pop(name, None)
        self.fields["origin"].initial = "citizen"

    def action_data(self):
        data = super().action_data()
        if data.category not in NO_CONTENT_CATEGORIES:
            for name, value in self.captured_content.items():
                setattr(data, name, value)
        else:
            data.content_author = self.captured_content.get("content_author", "")
            data.content_posted_at = self.captured_content.get("content_posted_at")
            data.captured_at = self.captured_content.get("captured_at")
        return data


class MarkQuestionForm(forms.Form):
    confirm = forms.BooleanField(label=_("Det här är en fråga eller synpunkt till kontot"))


class TimelineDayForm(forms.Form):
    """The timeline's "go to a date": what was first captured that day and before."""

    datum = forms.DateField(
        label=_("Gå till datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-01.")},
    )
