"""The append-only model base: records written once, never edited, never deleted
one by one (OSL, TF 2 kap.; DESIGN.md "Lifecycles").

Why in the model and not only in the services: a public record must not change
after it is logged, whoever holds the shell. Disposal and purges remove such rows
by queryset delete, which leaves their own entry of what went; the database's
triggers refuse an ``UPDATE`` as well.
"""

from typing import Any

from django.db import models


class RecordLockedError(ValueError):
    """A logged record was about to be changed or deleted one by one."""


class AppendOnlyModel(models.Model):
    """Written once: saving an existing row or deleting one raises
    ``RecordLockedError``. A new instance is always inserted, so an id set by
    hand cannot overwrite an existing row."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordLockedError(
                f"{type(self).__name__} {self.pk} is logged and cannot be changed."
            )
        if not args:
            kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    save.alters_data = True  # type: ignore[attr-defined]  # templates must not call it

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordLockedError(
            f"{type(self).__name__} {self.pk} is a public record; dispose of it by decision."
        )

    delete.alters_data = True  # type: ignore[attr-defined]  # templates must not call it
