"""One set of objects for the security tests: for each of the two units an
active account with people, an escrow deposit, an activity plan, moderation
records (post, action with escalation and screenshot, question), a registered
document, an access request and notifications; on the own account also a named
business role and a secret moderation entry awaiting registration.

``build_world(personas)`` returns ``{"own": {...}, "other": {...}}`` of primary
keys; "own" is the first unit (where the role personas work), "other" the
second (where ``outsider`` works)."""

import datetime
import io
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from accounts.models import DirectoryRun, GroupMapping, Notification
from activity_plans import copies as plan_copies
from activity_plans import services as plan_services
from archive.models import Direction
from archive.register import services as archive_services
from archive.register.files import attach_file
from channels_registry.escrow import services as escrow_services
from channels_registry.member_services import _grant_object_perms
from channels_registry.models import AccountMember, EscrowDeposit, SocialAccount
from moderation import questions as moderation_questions
from moderation import services as moderation_services
from moderation.categories import Category
from tests.activity_plans.conftest import complete_values
from tests.factories import (  # noqa: I001
    AcknowledgementFactory,
    AdministrationFactory,
    CompetenceFactory,
    MemberFactory,
    PlatformFactory,
    PolicyVersionFactory,
    SocialAccountFactory,
    SubstituteFactory,
    UnitFactory,
    UserFactory,
)

ROLE_PERSONAS = (
    "staff",
    "manager",
    "head",
    "info_officer",
    "registrar",
    "security_coordinator",
)


