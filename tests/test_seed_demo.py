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


@pytest.mark.django_db
@pytest.mark.no_policy
def test_seed_demo_publishes_the_adopted_policy_from_the_shared_seed_folder(settings):
    from accounts.models import PolicyAcknowledgement, PolicyVersion
    from accounts.policy_text import parse
    from nora_social.management.commands.seed_demo import DEMO_POLICY_FILE

    if not DEMO_POLICY_FILE.is_file():
        pytest.skip(f"{DEMO_POLICY_FILE} is not here (it is not part of the repository)")
    settings.DEBUG = True
    call_command("seed_demo")

    policy = PolicyVersion.objects.get()
    assert policy.decision_reference == "KF 2014-11-12 § 145"
    assert str(policy.decided_on) == "2014-11-12"
    assert policy.published_by.username == "kommunchef"
    document = parse(policy.text)
    assert [s.number for s in document.sections] == list(range(1, 14))
    assert document.section(6).heading == "Yttrandefrihet"
    # The site's menu and empty footer fields saved with the page are not policy text.
    assert "Huvudmeny" not in policy.text and "Sidan uppdaterad" not in policy.text
    assert PolicyAcknowledgement.objects.filter(policy=policy, user__username="chef").exists()
    assert not PolicyAcknowledgement.objects.filter(user__username="parkarbetare").exists()


@pytest.mark.django_db
@pytest.mark.no_policy
def test_seed_demo_without_the_policy_file_says_so_and_goes_on(settings, tmp_path):
    from io import StringIO

    from accounts.models import PolicyVersion

    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", policy_file=tmp_path / "saknas.txt", stdout=out)

    assert "saknas.txt was not found, so no policy is published" in out.getvalue()
    assert not PolicyVersion.objects.exists()
    assert SocialAccount.objects.exists()
