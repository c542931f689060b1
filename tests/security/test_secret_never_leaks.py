"""The deposited secret is found on the reveal page and nowhere else (issue 8).

One realistic flow touches the account: the plan is approved through the
decision pages (its PDF/A is stored and mailed), the owner deposits a shared
login through the escrow pages after step-up, the checklist is confirmed and
the account activated, people change, posts, moderation actions with a
screenshot and questions are logged, a snapshot PDF/A is made by the Celery task,
the compliance sweep and the digests run, the registrar downloads the archive
export, the information officer reveals the access and ``backup`` writes the
encrypted archive.

Then every place a secret could end up is searched: every page each role can
reach by following same-origin links from its start pages (so a new page is
covered without touching this test), ``/konton.json``, every log record of
every logger at DEBUG (SQL included), every mail with its decoded parts and
attachments, every history row of every model registered with simple-history,
every column of every table raw, every file under MEDIA_ROOT, the export zip
and the backup (decrypted with the key: the database dump and the files). PDFs
are searched as raw streams, decompressed streams and extracted text. The
secret is looked for as typed, URL-encoded, JSON-escaped and base64 (at every
byte alignment, so it is caught inside a longer base64 text too)."""

import base64
import datetime
import email
import gzip
import io
import json
import logging
import re
import tarfile
import zipfile
from collections import deque
from pathlib import Path
from urllib.parse import quote, quote_plus, urljoin, urlsplit

import pikepdf
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from simple_history.models import registered_models
from simple_history.utils import get_history_model_for_model

from activity_plans import copies as plan_copies
from activity_plans import services as plan_services
from activity_plans.models import ActivityPlan
from archive.snapshots import services as snapshots
from channels_registry.escrow import services as escrow_services
from channels_registry.models import EscrowDeposit, SocialAccount
from channels_registry.selectors import required_checklist_items
from moderation import questions as moderation_questions
from moderation import services as moderation_services
from moderation.categories import Category
from nora_social import backup
from nora_social.celery import app as celery_app
from tests.activity_plans.conftest import complete_values
from tests.archive.snapshot_helpers import png
from tests.channels_registry.escrow_support import (
    logged_in,
    shared_login_data,
    shared_login_platform,
    stepped_up,
)
from tests.factories import (
    AcknowledgementFactory,
    CompetenceFactory,
    UserFactory,
    account_address,
)

# Distinctive, with a non-ASCII letter, a space and URL-special characters, so
# that its URL-encoded, JSON-escaped and base64 forms all differ from it.
SECRET_PASSWORD = "Älgkalv Zebra#4471/Kvarg+Nora"
SECRET_CODES = ("NORA-RK-58213-ÖSTERLEN", "NORA-RK-90417-VÄSTERÅS")
SECRETS = (SECRET_PASSWORD, *SECRET_CODES)
REVEAL_PAGE = "the reveal page"

CRAWL_ROLES = (
    "anonymous",
    "staff",
    "manager",
    "head",
    "info_officer",
    "registrar",
    "security_coordinator",
)
# Not followed: the static files, the language switch, logout and the admin's own
# pages (every role here answers there with the admin login).
CRAWL_SKIP = ("/static/", "/i18n/", "/logga-ut/", "/admin/")
CRAWL_LIMIT = 600
VARIANTS_PER_PATH = 4


# --- The needles ------------------------------------------------------------------


def _base64_cores(data: bytes) -> set[bytes]:
    """The part of the base64 text that depends only on ``data``, at each of the
    three byte alignments it can have inside a longer encoded text."""
    cores = set()
    for shift in range(3):
        end = shift + len(data)
        first, last = -(-shift // 3), end // 3  # whole 3-byte groups inside data
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * shift + data + b"\0\0")
            cores.add(encoded[first * 4 : last * 4])
    return {core for core in cores if len(core) >= 12}


def needles(secret: str) -> dict[bytes, str]:
    raw = secret.encode("utf-8")
    found = {
        raw: "as typed",
        quote(secret).encode(): "URL-encoded",
        quote(secret, safe="").encode(): "URL-encoded",
        quote_plus(secret).encode(): "form-encoded",
        json.dumps(secret)[1:-1].encode(): "JSON-escaped",
    }
    for core in _base64_cores(raw):
        found[core] = "base64"
    return found