def png_upload(name: str = "skarmdump.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _account(unit, platform, *, owner, deputy, name, handle, text="") -> SocialAccount:
    account = SocialAccountFactory(
        unit=unit,
        platform=platform,
        status=SocialAccount.Status.ACTIVE,
        activated_on=timezone.localdate() - datetime.timedelta(days=400),
        display_name=name,
        handle=handle,
        response_hours=24,
        response_clock="working",
        **({"purpose": text, "contact": text} if text else {}),
    )
    members = {}
    for user, role in ((owner, AccountMember.Role.OWNER), (deputy, AccountMember.Role.DEPUTY)):
        member = MemberFactory(account=account, user=user, role=role)
        _grant_object_perms(member)
        members[role] = member
    EscrowDeposit.objects.create(
        account=account,
        kind=EscrowDeposit.Kind.NAMED_ROLES,
        business_account="Nora kommun BM",
        business_recovery="recovery-secret-xyz",
        deposited_by=owner,
    )
    account.owner_member = members[AccountMember.Role.OWNER]
    return account


def _captured(account, owner, *, text: str):
    """A capture connection and one captured own post (issue 17)."""
    from channels_registry.connections.services import connection_create
    from moderation.capture.connectors.base import Item
    from moderation.capture.services import record_items

    connection = connection_create(
        account_id=account.pk,
        actor=owner,
        kind="facebook",
        external_id=f"page-{account.pk}",
        access_token="EAAworldtokennotreal",  # noqa: S106 - not a credential
    )
    outcome = record_items(
        connection=connection,
        items=[
            Item(
                kind="post", platform_id=f"{account.pk}_1", raw={}, text=f"Hämtat {text}", own=True
            )
        ],
    )
    return connection, outcome.new_objects[0]


def _records(account, owner, registrar, *, text: str) -> dict:
    now = timezone.now()
    post = moderation_services.post_log(
        account_id=account.pk,
        actor=owner,
        author=owner,
        published_at=now - datetime.timedelta(hours=2),
        text=f"Inlägg {text}",
    )
    action = moderation_services.action_log(
        account_id=account.pk,
        actor=owner,
        data=moderation_services.ActionData(
            action="deleted",
            origin="citizen",
            category=Category.OLAGA_HOT,
            reason=f"Hot {text}",
            content_author=f"Greta {text}",
            content_text=f"Hotet {text}",
        ),
        screenshot=png_upload(),
    )
    question = moderation_questions.question_log(
        account_id=account.pk,
        actor=owner,
        received_at=now - datetime.timedelta(hours=1),
        asker=f"Eva {text}",
        text=f"Fråga {text}?",
    )
    document = archive_services.register_document(
        actor=registrar,
        entry=archive_services.Entry(
            direction=Direction.RECEIVED,
            document_date=timezone.localdate() - datetime.timedelta(days=1),
            subject=f"Synpunkt {text}",
            party=f"Erik {text}",
        ),
        account_id=account.pk,
    )
    document_file = attach_file(
        actor=registrar,
        document_id=document.pk,
        name="bilaga.txt",
        data=f"Bilaga {text}".encode(),
        mimetype="text/plain",
    )
    connection, captured = _captured(account, owner, text=text)
    return {
        "connection": connection.pk,
        "captured": captured.pk,
        "webhook_platform": "facebook",
        "post": post.pk,
        "action": action.pk,
        "escalation": action.escalation.pk,
        "question": question.pk,
        "document": document.pk,
        "document_file": document_file.pk,
    }


def build_world(personas: dict, *, text: str = "") -> dict:
    """``personas``: name → user, as tests/conftest.py makes them (``org`` too).
    ``text`` goes into every free-text field (the escaping tests use it)."""
    org = personas["org"]
    staff, colleague, outsider = personas["staff"], personas["colleague"], personas["outsider"]
    registrar, manager, head = personas["registrar"], personas["manager"], personas["head"]
    info_officer = personas["info_officer"]
    other_manager = org["other_manager"]
    other_colleague = UserFactory(
        username="annan_kollega", unit=org["other_unit"], roles=["medarbetare"]
    )
    platform = PlatformFactory(slug="facebook", name="Facebook")
    own = _account(
        org["unit"],
        platform,
        owner=staff,
        deputy=colleague,
        name=f"Nora kommun {text}".strip(),
        handle="norakommun",
        text=text,
    )
    other = _account(
        org["other_unit"],
        platform,
        owner=outsider,
        deputy=other_colleague,
        name="Nora kommun Skolan",
        handle="norakommun.skolan",
    )
    world = {"own": {}, "other": {}}
    for side, account, owner in (("own", own, staff), ("other", other, outsider)):
        world[side].update(_records(account, owner, registrar, text=text or side))
        world[side]["account"] = account.pk
        world[side]["member"] = account.owner_member.pk
        world[side]["platform"] = platform.pk
        world[side]["revision"] = 1
        world[side]["oauth_provider"] = "meta"
        # The policy is one for the whole municipality: the same version on both sides.
        world[side]["policy_version"] = 1
    world["own"]["person"] = staff.pk
    world["other"]["person"] = outsider.pk
    # Sign-on's group mappings are one table for the whole municipality.
    mapping = GroupMapping.objects.create(idp_group=f"grupp-{text or 'test'}", role="medarbetare")
    world["own"]["group_mapping"] = world["other"]["group_mapping"] = mapping.pk
    # The directory's run log is one for the whole municipality too.
    run = DirectoryRun.objects.create(source="graph", status=DirectoryRun.Status.OK)
    world["own"]["directory_run"] = world["other"]["directory_run"] = run.pk
    # A named role on the business account (its "end role" form posts a hidden id)
    # and a secret moderation entry awaiting registration (the register's list
    # posts hidden record ids).
    world["own"]["business_role"] = escrow_services.business_role_add(
        account_id=own.pk, actor=staff, user=colleague, platform_role=f"Redaktör {text}".strip()
    ).pk
    world["own"]["pending_action"] = moderation_services.action_log(
        account_id=own.pk,
        actor=staff,
        data=moderation_services.ActionData(
            action="unpublished",
            origin="citizen",
            category=Category.SEKRETESS,
            reason=f"Personnummer {text}",
            content_text=f"Sekretess {text}",
            secrecy_provision="OSL 21 kap. 7 §",
        ),
        screenshot=png_upload(),
    ).pk
    world["own"]["access_request"] = escrow_services.access_request_create(
        account_id=own.pk, actor=manager, reason=f"Semester {text}"
    ).pk
    world["other"]["access_request"] = escrow_services.access_request_create(
        account_id=other.pk, actor=other_manager, reason="Semester"
    ).pk

    # Plans: the own unit's approved (it has a PDF), the other unit's submitted.
    for person in (staff, colleague, outsider, other_colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    extra = {}
    if text:
        extra = {
            key: text
            for key in (
                "purpose",
                "target_audience",
                "goals",
                "evaluation",
                "content_kind",
                "who_does_it",
                "questions_routine",
                "moderation_routine",
                "holiday_cover",
                "comment_rules",
                "nora_se_relation",
                "closure_plan",
            )
        }
    plan = plan_services.plan_create(
        actor=staff, values=complete_values(platform, staff, colleague, **extra)
    )
    plan_services.plan_submit(plan_id=plan.pk, actor=staff)
    for approver in (manager, head, info_officer):
        plan_services.plan_approve(plan_id=plan.pk, actor=approver)
    # What the worker's task does once the approval has committed.
    plan_copies.plan_pdf_make(plan_id=plan.pk, actor_id=info_officer.pk)
    other_plan = plan_services.plan_create(
        actor=outsider,
        values=complete_values(
            platform,
            outsider,
            other_colleague,
            display_name="Nora kommun Skolan Idrott",
            handle="norakommunskolanidrott",
        ),
    )
    plan_services.plan_submit(plan_id=other_plan.pk, actor=outsider)
    world["own"]["plan"] = plan.pk
    world["other"]["plan"] = other_plan.pk

    # Notifications: each persona's own; "other" is the outsider's.
    for name in ("staff", *ROLE_PERSONAS, "outsider"):
        user = personas[name]
        note = Notification.objects.create(
            recipient=user, subject=f"Notis {text}", body=text, url="/"
        )
        if name == "outsider":
            world["other"]["notification"] = note.pk
        else:
            world["own"].setdefault("notification_of", {})[name] = note.pk
    return world


def make_personas() -> dict:
    """The personas of tests/conftest.py, made outside a function-scoped fixture."""
    head = UserFactory(username="forvaltningschef", roles=["forvaltningschef"])
    administration = AdministrationFactory(
        name="Kommunstyrelseförvaltningen", register_series="KS", head=head
    )
    manager = UserFactory(username="chef", roles=["chef"])
    unit = UnitFactory(administration=administration, name="Kommunikation", manager=manager)
    other_manager = UserFactory(username="annan_chef", roles=["chef"])
    other_unit = UnitFactory(
        administration=AdministrationFactory(
            name="Barn- och utbildningsförvaltningen", register_series="BUN"
        ),
        name="Skolan",
        manager=other_manager,
    )
    for person, to_unit in ((head, unit), (manager, unit), (other_manager, other_unit)):
        person.unit = to_unit
        person.save()
    org = {
        "administration": administration,
        "unit": unit,
        "other_unit": other_unit,
        "manager": manager,
        "head": head,
        "other_manager": other_manager,
    }
    info_officer = UserFactory(username="kommunchef", unit=unit, roles=["kommunchef"])
    deputy = UserFactory(username="kommunchef_ersattare", unit=unit, roles=["medarbetare"])
    SubstituteFactory(scope="role", role="kommunchef", person=deputy)
    return {
        "org": org,
        "staff": UserFactory(username="medarbetare", unit=unit, roles=["medarbetare"]),
        "colleague": UserFactory(username="kollega", unit=unit, roles=["medarbetare"]),
        "outsider": UserFactory(username="utomstaende", unit=other_unit, roles=["medarbetare"]),
        "manager": manager,
        "head": head,
        "info_officer": info_officer,
        "info_deputy": deputy,
        "registrar": UserFactory(username="registrator", roles=["registrator"]),
        "security_coordinator": UserFactory(
            username="sakerhetssamordnare", roles=["sakerhetssamordnare"]
        ),
    }


@contextmanager
def shared_world(django_db_blocker, media_root, *, text: str = ""):
    """Personas and world built once, inside a transaction rolled back at the
    end; each test's own transaction is a savepoint inside it. Files go to
    ``media_root``, which the tests must keep as MEDIA_ROOT."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        # Published first, so the personas acknowledge it (§12) as everywhere else.
        PolicyVersionFactory(
            published_by=UserFactory(
                username="policy_publisher", is_active=False, acknowledged=False
            )
        )
        personas = make_personas()
        world = build_world(personas, text=text)
        yield personas, world
        transaction.set_rollback(True)


@pytest.fixture(scope="module", name="shared")
def shared_fixture(request, django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    with shared_world(django_db_blocker, media, text=getattr(request.module, "WORLD_TEXT", "")) as (
        personas,
        world,
    ):
        yield personas, world, media


@pytest.fixture(name="personas")
def personas_fixture(shared, settings):
    settings.MEDIA_ROOT = shared[2]
    return shared[0]


@pytest.fixture(name="world")
def world_fixture(shared):
    return shared[1]
