"""Platforms: the information officer lists, adds and edits them."""

import pytest
from django.urls import reverse

from channels_registry import services
from channels_registry.models import Platform

LIST = reverse("channels_registry:platform_list")
CREATE = reverse("channels_registry:platform_create")


def _edit(platform):
    return reverse("channels_registry:platform_edit", args=[platform.pk])


DATA = {
    "name": "Mastodon",
    "slug": "mastodon",
    "access_kind": "shared_login",
    "base_url": "https://mastodon.social/@",
    "is_active": "on",
}


def test_anonymous_is_sent_to_login(client, platform):
    for url in (LIST, CREATE, _edit(platform)):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("persona", ["staff", "manager", "head", "registrar"])
def test_other_roles_get_403(request, client_for, platform, persona):
    c = client_for(request.getfixturevalue(persona))
    assert c.get(LIST).status_code == 403
    assert c.post(CREATE, DATA).status_code == 403
    assert c.post(_edit(platform), {**DATA, "slug": platform.slug}).status_code == 403
    assert not Platform.objects.filter(slug="mastodon").exists()


def test_information_officer_lists_platforms(client_for, info_officer, platform, instagram):
    response = client_for(info_officer).get(LIST)
    assert response.status_code == 200
    assert {"Facebook", "Instagram"} <= {p.name for p in response.context["platforms"]}


def test_information_officer_adds_a_platform_with_history(client_for, info_officer, db):
    response = client_for(info_officer).post(CREATE, DATA)
    assert response.status_code == 302
    platform = Platform.objects.get(slug="mastodon")
    assert platform.access_kind == "shared_login"
    assert not platform.requires_public_without_login
    assert platform.history.get().history_user == info_officer


def test_information_officer_edits_a_platform_but_not_its_slug(client_for, info_officer, instagram):
    response = client_for(info_officer).post(
        _edit(instagram),
        {
            "name": "Instagram (Meta)",
            "slug": "changed",
            "access_kind": "named_roles",
            "requires_public_without_login": "on",
        },
    )
    assert response.status_code == 302
    instagram.refresh_from_db()
    assert instagram.name == "Instagram (Meta)"
    assert instagram.slug == "instagram"
    assert instagram.requires_public_without_login
    assert not instagram.is_active
    assert instagram.history.first().history_user == info_officer


def test_duplicate_name_is_a_400(client_for, info_officer, platform):
    response = client_for(info_officer).post(CREATE, {**DATA, "name": "Facebook"})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_edit_of_a_missing_platform_is_404(client_for, info_officer, db):
    url = reverse("channels_registry:platform_edit", args=[999999])
    assert client_for(info_officer).get(url).status_code == 404


def test_service_refuses_platform_changes_by_others(staff, platform):
    with pytest.raises(services.RegistryError):
        services.platform_save(actor=staff, values={"name": "X"}, platform_id=platform.pk)
    platform.refresh_from_db()
    assert platform.name == "Facebook"
