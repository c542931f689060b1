"""The account's own address (§4, §10): validated on the platform's domains and
the handle, required for activation, a finding when an active account lacks it,
and never an empty link on the public list."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from channels_registry import lifecycle_services, services
from channels_registry.addresses import address_problems, parse_domains
from channels_registry.models import Finding, Platform, SocialAccount
from tests.channels_registry.compliance_support import compliant_account, open_codes, sweep
from tests.factories import PlatformFactory, SocialAccountFactory, make_ready_account

pytestmark = pytest.mark.django_db

LIST = reverse("channels_registry:public_list")
JSON = reverse("channels_registry:public_list_json")
EMBED = reverse("channels_registry:public_embed")


def _problems(url, handle="norakommunnaringsliv", domains=("facebook.com", "fb.com")):
    return [
        p.rule
        for p in address_problems(
            url=url, platform_name="Facebook", domains=list(domains), handle=handle
        )
    ]


# --- The rule itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "handle", "domains"),
    [
        ("https://www.facebook.com/norakommunnaringsliv", "norakommunnaringsliv", ["facebook.com"]),
        ("https://facebook.com/norakommunnaringsliv/", "norakommunnaringsliv", ["facebook.com"]),
        ("https://m.facebook.com/NoraKommunNaringsliv", "norakommunnaringsliv", ["facebook.com"]),
        ("https://www.youtube.com/@norakommunfilm", "norakommunfilm", ["youtube.com"]),
        (
            "https://www.linkedin.com/company/nora-kommun-naringsliv",
            "norakommunnaringsliv",
            ["linkedin.com"],
        ),
        ("https://twitter.com/norakommun_kris", "norakommun_kris", ["x.com", "twitter.com"]),
    ],
)
def test_the_platforms_own_address_to_the_handle_is_valid(url, handle, domains):
    assert _problems(url, handle, domains) == []


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("", "missing"),
        ("http://www.facebook.com/norakommunnaringsliv", "scheme"),
        ("https://www.faceb00k.com/norakommunnaringsliv", "domain"),
        ("https://evilfacebook.com/norakommunnaringsliv", "domain"),
        ("https://facebook.com.evil.se/norakommunnaringsliv", "domain"),
        ("https://www.facebook.com/norakommunkultur", "handle"),
        ("https://www.facebook.com/", "handle"),
        ("https://www.facebook.com/norakommunnaringsliv?ref=abc", "query"),
        ("https://user:pw@www.facebook.com/norakommunnaringsliv", "malformed"),
    ],
)
def test_bad_addresses_are_named_by_what_is_wrong(url, rule):
    assert rule in _problems(url)


def test_messages_are_swedish_and_name_the_domains():
    messages = [
        p.message
        for p in address_problems(
            url="https://example.com/x",
            platform_name="Facebook",
            domains=["facebook.com", "fb.com"],
            handle="norakommun",
        )
    ]
    assert messages == [
        "Adressen måste ligga på Facebook egen domän (facebook.com, fb.com), inte på example.com."
    ]


def test_domains_are_parsed_from_free_text():
    assert parse_domains("https://www.Facebook.com, fb.com\nfb.com") == (
        ["facebook.com", "fb.com"],
        [],
    )
    assert parse_domains("facebook.com inte en domän")[1] == ["inte", "en", "domän"]


def test_known_platforms_have_their_domains_from_the_migration():
    domains = dict(Platform.objects.values_list("slug", "domains"))
    assert domains["facebook"] == "facebook.com fb.com"
    assert domains["x"] == "x.com twitter.com"
    assert domains["linkedin"] == "linkedin.com"
    assert domains["youtube"] == "youtube.com"


# --- Registering the address ----------------------------------------------------------


def _address_url(account):
    return reverse("channels_registry:account_address", args=[account.pk])


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("http://www.facebook.com/{handle}", "Adressen måste börja med https://"),
        ("https://www.instagram.com/{handle}", "Adressen måste ligga på Facebook egen domän"),
        ("https://www.facebook.com/norakommunannat", "Adressen leder inte till användarnamnet"),
    ],
)
def test_bad_address_gives_a_swedish_message_and_saves_nothing(client_for, org, bad, message):
    account = make_ready_account(unit=org["unit"], url="")
    owner = account.members.get(role="owner").user
    history_before = account.history.count()

    response = client_for(owner).post(
        _address_url(account), {"url": bad.format(handle=account.handle)}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    account.refresh_from_db()
    assert account.url == ""
    assert account.history.count() == history_before


def test_the_real_address_is_registered_with_who_did_it(client_for, org):
    account = make_ready_account(unit=org["unit"], url="")
    owner = account.members.get(role="owner").user
    real = f"https://www.facebook.com/{account.handle}"

    response = client_for(owner).post(_address_url(account), {"url": real})

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.url == real
    assert account.history.first().history_user == owner


def test_the_address_page_proposes_the_planned_address(client_for, org):
    account = make_ready_account(unit=org["unit"], url="")
    account.planned_url = f"https://www.facebook.com/{account.handle}"
    account.save()
    owner = account.members.get(role="owner").user

    page = client_for(owner).get(_address_url(account)).content.decode()

    assert f'value="{account.planned_url}"' in page


def test_the_address_page_of_another_units_account_is_not_found(client_for, org, outsider):
    account = make_ready_account(unit=org["unit"], url="")
    assert client_for(outsider).get(_address_url(account)).status_code == 404
    response = client_for(outsider).post(
        _address_url(account), {"url": f"https://www.facebook.com/{account.handle}"}
    )
    assert response.status_code == 404
    account.refresh_from_db()
    assert account.url == ""


# --- Activation ---------------------------------------------------------------------


def test_activation_lists_the_missing_address_among_the_other_preconditions(
    client_for, info_officer, org
):
    account = SocialAccountFactory(unit=org["unit"], url="")
    problems = lifecycle_services.activation_problems(account)
    assert any("Kontots adress saknas" in p for p in problems)
    assert any("Åtkomsten till kontot är inte deponerad" in p for p in problems)

    response = client_for(info_officer).get(
        reverse("channels_registry:account_activate", args=[account.pk])
    )
    assert "Registrera kontots adress" in response.content.decode()


def test_a_ready_account_without_address_is_not_activated(info_officer, org):
    account = make_ready_account(unit=org["unit"], url="")
    with pytest.raises(services.RegistryError) as caught:
        lifecycle_services.account_activate(account_id=account.pk, actor=info_officer)
    assert [p for p in caught.value.messages if "adress" in p]
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.PLANNED


def test_an_address_on_the_wrong_domain_blocks_activation(info_officer, org):
    account = make_ready_account(unit=org["unit"], url="https://www.instagram.com/norakommun")
    with pytest.raises(services.RegistryError) as caught:
        lifecycle_services.account_activate(account_id=account.pk, actor=info_officer)
    assert any("egen domän" in p for p in caught.value.messages)


def test_an_active_accounts_address_cannot_be_cleared(info_officer, org):
    account = make_ready_account(unit=org["unit"])
    lifecycle_services.account_activate(account_id=account.pk, actor=info_officer)
    with pytest.raises(services.RegistryError):
        services.account_update(account_id=account.pk, actor=info_officer, changes={"url": ""})
    account.refresh_from_db()
    assert account.url


def test_platform_domains_cannot_change_under_an_active_account(info_officer, org, platform):
    account = make_ready_account(unit=org["unit"], platform=platform)
    lifecycle_services.account_activate(account_id=account.pk, actor=info_officer)
    with pytest.raises(services.RegistryError) as caught:
        services.platform_save(
            actor=info_officer, values={"domains": "meta.com"}, platform_id=platform.pk
        )
    assert account.display_name in " ".join(caught.value.messages)
    platform.refresh_from_db()
    assert "facebook.com" in platform.domain_list


def test_a_platforms_domains_are_saved_normalised(info_officer, org):
    platform = PlatformFactory(slug="mastodon", name="Mastodon", domains="")
    services.platform_save(
        actor=info_officer,
        values={"domains": "https://www.Mastodon.social, mastodon.social"},
        platform_id=platform.pk,
    )
    platform.refresh_from_db()
    assert platform.domains == "mastodon.social"


# --- The compliance rule ---------------------------------------------------------------


def test_an_active_account_without_a_valid_address_is_a_finding(org, staff, colleague, platform):
    account = compliant_account(org["unit"], staff, colleague, platform)
    sweep()
    assert open_codes(account) == set()

    SocialAccount.objects.filter(pk=account.pk).update(url="http://facebook.com/x")
    sweep()
    finding = Finding.objects.get(account=account, rule_code="account_address")
    assert finding.severity == Finding.Severity.HIGH
    assert "https://" in finding.message
    assert "visas inte i den publika förteckningen" in finding.message

    SocialAccount.objects.filter(pk=account.pk).update(
        url=f"https://www.facebook.com/{account.handle}"
    )
    sweep()
    finding.refresh_from_db()
    assert finding.resolved_at is not None


def test_the_rule_is_registered_with_its_policy_sections():
    from channels_registry.compliance.engine import get_rule

    current = get_rule("account_address")
    assert current is not None
    assert current.policy_section == "§4, §10"


# --- The public list ------------------------------------------------------------------


def test_a_published_row_always_links_to_the_account(org, staff, colleague, platform):
    good = compliant_account(org["unit"], staff, colleague, platform)
    broken = compliant_account(org["unit"], staff, colleague, platform)
    SocialAccount.objects.filter(pk=broken.pk).update(url="")
    wrong = compliant_account(org["unit"], staff, colleague, platform)
    SocialAccount.objects.filter(pk=wrong.pk).update(url="https://faceboook.com/" + wrong.handle)

    page = Client().get(LIST).content.decode()
    embed = Client().get(EMBED).content.decode()
    data = Client().get(JSON).json()

    listed = [a for g in data["administrations"] for a in g["accounts"]]
    assert [a["id"] for a in listed] == [good.pk]
    assert listed[0]["url"] == good.url
    assert all(a["url"].startswith("https://") for a in listed)
    for body in (page, embed):
        assert f'href="{good.url}"' in body
        assert broken.display_name not in body
        assert wrong.display_name not in body
        assert "faceboook" not in body
    assert broken.display_name not in json.dumps(data, ensure_ascii=False)


def test_an_already_broken_account_does_not_block_adding_a_domain(info_officer, org, platform):
    account = make_ready_account(unit=org["unit"], platform=platform)
    lifecycle_services.account_activate(account_id=account.pk, actor=info_officer)
    SocialAccount.objects.filter(pk=account.pk).update(url="")
    services.platform_save(
        actor=info_officer,
        values={"domains": "facebook.com fb.com fb.me"},
        platform_id=platform.pk,
    )
    platform.refresh_from_db()
    assert platform.domain_list == ["facebook.com", "fb.com", "fb.me"]
