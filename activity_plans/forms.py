from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import qualifications
from activity_plans.models import ActivityPlan
from activity_plans.services import EDITABLE_FIELDS
from channels_registry.addresses import address_problems
from channels_registry.models import Platform
from nora_social.core.fields import ModelIdsChoiceField


class _PersonFacts:
    """§12 acknowledgement and §9 competence of every selectable person, read in
    once for all choices, so each choice can show them where the person is chosen."""

    def __init__(self, people) -> None:
        quals = qualifications(p.pk for p in people)
        self.acknowledged = {pk for pk, q in quals.items() if q.acknowledgement is not None}
        names = dict(Platform.objects.values_list("slug", "name"))
        self.platforms: dict[int, list[str]] = {
            pk: [names.get(slug, slug) for slug in q.competences] for pk, q in quals.items()
        }

    def label(self, obj) -> str:
        unit = f", {obj.unit.name}" if obj.unit_id else ""
        policy = (
            _("policyn kvitterad (§12)")
            if obj.pk in self.acknowledged
            else _("har inte kvitterat policyn (§12)")
        )
        known = sorted(self.platforms.get(obj.pk, []))
        competence = (
            _("kan %(platforms)s (§9)") % {"platforms": ", ".join(known)}
            if known
            else _("ingen registrerad plattformskunskap (§9)")
        )
        return f"{obj.get_full_name() or obj.username}{unit} – {policy}; {competence}"


class PersonChoiceField(forms.ModelChoiceField):
    facts: _PersonFacts | None = None

    def label_from_instance(self, obj):
        if self.facts is not None:
            return self.facts.label(obj)
        unit = f", {obj.unit.name}" if obj.unit_id else ""
        return f"{obj.get_full_name() or obj.username}{unit}"


class PeopleChoiceField(ModelIdsChoiceField):
    facts: _PersonFacts | None = None

    def label_from_instance(self, obj):
        if self.facts is not None:
            return self.facts.label(obj)
        unit = f", {obj.unit.name}" if obj.unit_id else ""
        return f"{obj.get_full_name() or obj.username}{unit}"


class PlanForm(forms.ModelForm):
    """Bilaga 1. Nothing is required to save a draft; what a submission needs is
    checked by the service and shown on the fields."""

    planned_url = forms.URLField(
        label=_("Planerad adress till kontot"),
        help_text=ActivityPlan._meta.get_field("planned_url").help_text,
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": _("Ange en giltig webbadress, t.ex. https://www.facebook.com/norakommun.")
        },
    )

    class Meta:
        model = ActivityPlan
        fields = [*EDITABLE_FIELDS, "admins"]
        field_classes = {"owner": PersonChoiceField, "deputy": PersonChoiceField}
        widgets = {
            "target_audience": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "content_kind": forms.Textarea(attrs={"rows": 3}),
            "who_does_it": forms.Textarea(attrs={"rows": 2}),
            "questions_routine": forms.Textarea(attrs={"rows": 3}),
            "moderation_routine": forms.Textarea(attrs={"rows": 4}),
            "holiday_cover": forms.Textarea(attrs={"rows": 3}),
            "comment_rules": forms.Textarea(attrs={"rows": 5}),
            "nora_se_relation": forms.Textarea(attrs={"rows": 3}),
            "closure_plan": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(is_active=True)
            .select_related("unit")
            .order_by("last_name", "first_name", "username")
        )
        facts = _PersonFacts(list(people))
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["deputy"]).queryset = people
        # A checkbox per person (no Ctrl-click list), filtered by a search field
        # when JavaScript runs (static/js/activity_plans.js).
        self.fields["admins"] = PeopleChoiceField(
            queryset=people,
            required=False,
            label=_("Fler administratörer"),
            help_text=_("Kryssa för varje person som också ska administrera kontot."),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "people-choices"}),
        )
        for name in ("owner", "deputy", "admins"):
            cast(PersonChoiceField | PeopleChoiceField, self.fields[name]).facts = facts
        cast(forms.ModelChoiceField, self.fields["platform"]).queryset = Platform.objects.filter(
            is_active=True
        )
        for name, field in self.fields.items():
            field.required = False
            if name in ("display_name", "handle"):
                field.widget.attrs["data-name-check"] = name
        self.fields["platform"].widget.attrs["data-name-check"] = "platform"
        self.fields["posts_min"].widget.attrs["min"] = 1
        self.fields["response_hours"].widget.attrs["min"] = 1
        self.fields["hours_per_week"].widget.attrs["min"] = 0
        self.fields["display_name"].widget.attrs["autocomplete"] = "off"
        self.fields["handle"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        """A draft may be incomplete, but an address once given must be the
        platform's own (§4, §10): a clear message, and nothing is saved."""
        super().clean()
        cleaned = self.cleaned_data
        url = cleaned.get("planned_url")
        platform = cleaned.get("platform")
        if url and platform is not None:
            for problem in address_problems(
                url=url,
                platform_name=platform.name,
                domains=platform.domain_list,
                handle=cleaned.get("handle") or "",
            ):
                self.add_error("planned_url", problem.message)
        elif url and not url.lower().startswith("https://"):
            self.add_error("planned_url", _("Adressen måste börja med https:// (en säker adress)."))
        return cleaned

    def clean_posts_min(self):
        value = self.cleaned_data.get("posts_min")
        if value is not None and value < 1:
            raise forms.ValidationError(_("Ange minst ett inlägg."))
        return value

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}

    def admins(self):
        return list(self.cleaned_data.get("admins") or [])


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när du återvisar planen: skriv vad som behöver ändras."),
    )


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("Varför planen återkallas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
