"""Registering an account (§2–§4) and the as-you-type name check."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from channels_registry import hooks, member_services, services
from channels_registry.models import SocialAccount
from tests.factories import SocialAccountFactory

URL = reverse("channels_registry:account_create")
CHECK = reverse("channels_registry:name_check")


@pytest.fixture
def form_data(org, platform, blocklist):
    return {
        "platform": platform.pk,
        "display_name": "Nora kommun Näringsliv",
        "handle": "norakommunnaringsliv",
        "url": "https://www.facebook.com/norakommunnaringsliv",
        "unit": org["unit"].pk,
        "purpose": "Informera företagare.",
        "target_audience": "Företagare i Nora",
        "contact": "naringsliv@nora.se",
        "posts_min": 2,
        "posts_period": "month",
        "update_frequency_text": "Ett par gånger i månaden",
        "response_hours": 8,
        "response_clock": "calendar",
        "response_time_text": "Vi svarar inom åtta timmar",
        # New accounts come through an approved plan once the plans app is in;
        # one that existed before the policy may always be registered directly.
        "is_pre_existing": "on",
    }


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["staff", "outsider", "manager", "head", "registrar"])
def test_only_the_information_officer_may_register(request, client_for, form_data, persona):
    c = client_for(request.getfixturevalue(persona))
    assert c.get(URL).status_code == 403
    assert c.post(URL, form_data).status_code == 403
    assert not SocialAccount.objects.exists()


def test_information_officer_registers_a_planned_account_with_structured_promises(
    client_for, info_officer, form_data
):
    response = client_for(info_officer).post(URL, form_data)
    account = SocialAccount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("channels_registry:account_people", args=[account.pk])
    assert account.status == SocialAccount.Status.PLANNED
    assert (account.posts_min, account.posts_period) == (2, "month")
    assert (account.response_hours, account.response_clock) == (8, "calendar")
    assert account.update_frequency_text == "Ett par gånger i månaden"
    assert account.created_by == info_officer
    assert account.history.get().history_user == info_officer


def test_pre_existing_account_gets_a_plan_deadline_in_90_days(client_for, info_officer, form_data):
    client_for(info_officer).post(URL, form_data)
    account = SocialAccount.objects.get()
    assert account.is_pre_existing
    assert account.plan_due_on == timezone.localdate() + datetime.timedelta(days=90)


def test_the_form_offers_the_pre_existing_checkbox_and_the_name_check_script(
    client_for, info_officer, org
):
    html = client_for(info_officer).get(URL).content.decode()
    assert 'name="is_pre_existing"' in html
    assert "js/name_check.js" in html
    assert "<script>" not in html  # CSP: no inline script


def test_name_problems_are_shown_in_swedish_by_their_fields_and_nothing_is_saved(
    client_for, info_officer, form_data
):
    response = client_for(info_officer).post(
        URL, {**form_data, "display_name": "Näringsliv", "handle": "naringsliv"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert 'Visningsnamnet måste innehålla "Nora kommun" (§4).' in form.errors["display_name"]
    assert any("norakommun" in e for e in form.errors["handle"])
    html = response.content.decode()
    assert "Namnet följer inte namnreglerna." in html
    assert not SocialAccount.objects.exists()
    # Each reason once, by its field; the summary links to the fields.
    assert html.count("Visningsnamnet måste innehålla &quot;Nora kommun&quot;") == 1
    assert 'href="#id_display_name"' in html and 'href="#id_handle"' in html


def test_information_officer_may_override_a_name_with_a_reason(client_for, info_officer, form_data):
    response = client_for(info_officer).post(
        URL,
        {
            **form_data,
            "display_name": "Nora Näringsliv",
            "override_reason": "Etablerat namn sedan 2012.",
        },
    )
    assert response.status_code == 302
    account = SocialAccount.objects.get()
    assert account.naming_override_reason == "Etablerat namn sedan 2012."
    assert account.naming_override_by == info_officer


def test_duplicate_handle_is_refused_even_with_an_override_reason(
    client_for, info_officer, form_data, platform
):
    SocialAccountFactory(platform=platform, handle="nora_kommun_naringsliv")
    response = client_for(info_officer).post(URL, {**form_data, "override_reason": "Vi vill ändå."})
    assert response.status_code == 400
    assert (
        "Användarnamnet finns redan registrerat på den här plattformen."
        in response.context["form"].errors["handle"]
    )
    assert SocialAccount.objects.count() == 1


def test_refusal_from_a_direct_registration_hook_is_shown_as_a_form_error(
    client_for, info_officer, form_data
):
    def only_pre_existing(data, *, is_pre_existing):
        return [] if is_pre_existing else ["Ett nytt konto kommer till genom en godkänd plan."]

    hooks.register(hooks.DIRECT_REGISTRATION_PRECONDITIONS, only_pre_existing)
    try:
        c = client_for(info_officer)
        response = c.post(URL, {k: v for k, v in form_data.items() if k != "is_pre_existing"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Kontot kan inte registreras direkt." in html
        assert "Ett nytt konto kommer till genom en godkänd plan." in html
        assert response.context["form"]["is_pre_existing"].value() is False
        assert not SocialAccount.objects.exists()
        assert c.post(URL, form_data).status_code == 302
    finally:
        hooks.unregister(hooks.DIRECT_REGISTRATION_PRECONDITIONS, only_pre_existing)


def test_invalid_input_is_a_400_with_field_errors_not_a_500(client_for, info_officer, form_data):
    response = client_for(info_officer).post(
        URL, {**form_data, "posts_min": "0", "platform": "999999", "contact": ""}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"posts_min", "platform", "contact"} <= set(errors)


# --- name_check ---------------------------------------------------------------


def test_name_check_needs_login(client, db):
    assert client.get(CHECK).status_code == 302


def test_name_check_is_refused_to_whoever_proposes_no_account(client_for, registrar, platform):
    response = client_for(registrar).get(CHECK, {"platform": platform.pk, "handle": "x"})
    assert response.status_code == 403


def test_a_plan_author_checks_a_new_name_with_the_same_endpoint(client_for, staff, platform):
    """The activity plan's form uses the register's one name check (§4)."""
    response = client_for(staff).get(
        CHECK, {"platform": platform.pk, "display_name": "Näringsliv", "handle": "naringsliv"}
    )
    assert response.status_code == 200
    assert {"display_name", "handle"} <= {p["rule"] for p in response.json()["problems"]}


def test_name_check_returns_every_problem_as_json(client_for, info_officer, platform, blocklist):
    response = client_for(info_officer).get(
        CHECK, {"platform": platform.pk, "display_name": "Norakm info", "handle": "norakm"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert data["ok"] is False
    assert {p["rule"] for p in data["problems"]} == {"display_name", "handle", "abbreviation"}
    ok = client_for(info_officer).get(
        CHECK,
        {
            "platform": platform.pk,
            "display_name": "Nora kommun Kultur",
            "handle": "norakommunkultur",
        },
    )
    assert ok.json() == {"ok": True, "problems": []}


def test_name_check_for_an_account_excludes_itself_and_hides_other_units_accounts(
    client_for, staff, outsider, info_officer, org, platform
):

    account = SocialAccountFactory(unit=org["unit"], platform=platform, handle="norakommunkultur")
    member_services.member_add(
        account_id=account.pk, actor=info_officer, user=staff, role="owner", holds_credentials=True
    )
    params = {
        "account": account.pk,
        "display_name": account.display_name,
        "handle": account.handle,
    }
    assert client_for(staff).get(CHECK, params).json()["ok"] is True
    assert client_for(outsider).get(CHECK, params).status_code == 404


def test_name_check_without_a_platform_is_a_400(client_for, info_officer):
    response = client_for(info_officer).get(CHECK, {"handle": "norakommun"})
    assert response.status_code == 400
    assert response.json()["error"] == "Välj en plattform."


def test_registration_from_a_plan_is_refused_when_no_app_vouches_for_plans(
    info_officer, platform, org
):
    """Nobody answering the approved-plan check is a no: without the plans app
    there is no way to create a new account but a pre-existing registration."""
    from activity_plans.checks import approved_plan_problems

    hooks.unregister(hooks.APPROVED_PLAN_CHECKS, approved_plan_problems)
    try:
        data = services.AccountData(
            platform=platform,
            display_name="Nora kommun Test",
            handle="norakommuntest",
            unit=org["unit"],
            purpose="Test",
            contact="test@nora.se",
            update_frequency_text="Varje vecka",
            response_time_text="Inom en dag",
        )
        with pytest.raises(services.RegistryError) as caught:
            services.account_register_from_plan(actor=info_officer, plan_id=1, data=data)
        assert caught.value.message == (
            "Det finns ingen godkänd aktivitetsplan för den här ändringen."
        )
        assert not SocialAccount.objects.exists()
    finally:
        hooks.register(hooks.APPROVED_PLAN_CHECKS, approved_plan_problems)
