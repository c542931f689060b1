"""Snapshot pages (§10): the accounts' requests and snapshots, uploading fresh
screenshots, making the snapshot and downloading it.

Who may look: whoever may see the account (anything else answers 404, the same
as a missing object). Who may ask, upload and make: the account's owner and
deputy, their managers and the information officer. Refusals are shown on the
same page, answered 400, and change nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from archive.errors import SnapshotError
from archive.models import Snapshot, SnapshotReason, SnapshotRequest, SnapshotScreenshot
from archive.snapshots import permissions as snapshot_permissions
from archive.snapshots import selectors as snapshot_selectors
from archive.snapshots import services as snapshots
from archive.snapshots.forms import MajorChangeForm, ScreenshotForm
from channels_registry.models import SocialAccount
from channels_registry.permissions import get_account_for_user
from channels_registry.selectors import accounts_visible_to
from nora_social.core.errors import add_to_form

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


@login_required
@require_safe
def snapshot_list(request):
    """The accounts a person may see, with their latest snapshot and any request
    waiting for screenshots. Three queries however many accounts."""
    accounts = (
        accounts_visible_to(request.user)
        .filter(status__in=[SocialAccount.Status.ACTIVE, SocialAccount.Status.CLOSING])
        .select_related("platform")
        .prefetch_related(
            Prefetch(
                "snapshots",
                queryset=Snapshot.objects.only(
                    "pk", "account_id", "made_at", "screenshots_taken_on", "final"
                ).order_by("-made_at"),
                to_attr="snapshot_list",
            ),
            Prefetch(
                "snapshot_requests",
                queryset=SnapshotRequest.objects.filter(status__in=snapshots.PENDING),
                to_attr="pending_list",
            ),
        )
        .order_by("display_name")
    )
    return render(request, "archive/snapshot_list.html", {"accounts": accounts})


def _account_context(request, account, form=None):
    return {
        "account": account,
        "snapshots": Snapshot.objects.filter(account=account).select_related("made_by"),
        "pending": snapshot_selectors.pending_request(account),
        "requests": SnapshotRequest.objects.filter(account=account).select_related("requested_by")[
            :20
        ],
        "can_request": snapshot_permissions.can_request_snapshot(request.user, account),
        "is_closing": account.status == SocialAccount.Status.CLOSING,
        "is_active": account.status == SocialAccount.Status.ACTIVE,
        "has_final": snapshot_selectors.has_final_snapshot(account),
        "form": form or MajorChangeForm(),
    }


@login_required
@GET_POST
def account_snapshots(request, pk: int):
    """One account's snapshots; the buttons to ask for one at a major change or
    for the final one while the account is closing."""
    account = get_account_for_user(request.user, pk)
    if request.method in ("GET", "HEAD"):
        return render(request, "archive/snapshot_account.html", _account_context(request, account))
    if not snapshot_permissions.can_request_snapshot(request.user, account):
        raise PermissionDenied
    final = request.POST.get("reason") == SnapshotReason.FINAL
    form = MajorChangeForm(request.POST) if not final else None
    if form is not None and not form.is_valid():
        return render(
            request,
            "archive/snapshot_account.html",
            _account_context(request, account, form),
            status=400,
        )
    try:
        made = snapshots.snapshot_request_create(
            account_id=account.pk,
            actor=request.user,
            reason=SnapshotReason.FINAL if final else SnapshotReason.MAJOR_CHANGE,
            note="" if form is None else form.cleaned_data["note"],
        )
    except SnapshotError as error:
        form = form or MajorChangeForm()
        add_to_form(form, error)
        return render(
            request,
            "archive/snapshot_account.html",
            _account_context(request, account, form),
            status=400,
        )
    messages.success(
        request, _("Begäran är skickad. Ladda upp nya skärmdumpar av kontot och skapa bilden.")
    )
    return redirect("archive:snapshot_request", made.pk)


def _request_context(request, snapshot_request, form=None):
    return {
        "snapshot_request": snapshot_request,
        "account": snapshot_request.account,
        "screenshots": snapshot_request.screenshots.select_related("uploaded_by"),
        "snapshot": Snapshot.objects.filter(request=snapshot_request).first(),
        "can_act": snapshot_permissions.can_request_snapshot(
            request.user, snapshot_request.account
        ),
        "is_open": snapshot_request.status == SnapshotRequest.Status.OPEN,
        "form": form or ScreenshotForm(),
    }


@login_required
@GET_POST
def request_detail(request, pk: int):
    """Upload fresh screenshots; then make the snapshot (queued to a worker)."""
    snapshot_request = snapshot_permissions.get_request_for_user(request.user, pk)
    if request.method in ("GET", "HEAD"):
        return render(
            request, "archive/snapshot_request.html", _request_context(request, snapshot_request)
        )
    if not snapshot_permissions.can_request_snapshot(request.user, snapshot_request.account):
        raise PermissionDenied
    if request.POST.get("do") == "make":
        try:
            snapshots.snapshot_make_start(request_id=snapshot_request.pk, actor=request.user)
        except SnapshotError as error:
            form = ScreenshotForm()
            form.add_error(None, error.message)
            return render(
                request,
                "archive/snapshot_request.html",
                _request_context(request, snapshot_request, form),
                status=400,
            )
        messages.success(request, _("Ögonblicksbilden skapas. Sidan visar den när den är klar."))
        return redirect("archive:snapshot_request", snapshot_request.pk)
    form = ScreenshotForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            snapshots.screenshot_add(
                request_id=snapshot_request.pk,
                actor=request.user,
                upload=form.cleaned_data["image"],
                captured_on=form.cleaned_data["captured_on"],
                caption=form.cleaned_data["caption"],
            )
        except SnapshotError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Skärmdumpen är uppladdad."))
            return redirect("archive:snapshot_request", snapshot_request.pk)
    return render(
        request,
        "archive/snapshot_request.html",
        _request_context(request, snapshot_request, form),
        status=400,
    )


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def screenshot_image(request, pk: int):
    screenshot = get_object_or_404(
        SnapshotScreenshot.objects.select_related("request__account"), pk=pk
    )
    snapshot_permissions.visible_or_404(request.user, screenshot.request.account)
    return _private(FileResponse(screenshot.image.open("rb"), content_type=screenshot.content_type))


@login_required
@require_safe
def download(request, pk: int):
    """The PDF/A, only to those who may see the account."""
    snapshot = get_object_or_404(Snapshot.objects.select_related("account"), pk=pk)
    snapshot_permissions.visible_or_404(request.user, snapshot.account)
    made_on = timezone.localtime(snapshot.made_at).date()  # the date people saw, not UTC's
    filename = f"ogonblicksbild-{snapshot.account.handle}-{made_on:%Y-%m-%d}.pdf"
    return _private(
        FileResponse(
            snapshot.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=filename,
        )
    )
