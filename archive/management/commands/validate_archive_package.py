"""Check an archive package (E-ARK SIP) that Nora social wrote.

    python manage.py validate_archive_package nora-ks-2026-20260517T101500Z.zip \\
        [--user registrator]

The structure (METS.xml in the root folder, metadata/, representations/), the
CSIP attributes of the package and representation METS, the size and SHA-256
of every file they list, that no file in the package is left out of them, and
that no reference points outside the package. A summary in Swedish; with
problems each is listed with its file and the exit status is 1.

A zip the export log knows (by its OBJID) gets the check entered on its row,
with whether the file is byte for byte the one exported (size and SHA-256), and
``--user`` as the person who checked; the yearly report counts these checks.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from archive.export import permissions as export_permissions
from archive.export import services


class Command(BaseCommand):
    help = "Kontrollerar ett arkivpaket (E-ARK SIP, FGS Paketstruktur) som Nora social har skrivit."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Paketet: zip-filen eller den uppackade paketmappen.")
        parser.add_argument(
            "--user", default="", help="Användarnamnet på den som kontrollerar (registrator)."
        )

    def handle(self, *args, path: str, user: str, **options):
        if not Path(path).exists():
            raise CommandError(f"Paketet {path} finns inte.")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None or not export_permissions.can_export(actor):
                raise CommandError(f"{user!r} finns inte eller får inte kontrollera arkivpaket.")
        verification = services.verify_recorded_package(path=path, actor=actor)
        result, recorded = verification.check, verification.recorded
        if recorded is not None:
            same = (
                "samma fil som exporterades"
                if recorded.same_file
                else ("INTE samma fil som exporterades (storlek eller SHA-256 skiljer sig)")
            )
            self.stdout.write(f"Kontrollen är införd i exportförteckningen: {same}.")
        elif verification.log_unavailable:
            self.stdout.write("Exportförteckningen kunde inte läsas; kontrollen förs inte in.")
        elif result.objid:
            self.stdout.write("Paketet finns inte i exportförteckningen; kontrollen förs inte in.")
        if result.ok and (recorded is None or recorded.same_file):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Paketet {result.objid} är giltigt: METS.xml följer CSIP, "
                    f"{result.checked} filer har rätt storlek och SHA-256, "
                    "ingen fil saknas och ingen fil står utanför METS."
                )
            )
            return
        count = len(result.problems) + (0 if recorded is None or recorded.same_file else 1)
        self.stderr.write(f"Paketet {result.objid or path} har {count} fel:")
        for problem in result.problems:
            self.stderr.write(f"  - {problem}")
        raise CommandError(f"Paketet är inte giltigt: {count} fel.")
