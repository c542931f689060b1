"""The admin is a second door into every table, and it knows none of the rules the
services enforce. Every model in the admin is checked here:

- django-simple-history's history form (``<id>/history/<history_id>/``) saved any
  POST from a user with view permission: a POST to it is refused (403) for every
  model, for a user with view permission, with change permission, and for a
  superuser, and no row changes;
- records and rule-bearing models cannot be added, changed or deleted in the
  admin, even by a superuser; nothing is deleted in the admin at all;
- no admin action exists that could change state around the services."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from accounts.models import Absence, ExternalIdentity, GroupMapping, LoginEvent
from archive.models import SecrecyProvision
from channels_registry import services as registry_services
from channels_registry.escrow import services as escrow_services
from channels_registry.models import (
    AccessRequest,
    BlockedAbbreviation,
    BusinessRole,
    ChecklistConfirmation,
    ChecklistItem,
    Finding,
    SocialAccount,
    SweepRun,
)
from moderation.models import Post, PostCorrection
from nora_social.core.admin_base import NoraAdmin, has_simple_history
from tests.factories import UserFactory
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401

# django-axes's own admin: its logs are read-only there, and deleting an attempt is
# how a locked-out user is let in again before the cool-off ends.
THIRD_PARTY = {"axes"}

# The reference lists with no staff page of their own, edited in the admin.
EDITABLE = {
    "accounts.User",
    "accounts.Administration",
    "accounts.Unit",
    "accounts.Substitute",
    "channels_registry.BlockedAbbreviation",
    "archive.SecrecyProvision",
}


def project_admins():
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label not in THIRD_PARTY
        ),
        key=lambda pair: pair[0]._meta.label,
    )


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot(model) -> dict:
    """Every row of the model and how many history rows it has."""
    rows = {
        obj.pk: {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        for obj in model._default_manager.all()
    }
    history = model.history.count() if has_simple_history(model) else None
    return {"rows": rows, "history": history}


def history_of(model, obj):
    return model.history.filter(**{model._meta.pk.attname: obj.pk})


def form_data(content: bytes) -> dict:
    """The values of the admin page's form, every text changed."""
    tree = lxml_html.fromstring(content)
    form = next(f for f in tree.forms if (f.method or "").upper() == "POST")
    data = {}
    for name, value in form.form_values():
        data[name] = value if name == "csrfmiddlewaretoken" or not value else f"{value} (ändrad)"
    return data


def staff_with(model, *actions: str):
    user = UserFactory(is_staff=True)
    for action in actions:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label=model._meta.app_label,
                codename=f"{action}_{model._meta.model_name}",
            )
        )
    return user


@pytest.fixture
def every_kind_of_row(personas, world):
    """A row of each model the world does not already hold."""
    staff = personas["staff"]
    account = SocialAccount.objects.get(pk=world["own"]["account"])
    Absence.objects.create(user=staff, starts_on=timezone.localdate(), ends_on=timezone.localdate())
    BlockedAbbreviation.objects.get_or_create(term="BUN")
    SecrecyProvision.objects.get_or_create(
        provision="OSL 21 kap. 7 §", defaults={"description": "Personuppgifter"}
    )
    ChecklistConfirmation.objects.create(
        account=account, item=ChecklistItem.values[0], confirmed_by=staff
    )
    BusinessRole.objects.create(account=account, user=staff, platform_role="Redaktör")
    PostCorrection.objects.create(
        post=Post.objects.filter(account=account).first(),
        what_was_wrong="Fel datum",
        correction_text="Rätt datum",
        corrected_at=timezone.now(),
        logged_by=staff,
    )
    Finding.objects.create(rule_code="deputy", account=account, severity="high", message="Saknas")
    SweepRun.objects.create()
    ExternalIdentity.objects.create(
        provider=ExternalIdentity.Provider.OIDC, subject="sub-staff", user=staff
    )
    GroupMapping.objects.create(idp_group="nora-medarbetare", role="medarbetare")
    LoginEvent.objects.create(user=staff, method=LoginEvent.Method.values[0])
    for model, _model_admin in project_admins():
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {model._meta.label} row to try"
        if has_simple_history(model) and not history_of(model, obj).exists():
            obj.save()  # rows made by migrations have no history yet


def test_every_admin_in_the_project_is_a_nora_admin():
    wrong = [
        model._meta.label
        for model, model_admin in project_admins()
        if not isinstance(model_admin, NoraAdmin)
    ]
    assert not wrong, wrong


