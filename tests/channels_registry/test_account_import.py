"""Reading in the accounts that existed before the policy (issue 16): a file of
500 accounts with ten kinds of error previews every error on its row and saves
nothing; the fixed file, once confirmed, is imported by the worker, all 500 in
one transaction, as pre-existing accounts with their 90-day plan deadline, their
people, and history with who and when; the run records it and is done once."""

import datetime
import io
import re
import time

import pytest
from celery.worker import state as worker_state
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Notification
from channels_registry.imports import runs, services
from channels_registry.imports.columns import parse
from channels_registry.imports.models import AccountImportRun
from channels_registry.imports.permissions import can_import_accounts
from channels_registry.imports.tasks import import_account_file
from channels_registry.models import AccountMember, SocialAccount
from nora_social.core.errors import ServiceError
from tests.celery_support import running_worker, wait_for
from tests.channels_registry.import_support import (
    HEADINGS,
    as_csv,
    as_xlsx,
    broken_rows,
    import_world,
    sound_rows,
)
from tests.factories import SocialAccountFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/register/konton/inlasning/"


@pytest.fixture
def world(org, info_officer, platform, blocklist):
    world = import_world(org)
    UserFactory(username="leaver", left_on=timezone.localdate() - datetime.timedelta(days=1))
    world["taken"] = SocialAccountFactory(
        platform=platform, handle="norakommunredanhar", unit=org["unit"]
    )
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client, data: bytes, name: str):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_every_error_of_500_rows_is_previewed_on_its_row_and_nothing_is_saved(world, info_officer):
    rows, expected = broken_rows(world, world["taken"].handle)
    client = _client(info_officer)
    before = SocialAccount.objects.count()
    response = _upload(client, as_csv(rows, "cp1252"), "konton.csv")
    body = response.content.decode()
    assert response.status_code == 200
    for line, message in expected:
        found = [p for p in response.context["failing"] if p.line == line]
        assert found, f"row {line} not listed"
        assert any(message in problem for problem in found[0].problems), (line, found[0].problems)
        assert f"Rad {line}: " in body
    assert {p.line for p in response.context["failing"]} == {line for line, _m in expected}
    assert "Läs in alla" not in body
    assert "channels_registry.account_import" not in client.session
    # Confirming anyway (a digest of the file) changes nothing.
    response = client.post(URL, {"digest": services.file_digest(as_csv(rows))})
    assert response.status_code == 302
    assert SocialAccount.objects.count() == before
    assert not AccountMember.objects.exists()


def _confirm(client, rows, name="konton.xlsx"):
    data = as_xlsx(rows) if name.endswith(".xlsx") else as_csv(rows)
    response = _upload(client, data, name)
    assert response.status_code == 200
    assert response.context["problem_count"] == 0
    digest = response.context["digest"]
    return digest, client.post(URL, {"digest": digest})


def _run_of(response) -> AccountImportRun:
    assert response.status_code == 302, response.content
    match = re.fullmatch(r"/register/konton/inlasning/(\d+)/", response["Location"])
    assert match, response["Location"]
    return AccountImportRun.objects.get(pk=int(match.group(1)))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_fixed_file_imports_all_500_accounts_in_the_worker(world, info_officer, redis_url):
    rows = sound_rows(world, 500)
    client = _client(info_officer)
    before = SocialAccount.objects.count()
    with running_worker(redis_url, "nora-test-account-import"):
        started = time.perf_counter()
        digest, response = _confirm(client, rows)
        run = _run_of(response)
        # The request returns at once; the page says the run waits or runs.
        page = client.get(response["Location"]).content.decode()
        assert "Inläsningen har startat." in page
        assert wait_for(
            lambda: AccountImportRun.objects.get(pk=run.pk).finished, timeout=600, interval=1
        )
        seconds = time.perf_counter() - started
        run.refresh_from_db()
        assert run.status == run.Status.DONE, run.error
        # A second delivery of the same task (a redelivered message) imports nothing.
        done = worker_state.all_total_count[0]
        import_account_file.apply_async(args=[run.pk])
        assert wait_for(lambda: worker_state.all_total_count[0] >= done + 1, timeout=60)
    print(f"\nimport of 500 rows in the worker: {seconds:.1f} s from confirmation to done")
    imported = SocialAccount.objects.filter(is_pre_existing=True)
    assert imported.count() == 500 == SocialAccount.objects.count() - before
    assert sorted(run.account_ids) == sorted(imported.values_list("pk", flat=True))
    assert run.digest == digest and run.started_by == info_officer
    assert (run.total_rows, run.created_accounts) == (500, 500)
    due = timezone.localdate() + datetime.timedelta(days=90)
    assert set(imported.values_list("plan_due_on", flat=True)) == {due}
    assert set(imported.values_list("status", flat=True)) == {SocialAccount.Status.PLANNED}
    others = sum(1 for r in rows if r["others"])
    assert AccountMember.objects.count() == 1000 + others == run.created_members
    assert AccountMember.objects.filter(role="owner", holds_credentials=True).count() == 500
    assert AccountMember.objects.filter(role="deputy", holds_credentials=True).count() == 500
    first = imported.get(handle=rows[0]["handle"])
    assert first.members.get(role="deputy").user.username == "person06"
    assert first.members.get(role="admin").user.username == "person01"
    # The owner and deputy may manage the account (object permissions, as by hand).
    assert first.members.get(role="owner").user.has_perm(
        "channels_registry.change_socialaccount", first
    )
    history = SocialAccount.history.filter(id__in=imported.values("pk"))
    assert history.count() == 500
    assert set(history.values_list("history_user", flat=True)) == {info_officer.pk}
    reason = f"fil SHA-256 {digest[:16]}"
    assert all(reason in r for r in history.values_list("history_change_reason", flat=True))
    member_history = AccountMember.history.filter(account_id__in=imported.values("pk"))
    assert member_history.count() == 1000 + others
    assert set(member_history.values_list("history_user", flat=True)) == {info_officer.pk}
    # The run's own history: queued, running, done, each as the officer's.
    assert list(run.history.order_by("history_id").values_list("status", flat=True)) == [
        "queued",
        "running",
        "done",
    ]
    assert set(run.history.values_list("history_user", flat=True)) == {info_officer.pk}
    # The officer is told once, and the page lists every account with its link.
    notices = Notification.objects.filter(recipient=info_officer, subject__contains="klar")
    assert notices.count() == 1
    page = client.get(notices.get().url).content.decode()
    assert "Klar: 500 konton är inlästa" in page
    assert f'href="/register/konton/{first.pk}/"' in page
    # The confirmation is spent: a second one imports nothing.
    client.post(URL, {"digest": digest})
    assert SocialAccount.objects.count() - before == 500


