"""Every POST form, fuzzed with hypothesis: the forms are found by opening every
page the access matrix says a persona may open (200) and reading its
``<form method="post">`` elements; each text field gets long, empty, control
character, null byte, RTL, HTML and SQL strings. Never a 500; a refused
submission (200 or 400 with errors) changes no row in the app's tables.

Then every field of every form, hidden inputs, selects, checkboxes and the
submit button's value included, gets one bad value at a time while the others
keep the page's own (non-numeric, float, huge, negative, empty, unicode): never
a 500. Each role's pages are read, so a form only a manager sees is tried too."""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from tests.security.test_access_matrix import allowed_openings, build_url
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401

PAYLOADS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    "\u200f\u202a\u202b\u202c",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1--",
    "'; DROP TABLE accounts_user; --",
    "\x01\x02\x07\x1b[31m\x7f",
    "\r\n\r\nSet-Cookie: x=y",
    "9" * 40,
    "-1",
    "2026-02-30",
    "https://evil.example/",
    "//evil.example",
    "x" * 10_000,
    "å" * 5_000,
    "%s%n{0}{{7*7}}",
]

FUZZ = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=50),
    st.builds(lambda s, n: (s or "x") * n, st.text(max_size=5), st.integers(1, 2_000)),
)

# Forms that end the session or change the language: not fuzzed here.
SKIP_ACTIONS = ("/logga-ut/", "/i18n/setlang/")

# Which persona opens each page to find its forms: the first allowed one.
FORM_PERSONAS = ("staff", "manager", "info_officer", "registrar", "security_coordinator")

TEXT_TYPES = {"text", "search", "email", "url", "number", "date", "datetime-local", "time", "tel"}


def app_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.split(".")[0]
        in {"accounts", "channels_registry", "activity_plans", "moderation", "archive"}
    ]


def row_counts() -> dict[str, int]:
    """Every app table's row count, in one query: the fuzz tests take it before
    and after each of thousands of requests, and a query per table made them
    the slowest tests of the suite."""
    models = [m for m in app_models() if not m._meta.proxy]
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})"  # noqa: S608 - our own table names
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 - our own table names
        counts = cursor.fetchone()
    return {m._meta.label: count for m, count in zip(models, counts, strict=True)}


def post_forms(content: bytes, base: str) -> list[tuple[str, list]]:
    """(action, fields) of each POST form: fields as (name, kind, options)."""
    if not content.strip():
        return []
    try:
        tree = lxml_html.fromstring(content)
    except Exception:  # noqa: BLE001 - not HTML (CSV, PDF)
        return []
    found = []
    for form in tree.forms:
        if (form.method or "GET").upper() != "POST":
            continue
        action = form.get("action") or base
        fields = []
        for element in form.inputs:
            name = element.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            tag = element.tag
            kind = (element.get("type") or "text").lower() if tag == "input" else tag
            if kind == "submit":
                continue  # sent as the button below
            options = []
            if tag == "select":
                options = [o.get("value", o.text_content()) for o in element.findall(".//option")]
            fields.append((name, kind, options, element.get("value") or ""))
        # One variant per named submit button: the view reads which was pressed.
        buttons = [
            (b.get("name"), "button", [], b.get("value") or "")
            for b in form.xpath(".//button[@name] | .//input[@type='submit'][@name]")
        ]
        for button in buttons or [None]:
            found.append((action.split("#")[0], fields + ([button] if button else [])))
    return found


def _page_forms(personas, world, order):
    """(action, persona, fields) of every POST form on every page each persona in
    ``order`` may open, in crawl order."""
    clients: dict[str, Client] = {}
    for name, entry, persona in allowed_openings(order):
        client = clients.setdefault(persona, Client())
        client.force_login(personas[persona])
        url = build_url(name, entry, world, "own", persona)
        response = client.get(url)
        if response.status_code != 200 or response.get("Content-Type", "").find("html") < 0:
            continue
        for action, fields in post_forms(response.content, url):
            if action.startswith(SKIP_ACTIONS) or not action.startswith("/"):
                continue
            yield action, persona, fields


_CRAWL: dict = {}


def crawl(personas, world) -> list[tuple[str, str, list]]:
    """``_page_forms`` for every role, read once per world: each test starts from
    the same rolled-back world, so its pages show the same forms, and reading
    every page as every role is most of a fuzz test's set-up."""
    if _CRAWL.get("world") is not world:
        _CRAWL.clear()
        _CRAWL["forms"] = list(_page_forms(personas, world, ALL_FORM_PERSONAS))
        _CRAWL["world"] = world
    return _CRAWL["forms"]


def discover(personas, world) -> dict[str, tuple[str, list]]:
    """action path → (persona, fields), the first persona that shows the form."""
    forms: dict[str, tuple[str, list]] = {}
    for action, persona, fields in crawl(personas, world):
        if persona in FORM_PERSONAS:
            forms.setdefault(action, (persona, fields))
    return forms


# The two long fuzz tests run in shards, so that the suite's two workers share them.
SHARDS = 4


def shard_of(items: list, shard: int) -> list:
    return items[shard::SHARDS]


def fill(fields, text: str) -> dict:
    data = {}
    for name, kind, options, value in fields:
        if kind in TEXT_TYPES or kind == "textarea":
            data[name] = text
        elif kind == "select":
            data[name] = next((o for o in options if o), text)
        elif kind in ("checkbox", "radio"):
            data.setdefault(name, value or "on")
        elif kind in ("hidden", "button"):
            data[name] = value
        elif kind == "file":
            continue
    return data


