import pyotp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import selectors, services
from accounts.forms import AbsenceForm, LoginForm, PolicyPublishForm, StepUpForm, TotpConfirmForm
from accounts.models import Notification, PolicyVersion
from accounts.navigation import todos_for
from accounts.permissions import can_publish_policy
from accounts.policy_text import parse
from accounts.selectors import with_platform_names
from accounts.stepup import mark_stepped_up, step_up_required
from nora_social.core import crypto
from nora_social.core.history import set_history_user

TOTP_PENDING_KEY = "totp_pending"

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    http_method_names = ["get", "head", "post", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            oidc_enabled=settings.OIDC_ENABLED,
            saml_enabled=settings.SAML_ENABLED,
            local_enabled=settings.LOCAL_LOGIN_ENABLED,
        )
        return context


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: redirect() would take "abc" for a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_safe
def home(request):
    notifications = request.user.notifications.all()[:20]
    return render(
        request,
        "accounts/home.html",
        {
            "notifications": notifications,
            "policy": selectors.current_policy(),
            "acknowledged": selectors.current_acknowledgement(request.user),
            "may_publish_policy": can_publish_policy(request.user),
            "todos": todos_for(request.user),
        },
    )


@login_required
@GET_POST
@never_cache
def step_up(request):
    """§3 escrow: confirm who you are before revealing or changing access: the
    password or a TOTP code for a local account, a new multi-factor login at the
    identity provider for one that signs on there."""
    form = StepUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        mark_stepped_up(request)
        return HttpResponseRedirect(_safe_next(request, "/"))
    next_url = _safe_next(request, "")
    return render(
        request,
        "accounts/step_up.html",
        {
            "form": form,
            "next": next_url,
            "sso_links": selectors.step_up_links(request.user, next_url or "/"),
            "local": request.user.has_usable_password() or request.user.has_totp,
        },
    )


@login_required
@GET_POST
@never_cache
@step_up_required
def totp_enroll(request):
    """Enrol an authenticator app; the code becomes an alternative for step-up."""
    # The seed waiting for its first code is encrypted like the confirmed one:
    # the session store (database rows, backups) never holds it in clear.
    pending = request.session.get(TOTP_PENDING_KEY)
    secret = crypto.decrypt(pending) if pending else ""
    if not secret:
        secret = pyotp.random_base32()
        request.session[TOTP_PENDING_KEY] = crypto.encrypt(secret)
    form = TotpConfirmForm(request.POST or None, secret=secret)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = request.user
            user.totp_secret = secret
            user.totp_confirmed_at = timezone.now()
            user.totp_last_step = form.step
            set_history_user(user, user)
            user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
        del request.session[TOTP_PENDING_KEY]
        messages.success(request, _("Din app för engångskoder är nu kopplad till ditt konto."))
        return redirect("accounts:profile")
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=request.user.get_username(), issuer_name="Nora kommun sociala medier"
    )
    return render(
        request, "accounts/totp_enroll.html", {"form": form, "secret": secret, "uri": uri}
    )


def _profile_context(user, absence_form) -> dict:
    return {
        "person": user,
        "acknowledgements": user.policy_acknowledgements.select_related("policy"),
        "policy": selectors.current_policy(),
        "acknowledged": selectors.current_acknowledgement(user),
        "competences": with_platform_names(user.platform_competences.all()),
        "absences": user.absences.filter(ends_on__gte=timezone.localdate()),
        "absence_form": absence_form,
    }


@login_required
@require_safe
def profile(request):
    return render(request, "accounts/profile.html", _profile_context(request.user, AbsenceForm()))


def _policy_page(request, policy: PolicyVersion | None, *, current: PolicyVersion | None):
    return render(
        request,
        "accounts/policy.html",
        {
            "policy": policy,
            "document": parse(policy.text) if policy else None,
            "is_current": policy is not None and current is not None and policy.pk == current.pk,
            "current": current,
            "versions": selectors.policy_versions(),
            "acknowledged": selectors.current_acknowledgement(request.user)
            if policy is not None and policy == current
            else None,
            "may_publish": can_publish_policy(request.user),
        },
    )


@require_safe
def policy(request):
    """The current policy, with a table of contents and an anchor per section
    (§N links land here). A public document: adopted by the municipal council
    and published on nora.se, so no login is needed to read it."""
    current = selectors.current_policy()
    return _policy_page(request, current, current=current)


@require_safe
def policy_version(request, number: int):
    """An earlier (or the current) version, as it was published."""
    found = selectors.policy_versions().filter(number=number).first()
    if found is None:
        raise Http404
    return _policy_page(request, found, current=selectors.current_policy())


@login_required
@GET_POST
def policy_publish(request):
    """The information officer publishes the adopted policy as a new version."""
    if not can_publish_policy(request.user):
        raise PermissionDenied
    current = selectors.current_policy()
    initial = {"title": current.title} if current else {}
    form = PolicyPublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.policy_publish(actor=request.user, **form.cleaned_data)
        except services.PolicyError as error:
            for name, reasons in error.errors.items() or [("", [error.message])]:
                for reason in reasons:
                    form.add_error(name or None, reason)
        else:
            messages.success(
                request,
                _("%(version)s av policyn är publicerad. Alla ombeds läsa och kvittera den.")
                % {"version": published.label.capitalize()},
            )
            return redirect("accounts:policy")
    return render(
        request,
        "accounts/policy_publish.html",
        {"form": form, "current": current},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def acknowledge_policy(request):
    """§12: everyone who works with social media confirms they have read the
    current version of the policy."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Kryssa i att du har läst policyn."))
        return redirect("accounts:policy")
    try:
        policy_id = int(request.POST.get("policy", ""))
    except ValueError:
        policy_id = 0
    try:
        services.policy_acknowledge(user=request.user, actor=request.user, policy_id=policy_id)
    except services.PolicyError as error:
        messages.error(request, error.message)
        return redirect("accounts:policy")
    messages.success(request, _("Tack! Din kvittens av policyn är registrerad."))
    return redirect(_safe_next(request, reverse("accounts:profile")))


@login_required
@require_POST
def absence_add(request):
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.absence_register(user=request.user, actor=request.user, **form.cleaned_data)
        except services.AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Frånvaron är registrerad."))
            return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", _profile_context(request.user, form), status=400
    )


@login_required
@require_safe
def notifications(request):
    items = request.user.notifications.all()[:200]
    return render(request, "accounts/notifications.html", {"notifications": items})


@login_required
@require_POST
def notification_read(request, pk: int):
    # Someone else's notice is answered like a missing one (404): nothing leaks.
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification_id=notice.pk)
    return redirect(_safe_next(request, "/mina-sidor/notiser/"))