def test_queries_per_row_of_the_import(world, info_officer, django_capture_on_commit_callbacks):
    rows = sound_rows(world, 100)
    data = as_csv(rows)
    with django_capture_on_commit_callbacks():  # queued, but no worker: run here
        run = runs.run_start(actor=info_officer, name="konton.csv", data=data, rows=100)
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with django_capture_on_commit_callbacks() as callbacks, connection.execute_wrapper(count):
        runs.run_import(run.pk)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    assert run.status == run.Status.DONE and run.created_accounts == 100
    # The sweep re-checks each account after the commit.
    assert len(callbacks) >= 100
    per_row = len(queries) / 100
    print(f"\nimport of 100 rows: {seconds:.1f} s, {len(queries)} queries, {per_row:.1f} per row")
    assert per_row < 60


def test_the_preview_costs_the_same_queries_for_10_and_500_rows(world, info_officer):
    def count(n: int) -> int:
        data = as_csv(sound_rows(world, n), "utf-8", bom=True)
        with CaptureQueriesContext(connection) as queries:
            plans = services.preview(actor=info_officer, name="konton.csv", data=data)
        assert len(plans) == n and not services.problems_of(plans)
        return len(queries)

    count(1)  # the officer's permissions, read once per request
    assert count(10) == count(500)


def test_csv_in_windows_1252_and_utf8_with_bom_read_alike(world):
    rows = sound_rows(world, 3)
    for data in (as_csv(rows, "cp1252"), as_csv(rows, "utf-8", bom=True)):
        parsed = parse("konton.csv", data)
        assert parsed[1]["unit"] == "Förskolan Äpplet"
        assert parsed[0]["purpose"].endswith("åäö.")


def test_a_problem_found_at_import_saves_nothing_and_the_run_says_why(
    world, info_officer, django_capture_on_commit_callbacks
):
    """Between preview and import someone registered one of the handles."""
    rows = sound_rows(world, 5)
    client = _client(info_officer)
    with django_capture_on_commit_callbacks():
        _digest, response = _confirm(client, rows, "konton.csv")
    run = _run_of(response)
    SocialAccountFactory(
        platform=world["taken"].platform, handle=rows[3]["handle"], unit=world["units"][0]
    )
    before = SocialAccount.objects.count()
    runs.run_import(run.pk)
    run.refresh_from_db()
    assert run.status == run.Status.FAILED
    assert run.error == "Filen har fel. Inget har sparats."
    assert any("Rad 5: Användarnamnet finns redan registrerat" in p for p in run.problems)
    assert SocialAccount.objects.count() == before
    assert not AccountMember.objects.exists()
    assert run.account_ids == [] and run.created_accounts == 0
    page = client.get(f"{URL}{run.pk}/").content.decode()
    assert "Inläsningen misslyckades. Inget från filen har sparats." in page
    assert "Rad 5: Användarnamnet finns redan registrerat" in page
    assert Notification.objects.filter(
        recipient=info_officer, subject="Inläsningen av konton misslyckades"
    ).exists()
    # The import page lists the run with its state.
    listed = client.get(URL).content.decode()
    assert f'href="{URL}{run.pk}/"' in listed and "Misslyckades" in listed
    # Running the task again neither imports nor tells anyone twice.
    runs.run_import(run.pk)
    assert SocialAccount.objects.count() == before
    assert Notification.objects.filter(recipient=info_officer).count() == 1


