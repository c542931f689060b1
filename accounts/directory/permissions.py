"""Who may see the directory's run log: the information officer, who keeps the
sign-on's group mappings (the log shows people's names and roles)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.directory.models import DirectoryRun
from accounts.models import User
from accounts.permissions import can_manage_sign_on


def can_view_directory(user: User) -> bool:
    return can_manage_sign_on(user)


def get_run_for_user(user: User, pk: int) -> DirectoryRun:
    """One run for a person who may see the log: 403 for anyone else (the page
    is never theirs), 404 for a run that does not exist."""
    if not can_view_directory(user):
        raise PermissionDenied
    return get_object_or_404(DirectoryRun, pk=pk)
