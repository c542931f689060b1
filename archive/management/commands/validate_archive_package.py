"""Check an archive package (E-ARK SIP) that Nora social wrote.

    python manage.py validate_archive_package nora-ks-2026-20260517T101500Z.zip

The structure (METS.xml in the root folder, metadata/, representations/), the
CSIP attributes of the package and representation METS, the size and SHA-256
of every file they list, that no file in the package is left out of them, and
that no reference points outside the package. A summary in Swedish; with
problems each is listed with its file and the exit status is 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.export.validator import validate_package


class Command(BaseCommand):
    help = "Kontrollerar ett arkivpaket (E-ARK SIP, FGS Paketstruktur) som Nora social har skrivit."
    # Reads a file only: no database, so no system checks needed.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="Paketet: zip-filen eller den uppackade paketmappen.")

    def handle(self, *args, path: str, **options):
        if not Path(path).exists():
            raise CommandError(f"Paketet {path} finns inte.")
        result = validate_package(path)
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Paketet {result.objid} är giltigt: METS.xml följer CSIP, "
                    f"{result.checked} filer har rätt storlek och SHA-256, "
                    "ingen fil saknas och ingen fil står utanför METS."
                )
            )
            return
        count = len(result.problems)
        self.stderr.write(f"Paketet {result.objid or path} har {count} fel:")
        for problem in result.problems:
            self.stderr.write(f"  - {problem}")
        raise CommandError(f"Paketet är inte giltigt: {count} fel.")
