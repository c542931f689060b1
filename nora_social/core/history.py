"""Who made a change, for django-simple-history (kernel: imports no app).

simple-history reads the acting user from the instance's ``_history_user``
attribute when the post-save signal writes the historical row. The attribute is
not part of the model's declared fields, so the stubs do not know it: this one
typed helper is the only place that sets it.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


def set_history_user(obj: models.Model, user: AbstractBaseUser | None) -> None:
    """Record ``user`` as the author of ``obj``'s next historical row."""
    obj._history_user = user  # type: ignore[attr-defined]  # simple-history's runtime attribute
