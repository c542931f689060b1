"""Which HTTP methods each page answers, for every URL pattern of the app (from
the URLconf, opened by the first persona the access matrix lets in):

- the safe methods: GET and HEAD answer alike (uptime monitors and ``curl -I``
  use HEAD), with no body for HEAD;
- PUT, DELETE and PATCH are never used: 405 everywhere;
- a page without a form that posts back to it refuses POST (405, or the view's
  own refusal where it takes a form in another state); it used to answer 200
  and change nothing, which hid mistakes."""

import pytest
from django.test import Client
from lxml import html as lxml_html

from tests.security.test_access_matrix import allowed_openings, build_url
from tests.security.test_fuzz_params import PERSONAS, SKIP
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401


def opened_pages(personas, world):
    """(name, url, persona, client, response) for each page, by its first allowed persona."""
    found = []
    for name, entry, persona in allowed_openings(PERSONAS, first_only=True, skip=SKIP):
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(personas[persona])
        url = build_url(name, entry, world, "own", persona)
        found.append((name, url, persona, client, client.get(url)))
    return found


def posts_back(response, url: str) -> bool:
    """Whether the page has a POST form whose action is the page itself."""
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return False
    try:
        tree = lxml_html.fromstring(response.content)
    except Exception:  # noqa: BLE001 - empty or not HTML
        return False
    path = url.split("?")[0]
    return any(
        (form.method or "GET").upper() == "POST"
        and (form.get("action") or path).split("?")[0].split("#")[0] == path
        for form in tree.forms
    )


@pytest.mark.django_db
def test_head_answers_like_get_on_every_page(personas, world):
    failures = []
    pages = opened_pages(personas, world)
    assert len(pages) >= 40
    for name, url, persona, client, got in pages:
        if got.status_code != 200:
            continue
        head = client.head(url)
        if head.status_code != got.status_code:
            failures.append(f"{name} ({url}) as {persona}: HEAD {head.status_code}")
        elif not head.streaming and head.content:
            failures.append(f"{name} ({url}) as {persona}: HEAD has a body")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/konton/", "/konton.json", "/konton/embed/", "/offentligt-diarium/"]
)
def test_the_public_pages_answer_head(client, url):
    assert client.head(url).status_code == 200


@pytest.mark.django_db
def test_put_delete_and_patch_are_refused_everywhere(personas, world):
    failures = []
    for name, url, persona, client, _got in opened_pages(personas, world):
        for method in ("put", "delete", "patch"):
            status = getattr(client, method)(url).status_code
            if status != 405:
                failures.append(f"{name} ({url}) as {persona}: {method.upper()} {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_page_without_a_form_of_its_own_refuses_post(personas, world):
    failures = []
    checked = 0
    for name, url, persona, client, got in opened_pages(personas, world):
        if got.status_code != 200 or posts_back(got, url):
            continue
        checked += 1
        status = client.post(url).status_code
        if status < 400:
            failures.append(f"{name} ({url}) as {persona}: POST {status}")
    assert checked >= 20, checked
    assert not failures, "\n".join(failures)
