"""Restore a backup archive into a new, empty database.

    python manage.py migrate          # on the new, empty database
    python manage.py restore --input /srv/backup/nora-social-20250304.backup

The archive is verified first (key, manifest, SHA-256 of every file); a database
that already holds people, history or sessions is refused, and so is a
MEDIA_ROOT with files in it. ``--verify-only`` checks an archive and changes
nothing (use it to test backups regularly).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nora_social.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restores an archive made by `backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="The archive to restore.")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Decrypt and check the archive against its manifest; change nothing.",
        )

    def handle(self, *args, input: str, verify_only: bool = False, **options):
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            manifest = restore_backup(path, verify_only=verify_only)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        files = sum(1 for name in manifest["files"] if name.startswith("media/"))
        verb = "verified" if verify_only else "restored"
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup from {manifest['created_at']} {verb}: {rows} rows in "
                f"{len(manifest['tables'])} tables, {files} stored files; checksums match."
            )
        )
