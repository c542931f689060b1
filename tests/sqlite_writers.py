"""Several processes writing to one file-based SQLite database at once, through
the real views (run by tests/test_sqlite_concurrency.py in a subprocess whose
DATABASE_URL names a fresh, migrated file).

Each writer logs in through the login form (session, login record, lockout
bookkeeping) and then logs posts on an account (a service that reads, then
writes, in one transaction); one more process only logs in, again and again.
They start together behind a barrier. Prints one JSON line: every status code,
any exception, and the rows written.
"""

import json
import multiprocessing
import os
import sys
import traceback

import django

WRITERS = 4
ROUNDS = 5
LOGINS = 10


def _client():
    from django.test import Client

    # A 500 is a result to report, not an exception to stop at.
    return Client(raise_request_exception=False, HTTP_HOST="localhost")


def _login(client, username: str) -> int:
    from tests.factories import PASSWORD

    response = client.post("/logga-in/", {"username": username, "password": PASSWORD})
    return response.status_code


def _writer(barrier, results, username: str, account_pk: int, author_pk: int) -> None:
    from django.db import connections

    connections.close_all()  # never share the parent's SQLite handle
    outcome = {"who": username, "statuses": [], "errors": []}
    try:
        client = _client()
        barrier.wait(timeout=60)
        outcome["statuses"].append(_login(client, username))
        for n in range(ROUNDS):
            response = client.post(
                f"/moderering/konton/{account_pk}/inlagg/nytt/",
                {
                    "author": author_pk,
                    "published_at": "2026-01-05T10:00",
                    "text": f"Inlägg {n} från {username}",
                },
            )
            outcome["statuses"].append(response.status_code)
            if response.status_code >= 500 and response.exc_info:
                outcome["errors"].append(repr(response.exc_info[1]))
    except Exception:  # noqa: BLE001 - reported to the test, which fails on it
        outcome["errors"].append(traceback.format_exc())
    results.put(outcome)


def _login_racer(barrier, results, username: str) -> None:
    from django.db import connections

    connections.close_all()
    outcome = {"who": f"{username} (logins)", "statuses": [], "errors": []}
    try:
        barrier.wait(timeout=60)
        for _ in range(LOGINS):
            outcome["statuses"].append(_login(_client(), username))
    except Exception:  # noqa: BLE001
        outcome["errors"].append(traceback.format_exc())
    results.put(outcome)


def _world():
    from channels_registry.member_services import _grant_object_perms
    from channels_registry.models import AccountMember
    from tests.factories import MemberFactory, UserFactory, make_active_account

    account = make_active_account()
    people = [m.user for m in account.members.all()]
    while len(people) < WRITERS:
        member = MemberFactory(account=account, role=AccountMember.Role.ADMIN)
        _grant_object_perms(member)
        people.append(member.user)
    racer = UserFactory(roles=["medarbetare"])
    return account, people, racer


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nora_social.settings")
    django.setup()
    from django.db import connections

    from moderation.models import Post

    account, people, racer = _world()
    connections.close_all()

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(WRITERS + 1)
    results = context.Queue()
    processes = [
        context.Process(
            target=_writer, args=(barrier, results, person.username, account.pk, person.pk)
        )
        for person in people[:WRITERS]
    ]
    processes.append(context.Process(target=_login_racer, args=(barrier, results, racer.username)))
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)

    connections.close_all()
    print(
        json.dumps(
            {
                "outcomes": outcomes,
                "posts": Post.objects.filter(account=account).count(),
                "expected_posts": WRITERS * ROUNDS,
            }
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main()
