"""The kernel's shared model pieces do what they promise: a move the table does
not list is refused, a logged record cannot be changed or deleted, and a URL
column reads an address typed without a scheme as https."""

import pytest
from django.apps import apps
from django.db import models

from nora_social.core.append_only import AppendOnlyModel, RecordLockedError
from nora_social.core.transitions import TransitionsMixin


class _Thing(TransitionsMixin):
    TRANSITIONS = {"open": {"closed"}, "closed": set()}

    def __init__(self, status: str) -> None:
        self.status = status


class _MoveRefused(Exception):
    pass


def test_only_listed_moves_are_allowed():
    assert _Thing("open").can_move_to("closed")
    assert not _Thing("open").can_move_to("open")
    assert not _Thing("closed").can_move_to("open")
    assert not _Thing("unknown").can_move_to("closed")


def test_a_refused_move_raises_the_callers_error_and_changes_nothing():
    thing = _Thing("closed")
    with pytest.raises(_MoveRefused, match="Kan inte"):
        thing.move_to("open", lambda: _MoveRefused("Kan inte gå från stängd till öppen."))
    assert thing.status == "closed"
    with pytest.raises(_MoveRefused):
        thing.check_move("open", lambda: _MoveRefused("x"))


def test_an_allowed_move_sets_the_status():
    thing = _Thing("open")
    thing.move_to("closed", lambda: _MoveRefused("x"))
    assert thing.status == "closed"
    assert TransitionsMixin.move_to.alters_data is True


class _Logged(AppendOnlyModel):
    text = models.TextField()

    class Meta:
        app_label = "tests_kernel"  # not installed: no table, no migration
        managed = False


def test_a_logged_record_refuses_to_be_saved_again():
    record = _Logged(pk=1, text="Loggad")
    record._state.adding = False  # as when read from the database
    with pytest.raises(RecordLockedError, match="cannot be changed"):
        record.save()


def test_a_logged_record_refuses_to_be_deleted_one_by_one():
    with pytest.raises(RecordLockedError, match="public record"):
        _Logged(pk=1, text="Loggad").delete()
    assert AppendOnlyModel.save.alters_data is True
    assert AppendOnlyModel.delete.alters_data is True


def test_the_error_is_a_value_error_for_callers_that_catch_that():
    assert issubclass(RecordLockedError, ValueError)


def test_every_public_record_uses_the_base():
    append_only = {
        model._meta.label for model in apps.get_models() if issubclass(model, AppendOnlyModel)
    }
    assert {
        "moderation.Post",
        "moderation.PostCorrection",
        "moderation.ModerationAction",
        "activity_plans.PlanRevision",
        "activity_plans.Decision",
    } <= append_only
    with_transitions = {
        model._meta.label for model in apps.get_models() if issubclass(model, TransitionsMixin)
    }
    assert {
        "channels_registry.SocialAccount",
        "activity_plans.ActivityPlan",
        "moderation.Question",
        "archive.PurgeEntry",
    } <= with_transitions


def test_a_url_column_reads_an_address_without_scheme_as_https():
    from django import forms

    from channels_registry.models import SocialAccount

    column = SocialAccount._meta.get_field("url")
    assert column.formfield().clean("www.facebook.com/norakommun") == (
        "https://www.facebook.com/norakommun"
    )
    # A caller's own form class (the admin's overrides do this) still works.
    assert isinstance(column.formfield(form_class=forms.CharField), forms.CharField)


# --- The service error and its form helper --------------------------------------

from django import forms as django_forms  # noqa: E402

from nora_social.core import records  # noqa: E402
from nora_social.core.errors import ServiceError, add_to_form  # noqa: E402


class _NameForm(django_forms.Form):
    name = django_forms.CharField(required=False)


def test_a_refusal_puts_each_reason_next_to_its_field_and_the_rest_on_the_form():
    form = _NameForm(data={"name": "x"})
    assert form.is_valid()
    refusal = ServiceError(
        "Kunde inte sparas.", {"name": ["Namnet är upptaget."], "missing": ["Fel i annat."]}
    )
    add_to_form(form, refusal)
    assert form.errors["name"] == ["Namnet är upptaget."]
    assert form.non_field_errors() == ["Fel i annat."]


def test_a_refusal_without_reasons_shows_its_message_on_the_form():
    form = _NameForm(data={})
    form.is_valid()
    add_to_form(form, ServiceError("Bara registrator får göra det."))
    assert form.non_field_errors() == ["Bara registrator får göra det."]


def test_a_bare_list_of_reasons_concerns_the_whole_form():
    refusal = ServiceError("Nej.", ["Ett.", "Två."])
    assert refusal.errors == {"": ["Ett.", "Två."]}
    assert refusal.messages == ["Ett.", "Två."]
    assert str(refusal) == "Nej."


# --- The record-kind registry ------------------------------------------------------


def test_a_kind_registered_again_replaces_the_first_and_can_be_removed():
    first = records.RecordKind(label="tests.Nothing", name="Inget", date_field="made_at")
    second = records.RecordKind(label="tests.Nothing", name="Inget alls", date_field="made_at")
    try:
        records.register(first)
        records.register(second)
        assert records.get("tests.Nothing") is second
        assert ("tests.Nothing", "Inget alls") in records.disposable_choices()
    finally:
        records.unregister("tests.Nothing")
    assert records.get("tests.Nothing") is None


# --- The task base ---------------------------------------------------------------


def test_a_task_on_the_base_is_acknowledged_late_and_retried_until_it_succeeds():
    from celery import shared_task

    from nora_social.core.tasks import NoraTask

    attempts = []

    @shared_task(base=NoraTask, bind=True, name="tests.flaky", retry_backoff=False)
    def flaky(self):
        attempts.append(self.request.retries)
        if len(attempts) < 3:
            raise ConnectionError("broker away")
        return "done"

    assert flaky.acks_late and flaky.reject_on_worker_lost
    assert flaky.max_retries == 5
    assert flaky.apply().get() == "done"
    assert attempts == [0, 1, 2]


# --- The kinds of record the archive disposes of -------------------------------------

DISPOSED_KINDS = (
    "moderation.ModerationAction",
    "moderation.Question",
    "moderation.Post",
    "activity_plans.ActivityPlan",
    "archive.Snapshot",
)


def _is_dated(kind: records.RecordKind) -> bool:
    """The date a record counts from is a real date column, or an annotation the
    kind adds."""
    model = kind.model
    if kind.dated is not None:
        return kind.date_field in kind.dated(model._default_manager.all()).query.annotations
    column = model._meta.get_field(kind.date_field)
    return isinstance(column, models.DateField) and column.concrete  # DateTimeField is one


@pytest.mark.parametrize("label", DISPOSED_KINDS)
def test_every_kind_the_archive_disposes_of_is_registered(label):
    model = apps.get_model(label)
    kind = records.kind_for(model)
    assert kind is not None, f"{label} is not registered"
    assert records.get(label) is kind
    assert kind in records.disposable()
    assert (label, kind.name) in records.disposable_choices()


def test_each_disposable_kind_is_dated_and_registered_by_its_own_app():
    """Whatever a kind provides comes from the app that owns the records, never
    from the archive deciding for another app."""
    for kind in records.disposable():
        assert _is_dated(kind), f"{kind.label}: {kind.date_field} is no date"
        app = kind.label.split(".")[0]
        provided = [
            value
            for value in vars(kind).values()
            if callable(value) and not isinstance(value, type)
        ]
        assert provided, f"{kind.label} provides nothing"
        for value in provided:
            assert value.__module__.split(".")[0] == app, f"{kind.label}: {value}"
