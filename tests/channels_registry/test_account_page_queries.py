"""The account page asks the database the same number of times whether the
account has two people and no findings or many of both, and whatever the
number of other accounts (issue 7: queries per page constant in the objects)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels_registry import member_services
from channels_registry.models import Finding, SocialAccount
from tests.factories import UserFactory, make_active_account


def _page_queries(client, account) -> tuple[int, str]:
    url = reverse("channels_registry:account_detail", args=[account.pk])
    client.get(url)  # warm: session, permissions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_account_page_query_count_is_the_same_for_few_and_many(
    client_for, info_officer, org, platform
):
    account = make_active_account(unit=org["unit"], platform=platform)
    client = client_for(info_officer)
    few, _body = _page_queries(client, account)

    for i in range(8):
        person = UserFactory(username=f"admin{i}", last_name=f"Administratör{i}", unit=org["unit"])
        member_services.member_add(
            account_id=account.pk,
            actor=info_officer,
            user=person,
            role="admin",
            holds_credentials=bool(i % 2),
        )
    Finding.objects.bulk_create(
        Finding(
            rule_code=f"rule_{i}",
            account=account,
            severity=Finding.Severity.LOW,
            message=f"Brist nummer {i}",
        )
        for i in range(12)
    )
    for _ in range(10):
        make_active_account(unit=org["unit"], platform=platform)
    assert SocialAccount.objects.count() == 11

    many, body = _page_queries(client, account)
    assert "Administratör7" in body and "Brist nummer 11" in body
    assert few == many