def fuzz_form(client, persona, action, fields, failures) -> None:
    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(text=FUZZ)
    def run(text):
        before = row_counts()
        response = client.post(action, fill(fields, text))
        if response.status_code >= 500:
            failures.append(f"{action} as {persona}: {response.status_code} for {text[:60]!r}")
            return
        if response.status_code in (200, 400):
            after = row_counts()
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            if changed:
                failures.append(
                    f"{action} as {persona}: refused ({response.status_code}) "
                    f"but rows changed {changed} for {text[:60]!r}"
                )

    run()


@pytest.mark.django_db
def test_there_are_forms_to_fuzz(personas, world):
    forms = discover(personas, world)
    assert len(forms) >= 20, sorted(forms)
    assert reverse("moderation:question_create", args=[world["own"]["account"]]) in forms


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_post_form_survives_fuzzed_text_and_a_refusal_changes_nothing(personas, world, shard):
    forms = discover(personas, world)
    clients = {}
    failures = []

    for action, (persona, fields) in shard_of(sorted(forms.items()), shard):
        client = clients.setdefault(persona, Client())
        client.force_login(personas[persona])
        fuzz_form(client, persona, action, fields, failures)
    assert not failures, "\n".join(failures[:40])


# One bad value at a time, in any field: ids that are not numbers, floats, ids
# past the primary-key range, negative, empty, unicode and a value with spaces.
FIELD_MUTATIONS = ("abc", "1.5", "1e3", "9" * 30, "-1", "", "å\u202e٣", "\x00")
TEXT_MUTATIONS = ("9" * 30, "")

ALL_FORM_PERSONAS = (
    "staff",
    "manager",
    "head",
    "info_officer",
    "registrar",
    "security_coordinator",
)


def discover_every_form(personas, world) -> list[tuple[str, str, list]]:
    """(persona, action, fields) of every distinct POST form on every page each
    role may open: the same action with other hidden values or buttons counts once
    per set of field names and button values."""
    seen = set()
    found = []
    for action, persona, fields in crawl(personas, world):
        key = (
            action,
            tuple(sorted(f[0] for f in fields)),
            tuple(f[3] for f in fields if f[1] == "button"),
        )
        if key not in seen:
            seen.add(key)
            found.append((persona, action, fields))
    return found


def valid_data(fields) -> dict:
    data = {}
    for name, kind, options, value in fields:
        if kind in TEXT_TYPES or kind == "textarea":
            data[name] = value or "Text"
        elif kind == "select":
            data[name] = value or next((o for o in options if o), "")
        elif kind in ("checkbox", "radio"):
            data.setdefault(name, value or "on")
        elif kind in ("hidden", "button"):
            data[name] = value
    return data


@pytest.mark.django_db
def test_the_forms_with_hidden_ids_are_found(personas, world):
    forms = discover_every_form(personas, world)
    names = {(action, f[0]) for _p, action, fields in forms for f in fields if f[1] == "hidden"}
    escrow = reverse("channels_registry:escrow_overview", args=[world["own"]["account"]])
    assert (escrow, "role") in names
    assert (reverse("archive:pending"), "record_id") in names
    assert len(forms) >= 40, len(forms)


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_field_of_every_post_form_survives_a_bad_value(personas, world, shard):
    forms = discover_every_form(personas, world)
    clients = {}
    failures = []
    posts = 0
    for persona, action, fields in shard_of(forms, shard):
        client = clients.setdefault(persona, Client(raise_request_exception=False))
        client.force_login(personas[persona])
        base = valid_data(fields)
        for name, kind, _options, _value in fields:
            if kind == "file":
                continue
            # Free text is fuzzed above; here it gets only what an id parser chokes on.
            free_text = kind in TEXT_TYPES - {"number", "date", "datetime-local", "time"}
            for bad in TEXT_MUTATIONS if free_text or kind == "textarea" else FIELD_MUTATIONS:
                response = client.post(action, {**base, name: bad})
                posts += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{action} as {persona}: {response.status_code} for {name}={bad!r}"
                    )
    assert posts >= 500 // SHARDS, posts
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["abc", "1.5", "9" * 30, "", "-1"])
def test_ending_a_business_role_with_a_malformed_id_is_refused_in_swedish(
    client_for, personas, world, role
):
    from channels_registry.models import BusinessRole

    account = world["own"]["account"]
    url = reverse("channels_registry:escrow_overview", args=[account])
    response = client_for(personas["staff"]).post(url, {"action": "end_role", "role": role})
    assert response.status_code == 400
    assert "Okänd roll." in response.content.decode()
    assert BusinessRole.objects.get(pk=world["own"]["business_role"]).ends_on is None


@pytest.mark.django_db
@pytest.mark.parametrize("record_id", ["abc", "1.5", "9" * 30, ""])
def test_registering_with_a_malformed_record_id_is_a_404(client_for, personas, world, record_id):
    from django.contrib.contenttypes.models import ContentType

    from moderation.models import ModerationAction

    response = client_for(personas["registrar"]).post(
        reverse("archive:pending"),
        {
            "record_type": ContentType.objects.get_for_model(ModerationAction).pk,
            "record_id": record_id,
        },
    )
    assert response.status_code == 404
    assert ModerationAction.objects.get(pk=world["own"]["pending_action"]).for_registration
