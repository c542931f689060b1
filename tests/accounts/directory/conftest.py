"""Fixtures of the directory tests: Graph configured, the personas known by
their Entra ID object ids, the staff and manager groups mapped."""

import pytest

from accounts.models import ExternalIdentity, GroupMapping
from accounts.roles import Role, ensure_role_groups
from tests.accounts.directory.support import (
    CARL,
    GRAPH,
    GROUP_MANAGERS,
    GROUP_STAFF,
    KALLE,
    MAJA,
    TENANT,
)


@pytest.fixture
def graph_settings(settings):
    settings.DIRECTORY_SOURCE = "graph"
    settings.DIRECTORY_IDENTITY_PROVIDER = "oidc"
    settings.DIRECTORY_GRAPH_TENANT_ID = TENANT
    settings.DIRECTORY_GRAPH_CLIENT_ID = "3f1d6c2a-0c53-4f8e-9d5e-1a2b3c4d5e6f"
    settings.DIRECTORY_GRAPH_CLIENT_SECRET = "recorded-client-secret"  # noqa: S105 - a test value
    settings.DIRECTORY_GRAPH_LOGIN_URL = "https://login.microsoftonline.com"
    settings.DIRECTORY_GRAPH_URL = GRAPH
    settings.DIRECTORY_GRAPH_LEAVE_DATES = False
    return settings


@pytest.fixture
def known_people(org, staff, colleague):
    """Carl (manager), Maja (staff) and Kalle (colleague) signed on with Entra
    ID once; the staff and manager groups are mapped to roles."""
    ensure_role_groups()
    for user, subject in ((org["manager"], CARL), (staff, MAJA), (colleague, KALLE)):
        ExternalIdentity.objects.create(provider="oidc", subject=subject, user=user)
    GroupMapping.objects.create(idp_group=GROUP_STAFF, role=Role.STAFF)
    GroupMapping.objects.create(idp_group=GROUP_MANAGERS, role=Role.MANAGER)
    return {"carl": org["manager"], "maja": staff, "kalle": colleague}