NEEDLES = {secret: needles(secret) for secret in SECRETS}
SQUEEZED = {secret: re.sub(r"\s+", "", secret) for secret in SECRETS}


def leaks_in(data: bytes) -> list[str]:
    hits = []
    for secret, forms in NEEDLES.items():
        for needle, form in forms.items():
            if needle in data:
                hits.append(f"{secret!r} {form}")
    return hits


class Haystack:
    """Everything searched, each with where it came from."""

    def __init__(self):
        self.places: list[tuple[str, bytes]] = []

    def add(self, where: str, data) -> None:
        if isinstance(data, memoryview):
            data = data.tobytes()
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        self.places.append((where, data))
        if data.startswith(b"%PDF"):
            self.add_pdf(where, data)
        elif data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                for name in package.namelist():
                    self.add(f"{where} » {name}", package.read(name))

    def add_pdf(self, where: str, data: bytes) -> None:
        streams, text = pdf_contents(data)
        for number, stream in enumerate(streams):
            self.add(f"{where} (PDF stream {number})", stream)
        self.add(f"{where} (PDF text)", text)
        squeezed = re.sub(r"\s+", "", text)
        for secret, needle in SQUEEZED.items():
            if needle in squeezed:
                self.places.append((f"{where} (PDF text)", secret.encode()))

    def leaks(self) -> dict[str, list[str]]:
        found = {}
        for where, data in self.places:
            hits = leaks_in(data)
            if hits:
                found.setdefault(where, []).extend(hits)
        return found

    def pdf_text_of(self, where_prefix: str) -> str:
        return "\n".join(
            d.decode("utf-8")
            for w, d in self.places
            if w.startswith(where_prefix) and w.endswith("(PDF text)")
        )


# --- PDF text with pikepdf --------------------------------------------------------

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _to_unicode(font) -> tuple[dict[int, str], int]:
    """The font's code → text map from its ToUnicode CMap, and its code width."""
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    mapping: dict[int, str] = {}
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return mapping, width
    data = cmap.read_bytes()

    def text(hex_bytes: bytes) -> str:
        return bytes.fromhex(hex_bytes.decode()).decode("utf-16-be", "replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        pairs = _HEX.findall(block)
        for src, dst in zip(pairs[::2], pairs[1::2], strict=False):
            mapping[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in block.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) < 3:
                continue
            low, high = int(parts[0], 16), int(parts[1], 16)
            if b"[" in line:
                for offset, dst in enumerate(parts[2:]):
                    mapping[low + offset] = text(dst)
            else:
                start = bytes.fromhex(parts[2].decode())
                for offset in range(high - low + 1):
                    value = int.from_bytes(start, "big") + offset
                    mapping[low + offset] = value.to_bytes(len(start), "big").decode(
                        "utf-16-be", "replace"
                    )
    return mapping, width


def _decode(raw: bytes, font_map) -> str:
    mapping, width = font_map
    if not mapping:
        return raw.decode("latin-1")
    codes = (int.from_bytes(raw[i : i + width], "big") for i in range(0, len(raw), width))
    return "".join(mapping.get(code, "") for code in codes)


def _content_text(content, resources, depth=0) -> str:
    fonts = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    cache: dict[str, tuple] = {}
    font_map: tuple = ({}, 1)
    out = []
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "Tf" and operands:
            name = str(operands[0])
            if name not in cache:
                cache[name] = _to_unicode(fonts[name]) if name in fonts else ({}, 1)
            font_map = cache[name]
        elif op in ("Tj", "'", '"') and operands:
            out.append(_decode(bytes(operands[-1]), font_map))
        elif op == "TJ" and operands:
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    out.append(_decode(bytes(item), font_map))
        elif op == "ET":
            out.append("\n")
        elif op == "Do" and operands and depth < 5:
            inner = xobjects.get(str(operands[0]))
            if inner is not None and inner.get("/Subtype") == "/Form":
                out.append(_content_text(inner, inner.get("/Resources", resources), depth + 1))
    return "".join(out)


def pdf_contents(data: bytes) -> tuple[list[bytes], str]:
    """Every stream decoded (content, fonts, XMP, embedded files) and the text of
    every page."""
    streams, texts = [], []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    streams.append(obj.read_bytes())
                except pikepdf.PdfError:
                    streams.append(obj.read_raw_bytes())
        for page in pdf.pages:
            texts.append(_content_text(page.obj, page.obj.get("/Resources")))
    return streams, "\n".join(texts)


# --- Capturing the log ------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        extra = {
            k: v
            for k, v in record.__dict__.items()
            if k not in logging.LogRecord("", 0, "", 0, "", (), None).__dict__
        }
        exc = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        self.lines.append(
            f"{record.name} {record.levelname} {record.getMessage()} "
            f"args={record.args!r} extra={extra!r} {exc} {record.stack_info or ''}"
        )


