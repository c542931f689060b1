"""Fields shared by the apps (kernel: imports no app): the form fields every
POSTed object id goes through, and the https URL column."""

from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

# Primary keys are BigAutoField: a posted id outside 1..2**63-1 is refused as a
# form error instead of reaching the database (where PostgreSQL raises).
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """The id of a row, usually from a hidden input: a whole number in the
    primary-key range, or a form error (never a 500 for "abc", "1.5" or "")."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
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

    def to_python(self, value: Any) -> int | None:
        # IntegerField accepts "1.0" and "1e3"; an id is digits only.
        if value not in self.empty_values and not str(value).strip().isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdListField(forms.Field):
    """Several row ids (checkboxes or repeated hidden inputs), each as IdField."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
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

    def _check_values(self, value: Any) -> QuerySet[Any]:
        for pk in value if isinstance(value, (list, tuple)) else []:
            text = str(pk).strip()
            if text.isdigit() and int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        # A private method of Django's field, absent from the stubs.
        checked: QuerySet[Any] = super()._check_values(value)  # type: ignore[misc]
        return checked


class HttpsURLField(models.URLField):
    """A URL column whose form field reads an address typed without a scheme as
    https, as Django 6 will by default (every address this system stores is on
    the public web). Migrations see a plain URLField: the column is the same."""

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Only what the caller gave is passed on: an explicit form_class=None would
        # replace URLField's own form class with a plain CharField.
        if form_class is not None:
            kwargs["form_class"] = form_class
        if choices_form_class is not None:
            kwargs["choices_form_class"] = choices_form_class
        if form_class is None or issubclass(form_class, forms.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
