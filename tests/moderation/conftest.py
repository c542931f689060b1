"""Fixtures for moderation: an active Facebook account in the first unit with
``staff`` as owner and ``colleague`` as deputy, and image uploads."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from channels_registry.member_services import _grant_object_perms
from channels_registry.models import AccountMember, SocialAccount
from tests.factories import MemberFactory, SocialAccountFactory


def make_account(unit, platform, *, owner, deputy, **kwargs) -> SocialAccount:
    account = SocialAccountFactory(
        unit=unit,
        platform=platform,
        status=SocialAccount.Status.ACTIVE,
        activated_on=timezone.localdate() - datetime.timedelta(days=400),
        **kwargs,
    )
    for user, role in ((owner, AccountMember.Role.OWNER), (deputy, AccountMember.Role.DEPUTY)):
        _grant_object_perms(MemberFactory(account=account, user=user, role=role))
    return account


@pytest.fixture
def account(org, platform, staff, colleague):
    return make_account(
        org["unit"],
        platform,
        owner=staff,
        deputy=colleague,
        display_name="Nora kommun",
        handle="norakommun",
        response_hours=24,
        response_clock="working",
    )


def image_bytes(fmt: str = "PNG", size=(40, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str = "skarmdump.png", content: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(
        name, image_bytes() if content is None else content, content_type=content_type
    )


@pytest.fixture
def png():
    return upload()
