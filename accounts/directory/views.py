"""The information officer's log of the directory's runs: the last run, what it
found and changed, and any error, in Swedish."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.directory import selectors
from accounts.directory.permissions import can_view_directory, get_run_for_user


@login_required
@require_safe
def run_list(request):
    if not can_view_directory(request.user):
        raise PermissionDenied
    runs = list(selectors.recent_runs())
    return render(
        request,
        "accounts/directory/runs.html",
        {
            "runs": runs,
            "last": runs[0] if runs else None,
            "last_ok": selectors.last_successful_run(),
            "config": selectors.directory_settings(),
        },
    )


@login_required
@require_safe
def run_detail(request, pk: int):
    run = get_run_for_user(request.user, pk)
    return render(request, "accounts/directory/run.html", {"run": run})
