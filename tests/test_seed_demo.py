"""seed_demo: a living system for a newcomer, idempotent, refused in production."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from channels_registry.addresses import account_address_problems
from channels_registry.models import SocialAccount


@pytest.mark.django_db
def test_seed_demo_has_every_role_and_lifecycle_state_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), SocialAccount.objects.count())
    for role in Role:
        person = User.objects.get(username=role.value)
        assert person.check_password("demo")
        assert person.groups.filter(name=role.value).exists()
    states = set(SocialAccount.objects.values_list("status", flat=True))
    assert states == set(SocialAccount.Status.values)
    platforms = set(SocialAccount.objects.values_list("platform__slug", flat=True))
    assert len(platforms) >= 3
    # Every active account links to a real-looking address of its own (§4, §10).
    active = SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE)
    assert active and all(not account_address_problems(a) for a in active)
    urls = {a.platform.slug: a.url for a in active}
    assert urls["linkedin"].startswith("https://www.linkedin.com/company/")
    assert urls["youtube"].startswith("https://www.youtube.com/@")
    call_command("seed_demo")
    assert (User.objects.count(), SocialAccount.objects.count()) == counts


@pytest.mark.django_db
def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="kommunchef").exists()
