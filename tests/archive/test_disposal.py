"""Disposal (gallring) under a retention decision: what is due goes with its
history rows, register entry and files; a held record stays; the entry says what
went and keeps no content."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.disposal import selectors as disposal_selectors
from archive.disposal import services as disposal
from archive.models import (
    DisposalEntry,
    DisposedRecord,
    Document,
    Hold,
    RetentionDecision,
)
from archive.register import services
from moderation.models import ModerationAction
from moderation.services import ActionData, action_log
from tests.archive.conftest import corrected, removed_comment, retention_decision
from tests.moderation.conftest import upload

pytestmark = pytest.mark.django_db


def age(record, *, years: int, days: int = 10) -> None:
    """Move a logged record back in time (test set-up; the model refuses saves)."""
    moment = timezone.now() - datetime.timedelta(days=365 * years + days)
    type(record).objects.filter(pk=record.pk).update(logged_at=moment)


decision = retention_decision


def with_screenshot(account, actor, text):
    posted = timezone.now() - datetime.timedelta(days=2)
    return action_log(
        account_id=account.pk,
        actor=actor,
        data=ActionData(
            action="hidden",
            origin="citizen",
            category="personangrepp",
            reason="Personangrepp.",
            content_author="Greta",
            content_text=text,
            content_posted_at=posted,
            captured_at=posted,
        ),
        screenshot=upload(),
    )


def test_disposal_removes_record_history_register_entry_and_file_and_leaves_the_entry(
    account, staff, registrar, django_capture_on_commit_callbacks
):
    old = with_screenshot(account, staff, "Gammalt hot mot handläggaren")
    services.register_record(record=old, actor=registrar)
    reference = Document.objects.get().reference
    age(old, years=3)
    recent = removed_comment(account, staff, text="Nytt inlägg om parkering")
    storage = old.screenshot.storage
    name = old.screenshot.name
    assert storage.exists(name)
    assert ModerationAction.history.filter(id=old.pk).exists()
    rule = decision(registrar)

    preview = disposal_selectors.disposal_preview(decision=rule)
    assert [item.record.pk for item in preview.due] == [old.pk]

    with django_capture_on_commit_callbacks(execute=True):
        entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar, expected_ids=[old.pk])

    assert not ModerationAction.objects.filter(pk=old.pk).exists()
    assert not ModerationAction.history.filter(id=old.pk).exists()
    assert not Document.objects.exists()
    assert not Document.history.exists()
    assert not storage.exists(name)
    assert ModerationAction.objects.filter(pk=recent.pk).exists()
    assert ModerationAction.history.filter(id=recent.pk).exists()

    entry = DisposalEntry.objects.get(pk=entry.pk)
    assert (entry.record_count, entry.file_count, entry.decision, entry.performed_by) == (
        1,
        1,
        rule,
        registrar,
    )
    assert entry.history_row_count >= 2  # the record's and its register entry's
    gone = DisposedRecord.objects.get()
    assert (gone.record_id, gone.reference) == (old.pk, reference)
    # No content is kept in what is left.
    kept = " ".join(str(v) for v in DisposedRecord.objects.values().get().values())
    assert "hot" not in kept and "Greta" not in kept


def test_held_record_stays_and_is_counted(account, other_account, staff, outsider, registrar):
    held = removed_comment(account, staff, text="Kommentar som begärts ut")
    on_held_account = removed_comment(other_account, outsider, text="Svar till skolan")
    free = removed_comment(account, staff, text="Reklam för klockor")
    for record in (held, on_held_account, free):
        age(record, years=5)
    disposal.hold_place(
        actor=registrar,
        kind=Hold.Kind.RECORDS_REQUEST,
        reference="KS 2026/31",
        record_type="moderation.ModerationAction",
        record_id=held.pk,
    )
    disposal.hold_place(
        actor=registrar, kind=Hold.Kind.APPEAL, reference="BUN 2026/4", account=other_account
    )
    rule = decision(registrar)

    preview = disposal_selectors.disposal_preview(decision=rule)
    assert [i.record.pk for i in preview.due] == [free.pk]
    assert {i.record.pk for i in preview.held} == {held.pk, on_held_account.pk}

    entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar)
    assert entry.record_count == 1
    assert entry.skipped_held == 2
    assert set(ModerationAction.objects.values_list("pk", flat=True)) == {
        held.pk,
        on_held_account.pk,
    }


def test_a_lifted_hold_no_longer_stops_disposal(account, staff, registrar):
    record = removed_comment(account, staff, text="Kommentar")
    age(record, years=5)
    hold = disposal.hold_place(
        actor=registrar,
        kind=Hold.Kind.APPEAL,
        reference="KS 2026/40",
        record_type="moderation.ModerationAction",
        record_id=record.pk,
    )
    rule = decision(registrar)
    assert disposal_selectors.disposal_preview(decision=rule).due == []
    lifted = disposal.hold_lift(hold_id=hold.pk, actor=registrar)
    assert lifted.history.first().history_user == registrar
    assert [i.record.pk for i in disposal_selectors.disposal_preview(decision=rule).due] == [
        record.pk
    ]


def test_run_removes_only_what_the_preview_showed(account, staff, registrar):
    shown = removed_comment(account, staff, text="Visad i förhandsvisningen")
    later = removed_comment(account, staff, text="Blev gallringsbar efteråt")
    age(shown, years=3)
    age(later, years=3)
    rule = decision(registrar)
    entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar, expected_ids=[shown.pk])
    assert entry.record_count == 1
    assert ModerationAction.objects.filter(pk=later.pk).exists()


def test_a_record_not_yet_due_is_not_disposed(account, staff, registrar):
    young = removed_comment(account, staff, text="Ett år gammal")
    age(young, years=1)
    rule = decision(registrar, years=2)
    with pytest.raises(services.ArchiveError):
        disposal.disposal_run(decision_id=rule.pk, actor=registrar)
    assert ModerationAction.objects.filter(pk=young.pk).exists()
    assert not DisposalEntry.objects.exists()


def test_keep_decision_disposes_nothing(account, staff, registrar):
    record = removed_comment(account, staff, text="Bevaras")
    age(record, years=10)
    rule = decision(registrar, rule=RetentionDecision.Rule.KEEP, years=None)
    assert disposal_selectors.disposal_preview(decision=rule).due == []
    with pytest.raises(services.ArchiveError):
        disposal.disposal_run(decision_id=rule.pk, actor=registrar)
    assert ModerationAction.objects.filter(pk=record.pk).exists()


def test_a_corrected_entry_and_its_correction_go_together_when_both_are_due(
    account, staff, registrar, django_capture_on_commit_callbacks
):
    first = with_screenshot(account, staff, "Första versionen")
    second = corrected(first, staff, reason="Personangrepp, rättad.", note="Fel motivering")
    # The correction kept the first screenshot: the file is shared.
    assert second.screenshot.name == first.screenshot.name
    age(first, years=4)
    rule = decision(registrar)
    with django_capture_on_commit_callbacks(execute=True):
        entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar)
    # The first is due but a later correction still points to it: it waits.
    assert entry.record_count == 0
    assert first.screenshot.storage.exists(first.screenshot.name)
    age(second, years=4)
    with django_capture_on_commit_callbacks(execute=True):
        entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar)
    assert entry.record_count == 2
    assert entry.file_count == 1
    assert not ModerationAction.objects.exists()
    assert not first.screenshot.storage.exists(first.screenshot.name)


def test_not_current_rule_disposes_superseded_entries_only(account, staff, registrar):
    first = removed_comment(account, staff, text="Ursprunglig")
    rule = decision(registrar, rule=RetentionDecision.Rule.NOT_CURRENT, years=None)
    assert disposal_selectors.disposal_preview(decision=rule).due == []
    action_log(
        account_id=account.pk,
        actor=staff,
        data=ActionData(
            action="deleted",
            origin="citizen",
            category="personangrepp",
            reason="Rättad",
            content_author="Greta",
            content_text="Ursprunglig",
        ),
        supersedes_id=first.pk,
        correction_note="Fel åtgärd",
    )
    assert [i.record.pk for i in disposal_selectors.disposal_preview(decision=rule).due] == [
        first.pk
    ]


def test_questions_are_disposed_only_when_answered(account, staff, registrar):
    from moderation.models import Question
    from moderation.questions import question_answer, question_log

    asked = question_log(
        account_id=account.pk,
        actor=staff,
        received_at=timezone.now() - datetime.timedelta(hours=3),
        asker="Bo",
        text="När öppnar badet?",
    )
    answered = question_log(
        account_id=account.pk,
        actor=staff,
        received_at=timezone.now() - datetime.timedelta(hours=2),
        asker="Bo",
        text="Var ligger biblioteket?",
    )
    question_answer(question_id=answered.pk, actor=staff, answer="På torget.")
    old = timezone.now() - datetime.timedelta(days=365 * 3)
    Question.objects.filter(pk__in=[asked.pk, answered.pk]).update(received_at=old)
    rule = decision(registrar, record_type="moderation.Question")
    entry = disposal.disposal_run(decision_id=rule.pk, actor=registrar)
    assert entry.record_count == 1
    assert list(Question.objects.values_list("pk", flat=True)) == [asked.pk]
    assert not Question.history.filter(id=answered.pk).exists()


def test_only_the_registrar_records_decisions_and_disposes(account, staff, registrar, info_officer):
    record = removed_comment(account, staff, text="Kommentar")
    age(record, years=3)
    with pytest.raises(services.ArchiveError):
        decision(info_officer)
    rule = decision(registrar)
    for person in (staff, info_officer):
        with pytest.raises(services.ArchiveError):
            disposal.disposal_run(decision_id=rule.pk, actor=person)
        with pytest.raises(services.ArchiveError):
            disposal.hold_place(
                actor=person, kind=Hold.Kind.APPEAL, reference="KS 1", account=account
            )
    assert ModerationAction.objects.filter(pk=record.pk).exists()


def test_decision_problems_are_swedish_per_field(registrar):
    with pytest.raises(services.ArchiveError) as caught:
        disposal.decision_record(
            actor=registrar,
            data=disposal.DecisionData(
                record_type="auth.User",
                rule=RetentionDecision.Rule.AFTER_YEARS,
                years=None,
                decided_by_body=" ",
                decided_on=timezone.localdate() + datetime.timedelta(days=3),
                plan_paragraph="",
            ),
        )
    assert set(caught.value.errors) == {
        "record_type",
        "years",
        "decided_by_body",
        "decided_on",
        "plan_paragraph",
    }
    assert not RetentionDecision.objects.exists()


def test_decision_has_history_with_who(registrar):
    rule = decision(registrar)
    assert rule.history.get().history_user == registrar


def test_notices_leading_to_disposed_records_go_with_them(
    account, staff, colleague, registrar, django_capture_on_commit_callbacks
):
    """An escalated threat and a forwarded question each told someone in the
    app; once disposed of, no notice names them or leads to them. Notices about
    records that stay are kept."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import Notification
    from moderation.models import Escalation, Question
    from moderation.questions import question_answer, question_forward, question_log

    threat = removed_comment(
        account, staff, text="Ett hot", category="olaga_hot", screenshot=upload()
    )
    recent = removed_comment(account, staff, text="Nytt hot")
    escalation_url = reverse("moderation:escalation_detail", args=[threat.escalation.pk])
    escalation_id = threat.escalation.pk
    assert Notification.objects.get(url=escalation_url).about == threat.escalation

    questions = [
        question_log(
            account_id=account.pk,
            actor=staff,
            received_at=timezone.now() - datetime.timedelta(hours=2),
            asker="Bo Boström",
            text=text,
        )
        for text in ("Var ligger biblioteket?", "När öppnar badet?")
    ]
    for question in questions:
        question_forward(question_id=question.pk, actor=staff, to=colleague)
    question_answer(question_id=questions[0].pk, actor=colleague, answer="På torget.")
    gone_url, kept_url = (reverse("moderation:question_detail", args=[q.pk]) for q in questions)
    assert Notification.objects.filter(url=gone_url, recipient=colleague).exists()

    age(threat, years=3)
    Question.objects.filter(pk=questions[0].pk).update(
        received_at=timezone.now() - datetime.timedelta(days=365 * 3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        disposal.disposal_run(decision_id=decision(registrar).pk, actor=registrar)
        disposal.disposal_run(
            decision_id=decision(registrar, record_type="moderation.Question").pk,
            actor=registrar,
        )

    assert not Escalation.objects.filter(action_id=threat.pk).exists()
    assert not Escalation.history.filter(id=escalation_id).exists()
    assert not Escalation.notified.through.objects.filter(escalation_id=escalation_id).exists()
    assert not Notification.objects.filter(url__in=[escalation_url, gone_url]).exists()
    for gone in (Escalation(pk=escalation_id), questions[0]):
        about = {"about_type": ContentType.objects.get_for_model(gone), "about_id": gone.pk}
        assert not Notification.objects.filter(**about).exists()
    assert Notification.objects.get(url=kept_url).about == questions[1]
    assert ModerationAction.objects.filter(pk=recent.pk).exists()


def test_a_post_that_a_correction_replaced_goes_with_its_correction(account, staff, registrar):
    """A post is no longer current once corrected (§5): disposal takes it with its
    correction and both history rows; a post never corrected stays."""
    from moderation.models import Post, PostCorrection
    from moderation.services import post_correct, post_log

    published = timezone.now() - datetime.timedelta(days=3)
    wrong, right = (
        post_log(account_id=account.pk, actor=staff, author=staff, published_at=published, text=t)
        for t in ("Badet öppnar 1 juni.", "Biblioteket har öppet i sommar.")
    )
    correction = post_correct(
        post_id=wrong.pk,
        actor=staff,
        what_was_wrong="Fel datum.",
        correction_text="Badet öppnar 10 juni.",
        corrected_at=published + datetime.timedelta(hours=2),
    )
    rule = decision(
        registrar, "moderation.Post", rule=RetentionDecision.Rule.NOT_CURRENT, years=None
    )

    assert [item.record.pk for item in disposal_selectors.disposal_preview(decision=rule).due] == [
        wrong.pk
    ]
    disposal.disposal_run(decision_id=rule.pk, actor=registrar)

    assert list(Post.objects.values_list("pk", flat=True)) == [right.pk]
    assert not PostCorrection.objects.filter(pk=correction.pk).exists()
    assert not PostCorrection.history.filter(id=correction.pk).exists()
    assert not Post.history.filter(id=wrong.pk).exists()
