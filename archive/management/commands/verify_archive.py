"""``python manage.py verify_archive``: re-hash every stored file and report any
mismatch or missing file (issue 5, §10). Exits non-zero on any problem, so cron,
CI or a monitoring check can act on it. Prints kinds, numbers and paths only."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive import integrity


class Command(BaseCommand):
    help = "Re-hash every stored file that has a recorded SHA-256 and report mismatches."

    def handle(self, *args, **options):
        report = integrity.verify_archive()
        labels = {
            integrity.MISMATCH: _("Avvikande kontrollsumma"),
            integrity.MISSING: _("Filen saknas"),
            integrity.UNREADABLE: _("Filen kan inte läsas"),
            integrity.NO_HASH: _("Ingen lagrad kontrollsumma"),
        }
        self.stdout.write(_("Kontrollerade filer: %(count)d") % {"count": report.total})
        for label, count in sorted(report.checked.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            _("Avvikande kontrollsumma: %(count)d") % {"count": report.count(integrity.MISMATCH)}
        )
        self.stdout.write(
            _("Saknade filer: %(count)d") % {"count": report.count(integrity.MISSING)}
        )
        for kind in (integrity.UNREADABLE, integrity.NO_HASH):
            if report.count(kind):
                self.stdout.write(f"{labels[kind]}: {report.count(kind)}")
        for problem in report.problems:
            self.stdout.write(
                f"{labels[problem.kind]}: {problem.label} {problem.record_id}: {problem.path}"
            )
        if not report.ok:
            raise CommandError(
                _("Arkivkontrollen hittade %(count)d problem.") % {"count": len(report.problems)}
            )
        self.stdout.write(_("Alla filer stämmer med sina kontrollsummor."))
