"""The information officer reads in existing accounts: download the template,
upload a file, see the preview, confirm, follow the run.

Between the preview and the confirmation the file itself is kept in the
person's session (server-side), under its SHA-256; the confirmation names that
digest, and the session copy, never anything the browser sends back, becomes
the run that the worker checks again and imports (``runs``). The run's page
shows its progress and, when done, what was created."""

import base64
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.imports.spreadsheet import MAX_BYTES, MAX_ROWS
from channels_registry.imports import columns, runs, services
from channels_registry.imports.permissions import can_import_accounts
from channels_registry.models import SocialAccount
from nora_social.core.errors import ServiceError, add_to_form

SESSION_KEY = "channels_registry.account_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Previews per person and window: each reads a whole file and the register.
PREVIEW_LIMIT = 30
PREVIEW_WINDOW_SECONDS = 600
# The page lists the rows with problems; past this many rows the rest are
# counted, not listed (the file is refused either way).
SHOWN_PROBLEMS = 2000


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil (XLSX eller CSV)"),
        help_text=gettext_lazy(
            "Utgå från mallen. CSV som Excel sparar den: semikolon. Högst 5 MB och 5000 rader."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 5 MB)."))
        return upload


def _require(user) -> None:
    if not can_import_accounts(user):
        raise PermissionDenied


def _over_limit(request) -> bool:
    """Counts this preview; true when the person has previewed too many files
    in the window. A cache outage never stops the import."""
    key = f"account-import:{request.user.pk}:{int(time.time()) // PREVIEW_WINDOW_SECONDS}"
    try:
        cache = caches["shared"]
        cache.add(key, 0, timeout=PREVIEW_WINDOW_SECONDS)
        return cache.incr(key) > PREVIEW_LIMIT
    except Exception:  # noqa: BLE001 - any cache failure: no limit rather than no import
        return False


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_import(request):
    _require(request.user)
    if request.method == "POST" and "digest" in request.POST:
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {
        "form": form,
        "max_rows": MAX_ROWS,
        "runs": runs.recent_runs(request.user),
    }
    status = 200
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
        if _over_limit(request):
            form.full_clean()
            form.add_error(
                None,
                _("Du har laddat upp många filer på kort tid. Vänta en stund och försök igen."),
            )
            status = 429
        elif form.is_valid():
            _preview(request, form, context)
        if status == 200 and form.errors:
            status = 400
    return render(request, "channels_registry/imports/account_import.html", context, status=status)


def _preview(request, form: UploadForm, context: dict) -> None:
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        plans = services.preview(actor=request.user, name=upload.name, data=data)
    except ServiceError as exc:
        add_to_form(form, exc)
        return
    problems = services.problems_of(plans)
    context.update(
        previewed=True,
        plans=plans,
        failing=[p for p in plans if p.problems],
        passing=[p for p in plans if not p.problems],
        problem_count=len(problems),
        shown_problems=SHOWN_PROBLEMS,
        file_name=upload.name,
    )
    if not problems and plans:
        digest = services.file_digest(data)
        request.session[SESSION_KEY] = {
            "digest": digest,
            "name": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
            "rows": len(plans),
        }
        context["digest"] = digest


def _confirm(request):
    stored = request.session.get(SESSION_KEY)
    if not stored or not constant_time_compare(stored["digest"], request.POST["digest"]):
        messages.error(
            request,
            _("Förhandsgranskningen gäller inte längre. Ladda upp filen igen och granska den."),
        )
        return redirect("channels_registry:account_import")
    data = base64.b64decode(stored["data"])
    try:
        run = runs.run_start(
            actor=request.user, name=stored["name"], data=data, rows=stored.get("rows", 0)
        )
    except ServiceError as exc:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, exc.message)
        return redirect("channels_registry:account_import")
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Inläsningen har startat. Du får en notis när den är klar."),
    )
    return redirect("channels_registry:account_import_run", pk=run.pk)


@login_required
@never_cache
@require_safe
def account_import_run(request, pk: int):
    """One run: waiting, in progress (rows done of all), done with links to the
    accounts, or failed with why. The one who started it and the information
    officer; anyone else 404."""
    run = runs.run_for(request.user, pk)
    if run is None:
        raise Http404
    accounts = []
    if run.status == run.Status.DONE:
        accounts = list(
            SocialAccount.objects.filter(pk__in=run.account_ids)
            .select_related("platform", "unit")
            .order_by("pk")
        )
    done = runs.rows_done(run)
    return render(
        request,
        "channels_registry/imports/account_import_run.html",
        {
            "run": run,
            "accounts": accounts,
            "done": done,
            "percent": int(100 * done / run.total_rows) if run.total_rows else 0,
            "due": services.plan_due_on(timezone.localdate(run.finished_at))
            if run.finished_at
            else None,
        },
    )


@login_required
@require_safe
def account_import_template(request):
    _require(request.user)
    if request.GET.get("format") == "csv":
        response = HttpResponse(columns.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="konton-mall.csv"'
        return response
    response = HttpResponse(columns.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="konton-mall.xlsx"'
    return response