def test_the_history_pages_never_offer_a_revert(settings):
    assert getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False) is True


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["view", "change", "superuser"])
def test_a_post_to_any_history_form_is_refused_and_changes_nothing(
    personas, world, every_kind_of_row, who
):
    """The history form only shows an old version; nobody saves through it."""
    tracked = [(m, a) for m, a in project_admins() if has_simple_history(m)]
    assert len(tracked) >= 20
    failures = []
    for model, _model_admin in tracked:
        if who == "superuser":
            user = UserFactory(is_staff=True, is_superuser=True)
        else:
            user = staff_with(model, *(["view"] if who == "view" else ["view", "change"]))
        client = Client()
        client.force_login(user)
        obj = model._default_manager.order_by("pk").first()
        version = history_of(model, obj).earliest("history_id")
        form_url = url(model, "simple_history", obj.pk, version.history_id)
        page = client.get(form_url)
        if page.status_code != 200:
            failures.append(f"{model._meta.label}: GET {page.status_code}")
            continue
        assert b'name="_save"' not in page.content, model._meta.label
        before = snapshot(model)
        response = client.post(form_url, form_data(page.content))
        if response.status_code != 403:
            failures.append(f"{model._meta.label}: POST answered {response.status_code}")
        if snapshot(model) != before:
            failures.append(f"{model._meta.label}: a row or its history changed")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_view_only_user_cannot_grant_an_access_request_through_its_history(personas, world):
    """The review's case: a grant "by" the information officer that the escrow
    log never saw would let the requester reveal the password."""
    request_pk = world["own"]["access_request"]
    viewer = staff_with(AccessRequest, "view")
    client = Client()
    client.force_login(viewer)
    version = AccessRequest.history.filter(id=request_pk).earliest("history_id")
    form_url = url(AccessRequest, "simple_history", request_pk, version.history_id)
    data = form_data(client.get(form_url).content)
    data.update(
        status=AccessRequest.Status.GRANTED,
        decided_by=str(personas["info_officer"].pk),
        valid_until_0="2030-01-01",
        valid_until_1="00:00:00",
    )
    assert client.post(form_url, data).status_code == 403
    request = AccessRequest.objects.get(pk=request_pk)
    assert request.status == AccessRequest.Status.PENDING
    assert request.decided_by is None
    with pytest.raises(registry_services.RegistryError):
        escrow_services.escrow_reveal(
            account_id=request.account_id, actor=request.requested_by, reason="Semester"
        )


@pytest.mark.django_db
def test_records_cannot_be_added_changed_or_deleted_even_by_a_superuser(
    personas, world, every_kind_of_row
):
    root = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    failures = []
    for model, _model_admin in project_admins():
        label = model._meta.label
        obj = model._default_manager.order_by("pk").first()
        before = snapshot(model)
        page = client.get(url(model, "change", obj.pk))
        if page.status_code != 200:
            failures.append(f"{label}: change page {page.status_code}")
            continue
        delete = client.post(url(model, "delete", obj.pk), {"post": "yes"})
        if delete.status_code != 403:
            failures.append(f"{label}: delete answered {delete.status_code}")
        if label not in EDITABLE:
            if b'name="_save"' in page.content:
                failures.append(f"{label}: the change page offers to save")
            posted = client.post(url(model, "change", obj.pk), form_data(page.content))
            if posted.status_code != 403:
                failures.append(f"{label}: change POST answered {posted.status_code}")
            if client.get(url(model, "add")).status_code != 403:
                failures.append(f"{label}: the add page answers")
        if snapshot(model) != before:
            failures.append(f"{label}: rows changed")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_no_admin_offers_an_action(personas, world):
    """Bulk changes (and the stock "delete selected") would go around the services."""
    root = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    request = client.get(reverse("admin:index")).wsgi_request
    offering = {
        model._meta.label: sorted(model_admin.get_actions(request))
        for model, model_admin in project_admins()
        if model_admin.get_actions(request)
    }
    assert not offering, offering


@pytest.mark.django_db
def test_the_account_admin_cannot_rename_a_published_account(personas, world):
    """Name, handle, purpose, platform and unit of an active account are published
    at once; only the services check them (§2–§4)."""
    root = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    account = SocialAccount.objects.get(pk=world["own"]["account"])
    change_url = url(SocialAccount, "change", account.pk)
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="display_name"' not in page.content
    data = {
        "display_name": "Billiga klockor 24/7",
        "handle": "billigaklockor",
        "purpose": "Reklam",
        "platform": str(account.platform_id),
        "unit": str(personas["org"]["other_unit"].pk),
    }
    assert client.post(change_url, data).status_code == 403
    after = model_to_dict(SocialAccount.objects.get(pk=account.pk))
    assert after == model_to_dict(account)
