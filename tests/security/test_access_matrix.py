"""The access matrix, built from the URLconf itself: every URL pattern ×
anonymous and each role persona × an object of one's own unit and one of
another unit, against the table in ``access_matrix.py``. A pattern without an
entry in the table fails, naming the pattern.

Set ``NORA_MATRIX_RECORD=/path/file.py`` to write what the app answers in the
table's syntax (to review by hand, never to paste blindly)."""

import os
import pprint
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.access_matrix import ADMIN, EXPECTED, ROLES
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401

ADMIN_PREFIX = "admin:"


def url_patterns(patterns=None, prefix="", namespace=None):
    """(qualified name, route, keyword names) for every pattern, recursively."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            qualified = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), qualified)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            regex = pattern.pattern.regex
            keywords = tuple(regex.groupindex) or ("",) * regex.groups
            yield name, prefix + str(pattern.pattern), keywords


def all_patterns():
    return list(url_patterns())


def app_patterns():
    return [p for p in all_patterns() if not (p[0] or "").startswith(ADMIN_PREFIX)]


def allowed_openings(personas, *, first_only=False, skip=()):
    """(name, entry, persona) for each page and each persona, in the order given,
    that the access matrix lets open it; with ``first_only`` just the first such
    persona a page. The crawling tests (fuzz, methods) start from here."""
    for name, _route, _keywords in app_patterns():
        entry = EXPECTED.get(name)
        if entry is None or name in skip:  # a page missing from EXPECTED fails the matrix
            continue
        for persona in personas:
            expected = entry.get(persona, entry.get("default"))
            if (expected[0] if isinstance(expected, tuple) else expected) != 200:
                continue
            yield name, entry, persona
            if first_only:
                break


def admin_patterns():
    return [p for p in all_patterns() if (p[0] or "").startswith(ADMIN_PREFIX)]


def test_every_url_pattern_has_an_entry_in_the_table():
    missing = [f"{name} ({route})" for name, route, _ in app_patterns() if name not in EXPECTED]
    assert not missing, "URL patterns without an entry in tests/security/access_matrix.py: " + (
        ", ".join(missing)
    )


def test_the_table_has_no_entry_for_a_pattern_that_is_gone():
    names = {name for name, _, _ in app_patterns()}
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"Entries for URL patterns that no longer exist: {stale}"


def test_every_object_keyword_is_mapped_to_an_object_kind():
    unmapped = []
    for name, _route, keywords in app_patterns():
        entry = EXPECTED.get(name)
        if entry is None:
            continue
        for keyword in keywords:
            if keyword not in entry.get("objects", {}):
                unmapped.append(f"{name}: <{keyword}>")
    assert not unmapped, f"Keywords without an object kind in the table: {unmapped}"


def classify(response) -> object:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("accounts:login")):
            return "login"
        if location.startswith(reverse("admin:login")):
            return "admin_login"
        if location.startswith(reverse("accounts:step_up")):
            return "step_up"
        return 302
    return response.status_code


def _object_id(world, side, kind, persona):
    if kind == "missing":  # no such object in the world yet: a missing id
        return 999_999
    if kind == "notification" and side == "own":
        return world["own"]["notification_of"].get(
            persona, world["own"]["notification_of"]["staff"]
        )
    return world[side][kind]


def build_url(name, entry, world, side, persona):
    kwargs = {
        keyword: _object_id(world, side, kind, persona)
        for keyword, kind in entry.get("objects", {}).items()
    }
    return reverse(name, kwargs=kwargs)


def _client(personas, persona) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(personas[persona])
    return client


def matches(got, expected) -> bool:
    if isinstance(expected, frozenset):
        return got in expected
    return got == expected


def _expected_for(entry, persona):
    value = entry.get(persona, entry.get("default"))
    if isinstance(value, tuple):
        return value
    return (value, value)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_access_matrix(personas, world, persona):
    """One dataset per persona; every app URL for its own and another unit's
    objects. All mismatches are reported together, each naming the pattern."""
    client = _client(personas, persona)
    mismatches, observed = [], {}
    for name, route, _ in app_patterns():
        entry = EXPECTED.get(name)
        if entry is None:
            mismatches.append(f"{name} ({route}): no entry in the table")
            continue
        sides = ("own", "other") if entry.get("objects") else ("own",)
        answers = []
        for side in sides:
            url = build_url(name, entry, world, side, persona)
            if entry.get("fresh_client"):
                answer = classify(_client(personas, persona).get(url))
            else:
                answer = classify(client.get(url))
            answers.append(answer)
        got = tuple(answers) if len(answers) == 2 else (answers[0], answers[0])
        observed[name] = got if got[0] != got[1] else got[0]
        expected = _expected_for(entry, persona)
        if not all(matches(g, e) for g, e in zip(got, expected, strict=True)):
            mismatches.append(f"{name} ({route}) as {persona}: expected {expected}, got {got}")
    record = os.environ.get("NORA_MATRIX_RECORD")
    if record:
        with open(f"{record}.{persona}", "w", encoding="utf-8") as out:
            out.write(pprint.pformat(observed, width=100))
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_admin_pages_answer_only_through_the_admin_login(personas, persona):
    """The admin site: every pattern sends anonymous and the role personas (none
    of them is staff) to the admin login; the login page itself answers."""
    client = _client(personas, persona)
    mismatches = []
    for name, route, keywords in admin_patterns():
        if name == "admin:None":  # the admin's own unnamed redirects
            url = "/" + re.sub(r"<[^>]+>", "1", route)
        else:
            if keywords and not keywords[0]:  # positional groups
                url = reverse(name, args=["1"] * len(keywords))
            else:
                kwargs = {k: ADMIN["sample_kwargs"].get(k, "1") for k in keywords}
                url = reverse(name, kwargs=kwargs)
        expected = ADMIN["exceptions"].get(name, ADMIN["default"])
        if isinstance(expected, dict):
            expected = expected.get(persona, expected["default"])
        got = classify(client.get(url))
        if got != expected:
            mismatches.append(f"{name} ({route}) as {persona}: expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)
