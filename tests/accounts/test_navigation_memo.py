"""The menu asks each shared role question once per page, and nothing outside the
menu ever gets an old answer (nora_social/core/memo.py)."""

import datetime

from django.test import RequestFactory
from django.utils import timezone

from accounts import selectors
from accounts.models import User
from accounts.navigation import navigation_for
from accounts.selectors import is_information_officer_or_deputy
from nora_social.core.memo import remembered
from tests.factories import SubstituteFactory


def test_outside_the_menu_a_new_deputy_is_seen_at_once(staff):
    assert not is_information_officer_or_deputy(staff)
    SubstituteFactory(scope="role", role="kommunchef", person=staff)
    assert is_information_officer_or_deputy(staff)


def test_inside_a_scope_the_same_question_is_asked_of_the_database_once(
    info_deputy, django_assert_num_queries
):
    with remembered():
        assert is_information_officer_or_deputy(info_deputy)
        again = User.objects.get(pk=info_deputy.pk)  # another instance of the same person
        with django_assert_num_queries(0):
            assert is_information_officer_or_deputy(again)
        # Another day is another question.
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with django_assert_num_queries(1):
            is_information_officer_or_deputy(info_deputy, on=tomorrow)


def test_the_menu_asks_whether_the_deputy_stands_in_for_the_information_officer_once(
    info_deputy, monkeypatch
):
    asked = []
    real = selectors.role_deputies
    monkeypatch.setattr(
        selectors, "role_deputies", lambda *a, **kw: asked.append(a) or real(*a, **kw)
    )
    request = RequestFactory().get("/")
    request.user = info_deputy
    labels = [item["label"] for item in navigation_for(request)]
    # The deputy sees what the information officer sees (§3) ...
    assert "Begäran om åtkomst" in labels and "Att godkänna" in labels
    # ... and several entries' tests asked the same question, once.
    assert len(asked) == 1
