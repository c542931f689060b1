"""Write the database and every stored file to one encrypted archive.

    python manage.py backup --output /srv/backup/nora-social-20250304.backup

The key is BACKUP_KEY (Fernet; several, comma-separated and newest first, while
old backups are kept). Secrets in the database stay ciphertext inside the
archive. README "Säkerhet" says how long backups are kept.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nora_social.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Writes the database and MEDIA_ROOT to one archive encrypted with BACKUP_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The archive to create (new file).")

    def handle(self, *args, output: str, **options):
        try:
            manifest = create_backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        files = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {rows} rows in {len(manifest['tables'])} tables, "
                f"{files} stored files."
            )
        )
