"""Write the archive package (E-ARK SIP) of an administration for a year.

    python manage.py write_archive_package --administration KS --year 2025 \\
        --user registrator --output /srv/arkiv/

The same package the registrar downloads from Gallring → Arkivexport. ``--user``
is the person exporting: they need the export permission (the registrar) and
are recorded in the package (METS agent, PREMIS event) and the log. The package
is written as ``<OBJID>.zip`` in the output folder (or to the given .zip path,
never over an existing file), validated once written, and entered in the export
log with its size and SHA-256 (shown on the page Arkivexport).
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import Administration, User
from archive.export import permissions as export_permissions
from archive.export import services, writer
from archive.export.models import ArchiveExport
from nora_social.core import file_modes


class Command(BaseCommand):
    help = "Skriver arkivpaketet (E-ARK SIP) för en förvaltning och ett år."

    def add_arguments(self, parser):
        parser.add_argument(
            "--administration", required=True, help="Förvaltningens diarieserie (KS) eller namn."
        )
        parser.add_argument("--year", type=int, required=True, help="Året, t.ex. 2025.")
        parser.add_argument(
            "--user", required=True, help="Användarnamnet på den som exporterar (registrator)."
        )
        parser.add_argument(
            "--output", default=".", help="Mapp för <OBJID>.zip, eller sökväg till en ny .zip."
        )

    def handle(self, *args, administration: str, year: int, user: str, output: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("Året ska vara mellan 2000 och 2100.")
        found = list(
            Administration.objects.filter(
                Q(register_series=administration.upper()) | Q(name__iexact=administration)
            )
        )
        if len(found) != 1:
            raise CommandError(
                f"Hittade {len(found)} förvaltningar för {administration!r}; "
                "ange diarieserien eller hela namnet."
            )
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None or not export_permissions.can_export(actor):
            raise CommandError(f"{user!r} finns inte eller får inte exportera till arkivet.")

        target = Path(output)
        folder = target.parent if target.suffix == ".zip" else target
        if not folder.is_dir():
            raise CommandError(f"Mappen {folder} finns inte.")
        if target.suffix == ".zip" and target.exists():
            raise CommandError(f"{target} finns redan; ett paket skrivs aldrig över.")

        scope = writer.Scope(administration=found[0], year=year)
        handle, partial = tempfile.mkstemp(dir=folder, suffix=".zip.part")
        try:
            with os.fdopen(handle, "w+b") as out:
                export = services.export_package(
                    scope=scope, actor=actor, out=out, channel=ArchiveExport.Channel.COMMAND
                )
            final = target if target.suffix == ".zip" else folder / f"{export.objid}.zip"
            if final.exists():
                raise CommandError(f"{final} finns redan; ett paket skrivs aldrig över.")
            file_modes.restrict(partial)  # mkstemp makes it 0600
            os.replace(partial, final)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)

        self.stdout.write(
            f"Skrev {final}: {export.cases} ärenden, {export.documents} handlingar, "
            f"{export.snapshots} ögonblicksbilder, {export.data_files} lagrade filer. "
            f"SHA-256 {export.sha256}."
        )
        if not export.valid:
            for problem in export.problems.splitlines():
                self.stderr.write(f"  - {problem}")
            raise CommandError(
                f"Paketet klarade inte kontrollen: {len(export.problems.splitlines())} fel."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Kontrollerat: giltigt, {export.checked_files} filer med SHA-256.")
        )
