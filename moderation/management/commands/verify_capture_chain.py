"""``python manage.py verify_capture_chain``: recompute every account's hash
chain of captured versions (issue 17, tamper evidence) and report any entry
that changed, went missing or lost its content without a purge. Exits non-zero
on any problem. A gap that a disposal or purge left is checked by its own
hashes here; whether the archive has the removal it names on record only
``verify_archive`` can say, and it runs this same check with that answer.
Prints accounts, positions and platform ids only, never content."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from moderation.capture.archiving import problem_text
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
            self.stdout.write(
                _("Konto %(account)d, position %(position)d, objekt %(object)s: %(what)s")
                % {
                    "account": problem.account_id,
                    "position": problem.seq,
                    "object": problem.platform_id or _("okänt"),
                    "what": problem_text(problem.what),
                }
            )
        if problems:
            raise CommandError(
                _("Kedjekontrollen hittade %(count)d problem.") % {"count": len(problems)}
            )
        self.stdout.write(_("Alla konton: kedjan är obruten."))