@pytest.fixture
def every_log_record():
    """A handler on the root logger at DEBUG; loggers configured quieter
    (django.request, celery, …) are opened to DEBUG too, and SQL is logged."""
    handler = _Collect()
    root = logging.getLogger()
    names = [
        "",
        "django",
        "django.request",
        "django.server",
        "django.security",
        "django.db.backends",
        "django.template",
        "celery",
        "celery.app.trace",
        "celery.task",
        "axes",
        *sorted(logging.root.manager.loggerDict),
    ]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(handler)
    connection.force_debug_cursor = True
    try:
        yield handler
    finally:
        connection.force_debug_cursor = False
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def celery_eager():
    """Tasks run in this process, so their work (snapshot PDF, re-check sweep) and
    their log lines are part of the flow; nothing is left queued in Redis."""
    before = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before


# --- The flow ---------------------------------------------------------------------


def _ok(response, expected=302) -> None:
    assert response.status_code == expected, (
        response.status_code,
        response.content[:2000].decode("utf-8", "replace"),
    )


def run_flow(people, tmp_path, on_commit) -> dict:
    staff, colleague, manager, head = (people[k] for k in ("staff", "colleague", "manager", "head"))
    info_officer, registrar = people["info_officer"], people["registrar"]
    platform = shared_login_platform()
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)

    # The plan through its chain; the last approval puts the account in the register.
    with on_commit(execute=True):
        plan = plan_services.plan_create(
            actor=staff, values=complete_values(platform, staff, colleague)
        )
        plan_services.plan_submit(plan_id=plan.pk, actor=staff)
    for approver in (manager, head, info_officer):
        with on_commit(execute=True):
            _ok(
                logged_in(approver).post(
                    reverse("activity_plans:plan_decide", args=[plan.pk]),
                    {"decision": "approve", "comment": "Godkänd."},
                )
            )
    # The PDF/A and its copy by mail, as the worker's task makes them after commit.
    with on_commit(execute=True):
        plan_copies.plan_pdf_make(plan_id=plan.pk, actor_id=info_officer.pk)
    plan = ActivityPlan.objects.get(pk=plan.pk)
    account = plan.account
    assert plan.pdf and account.status == SocialAccount.Status.PLANNED

    # The owner deposits the shared login after step-up, through the pages.
    owner = stepped_up(staff)
    deposit_url = reverse("channels_registry:escrow_deposit", args=[account.pk])
    assert owner.get(deposit_url).status_code == 200
    with on_commit(execute=True):
        _ok(
            owner.post(
                deposit_url,
                shared_login_data(password=SECRET_PASSWORD, recovery_codes="\n".join(SECRET_CODES)),
            )
        )
    # The account's real address, once it exists on the platform (§4, §10).
    with on_commit(execute=True):
        _ok(
            owner.post(
                reverse("channels_registry:account_address", args=[account.pk]),
                {"url": account_address(account.platform, account.handle)},
            )
        )
    checklist_url = reverse("channels_registry:account_checklist", args=[account.pk])
    for item in required_checklist_items(account):
        with on_commit(execute=True):
            _ok(owner.post(checklist_url, {"action": "confirm", "item": item, "note": "Klart"}))
    with on_commit(execute=True):
        _ok(
            logged_in(manager).post(
                reverse("channels_registry:account_activate", args=[account.pk])
            )
        )
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.ACTIVE

    # People: a new administrator who holds the credentials.
    newcomer = UserFactory(
        username="nykomling", unit=staff.unit, roles=["medarbetare"], email="ny@nora.se"
    )
    with on_commit(execute=True):
        _ok(
            owner.post(
                reverse("channels_registry:account_people", args=[account.pk]),
                {"user": newcomer.pk, "role": "admin", "holds_credentials": "on"},
            )
        )

    # Moderation: a post through its form, an action with a screenshot, a question.
    now = timezone.now()
    with on_commit(execute=True):
        _ok(
            owner.post(
                reverse("moderation:post_create", args=[account.pk]),
                {
                    "author": staff.pk,
                    "published_at": timezone.localtime(now - datetime.timedelta(hours=3)).strftime(
                        "%Y-%m-%dT%H:%M"
                    ),
                    "text": "Välkommen till höstmarknaden!",
                    "link": "",
                },
            )
        )
        moderation_services.action_log(
            account_id=account.pk,
            actor=staff,
            data=moderation_services.ActionData(
                action="deleted",
                origin="citizen",
                category=Category.OLAGA_HOT,
                reason="Hot mot en anställd.",
                content_author="Anonym",
                content_text="Ett hot.",
            ),
            screenshot=png("hot.png"),
        )
        moderation_questions.question_log(
            account_id=account.pk,
            actor=staff,
            received_at=now - datetime.timedelta(hours=1),
            asker="Eva",
            text="När öppnar badet?",
        )

    # A snapshot: screenshots uploaded, the PDF/A made by the (eager) Celery task.
    with on_commit(execute=True):
        made = snapshots.snapshot_request_create(
            account_id=account.pk, actor=staff, reason="major_change", note="Ny profilbild."
        )
        snapshots.screenshot_add(
            request_id=made.pk, actor=staff, upload=png(), caption="Profilsidan"
        )
        snapshots.snapshot_make_start(request_id=made.pk, actor=staff)
    assert account.snapshots.exists(), "the snapshot task did not make the PDF"

    # The sweep and the digests; an access request and its grant.
    with on_commit(execute=True):
        call_command("run_compliance", stdout=io.StringIO())
        call_command("send_digests", stdout=io.StringIO())
        request = escrow_services.access_request_create(
            account_id=account.pk, actor=manager, reason="Semestertäckning"
        )
        escrow_services.access_request_decide(
            request_id=request.pk,
            actor=info_officer,
            grant=True,
            hours=24,
            note="Beviljas.",
        )

    # The registrar downloads the archive export for the account.
    export = logged_in(registrar).post(reverse("archive:export_package"), {"account": account.pk})
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    export_bytes = b"".join(export.streaming_content)

    # The information officer reveals the access, with a reason.
    with on_commit(execute=True):
        revealed = stepped_up(info_officer).post(
            reverse("channels_registry:escrow_reveal", args=[account.pk]),
            {"reason": "Kontoansvarig är sjuk, vi behöver logga in."},
        )
    assert revealed.status_code == 200

    # The backup, with the stored files.
    archive_path = tmp_path / "backups" / "nora.backup"
    call_command("backup", output=str(archive_path), stdout=io.StringIO())
    return {
        "account": account,
        "plan": plan,
        "revealed": revealed,
        "export": export_bytes,
        "backup": archive_path,
    }


