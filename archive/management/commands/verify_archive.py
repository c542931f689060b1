"""``python manage.py verify_archive``: re-hash every stored file and report any
mismatch or missing file (issue 5, §10), and check every record kind's own
tamper evidence: each account's hash chain of captured content (issue 17), a
break named by account, position and object. Exits non-zero on any problem, so
cron, CI or a monitoring check can act on it. Prints kinds, numbers, paths and
platform ids only, never content."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive import integrity
from channels_registry.models import SocialAccount


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
        breaks = self._tamper_evidence()
        problems = len(report.problems) + len(breaks)
        if problems:
            raise CommandError(
                _("Arkivkontrollen hittade %(count)d problem.") % {"count": problems}
            )
        self.stdout.write(_("Alla filer stämmer med sina kontrollsummor."))
        self.stdout.write(_("Alla kedjor är obrutna."))

    def _tamper_evidence(self) -> list[integrity.ChainBreak]:
        checked, breaks = integrity.verify_tamper_evidence()
        names = dict(
            SocialAccount.objects.filter(pk__in={b.problem.account_id for b in breaks}).values_list(
                "pk", "display_name"
            )
        )
        for kind in checked:
            count = sum(1 for b in breaks if b.kind == kind)
            self.stdout.write(
                _("Kedjekontroll, %(kind)s: %(count)d brott") % {"kind": kind, "count": count}
            )
        for item in breaks:
            problem = item.problem
            self.stdout.write(
                _(
                    "Brott i kedjan: konto %(account)s (%(name)s), position %(position)d, "
                    "objekt %(object)s: %(what)s"
                )
                % {
                    "account": problem.account_id,
                    "name": names.get(problem.account_id, ""),
                    "position": problem.position,
                    "object": problem.object_id or _("okänt"),
                    "what": problem.what,
                }
            )
        return breaks
