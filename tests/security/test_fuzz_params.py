"""Every GET query parameter, fuzzed with hypothesis: on every page the access
matrix lets a persona open, the fields of its ``<form method="get">`` and the
parameters the views read (paging, filters, ``next``) get long, empty, control
character, null byte, RTL, HTML and SQL strings. Never a 500, and a GET
changes no row."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from tests.security.test_access_matrix import allowed_openings, build_url
from tests.security.test_fuzz_forms import FUZZ, row_counts
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401

# Parameters the views read from request.GET (grep request.GET in the apps).
COMMON_PARAMS = (
    "next",
    "page",
    "sida",
    "kategori",
    "status",
    "regel",
    "konto",
    "account",
    "platform",
    "display_name",
    "handle",
    "q",
)

PERSONAS = ("anonymous", "staff", "manager", "info_officer", "registrar", "security_coordinator")

# Ending the session: not fuzzed here.
SKIP = {"accounts:logout", "set_language"}


def get_params(content: bytes) -> set[str]:
    if not content.strip():
        return set()
    try:
        tree = lxml_html.fromstring(content)
    except Exception:  # noqa: BLE001 - not HTML (CSV, PDF, JSON)
        return set()
    names = set()
    for form in tree.forms:
        if (form.method or "GET").upper() == "GET":
            names.update(e.get("name") for e in form.inputs if e.get("name"))
    return names


_PAGES: dict = {}


def _client(personas, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(personas[persona])
    return client


def pages(personas, world):
    """(url, persona, client, params) for each page, opened by its first allowed
    persona. The pages are read once per world (each test starts from the same
    rolled-back world); the logged-in clients are this test's own."""
    if _PAGES.get("world") is not world:
        _PAGES.clear()
        found = []
        for name, entry, persona in allowed_openings(PERSONAS, first_only=True, skip=SKIP):
            url = build_url(name, entry, world, "own", persona)
            response = _client(personas, persona).get(url)
            content = b"" if response.streaming else response.content
            found.append((url, persona, sorted(get_params(content) | set(COMMON_PARAMS))))
        _PAGES.update(world=world, found=found)
    return [
        (url, persona, _client(personas, persona), params)
        for url, persona, params in _PAGES["found"]
    ]


def fuzz_page(url, persona, client, params, failures) -> None:
    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=st.fixed_dictionaries({p: FUZZ for p in params}))
    def run(values):
        before = row_counts()
        response = client.get(url, values)
        if response.status_code >= 500:
            shown = {k: v[:40] for k, v in values.items()}
            failures.append(f"{url} as {persona}: {response.status_code} for {shown!r}")
            return
        if row_counts() != before:
            failures.append(f"{url} as {persona}: a GET changed rows")

    run()


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(2))
def test_every_query_parameter_survives_fuzzed_values(personas, world, shard):
    """In two shards, so that the suite's two workers share it."""
    found = pages(personas, world)
    assert len(found) >= 40
    failures: list[str] = []
    for url, persona, client, params in found[shard::2]:
        fuzz_page(url, persona, client, params, failures)
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "param", ["\x00", "' OR 1=1--", "9" * 40, "-1", "<script>alert(1)</script>", "x" * 10_000]
)
def test_search_and_list_filters_answer_bad_values_without_a_500(personas, world, param):
    """The list and search pages with every filter set to one bad value."""
    for url, _persona, client, params in pages(personas, world):
        response = client.get(url, dict.fromkeys(params, param))
        assert response.status_code < 500, (url, param[:20])
