"""Re-encrypt every stored secret under the newest key in ``ESCROW_KEYS``.

How to rotate (README, "Deponerad åtkomst"): put a new Fernet key first in
``ESCROW_KEYS`` and keep the old ones after it; run this command; when it
reports no failures, remove the old keys.

Every ``EncryptedTextField`` of every installed model is covered (escrow
deposits, users' TOTP seeds, and any history table that kept such a column).
Tokens are read and written with plain SQL, so the field never decrypts or
re-encrypts on the way: ``MultiFernet.rotate`` turns each old token into a new
one under the first key. One transaction; counts are printed, never values.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Model

from nora_social.core.crypto import EncryptedTextField, fernet


class RotationFailed(Exception):
    pass


def encrypted_columns() -> list[tuple[type[Model], str]]:
    """(model, column) for every concrete encrypted field in the project."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field.column))
    return found


def rotate_column(model, column: str) -> int:
    """Rewrite one column's tokens under the newest key; return how many rows."""
    from cryptography.fernet import InvalidToken

    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    col = connection.ops.quote_name(column)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    keys = fernet()
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} <> ''{lock}"  # noqa: S608 - names quoted, no input  # nosec B608
        )
        rows = cursor.fetchall()
        for row_pk, token in rows:
            try:
                new_token = keys.rotate(token.encode("ascii")).decode("ascii")
            except (InvalidToken, UnicodeEncodeError) as exc:
                raise RotationFailed(
                    f"{model._meta.label}.{column} row {row_pk}: "
                    "the value cannot be decrypted with any key in ESCROW_KEYS."
                ) from exc
            cursor.execute(
                f"UPDATE {table} SET {col} = %s WHERE {pk} = %s",  # noqa: S608 - names quoted  # nosec B608
                [new_token, row_pk],
            )
            changed += 1
    return changed


class Command(BaseCommand):
    help = (
        "Re-encrypts every stored secret (deposited access, TOTP seeds) under the newest "
        "key in ESCROW_KEYS. Prints counts only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check that every secret can be decrypted and count them; change nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        total = 0
        try:
            with transaction.atomic():
                for model, column in encrypted_columns():
                    count = rotate_column(model, column)
                    total += count
                    self.stdout.write(f"{model._meta.label}.{column}: {count}")
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    self._log_rotation()
        except RotationFailed as exc:
            raise CommandError(f"Nothing was changed. {exc}") from exc
        verb = "would be re-encrypted" if dry_run else "re-encrypted under the newest key"
        self.stdout.write(self.style.SUCCESS(f"{total} secrets {verb}."))

    def _log_rotation(self) -> None:
        """One "re-encrypted" entry in each account's escrow log (no actor: a command)."""
        from channels_registry.models import EscrowDeposit, EscrowEvent

        account_ids = EscrowDeposit.objects.values_list("account_id", flat=True).distinct()
        EscrowEvent.objects.bulk_create(
            EscrowEvent(
                account_id=account_id,
                kind=EscrowEvent.Kind.ROTATE,
                actor=None,
                reason="Omkrypterad med den nyaste nyckeln.",
            )
            for account_id in account_ids.order_by("account_id")
        )
