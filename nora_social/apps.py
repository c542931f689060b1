from django.apps import AppConfig


class NoraSocialConfig(AppConfig):
    """Project-level pages and commands (seed_demo); no models."""

    name = "nora_social"
    verbose_name = "Nora social"
