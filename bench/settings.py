"""Settings for benchmark runs: the project's, as production would run them
(DEBUG off, templates cached), plus a bench-only URLconf with the baseline view.
Plain HTTP on loopback, so the HTTPS redirect is off."""

from nora_social.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
LOGGING_CONFIG = None
