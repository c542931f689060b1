"""§4 naming rules: "Nora kommun" in the name, "norakommun" in the handle, no
abbreviations, no duplicate handle on a platform; the information officer's override."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from channels_registry import lifecycle_services, services
from channels_registry.member_services import _grant_object_perms
from channels_registry.models import SocialAccount
from tests.factories import MemberFactory, SocialAccountFactory, UserFactory, account_address


def _problems(platform, name, handle):
    return services.name_problems(platform=platform, display_name=name, handle=handle)


def _data(platform, unit, **kwargs):
    values = {
        "platform": platform,
        "display_name": "Nora kommun Kultur",
        "handle": "norakommunkultur",
        "unit": unit,
        "purpose": "Kultur i Nora.",
        "contact": "kultur@nora.se",
        "update_frequency_text": "Varje vecka",
        "response_time_text": "Inom en arbetsdag",
    }
    values.update(kwargs)
    return services.AccountData(**values)


def test_a_name_that_follows_the_rules_has_no_problems(platform, blocklist):
    assert _problems(platform, "Nora kommun Näringsliv", "norakommunnaringsliv") == []


def test_separators_are_allowed_in_the_handle(platform, blocklist):
    assert _problems(platform, "Nora  Kommun – Kultur", "nora_kommun.kultur") == []


def test_display_name_without_nora_kommun_is_refused(platform, blocklist):
    assert _problems(platform, "Kulturen i Nora", "norakommunkultur") == [
        'Visningsnamnet måste innehålla "Nora kommun" (§4).'
    ]


def test_handle_without_norakommun_is_refused(platform, blocklist):
    problems = _problems(platform, "Nora kommun Kultur", "norakultur")
    assert problems == [
        'Användarnamnet måste innehålla "norakommun", t.ex. norakommunnaringsliv (§4).'
    ]


def test_blocked_abbreviation_is_refused_in_handle_and_name(platform, blocklist):
    problems = _problems(platform, "Nora kommun NoraKm", "norakommun_norakm")
    assert 'Förkortningen "norakm" får inte användas (§4: inga förkortningar).' in problems


def test_duplicate_handle_on_the_same_platform_is_refused(platform, blocklist):
    SocialAccountFactory(platform=platform, handle="norakommunkultur")
    assert "Användarnamnet finns redan registrerat på den här plattformen." in _problems(
        platform, "Nora kommun Kultur", "nora.kommun.kultur"
    )


def test_same_handle_on_another_platform_is_allowed(platform, instagram, blocklist):
    SocialAccountFactory(platform=platform, handle="norakommunkultur")
    assert _problems(instagram, "Nora kommun Kultur", "norakommunkultur") == []


def test_a_closed_accounts_handle_may_be_used_again(platform, blocklist):
    SocialAccountFactory(
        platform=platform, handle="norakommunkultur", status=SocialAccount.Status.CLOSED
    )
    assert _problems(platform, "Nora kommun Kultur", "norakommunkultur") == []


def test_registration_with_a_broken_name_is_refused_with_every_reason(
    org, info_officer, platform, blocklist
):
    with pytest.raises(services.RegistryError) as refused:
        services.account_register(
            actor=info_officer,
            data=_data(platform, org["unit"], display_name="Norakm", handle="norakm"),
            is_pre_existing=True,
        )
    assert len(refused.value.messages) == 3
    assert not SocialAccount.objects.exists()


def test_information_officer_overrides_with_a_recorded_reason(
    org, info_officer, platform, blocklist
):
    account = services.account_register(
        actor=info_officer,
        data=_data(platform, org["unit"], display_name="Kulturhuset"),
        is_pre_existing=True,
        override_reason="Känt namn sedan länge.",
    )
    assert account.naming_override_by == info_officer
    assert account.naming_override_at is not None
    assert lifecycle_services.activation_problems(account)  # people etc., but not the name
    assert not any("Visningsnamnet" in p for p in lifecycle_services.activation_problems(account))


def test_no_override_by_someone_who_may_register_but_not_override(org, platform, blocklist):
    from django.contrib.auth.models import Permission

    registrar_of_accounts = UserFactory()
    registrar_of_accounts.user_permissions.add(Permission.objects.get(codename="register_account"))
    with pytest.raises(services.RegistryError) as refused:
        services.account_register(
            actor=registrar_of_accounts,
            data=_data(platform, org["unit"], display_name="Kulturhuset"),
            is_pre_existing=True,
            override_reason="Jag tycker det.",
        )
    assert "Bara informationsansvarig" in refused.value.message
    assert not SocialAccount.objects.exists()


def test_no_naming_override_service_call_by_a_manager(org, manager, platform):
    account = SocialAccountFactory(unit=org["unit"], platform=platform, display_name="Kultur")
    with pytest.raises(services.RegistryError):
        services.naming_override(account_id=account.pk, actor=manager, reason="Bra namn.")
    account.refresh_from_db()
    assert account.naming_override_reason == ""


# --- The override page ------------------------------------------------------------------


@pytest.fixture
def badly_named(org, platform, blocklist):
    return SocialAccountFactory(
        unit=org["unit"], platform=platform, display_name="Kulturen", handle="kulturen"
    )


def _url(account):
    return reverse("channels_registry:account_naming_override", args=[account.pk])


def test_override_page_needs_login(client, badly_named):
    assert client.get(_url(badly_named)).status_code == 302


def test_override_page_hides_other_units_accounts(client_for, outsider, badly_named):
    assert client_for(outsider).get(_url(badly_named)).status_code == 404


@pytest.mark.parametrize("persona", ["manager", "head"])
def test_override_page_is_forbidden_to_others_who_see_the_account(
    request, client_for, badly_named, persona
):
    c = client_for(request.getfixturevalue(persona))
    assert c.get(_url(badly_named)).status_code == 403
    assert c.post(_url(badly_named), {"reason": "Bra."}).status_code == 403
    badly_named.refresh_from_db()
    assert badly_named.naming_override_reason == ""


def test_information_officer_records_an_override_on_the_page(client_for, info_officer, badly_named):
    c = client_for(info_officer)
    page = c.get(_url(badly_named))
    assert page.status_code == 200
    assert (
        escape('Visningsnamnet måste innehålla "Nora kommun" (')
        + '<a class="policy-ref" href="/policy/#avsnitt-4">§4</a>).'
    ) in page.content.decode()
    response = c.post(_url(badly_named), {"reason": "Beslut 2026-11-01."})
    assert response.status_code == 302
    badly_named.refresh_from_db()
    assert badly_named.naming_override_reason == "Beslut 2026-11-01."
    assert badly_named.history.first().history_user == info_officer


def test_override_without_a_reason_is_a_400_in_swedish(client_for, info_officer, badly_named):
    response = client_for(info_officer).post(_url(badly_named), {"reason": "  "})
    assert response.status_code == 400
    assert "Ange skälet till undantaget." in response.content.decode()


# --- An exception covers the exact name it was granted for -------------------------------


@pytest.fixture
def excepted(org, info_officer, staff, platform, blocklist):
    """An active account whose name breaks §4, let through by the information officer."""
    account = SocialAccountFactory(
        unit=org["unit"],
        platform=platform,
        display_name="Nora kommun Film",
        handle="norafilm",
        status=SocialAccount.Status.ACTIVE,
    )
    _grant_object_perms(MemberFactory(account=account, user=staff, role="owner"))
    services.naming_override(account_id=account.pk, actor=info_officer, reason="Beslut 2026-11.")
    account.refresh_from_db()
    assert services.naming_exception_covers(account)
    return account


def _edit_values(account, **changes):
    values = {name: getattr(account, name) for name in services.EDITABLE_FIELDS if name != "url"}
    values.update(changes)
    return {k: ("" if v is None else v) for k, v in values.items()}


def test_a_naming_exception_does_not_cover_a_new_name(excepted, staff):
    with pytest.raises(services.RegistryError) as refused:
        services.account_update(
            account_id=excepted.pk,
            actor=staff,
            changes={"display_name": "Billiga klockor 24/7", "handle": "billigaklockor"},
        )
    assert "Nora kommun Film (norafilm)" in refused.value.message
    assert refused.value.errors
    excepted.refresh_from_db()
    assert (excepted.display_name, excepted.handle) == ("Nora kommun Film", "norafilm")


def test_the_owner_cannot_rename_an_excepted_account_on_the_edit_page(client_for, excepted, staff):
    url = reverse("channels_registry:account_edit", args=[excepted.pk])
    response = client_for(staff).post(
        url,
        _edit_values(excepted, display_name="Billiga klockor 24/7", handle="billigaklockor"),
    )
    assert response.status_code == 400
    assert "kräver ett nytt undantag" in response.content.decode()
    excepted.refresh_from_db()
    assert excepted.display_name == "Nora kommun Film"
    assert excepted.naming_override_reason == "Beslut 2026-11."


def test_a_new_handle_alone_asks_again(excepted, staff):
    with pytest.raises(services.RegistryError):
        services.account_update(account_id=excepted.pk, actor=staff, changes={"handle": "film"})
    excepted.refresh_from_db()
    assert excepted.handle == "norafilm"


def test_a_rename_that_follows_the_rules_ends_the_exception(excepted, staff):
    services.account_update(
        account_id=excepted.pk,
        actor=staff,
        changes={
            "display_name": "Nora kommun Film",
            "handle": "norakommunfilm",
            "url": account_address(excepted.platform, "norakommunfilm"),
        },
    )
    excepted.refresh_from_db()
    assert excepted.handle == "norakommunfilm"
    assert excepted.naming_override_reason == ""
    assert not services.naming_exception_covers(excepted)
    # The exception stays in the history.
    assert excepted.history.filter(naming_override_reason="Beslut 2026-11.").exists()
    # Going back to the old name asks again.
    with pytest.raises(services.RegistryError):
        services.account_update(
            account_id=excepted.pk,
            actor=staff,
            changes={"handle": "norafilm", "url": account_address(excepted.platform, "norafilm")},
        )


def test_a_name_changed_around_the_services_loses_the_exception_at_activation(excepted):
    excepted.status = SocialAccount.Status.PLANNED
    excepted.display_name = "Billiga klockor 24/7"
    excepted.save()
    problems = lifecycle_services.activation_problems(excepted)
    assert 'Visningsnamnet måste innehålla "Nora kommun" (§4).' in problems


def _renamed(account, name, handle):
    return {
        "display_name": name,
        "handle": handle,
        "url": account_address(account.platform, handle),
    }


def test_the_information_officer_grants_an_exception_for_the_new_name(excepted, info_officer):
    services.account_update(
        account_id=excepted.pk,
        actor=info_officer,
        changes=_renamed(excepted, "Nora Film", "norafilmen"),
        override_reason="Beslut 2026-12 om nytt namn.",
    )
    excepted.refresh_from_db()
    assert (excepted.display_name, excepted.handle) == ("Nora Film", "norafilmen")
    assert services.naming_exception_covers(excepted)
    assert excepted.naming_override_reason == "Beslut 2026-12 om nytt namn."
    assert excepted.naming_override_by == info_officer
    # Both decisions stay in the history, the new one with who made it.
    latest = excepted.history.first()
    assert latest.history_user == info_officer
    assert excepted.history.filter(naming_override_reason="Beslut 2026-11.").exists()


def test_a_rename_without_a_reason_is_refused_even_for_the_information_officer(
    excepted, info_officer
):
    with pytest.raises(services.RegistryError):
        services.account_update(
            account_id=excepted.pk,
            actor=info_officer,
            changes=_renamed(excepted, "Nora Film", "norafilmen"),
        )
    excepted.refresh_from_db()
    assert excepted.handle == "norafilm"


def test_only_the_information_officer_may_grant_the_new_exception(excepted, staff):
    with pytest.raises(services.RegistryError) as refused:
        services.account_update(
            account_id=excepted.pk,
            actor=staff,
            changes=_renamed(excepted, "Nora Film", "norafilmen"),
            override_reason="Jag bestämmer själv.",
        )
    assert "Bara informationsansvarig" in refused.value.message
    excepted.refresh_from_db()
    assert excepted.naming_override_reason == "Beslut 2026-11."


def test_a_new_exception_never_covers_a_duplicate_handle(excepted, info_officer, platform):
    SocialAccountFactory(platform=platform, handle="upptagen", display_name="Nora kommun Annat")
    with pytest.raises(services.RegistryError):
        services.account_update(
            account_id=excepted.pk,
            actor=info_officer,
            changes=_renamed(excepted, "Nora Film", "upptagen"),
            override_reason="Beslut.",
        )


def test_the_edit_page_offers_the_exception_only_to_the_information_officer(
    client_for, excepted, staff, info_officer
):
    url = reverse("channels_registry:account_edit", args=[excepted.pk])
    assert 'name="override_reason"' not in client_for(staff).get(url).content.decode()
    officer = client_for(info_officer)
    assert 'name="override_reason"' in officer.get(url).content.decode()
    values = _edit_values(excepted, display_name="Nora Film", handle="norafilmen")
    values["url"] = account_address(excepted.platform, "norafilmen")
    values["override_reason"] = "Beslut 2026-12."
    response = officer.post(url, values)
    assert response.status_code == 302
    excepted.refresh_from_db()
    assert excepted.handle == "norafilmen"
    assert services.naming_exception_covers(excepted)
