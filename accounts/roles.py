"""The role slugs of DESIGN.md, each a Django group.

What a role may do is a model permission on its group (set in ``ensure_role_groups``);
what a person may do to one object is a guardian object permission or follows from
the org tree. Views never compare a role by name: they ask ``has_perm``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "medarbetare", _("Medarbetare")
    MANAGER = "chef", _("Närmaste chef")
    HEAD_OF_ADMINISTRATION = "forvaltningschef", _("Förvaltningschef")
    INFORMATION_OFFICER = "kommunchef", _("Informationsansvarig (kommunchef)")
    REGISTRAR = "registrator", _("Registrator")
    SECURITY_COORDINATOR = "sakerhetssamordnare", _("Säkerhetssamordnare")


# Model permissions each role's group holds ("app_label.codename"). Apps further
# right add theirs through ``register_role_permissions`` in their AppConfig.ready.
_ROLE_PERMISSIONS: dict[str, set[str]] = {role.value: set() for role in Role}


def register_role_permissions(role: str, *perms: str) -> None:
    _ROLE_PERMISSIONS[role].update(perms)


def ensure_role_groups(**kwargs) -> None:
    """Create each role's group and give it its model permissions (idempotent).

    Connected to post_migrate, so it also runs after a test database flush. The
    permissions are read in one query, not one per permission.
    """
    from django.contrib.auth.models import Group, Permission

    dotted = {perm for perms in _ROLE_PERMISSIONS.values() for perm in perms}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(
            content_type__app_label__in={d.split(".", 1)[0] for d in dotted},
            codename__in={d.split(".", 1)[1] for d in dotted},
        ).values_list("pk", "content_type__app_label", "codename")
    }
    for role, perms in _ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*(found[perm] for perm in sorted(perms) if perm in found))
