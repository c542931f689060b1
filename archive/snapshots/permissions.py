"""Who may ask for and see an account's snapshots. A request or snapshot of an
account the person may not see answers 404, the same as a missing one."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from archive.snapshots.models import SnapshotRequest
from channels_registry.models import SocialAccount
from channels_registry.permissions import can_manage_account, can_view_account


def can_request_snapshot(user: User, account: SocialAccount) -> bool:
    """Owner, deputy, their managers and the information officer (§10)."""
    return can_manage_account(user, account)


def can_view_snapshots(user: User, account: SocialAccount) -> bool:
    return can_view_account(user, account)


def visible_or_404(user: User, account: SocialAccount) -> None:
    if not can_view_account(user, account):
        raise Http404


def get_request_for_user(user: User, pk: int) -> SnapshotRequest:
    found = get_object_or_404(
        SnapshotRequest.objects.select_related("account__platform", "requested_by"), pk=pk
    )
    visible_or_404(user, found.account)
    return found
