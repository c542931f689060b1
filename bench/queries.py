"""Benchmark 2: database queries per page, at 20 and at 2,000 accounts.

The account list, an account's page, the plan queue, the compliance dashboard,
the register search and the public list, each requested once warm and counted.
The figures must be equal at both sizes (tests assert the constancy; this
prints the numbers). Run: python bench/queries.py [--small 20] [--large 2000]"""

import argparse
import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database, heading, line, retrying  # noqa: E402

DB = "nora_bench_queries"


def measure(n: int) -> dict[str, tuple[int, int]]:
    fresh_database(DB)
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.roles import ensure_role_groups
    from activity_plans.models import ActivityPlan
    from archive.models import Case, Document
    from bench.data import make_accounts, make_compliance_data
    from channels_registry.compliance import engine

    made = make_accounts(n)
    make_compliance_data(made)
    accounts, users, admins = made["accounts"], made["users"], made["administrations"]
    # A tenth of the accounts have an amended plan waiting for the information officer.
    ActivityPlan.objects.bulk_create(
        ActivityPlan(
            author=users[2 * i],
            unit=a.unit,
            account=a,
            status=ActivityPlan.Status.APPROVED_BY_ADMINISTRATION,
            platform=a.platform,
            display_name=a.display_name,
            handle=a.handle,
            owner=users[2 * i],
            deputy=users[2 * i + 1],
            submitted_at=timezone.now(),
        )
        for i, a in enumerate(accounts)
        if i % 10 == 0
    )
    ensure_role_groups()
    officer = users[0].__class__.objects.create(username="kommunchef", unit=made["units"][0])
    officer.groups.add(Group.objects.get(name="kommunchef"))
    registrar = users[0].__class__.objects.create(username="registrator")
    registrar.groups.add(Group.objects.get(name="registrator"))
    today = timezone.localdate()
    cases = Case.objects.bulk_create(
        Case(
            administration=a.unit.administration,
            series=a.unit.administration.register_series,
            year=today.year,
            number=i + 1,
            title="Samlingsärende",
            account=a,
            is_collective=True,
        )
        for i, a in enumerate(accounts)
    )
    Document.objects.bulk_create(
        Document(
            case=c,
            administration=c.administration,
            number=1,
            document_date=today,
            direction="received",
            party="En invånare",
            subject="Fråga om simhallen",
            account=c.account,
            search_text="fråga om simhallen en invånare",
            registered_by=registrar,
        )
        for c in cases
    )
    engine.run_sweep()
    account = accounts[1]  # the same generated account at both sizes
    pages = {
        "account list": (officer, "/register/konton/"),
        "account page": (officer, f"/register/konton/{account.pk}/"),
        "plan queue": (officer, "/aktivitetsplaner/att-godkanna/"),
        "compliance dashboard": (officer, "/register/efterlevnad/"),
        "register search": (
            registrar,
            f"/diariet/?q=simhallen&administration={admins[0].pk}"
            f"&date_from={today - datetime.timedelta(days=30)}&date_to={today}",
        ),
        "public list": (None, "/konton/"),
    }
    result = {}
    for label, (user, url) in pages.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result[label] = (response.status_code, len(queries))
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--large", type=int, default=2000)
    args = parser.parse_args()
    heading(f"Queries per page at {args.small} and {args.large} accounts")
    small, large = retrying(measure, args.small), retrying(measure, args.large)
    for label in small:
        (s_status, s_n), (l_status, l_n) = small[label], large[label]
        line(
            f"{label} (HTTP {s_status}/{l_status})",
            f"{s_n} → {l_n}",
            "constant",
            s_n == l_n and s_status == l_status == 200,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
