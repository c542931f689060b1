"""factory_boy factories for the domain. Personas live in conftest.py."""

import factory
from django.contrib.auth.models import Group

from accounts.models import (
    Absence,
    Administration,
    PlatformCompetence,
    PolicyAcknowledgement,
    Substitute,
    Unit,
    User,
)
from accounts.roles import ensure_role_groups
from channels_registry.models import (
    AccountMember,
    BlockedAbbreviation,
    ChecklistConfirmation,
    EscrowDeposit,
    Platform,
    SocialAccount,
)
from channels_registry.selectors import required_checklist_items

PASSWORD = "correct horse battery staple"


def account_address(platform, handle: str) -> str:
    """The account's own address on its platform (§4, §10), as activation wants it."""
    return f"https://www.{platform.domain_list[0]}/{handle}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@nora.se")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        ensure_role_groups()
        for role in extracted:
            self.groups.add(Group.objects.get(name=role))
        self.save()


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration

    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    register_series = "KS"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    administration = factory.SubFactory(AdministrationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")


class SubstituteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Substitute

    scope = Substitute.Scope.UNIT
    person = factory.SubFactory(UserFactory)


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    user = factory.SubFactory(UserFactory)


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyAcknowledgement

    user = factory.SubFactory(UserFactory)


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlatformCompetence

    user = factory.SubFactory(UserFactory)
    platform = "facebook"


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("slug",)

    name = factory.LazyAttribute(lambda p: p.slug.capitalize())
    slug = "facebook"
    access_kind = Platform.AccessKind.NAMED_ROLES
    requires_public_without_login = factory.LazyAttribute(lambda p: p.slug == "facebook")
    # As the data migration fills the known platforms (live_server tests flush it).
    domains = factory.LazyAttribute(
        lambda p: {"x": "x.com twitter.com", "facebook": "facebook.com fb.com"}.get(
            p.slug, f"{p.slug}.com"
        )
    )


class BlockedAbbreviationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlockedAbbreviation
        django_get_or_create = ("term",)

    term = "norakm"


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    platform = factory.SubFactory(PlatformFactory)
    unit = factory.SubFactory(UnitFactory)
    display_name = factory.Sequence(lambda n: f"Nora kommun Verksamhet {n}")
    handle = factory.Sequence(lambda n: f"norakommun.verksamhet{n}")
    url = factory.LazyAttribute(lambda a: account_address(a.platform, a.handle))
    purpose = "Informera invånare om verksamheten."
    contact = "verksamhet@nora.se"
    update_frequency_text = "Ett par gånger i veckan"
    response_time_text = "Vi svarar inom en arbetsdag"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountMember

    account = factory.SubFactory(SocialAccountFactory)
    user = factory.SubFactory(UserFactory)
    role = AccountMember.Role.ADMIN
    holds_credentials = True


def make_ready_account(**kwargs) -> SocialAccount:
    """A planned account that meets every activation precondition, with an owner
    and a deputy who hold the credentials, access deposited and checklist done.
    Object permissions are granted as the membership service would."""
    from channels_registry.services import _grant_object_perms

    account = SocialAccountFactory(**kwargs)
    owner = MemberFactory(account=account, role=AccountMember.Role.OWNER)
    deputy = MemberFactory(account=account, role=AccountMember.Role.DEPUTY)
    for member in (owner, deputy):
        _grant_object_perms(member)
    EscrowDeposit.objects.create(
        account=account,
        kind=EscrowDeposit.Kind.NAMED_ROLES,
        business_account="Nora kommun BM",
        business_recovery="recovery-secret-xyz",
        deposited_by=owner.user,
    )
    for item in required_checklist_items(account):
        ChecklistConfirmation.objects.create(account=account, item=item, confirmed_by=owner.user)
    return account


def make_active_account(**kwargs) -> SocialAccount:
    from django.utils import timezone

    account = make_ready_account(**kwargs)
    account.status = SocialAccount.Status.ACTIVE
    account.activated_on = timezone.localdate()
    account.save()
    return account