# --- The crawl ---------------------------------------------------------------------


def _links(base: str, body: bytes) -> list[str]:
    try:
        tree = lxml_html.fromstring(body)
    except Exception:  # noqa: BLE001 - not HTML after all
        return []
    found = []
    for element, _attribute, link, _pos in tree.iterlinks():
        if element.tag == "form" and (element.get("method") or "get").lower() == "post":
            continue
        link = urljoin(base, link.strip()).split("#")[0]
        parts = urlsplit(link)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(CRAWL_SKIP):
            found.append(path)
    return found


def crawl(client: Client, seeds: list[str]) -> list[tuple[str, object, bytes]]:
    """GET every same-origin page reachable from ``seeds`` (GETs change nothing)."""
    queue, seen, per_path, pages = deque(seeds), set(), {}, []
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        path = url.split("?")[0]
        if url in seen or per_path.get(path, 0) >= VARIANTS_PER_PATH:
            continue
        seen.add(url)
        per_path[path] = per_path.get(path, 0) + 1
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages.append((url, response, body))
        if response.status_code in (301, 302, 303, 307, 308):
            queue.extend(_links(url, f'<a href="{response["Location"]}"></a>'.encode()))
        elif "html" in response.get("Content-Type", ""):
            queue.extend(_links(url, body))
    return pages


