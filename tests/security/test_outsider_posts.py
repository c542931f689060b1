"""The access matrix for writes: the outsider (staff of the other unit, with no
role on the first unit's objects) POSTs to every URL pattern that takes an
object of the first unit, with the data the real form would send (read from the
pages of the people who may use it). Every answer is 403 or 404 (405 for a view
that takes no POST) and NOTHING changes: no table, history tables included,
gains or loses a row. The same for every page without an object that the
matrix closes to staff (403)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.security.access_matrix import EXPECTED
from tests.security.test_access_matrix import app_patterns, build_url
from tests.security.test_fuzz_forms import FORM_PERSONAS, fill, post_forms
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401

REFUSED = {403, 404, 405}
# Ending the session or setting the language: not writes to the register.
SKIP = {"accounts:logout", "set_language"}


def table_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


def real_submissions(personas, world) -> dict[str, list[dict]]:
    """action path → the data of each POST form the allowed personas are shown."""
    found: dict[str, list[dict]] = {}
    for name, _route, _keywords in app_patterns():
        entry = EXPECTED.get(name)
        if entry is None or name in SKIP:
            continue
        for persona in FORM_PERSONAS:
            expected = entry.get(persona, entry.get("default"))
            if (expected[0] if isinstance(expected, tuple) else expected) != 200:
                continue
            client = Client()
            client.force_login(personas[persona])
            url = build_url(name, entry, world, "own", persona)
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for action, fields in post_forms(response.content, url):
                data = fill(fields, "Prov 2026-01-05")
                if data not in found.setdefault(action, []):
                    found[action].append(data)
    return found


def write_targets(world) -> list[tuple[str, str]]:
    """(pattern name, URL) of the first unit's objects, and of the pages without
    an object that staff may never use."""
    targets = []
    for name, _route, _keywords in app_patterns():
        entry = EXPECTED.get(name)
        if entry is None or name in SKIP:
            continue
        if entry.get("objects"):
            if any(kind == "notification" for kind in entry["objects"].values()):
                # the first unit's staff member's own notice
                targets.append((name, build_url(name, entry, world, "own", "staff")))
            else:
                targets.append((name, build_url(name, entry, world, "own", "outsider")))
            continue
        staff = entry.get("staff", entry.get("default"))
        if (staff[0] if isinstance(staff, tuple) else staff) == 403:
            targets.append((name, reverse(name)))
    return targets


@pytest.mark.django_db
def test_outsider_posts_to_every_write_url_are_refused_and_change_nothing(personas, world):
    submissions = real_submissions(personas, world)
    targets = write_targets(world)
    assert len(targets) >= 60, len(targets)
    # The forms were found: the test posts what the real pages post.
    with_form = [url for _name, url in targets if submissions.get(url)]
    assert len(with_form) >= 20, with_form

    outsider = Client()
    outsider.force_login(personas["outsider"])
    failures = []
    posted = 0
    for name, url in targets:
        for data in submissions.get(url) or [{}]:
            before = table_counts()
            response = outsider.post(url, data)
            posted += 1
            after = table_counts()
            changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
            allowed = REFUSED
            if response.status_code not in allowed:
                failures.append(f"{name} {url}: {response.status_code} for {data}")
            if changed:
                failures.append(f"{name} {url}: rows changed {changed} for {data}")
    assert not failures, "\n".join(failures)
    assert posted >= len(targets)

    # The data posted is real: the owner's same submission to the account's
    # checklist is accepted, so the refusals above are about who, not what.
    checklist = reverse("channels_registry:account_checklist", args=[world["own"]["account"]])
    assert submissions.get(checklist), sorted(submissions)
    owner = Client()
    owner.force_login(personas["staff"])
    before = table_counts()
    assert owner.post(checklist, submissions[checklist][0]).status_code == 302
    changed = {t for t, n in table_counts().items() if n != before[t]}
    assert "channels_registry_historicalchecklistconfirmation" in changed, changed
