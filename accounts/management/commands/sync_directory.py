"""Read the staff directory once now (what the beat entry ``directory-sync`` does)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.directory.services import directory_sync
from accounts.directory.sources import configured_source


class Command(BaseCommand):
    help = "Läs personalkatalogen en gång nu och skriv ut vad som ändrades."

    def handle(self, *args, **options):
        source = configured_source()
        if source is None:
            raise CommandError("Ingen personalkatalog är inställd (DIRECTORY_SOURCE).")
        run = directory_sync(source=source)
        self.stdout.write(
            f"{run.get_status_display()}: {run.people_read} lästa, {run.matched} kända, "
            f"{run.updated} ändrade, {run.roles_changed} ändrade roller, {run.left} slutade, "
            f"{run.scheduled} slutar senare."
        )
        if run.error:
            raise CommandError(run.error)
