"""Settings for benchmark runs: the project's, as production would run them
(DEBUG off, templates cached), plus a bench-only URLconf with the baseline view.
Plain HTTP on loopback, so the HTTPS redirect is off."""

import os

from nora_social.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
LOGGING_CONFIG = None
# As production (DEBUG off) keeps them; the project's settings chose 0 for
# development before this file turned DEBUG off.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", 60))  # noqa: F405

# As production runs it (settings.CACHE_URL): the public list's change stamp in
# Redis, seen by both gunicorn workers.
CACHES["shared"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"),
    "KEY_PREFIX": "nora-bench",
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}
MIDDLEWARE = [*MIDDLEWARE, "bench.urls.worker_pid"]  # noqa: F405 - baseline and list alike
