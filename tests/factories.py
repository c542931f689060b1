"""factory_boy factories for the domain. Personas live in conftest.py."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.db.models import Max

from accounts.models import (
    Absence,
    Administration,
    PlatformCompetence,
    PolicyAcknowledgement,
    PolicyVersion,
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

# A short policy in the adopted policy's shape: numbered sections in order, with
# the sections the app quotes (§6) and points to (§7, §8, §12). Tests never read
# the real policy from the shared seed folder (only seed_demo's own test does).
POLICY_TEXT = """Policy för sociala medier i Nora kommun
Antagen av kommunfullmäktige 2014-11-12, § 145

1. Inledning

Sociala medier är ett samlingsbegrepp för internetbaserad kommunikation.

2. Förhållningsregler

För att använda sociala medier i tjänsten måste du få ett tydligt uppdrag av din närmaste chef.

3. Krav för att få starta ett konto

Minst två personer ska kunna administrera varje konto.

4. Hur ska kontot se ut

När man skapar ett nytt konto ska det alltid finnas med:

 • Kommunlogga och texten Nora kommun
 • Kontaktuppgifter till sidansvariga och länk till www.nora.se

5. Kontoansvarig

Den kontoansvariga hanterar kommentarer, svar och synpunkter.

6. Yttrandefrihet

Respektera andras rätt att uttrycka sig. Var och en är i sin fulla rätt att ge uttryck för både positiva och negativa synpunkter på kommunen.

7. Vad får jag lämna ut?

Fråga alltid arbetskollegor om tillåtelse innan du skriver något om dem.

8. Sociala medier under arbetstid och fritid

Använd aldrig din privata profil i tjänsteärenden eller tvärt om.

9. Teknisk kunskap

Den som får uppdraget ska ha grundläggande kunskaper om plattformen.

10. Registrering, gallring och diarieföring

Varje förvaltning ska upprätta ett register över de sociala medier som används.

11. Samarbete med IT

Försök aldrig att kringgå säkerhetsbegränsningar.

12. Ansvar och åtgärder

Underlåtenhet att leva upp till denna policy kan medföra arbetsrättsliga åtgärder
"""


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
        groups = list(Group.objects.filter(name__in=extracted))
        if len(groups) < len(set(extracted)):  # a flushed database: post_migrate's groups
            ensure_role_groups()
            groups = list(Group.objects.filter(name__in=extracted))
        self.groups.add(*groups)
        self.save()

    @factory.post_generation
    def acknowledged(self, create, extracted, **kwargs):
        """Everyone has read the current policy (§12) unless ``acknowledged=False``:
        the policy gate is not what most tests are about."""
        if not create or extracted is False:
            return
        policy = PolicyVersion.objects.order_by("-number").first()
        if policy is not None:
            PolicyAcknowledgement.objects.get_or_create(
                user=self,
                policy=policy,
                defaults={"policy_version": policy.label, "recorded_by": self},
            )


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


class PolicyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyVersion

    number = factory.LazyFunction(
        lambda: (PolicyVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    )
    title = "Policy för sociala medier"
    decision_reference = "KF 2014-11-12 § 145"
    decided_on = datetime.date(2014, 11, 12)
    text = POLICY_TEXT
    published_by = factory.SubFactory(UserFactory, acknowledged=False)


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    """The person's acknowledgement of the current policy; made again with other
    values (a date), it updates the one already there."""

    class Meta:
        model = PolicyAcknowledgement

    user = factory.SubFactory(UserFactory)
    policy = factory.LazyFunction(lambda: PolicyVersion.objects.order_by("-number").first())
    policy_version = factory.LazyAttribute(
        lambda a: a.policy.label if a.policy else "KF 2014-11-12 § 145"
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user, policy = kwargs.pop("user"), kwargs.pop("policy")
        ack, _created = model_class.objects.update_or_create(
            user=user, policy=policy, defaults=kwargs
        )
        return ack


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
    from channels_registry.member_services import _grant_object_perms

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
