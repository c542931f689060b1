"""Removed and unpublished content, posts and corrections are public records:
never edited once logged; a correction is a new entry pointing to the old."""

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.categories import Category
from moderation.models import ModerationAction, Post, RecordLockedError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _action(account, actor, **overrides):
    values = dict(
        action="deleted",
        origin="citizen",
        category=Category.KRANKANDE,
        reason="Kränkande om en namngiven person.",
        content_author="Arg Användare",
        content_text="Ursprunglig text",
    )
    values.update(overrides)
    return services.action_log(
        account_id=account.pk, actor=actor, data=services.ActionData(**values)
    )


def test_logged_action_cannot_be_saved_again(account, staff):
    record = _action(account, staff)
    record.reason = "Ändrad i efterhand"
    with pytest.raises(RecordLockedError):
        record.save()
    record.refresh_from_db()
    assert record.reason == "Kränkande om en namngiven person."


def test_logged_action_cannot_be_deleted_one_by_one(account, staff):
    record = _action(account, staff)
    with pytest.raises(RecordLockedError):
        record.delete()
    assert ModerationAction.objects.filter(pk=record.pk).exists()


def test_logged_post_cannot_be_edited(account, staff):
    post = services.post_log(
        account_id=account.pk,
        actor=staff,
        author=staff,
        published_at=timezone.now(),
        text="Original",
    )
    post.text = "Ändrad"
    with pytest.raises(RecordLockedError):
        post.save()
    assert Post.objects.get(pk=post.pk).text == "Original"


def test_correction_is_a_new_entry_pointing_to_the_old_one(account, staff):
    old = _action(account, staff)
    new = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(
            action="deleted",
            origin="citizen",
            category=Category.PERSONANGREPP,
            reason="Personangrepp på en handläggare.",
            content_text="Ursprunglig text",
        ),
        supersedes_id=old.pk,
        correction_note="Fel kategori: det var ett personangrepp.",
    )
    old.refresh_from_db()
    assert new.supersedes == old
    assert old.superseded_by == new
    assert old.category == Category.KRANKANDE
    assert old.reason == "Kränkande om en namngiven person."


def test_correction_must_say_what_was_wrong(account, staff):
    old = _action(account, staff)
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk,
            actor=staff,
            data=services.ActionData(
                action="deleted", origin="citizen", category="reklam", reason="x", content_text="y"
            ),
            supersedes_id=old.pk,
        )
    assert "correction_note" in exc.value.errors


def test_an_entry_is_corrected_only_once(account, staff):
    old = _action(account, staff)
    kwargs = dict(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(
            action="deleted", origin="citizen", category="reklam", reason="x", content_text="y"
        ),
        supersedes_id=old.pk,
        correction_note="Fel kategori.",
    )
    services.action_log(**kwargs)
    with pytest.raises(services.ModerationError):
        services.action_log(**kwargs)
    assert ModerationAction.objects.count() == 2


def test_correction_keeps_the_earlier_screenshot(account, staff, png):
    old = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(action="deleted", origin="citizen", category="reklam", reason="x"),
        screenshot=png,
    )
    new = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(action="hidden", origin="citizen", category="reklam", reason="x"),
        supersedes_id=old.pk,
        correction_note="Det doldes, raderades inte.",
    )
    assert new.screenshot.name == old.screenshot.name
    assert new.screenshot_type == "image/png"


def test_correction_form_page_posts_a_new_entry(account, staff, client_for):
    old = _action(account, staff)
    response = client_for(staff).post(
        reverse("moderation:action_correct", args=[old.pk]),
        {
            "correction_note": "Fel avsändare.",
            "action": "deleted",
            "origin": "citizen",
            "category": "krankande",
            "reason": old.reason,
            "content_author": "Rätt Användare",
            "content_text": old.content_text,
        },
    )
    assert response.status_code == 302
    assert ModerationAction.objects.get(supersedes=old).content_author == "Rätt Användare"
    old.refresh_from_db()
    assert old.content_author == "Arg Användare"


def test_admin_cannot_change_or_delete_a_logged_record(account, staff, client_for):
    record = _action(account, staff)
    superuser = UserFactory(username="admin", is_staff=True, is_superuser=True)
    superuser.save()  # the factory leaves the password hash unsaved without roles
    client = client_for(superuser)
    change = reverse("admin:moderation_moderationaction_change", args=[record.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="reason"' not in page.content  # read-only view
    assert client.post(change, {"reason": "Ändrad"}).status_code == 403
    delete = reverse("admin:moderation_moderationaction_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.reason == "Kränkande om en namngiven person."
