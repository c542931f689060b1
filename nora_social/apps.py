from django.apps import AppConfig


class NoraSocialConfig(AppConfig):
    """Project-level pages and commands (seed_demo); no models."""

    name = "nora_social"
    verbose_name = "Nora social"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from nora_social import checks  # noqa: F401 - registers the system checks
        from nora_social.core import file_modes
        from nora_social.reports import apps as reports

        reports.ready()
        file_modes.apply_umask()
        connection_created.connect(
            file_modes.restrict_sqlite, dispatch_uid="nora_social.core.file_modes"
        )
