"""Demo data so a newcomer sees a living system: three administrations with units,
managers and substitutes, one user per role slug (password ``demo``), and accounts
in every lifecycle state. Idempotent; refused when DEBUG is off."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import (
    Administration,
    PlatformCompetence,
    PolicyAcknowledgement,
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


class Command(BaseCommand):
    help = "Fyller databasen med demodata (bara i utvecklingsläge)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo is refused when DEBUG is off: it creates users with the password 'demo'."
            )
        with transaction.atomic():
            people, units = self._org()
            from channels_registry import demo as registry_demo

            registry_demo.seed(people, units)
            for seeder in _extra_seeders():
                seeder(people, units)
        from channels_registry.engine import run_sweep

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
            PolicyAcknowledgement.objects.get_or_create(
                user=people[username], defaults={"recorded_by": people[username]}
            )
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
