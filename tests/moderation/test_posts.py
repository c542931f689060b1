"""The municipality's own posts (§3), their open corrections (§5) and
withdrawal (§10)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.categories import Category
from moderation.models import ModerationAction, PostCorrection

pytestmark = pytest.mark.django_db


def _post(account, actor, author=None, **kw):
    return services.post_log(
        account_id=account.pk,
        actor=actor,
        author=author or actor,
        published_at=kw.pop("published_at", timezone.now() - datetime.timedelta(hours=1)),
        text=kw.pop("text", "Nu öppnar simhallen igen."),
        **kw,
    )


def test_post_is_logged_with_its_author(account, staff, colleague):
    post = _post(account, staff, author=colleague, link="https://www.facebook.com/norakommun/1")
    assert post.author == colleague
    assert post.logged_by == staff
    assert post.history.count() == 1


def test_author_must_be_someone_who_administers_the_account(account, staff, outsider):
    with pytest.raises(services.ModerationError) as exc:
        _post(account, staff, author=outsider)
    assert "author" in exc.value.errors


def test_post_in_the_future_is_refused(account, staff):
    with pytest.raises(services.ModerationError) as exc:
        _post(account, staff, published_at=timezone.now() + datetime.timedelta(days=2))
    assert "published_at" in exc.value.errors


def test_planned_account_has_nothing_to_log(account, staff):
    account.status = "planned"
    account.save()
    with pytest.raises(services.ModerationError):
        _post(account, staff)


def test_correction_is_linked_to_the_post_and_says_what_was_wrong(account, staff):
    post = _post(account, staff, text="Simhallen öppnar måndag.")
    correction = services.post_correct(
        post_id=post.pk,
        actor=staff,
        what_was_wrong="Fel dag.",
        correction_text="Rättelse: simhallen öppnar tisdag.",
        corrected_at=timezone.now(),
    )
    assert correction.post == post
    post.refresh_from_db()
    assert post.text == "Simhallen öppnar måndag."
    assert list(post.corrections.all()) == [correction]


def test_correction_without_saying_what_was_wrong_is_refused(account, staff):
    post = _post(account, staff)
    with pytest.raises(services.ModerationError) as exc:
        services.post_correct(
            post_id=post.pk,
            actor=staff,
            what_was_wrong=" ",
            correction_text="Rätt",
            corrected_at=timezone.now(),
        )
    assert "what_was_wrong" in exc.value.errors
    assert not PostCorrection.objects.exists()


def test_correction_before_the_post_is_refused(account, staff):
    post = _post(account, staff)
    with pytest.raises(services.ModerationError) as exc:
        services.post_correct(
            post_id=post.pk,
            actor=staff,
            what_was_wrong="Fel",
            correction_text="Rätt",
            corrected_at=post.published_at - datetime.timedelta(hours=1),
        )
    assert "corrected_at" in exc.value.errors


def test_withdrawal_is_logged_like_a_removal_with_the_post_preserved(account, staff):
    post = _post(account, staff, text="Vägarbete hela veckan.")
    record = services.post_withdraw(
        post_id=post.pk, actor=staff, action="unpublished", reason="Inte längre aktuellt."
    )
    assert record.origin == ModerationAction.Origin.OWN_POST
    assert record.category == Category.INAKTUELLT
    assert record.post == post
    assert record.content_text == "Vägarbete hela veckan."
    assert record.content_posted_at == post.published_at
    with pytest.raises(services.ModerationError):
        services.post_withdraw(post_id=post.pk, actor=staff, action="deleted", reason="igen")


def test_post_form_logs_and_shows_the_post(account, staff, client_for):
    client = client_for(staff)
    response = client.post(
        reverse("moderation:post_create", args=[account.pk]),
        {
            "author": staff.pk,
            "published_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "text": "Välkommen till höstmarknaden!",
            "link": "",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Välkommen till höstmarknaden!" in page.content.decode()


def test_post_form_with_empty_text_shows_error_and_saves_nothing(account, staff, client_for):
    response = client_for(staff).post(
        reverse("moderation:post_create", args=[account.pk]),
        {"author": staff.pk, "published_at": "", "text": ""},
    )
    assert response.status_code == 400
    assert not account.posts.exists()
