"""System checks for what makes every page fail in production."""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages


@register(Tags.staticfiles, deploy=True)
def static_manifest_check(app_configs=None, **kwargs):
    """With DEBUG off, static files are served by their hashed names from the
    manifest that ``collectstatic`` writes: without it (or with a file missing
    from it) every page that links a stylesheet is a 500.

    A deploy check only: ``collectstatic`` itself runs the staticfiles checks.
    """
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    hint = "Run `python manage.py collectstatic --noinput` (README, production)."
    try:
        manifest, _hash = storage.load_manifest()
    except ValueError:
        manifest = {}
    if not manifest:
        return [
            Error(
                f"No readable static files manifest in STATIC_ROOT ({storage.location}): "
                "every page would answer 500.",
                hint=hint,
                id="nora_social.E001",
            )
        ]
    missing = sorted(
        path
        for finder in finders.get_finders()
        for path, _storage in finder.list(["CVS", ".*", "*~"])
        if path not in manifest
    )
    if missing:
        return [
            Error(
                "Static files newer than the last collectstatic: " + ", ".join(missing[:5]),
                hint=hint,
                id="nora_social.E002",
            )
        ]
    return []
