from django.apps import AppConfig


class NoraSocialConfig(AppConfig):
    """Project-level pages and commands (seed_demo); no models."""

    name = "nora_social"
    verbose_name = "Nora social"

    def ready(self):
        from nora_social import checks  # noqa: F401 - registers the system checks
