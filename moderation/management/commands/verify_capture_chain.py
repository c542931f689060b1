"""``python manage.py verify_capture_chain``: recompute every account's hash
chain of captured versions (issue 17, tamper evidence) and report any entry
that changed, went missing or lost its content without a purge. Exits non-zero
on any problem, like ``verify_archive``, which the nightly check runs beside it.
Prints accounts and positions only, never content."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from moderation.capture.chain import verify_all
from moderation.capture.models import CapturedVersion


class Command(BaseCommand):
    help = "Verify the SHA-256 chain of every account's captured versions."

    def handle(self, *args, **options):
        problems = verify_all()
        self.stdout.write(
            _("Kontrollerade versioner: %(count)d") % {"count": CapturedVersion.objects.count()}
        )
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(
                _("Kedjekontrollen hittade %(count)d problem.") % {"count": len(problems)}
            )
        self.stdout.write(_("Alla konton: kedjan är obruten."))
