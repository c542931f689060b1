from typing import cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from channels_registry.models import AccountMember
from moderation import services
from moderation.categories import grouped_choices
from moderation.models import ModerationAction
from nora_social.core.uploads import MAX_BYTES

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


def current_staff():
    today = timezone.localdate()
    return User.objects.filter(is_active=True).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )


def add_service_errors(form, exc: services.ModerationError) -> None:
    """Put a refusal's messages next to the fields they concern."""
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for name, messages in exc.errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


class PostForm(forms.Form):
    author = forms.ModelChoiceField(
        label=_("Skribent"),
        queryset=User.objects.none(),
        help_text=_("Den som skrev inlägget följer diskussionen och svarar på frågor (§3)."),
    )
    published_at = _when(_("Publicerat"))
    text = forms.CharField(label=_("Inläggets text"), widget=forms.Textarea)
    link = forms.URLField(
        label=_("Länk till inlägget"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, account, actor, **kwargs):
        super().__init__(*args, **kwargs)
        on_account = Q(
            pk__in=AccountMember.objects.current().filter(account=account).values("user_id")
        )
        cast(forms.ModelChoiceField, self.fields["author"]).queryset = (
            current_staff().filter(on_account | Q(pk=actor.pk)).distinct().order_by("first_name")
        )
        self.fields["author"].initial = actor.pk
        self.fields["published_at"].initial = _now_local()


class CorrectionForm(forms.Form):
    what_was_wrong = forms.CharField(
        label=_("Vad var fel i inlägget?"),
        widget=forms.Textarea,
        help_text=_("Rätta öppet och erkänn misstaget (§5). Inlägget finns kvar som det var."),
    )
    correction_text = forms.CharField(label=_("Rättelsen som publicerades"), widget=forms.Textarea)
    corrected_at = _when(_("Rättat"))
    link = forms.URLField(
        label=_("Länk till rättelsen"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrected_at"].initial = _now_local()


class WithdrawForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Åtgärd"),
        choices=[
            (ModerationAction.Action.UNPUBLISHED.value, ModerationAction.Action.UNPUBLISHED.label),
            (ModerationAction.Action.DELETED.value, ModerationAction.Action.DELETED.label),
        ],
    )
    reason = forms.CharField(
        label=_("Varför dras inlägget tillbaka?"),
        widget=forms.Textarea,
        help_text=_("Inaktuell eller felaktig information ska gallras om det är möjligt (§10)."),
    )
    screenshot = forms.FileField(
        label=_("Skärmdump (valfri)"),
        required=False,
        help_text=format_lazy(
            _("PNG, JPEG eller WebP, högst {mb} MB."), mb=MAX_BYTES // 1024 // 1024
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(label=_("Vad gjordes med innehållet?"), choices=[])
    origin = forms.ChoiceField(label=_("Vems innehåll var det?"), choices=[])
    category = forms.ChoiceField(
        label=_("Kategori"),
        choices=[],
        help_text=_(
            "Kritik mot kommunen är aldrig ett skäl att ta bort något (§6). "
            "Personangrepp tas bort utan att besvaras (§5). "
            "Lagkraven eskaleras till säkerhetssamordnaren och enhetens chef."
        ),
    )
    comment_rule = forms.CharField(
        label=_("Kommentarsregel som bröts"),
        required=False,
        max_length=300,
        help_text=_("Krävs för kategorin ”Brott mot kontots kommentarsregler”: citera regeln."),
    )
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea)
    content_author = forms.CharField(
        label=_("Avsändare som den visades"), required=False, max_length=200
    )
    content_text = forms.CharField(
        label=_("Innehållet, ordagrant"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Lämna tomt för barnpornografi: sådant material sparas aldrig."),
    )
    content_link = forms.URLField(
        label=_("Länk till innehållet"), required=False, max_length=500, assume_scheme="https"
    )
    content_posted_at = _when(_("Publicerades"), required=False)
    captured_at = _when(_("Bevarades (skärmdumpen togs)"), required=False)
    screenshot = forms.FileField(
        label=_("Skärmdump"),
        required=False,
        help_text=format_lazy(
            _("PNG, JPEG eller WebP, högst {mb} MB. Inte för barnpornografi."),
            mb=MAX_BYTES // 1024 // 1024,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    secrecy_provision = forms.CharField(
        label=_("Sekretessbestämmelse (OSL)"),
        required=False,
        max_length=200,
        help_text=_(
            "Fyll i om innehållet har sekretessbelagda uppgifter, t.ex. 26 kap. 1 § OSL. "
            "Det ska då avpubliceras och diarieföras (§10)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = ModerationAction.Action.choices
        cast(forms.ChoiceField, self.fields["origin"]).choices = ModerationAction.Origin.choices
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Välj kategori")),
            *grouped_choices(),
        ]
        self.fields["captured_at"].initial = _now_local()

    def action_data(self) -> services.ActionData:
        c = self.cleaned_data
        return services.ActionData(
            action=c.get("action") or "",
            origin=c.get("origin") or "",
            category=c.get("category") or "",
            reason=c.get("reason") or "",
            content_author=c.get("content_author") or "",
            content_text=c.get("content_text") or "",
            content_link=c.get("content_link") or "",
            content_posted_at=c.get("content_posted_at"),
            captured_at=c.get("captured_at"),
            comment_rule=c.get("comment_rule") or "",
            secrecy_provision=c.get("secrecy_provision") or "",
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        problems = services.action_problems(self.action_data(), cleaned.get("screenshot"))
        for name, messages in problems.items():
            if name in self.errors:
                continue  # the field already says what is wrong with it
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class ActionCorrectionForm(ActionForm):
    has_kept_screenshot: bool  # set by the view from the entry being corrected

    correction_note = forms.CharField(
        label=_("Vad var fel i den tidigare posten?"),
        widget=forms.Textarea,
        help_text=_("Den tidigare posten finns kvar oförändrad; den nya pekar på den."),
    )

    field_order = ["correction_note"]

    @classmethod
    def initial_from(cls, old: ModerationAction) -> dict:
        local = timezone.localtime
        return {
            "action": old.action,
            "origin": old.origin,
            "category": old.category,
            "comment_rule": old.comment_rule,
            "reason": old.reason,
            "content_author": old.content_author,
            "content_text": old.content_text,
            "content_link": old.content_link,
            "content_posted_at": local(old.content_posted_at) if old.content_posted_at else None,
            "captured_at": local(old.captured_at) if old.captured_at else None,
            "secrecy_provision": old.secrecy_provision,
        }

    def clean(self):
        forms.Form.clean(self)
        cleaned = self.cleaned_data
        # A correction keeps the earlier screenshot unless a new one is given.
        problems = services.action_problems(
            self.action_data(),
            cleaned.get("screenshot"),
            has_kept_screenshot=getattr(self, "has_kept_screenshot", False),
        )
        for name, messages in problems.items():
            if name in self.errors:
                continue
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class PoliceReportForm(forms.Form):
    made = forms.TypedChoiceField(
        label=_("Har innehållet polisanmälts?"),
        choices=[("yes", _("Ja, polisanmälan är gjord")), ("no", _("Nej, ingen polisanmälan"))],
        coerce=lambda v: v == "yes",
    )
    reported_by = forms.ModelChoiceField(
        label=_("Anmäld av"), queryset=User.objects.none(), required=False
    )
    reported_on = forms.DateField(
        label=_("Anmäld den"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reference = forms.CharField(label=_("Polisens diarienummer"), required=False, max_length=100)
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Krävs om ingen polisanmälan görs: skriv varför."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["reported_by"]
        ).queryset = current_staff().order_by("first_name", "last_name")
        self.fields["reported_by"].initial = actor.pk
        self.fields["reported_on"].initial = timezone.localdate()


class QuestionForm(forms.Form):
    received_at = _when(_("Inkom"))
    asker = forms.CharField(
        label=_("Frågeställare som den visades"),
        max_length=200,
        help_text=_("Namnet på kontot som ställde frågan, så som det syntes."),
    )
    text = forms.CharField(label=_("Frågan eller synpunkten"), widget=forms.Textarea)
    link = forms.URLField(label=_("Länk"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = _now_local()


class ForwardForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Vidarebefordra till"),
        queryset=User.objects.none(),
        help_text=_("Den handläggare som är bäst lämpad att svara (§5)."),
    )
    note = forms.CharField(label=_("Meddelande"), required=False, widget=forms.Textarea)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to"]).queryset = (
            current_staff().exclude(pk=actor.pk).order_by("first_name", "last_name")
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Svaret"), widget=forms.Textarea)
    answered_at = _when(_("Besvarad"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_at"].initial = _now_local()