def _role_client(people, role) -> Client:
    if role == "anonymous":
        return Client()
    if role in ("staff", "info_officer"):  # the pages behind step-up too
        return stepped_up(people[role])
    return logged_in(people[role])


# --- Dumps of the database ------------------------------------------------------------


def _cell(value) -> bytes:
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


def dump_tables() -> dict[str, bytes]:
    quote_name = connection.ops.quote_name
    dumps = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote_name(table)}")  # noqa: S608 - names from introspection
            dumps[table] = b"\x1f".join(_cell(v) for row in cursor.fetchall() for v in row)
    return dumps


def dump_history() -> dict[str, tuple[int, bytes]]:
    dumps = {}
    for model in {m for m in registered_models.values() if m._meta.apps is apps}:
        try:
            history = get_history_model_for_model(model)
        except Exception:  # noqa: BLE001, S112 - an m2m through model: its table is in the raw dump
            continue
        rows = list(history.objects.values())
        blob = b"\x1f".join(_cell(v) for row in rows for v in row.values())
        dumps[history._meta.label] = (len(rows), blob)
    return dumps


# --- The test --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_deposited_secret_is_only_on_the_reveal_page(
    org,
    staff,
    colleague,
    manager,
    head,
    info_officer,
    registrar,
    security_coordinator,
    tmp_path,
    mailoutbox,
    every_log_record,
    celery_eager,
    django_capture_on_commit_callbacks,
):
    people = {
        "staff": staff,
        "colleague": colleague,
        "manager": manager,
        "head": head,
        "info_officer": info_officer,
        "registrar": registrar,
        "security_coordinator": security_coordinator,
    }
    flow = run_flow(people, tmp_path, django_capture_on_commit_callbacks)
    account, plan = flow["account"], flow["plan"]
    hay = Haystack()
    hay.add(REVEAL_PAGE, flow["revealed"].content)

    # Every page each role reaches by links from its start pages.
    seeds = [
        "/",
        reverse("accounts:home"),
        reverse("channels_registry:public_list"),
        reverse("channels_registry:public_list_json"),
        reverse("channels_registry:account_detail", args=[account.pk]),
        reverse("channels_registry:escrow_overview", args=[account.pk]),
        reverse("activity_plans:plan_detail", args=[plan.pk]),
        reverse("archive:account_snapshots", args=[account.pk]),
        reverse("moderation:account_log", args=[account.pk]),
    ]
    crawled = {}
    with django_capture_on_commit_callbacks(execute=True):
        for role in CRAWL_ROLES:
            pages = crawl(_role_client(people, role), seeds)
            crawled[role] = pages
            for url, response, body in pages:
                hay.add(f"GET {url} as {role} ({response.status_code})", body)
                hay.add(f"headers of {url} as {role}", repr(sorted(response.items())))
    visited = {url.split("?")[0] for pages in crawled.values() for url, _r, _b in pages}
    ok = {url for pages in crawled.values() for url, r, _b in pages if r.status_code == 200}
    assert len(visited) >= 60, sorted(visited)
    # The crawl reaches the pages that matter here, through links alone.
    for name, args in (
        ("channels_registry:escrow_overview", [account.pk]),
        ("channels_registry:account_history", [account.pk]),
        ("activity_plans:plan_pdf", [plan.pk]),
        ("archive:snapshot_download", [account.snapshots.get().pk]),
        ("archive:search", []),
        ("channels_registry:findings", []),
    ):
        assert any(u.split("?")[0] == reverse(name, args=args) for u in ok), name

    # The public JSON, explicitly.
    hay.add("/konton.json", Client().get(reverse("channels_registry:public_list_json")).content)

    # The export and every mail, decoded.
    hay.add("the archive export", flow["export"])
    assert mailoutbox, "the flow sends mail"
    for number, message in enumerate(mailoutbox):
        where = f"mail {number} ({message.subject})"
        hay.add(where, f"{message.subject}\n{message.body}\n{message.to}")
        hay.add(f"{where} as sent", message.message().as_bytes())
        for alternative in getattr(message, "alternatives", []):
            hay.add(f"{where} alternative", alternative[0])
        for attachment in message.attachments:
            hay.add(f"{where} attachment {attachment[0]}", attachment[1])
        for part in email.message_from_bytes(message.message().as_bytes()).walk():
            payload = part.get_payload(decode=True)
            if payload:
                hay.add(f"{where} part {part.get_content_type()}", payload)
    assert any("PDF text" in w and w.startswith("mail") for w, _d in hay.places)

    # Every history row and every table, raw.
    history = dump_history()
    for label, (count, blob) in history.items():
        hay.add(f"history {label} ({count} rows)", blob)
    assert sum(count for count, _b in history.values()) > 50
    tables = dump_tables()
    for table, blob in tables.items():
        hay.add(f"table {table}", blob)

    # Every stored file, and the backup with the encryption taken off.
    media = Path(settings.MEDIA_ROOT)
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in stored) and any(p.suffix == ".png" for p in stored)
    for path in stored:
        hay.add(f"file {path.relative_to(media)}", path.read_bytes())
    hay.add("the backup as written", flow["backup"].read_bytes())
    buffer = io.BytesIO()
    backup.decrypt_archive(flow["backup"], buffer)
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(buffer.getvalue()))) as tar:
        members = [m for m in tar if m.isfile()]
        for member in members:
            hay.add(f"backup » {member.name}", tar.extractfile(member).read())
    assert any(m.name.startswith("media/") and m.name.endswith(".pdf") for m in members)

    # Last, every log record of the whole run.
    assert any("INSERT" in line for line in every_log_record.lines), "SQL was not logged"
    for number, line in enumerate(every_log_record.lines):
        hay.add(f"log record {number}", line)

    # The searches work: the PDFs' text is read, and the reveal page holds every secret.
    for stored_pdf in ("file activity_plans/", "file snapshots/"):
        assert "Nora kommun Näringsliv" in hay.pdf_text_of(stored_pdf), stored_pdf
    page = flow["revealed"].content.decode()
    for secret in SECRETS:
        assert secret in page, secret

    leaks = hay.leaks()
    assert set(leaks) == {REVEAL_PAGE}, "the secret leaked into:\n" + "\n".join(
        f"{where}: {hits}" for where, hits in leaks.items() if where != REVEAL_PAGE
    )

    # In the database it is there, but only encrypted: the stored token opens to it.
    deposit = EscrowDeposit.objects.get(account=account, retired_at__isnull=True)
    assert deposit.password == SECRET_PASSWORD
    assert deposit.recovery_codes.splitlines() == list(SECRET_CODES)
    assert len(tables) >= 30 and len(every_log_record.lines) > 100


def test_the_needles_find_every_encoded_form():
    """The search itself: each form of the secret is found inside longer text."""
    raw = SECRET_PASSWORD.encode()
    for prefix in (b"", b"x", b"xy", b"xyz"):
        assert leaks_in(b"..." + base64.b64encode(prefix + raw + b"tail") + b"...")
        assert leaks_in(base64.urlsafe_b64encode(prefix + b"k=" + raw))
    assert leaks_in(f"/?next={quote(SECRET_PASSWORD, safe='')}".encode())
    assert leaks_in(f"a={quote_plus(SECRET_PASSWORD)}&b=1".encode())
    assert leaks_in(json.dumps({"x": SECRET_PASSWORD}).encode())
    assert not leaks_in(b"Nora kommun " * 100 + base64.b64encode(b"Nora kommun " * 100))
