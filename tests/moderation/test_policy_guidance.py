"""§6 where it matters: the moderation form quotes the policy's own words on
freedom of expression and links to the section."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_action_form_quotes_section_6_of_the_current_policy(client_for, staff, account):
    page = client_for(staff).get(reverse("moderation:action_create", args=[account.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Kritik är inte ett skäl." in body
    assert '<blockquote class="policy-quote" cite="/policy/#avsnitt-6">' in body
    assert "Var och en är i sin fulla rätt att ge uttryck för både positiva och negativa" in body
    assert '<a class="policy-ref" href="/policy/#avsnitt-6">§6</a> Yttrandefrihet' in body


@pytest.mark.no_policy
def test_without_a_published_policy_the_form_keeps_its_own_summary(client_for, staff, account):
    body = client_for(staff).get(reverse("moderation:action_create", args=[account.pk])).content
    assert "Kritik är inte ett skäl." in body.decode()
    assert b"policy-quote" not in body
