"""Demo data so a newcomer sees a living system: three administrations with units,
managers and substitutes, one user per role slug (password ``demo``), the adopted
policy published and acknowledged, and accounts in every lifecycle state.
Idempotent; refused when DEBUG is off.

The policy's text is read at run time from the shared seed folder beside the
repository (``--policy-file``); it is not copied into the repository. Without the
file the demo runs on without a published policy, and says so."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services as account_services
from accounts.models import (
    Administration,
    PlatformCompetence,
    PolicyVersion,
    Substitute,
    Unit,
    User,
)
from accounts.roles import Role, ensure_role_groups

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo password, refused in production  # nosec B105

PEOPLE = [
    # username, first, last, title, role groups, unit key
    ("medarbetare", "Maja", "Medarbetare", "Kommunikatör", [Role.STAFF], "kommunikation"),
    ("chef", "Carl", "Chef", "Kommunikationschef", [Role.MANAGER], "kommunikation"),
    (
        "forvaltningschef",
        "Frida",
        "Förvaltningschef",
        "Kanslichef",
        [Role.HEAD_OF_ADMINISTRATION],
        "kommunikation",
    ),
    (
        "kommunchef",
        "Klara",
        "Kommunchef",
        "Kommunchef",
        [Role.INFORMATION_OFFICER],
        "kommunikation",
    ),
    ("registrator", "Rut", "Registrator", "Registrator", [Role.REGISTRAR], "kommunikation"),
    (
        "sakerhetssamordnare",
        "Sam",
        "Säkerhetssamordnare",
        "Säkerhetssamordnare",
        [Role.SECURITY_COORDINATOR],
        "kommunikation",
    ),
    ("kollega", "Kalle", "Kollega", "Webbredaktör", [Role.STAFF], "kommunikation"),
    (
        "kommunchef_ersattare",
        "Disa",
        "Dahl",
        "Biträdande kommunchef",
        [Role.STAFF],
        "kommunikation",
    ),
    (
        "chef_ersattare",
        "Erik",
        "Ek",
        "Biträdande kommunikationschef",
        [Role.STAFF],
        "kommunikation",
    ),
    (
        "naringslivsutvecklare",
        "Nils",
        "Nyström",
        "Näringslivsutvecklare",
        [Role.STAFF],
        "naringsliv",
    ),
    ("naringslivschef", "Nina", "Norberg", "Näringslivschef", [Role.MANAGER], "naringsliv"),
    ("kulturpedagog", "Karin", "Kvist", "Kulturpedagog", [Role.STAFF], "kulturskolan"),
    ("larare", "Lars", "Lind", "Lärare", [Role.STAFF], "gymnasiet"),
    ("studievagledare", "Sara", "Sten", "Studie- och yrkesvägledare", [Role.STAFF], "gymnasiet"),
    ("rektor", "Rune", "Rask", "Rektor", [Role.MANAGER], "gymnasiet"),
    ("kulturskolechef", "Kim", "Kron", "Kulturskolechef", [Role.MANAGER], "kulturskolan"),
    ("skolchef", "Siv", "Stål", "Skolchef", [Role.HEAD_OF_ADMINISTRATION], "gymnasiet"),
    ("gatuingenjor", "Gustav", "Grön", "Gatuingenjör", [Role.STAFF], "gata"),
    ("parkarbetare", "Petra", "Park", "Parkarbetare", [Role.STAFF], "gata"),
    ("gatuchef", "Greta", "Gran", "Gatuchef", [Role.MANAGER], "gata"),
    ("handlaggare", "Hanna", "Holm", "Bygglovshandläggare", [Role.STAFF], "bygglov"),
    ("bygglovschef", "Bo", "Berg", "Bygglovschef", [Role.MANAGER], "bygglov"),
    (
        "samhallsbyggnadschef",
        "Sune",
        "Sjö",
        "Samhällsbyggnadschef",
        [Role.HEAD_OF_ADMINISTRATION],
        "gata",
    ),
]

ADMINISTRATIONS = [
    (
        "ks",
        "Kommunstyrelseförvaltningen",
        "KS",
        "forvaltningschef",
        [
            ("kommunikation", "Kommunikation", "chef"),
            ("naringsliv", "Näringsliv", "naringslivschef"),
        ],
    ),
    (
        "bun",
        "Barn- och utbildningsförvaltningen",
        "BUN",
        "skolchef",
        [
            ("kulturskolan", "Kulturskolan", "kulturskolechef"),
            ("gymnasiet", "Noraskolans gymnasium", "rektor"),
        ],
    ),
    (
        "sbn",
        "Samhällsbyggnadsförvaltningen",
        "SBN",
        "samhallsbyggnadschef",
        [("gata", "Gata och park", "gatuchef"), ("bygglov", "Bygglov", "bygglovschef")],
    ),
]


# The adopted policy as saved from nora.se (§12, §13), beside the repository.
DEMO_POLICY_FILE = (
    settings.BASE_DIR.parent / "shared" / "seed" / "policy-for-sociala-medier-nora-kommun.txt"
)
ADOPTED = re.compile(r"Antagen av kommunfullmäktige (\d{4})-(\d{2})-(\d{2}),?\s*§\s*(\d+)")
# Demo people who have not read the policy yet, so the gate (§12) can be seen.
NOT_ACKNOWLEDGED = ("parkarbetare", "studievagledare")


def policy_from_page(text: str) -> str:
    """The policy's own text from the page saved from nora.se: without the site's
    menu links before the title and the page's empty footer fields after it."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and (not lines[0].strip() or lines[0].strip().startswith("•")):
        lines.pop(0)
    while lines and (not lines[-1].strip() or re.fullmatch(r"[^.:]{1,40}:", lines[-1].strip())):
        lines.pop()
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Fyller databasen med demodata (bara i utvecklingsläge)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--policy-file",
            type=Path,
            default=DEMO_POLICY_FILE,
            help="Policyns text som publiceras i demon (standard: %(default)s).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo is refused when DEBUG is off: it creates users with the password 'demo'."
            )
        with transaction.atomic():
            people, units = self._org()
            self._policy(people, options["policy_file"])
            from channels_registry import demo as registry_demo

            registry_demo.seed(people, units)
            for seeder in _extra_seeders():
                seeder(people, units)
        from channels_registry.compliance.engine import run_sweep

        summary = run_sweep()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(people)} people, {Unit.objects.count()} units; "
                f"compliance sweep opened {summary.opened} findings. Log in as e.g. 'kommunchef' / '{DEMO_PASSWORD}'."
            )
        )
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            self.stdout.write(
                f"E-mail (notifications, plan copies) is written to {settings.EMAIL_FILE_PATH}/, "
                "one file per sending, not to this terminal."
            )

    def _org(self):
        ensure_role_groups()
        people: dict[str, User] = {}
        for username, first, last, title, roles, _unit in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "title": title,
                    "email": f"{username}@nora.se",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=roles))
            people[username] = user
        units: dict[str, Unit] = {}
        for _key, name, series, head, unit_specs in ADMINISTRATIONS:
            administration, _ = Administration.objects.get_or_create(
                name=name, defaults={"register_series": series, "head": people[head]}
            )
            for unit_key, unit_name, manager in unit_specs:
                units[unit_key], _ = Unit.objects.get_or_create(
                    administration=administration,
                    name=unit_name,
                    defaults={"manager": people[manager]},
                )
        for username, *_rest, unit_key in PEOPLE:
            user = people[username]
            if user.unit_id is None:
                user.unit = units[unit_key]
                user.save(update_fields=["unit"])
        Substitute.objects.get_or_create(
            scope=Substitute.Scope.UNIT,
            unit=units["kommunikation"],
            person=people["chef_ersattare"],
        )
        Substitute.objects.get_or_create(
            scope=Substitute.Scope.ROLE,
            role=Role.INFORMATION_OFFICER,
            person=people["kommunchef_ersattare"],
        )
        Substitute.objects.get_or_create(
            scope=Substitute.Scope.ADMINISTRATION,
            administration=units["kommunikation"].administration,
            person=people["kommunchef"],
        )
        for username in (
            "medarbetare",
            "kollega",
            "naringslivsutvecklare",
            "kulturpedagog",
            "larare",
            "gatuingenjor",
            "handlaggare",
        ):
            for platform in ("facebook", "instagram", "youtube", "linkedin", "x"):
                PlatformCompetence.objects.get_or_create(
                    user=people[username],
                    platform=platform,
                    defaults={
                        "how": "Kommunens utbildning i sociala medier",
                        "recorded_by": people["chef"],
                    },
                )
        return people, units

    def _policy(self, people: dict[str, User], path: Path) -> None:
        """Publish the adopted policy as the information officer would, once,
        and let everyone but ``NOT_ACKNOWLEDGED`` acknowledge it."""
        policy = PolicyVersion.objects.order_by("-number").first()
        if policy is None:
            if not path.is_file():
                self.stdout.write(
                    self.style.WARNING(
                        f"The policy text {path} was not found, so no policy is published: "
                        "nobody is asked to acknowledge one. The information officer can "
                        "publish it at /policy/publicera/."
                    )
                )
                return
            text = policy_from_page(path.read_text(encoding="utf-8"))
            adopted = ADOPTED.search(text)
            decided_on = datetime.date(2014, 11, 12)
            reference = "KF 2014-11-12 § 145"
            if adopted:
                year, month, day, paragraph = adopted.groups()
                decided_on = datetime.date(int(year), int(month), int(day))
                reference = f"KF {decided_on.isoformat()} § {paragraph}"
            policy = account_services.policy_publish(
                actor=people["kommunchef"],
                title="Policy för sociala medier i Nora kommun",
                decision_reference=reference,
                decided_on=decided_on,
                text=text,
            )
        for username, person in people.items():
            if username not in NOT_ACKNOWLEDGED:
                account_services.policy_acknowledge(user=person, actor=person, policy_id=policy.pk)


def _extra_seeders():
    """Seeders of apps built on the register (plans, moderation, archive), each
    a ``demo.seed(people, units)`` found by app label."""
    from importlib import import_module

    from django.apps import apps

    for label in ("activity_plans", "moderation", "archive"):
        if apps.is_installed(label):
            try:
                module = import_module(f"{label}.demo")
            except ModuleNotFoundError:
                continue
            yield module.seed