def test_a_second_delivery_of_a_done_run_imports_nothing(
    world, info_officer, django_capture_on_commit_callbacks
):
    data = as_csv(sound_rows(world, 3))
    with django_capture_on_commit_callbacks():
        run = runs.run_start(actor=info_officer, name="k.csv", data=data, rows=3)
        # The same file confirmed twice (a double click) is one run.
        again = runs.run_start(actor=info_officer, name="k.csv", data=data, rows=3)
    assert again.pk == run.pk
    runs.run_import(run.pk)
    runs.run_import(run.pk)
    assert SocialAccount.objects.filter(is_pre_existing=True).count() == 3
    run.refresh_from_db()
    assert run.status == run.Status.DONE
    assert run.history.filter(status="done").count() == 1


def test_only_the_starter_and_the_information_officer_see_a_run(
    world, info_officer, staff, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        run = runs.run_start(
            actor=info_officer, name="k.csv", data=as_csv(sound_rows(world, 1)), rows=1
        )
    url = reverse("channels_registry:account_import_run", args=[run.pk])
    page = _client(info_officer).get(url)
    assert page.status_code == 200
    assert "Väntar på att starta" in page.content.decode()
    assert "Uppdatera" in page.content.decode()
    for person in (staff, org["manager"]):
        assert _client(person).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    # A colleague who may import, but is not the information officer, does not see it.
    colleague = UserFactory(username="kollega")
    colleague.user_permissions.add(
        Permission.objects.get(
            codename="register_account", content_type__app_label="channels_registry"
        )
    )
    assert can_import_accounts(colleague)
    assert _client(colleague).get(url).status_code == 404
    assert _client(info_officer).post(url).status_code == 405


def test_the_confirmation_must_name_the_previewed_file(world, info_officer):
    client = _client(info_officer)
    _upload(client, as_csv(sound_rows(world, 2)), "konton.csv")
    response = client.post(URL, {"digest": "0" * 64}, follow=True)
    assert "Ladda upp filen igen" in response.content.decode()
    assert not SocialAccount.objects.filter(is_pre_existing=True).exists()


def test_naming_exception_with_a_reason_is_granted_and_recorded(world, info_officer):
    rows = sound_rows(world, 1)
    rows[0]["display_name"] = "Biblioteket i Nora"
    rows[0]["override_reason"] = "Namnet är inarbetat sedan 2010."
    accounts = services.import_accounts(actor=info_officer, name="k.csv", data=as_csv(rows))
    assert accounts[0].naming_override_reason == "Namnet är inarbetat sedan 2010."
    assert accounts[0].naming_override_by == info_officer


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "tom"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x81\x81", "går inte att läsa som kalkylblad"),
        (b"PK\x03\x04 not really a zip", "går inte att läsa som en Excel-fil"),
        ("Förvaltning;Enhet\r\nA;B\r\n".encode("cp1252"), "Kolumner saknas: Plattform"),
    ],
)
def test_a_bad_file_gets_a_swedish_message_and_saves_nothing(world, info_officer, data, message):
    data = data.encode() if isinstance(data, str) else data
    response = _upload(_client(info_officer), data, "konton.csv")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SocialAccount.objects.filter(is_pre_existing=True).exists()


def test_too_many_rows_are_refused(world, info_officer):
    data = as_csv(sound_rows(world, 1) * 5001)
    response = _upload(_client(info_officer), data, "konton.csv")
    assert response.status_code == 400
    assert "för många rader (högst 5000)" in response.content.decode()


def test_only_the_information_officer_may_import(world, staff, org):
    for person in (staff, org["manager"]):
        client = _client(person)
        assert client.get(URL).status_code == 403
        assert _upload(client, as_csv(sound_rows(world, 1)), "k.csv").status_code == 403
        assert client.get(reverse("channels_registry:account_import_template")).status_code == 403
    with pytest.raises(ServiceError):
        services.import_accounts(actor=staff, name="k.csv", data=as_csv(sound_rows(world, 1)))
    assert not SocialAccount.objects.filter(is_pre_existing=True).exists()


def test_the_template_explains_every_column_in_swedish_and_reads_back(world, info_officer):
    client = _client(info_officer)
    response = client.get(reverse("channels_registry:account_import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADINGS
    explained = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows(min_row=2)}
    assert set(explained) == set(HEADINGS)
    assert "e-postadress" in explained["Kontoansvarig"]
    with pytest.raises(ServiceError, match="Filen har inga konton"):
        services.import_accounts(actor=info_officer, name="mall.xlsx", data=response.content)
    csv_template = client.get(reverse("channels_registry:account_import_template") + "?format=csv")
    assert csv_template.content.startswith(b"\xef\xbb\xbf")
    assert parse("mall.csv", csv_template.content) == []


def test_previews_are_rate_limited_per_person(world, info_officer):
    from channels_registry.imports import views

    client = _client(info_officer)
    data = as_csv(sound_rows(world, 1))
    statuses = [_upload(client, data, "k.csv").status_code for _ in range(views.PREVIEW_LIMIT + 1)]
    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {200}
