"""Settings for Nora social, one module, configured from the environment.

Development (``DEBUG=true``, set by ``make run``) needs nothing installed: SQLite,
a file-system Celery broker and e-mail written to files under var/mail/. Production
is the default, ``DEBUG=false``; it refuses to start without ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``ESCROW_KEYS``.
"""

import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from nora_social.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# The demo (make run): DEBUG's conveniences (static files, the demo users, mail to
# files) but the app's own 404 and 500 pages instead of Django's debug pages,
# which list every URL and show tracebacks (nora_social.middleware).
NORA_DEMO = env_bool("NORA_DEMO", False)
TESTING = env_bool("NORA_TESTING", False)
# Off unless asked for: a production server that misses the variable fails
# closed (refuses to start without its secrets), never open. `make run` sets
# DEBUG=true; the test switch NORA_TESTING (every test run) implies it.
DEBUG = env_bool("DEBUG", TESTING)


def _dev_secret(name: str, make) -> str:
    """A per-machine secret for development, kept outside the repository.

    Production never reaches this: it has no fallback secret at all.
    """
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _dev_secret("dev-secret-key", lambda: secrets.token_urlsafe(50))
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is too short or too simple for production.")

# Fernet keys for the credential escrow, newest first (MultiFernet). Rotate by
# prepending a new key and running ``manage.py rotate_escrow_keys``.
ESCROW_KEYS = env_list("ESCROW_KEYS")
if not ESCROW_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("ESCROW_KEYS must be set when DEBUG is off.")
    ESCROW_KEYS = [_dev_secret("dev-escrow-key", _fernet_key)]

# Fernet keys for backup archives (manage.py backup/restore), newest first; old
# keys stay listed while backups made with them are kept. Production has no
# fallback: the commands refuse to run without BACKUP_KEY.
BACKUP_KEYS = env_list("BACKUP_KEY")
if not BACKUP_KEYS and DEBUG:
    BACKUP_KEYS = [_dev_secret("dev-backup-key", _fernet_key)]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "csp",
    "axes",
    "djangosaml2",
    "nora_social.apps.NoraSocialConfig",
    "accounts.apps.AccountsConfig",
    "channels_registry.apps.ChannelsRegistryConfig",
    "activity_plans.apps.ActivityPlansConfig",
    "moderation.apps.ModerationConfig",
    "archive.apps.ArchiveConfig",
]

MIDDLEWARE = [
    "nora_social.middleware.DemoErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The SAML exchange's own cookie (outstanding requests), apart from the session.
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PolicyGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (CSRF's process_view reads the form).
    "nora_social.middleware.RequestBodyLimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# The platforms' webhook URLs alone (nora_social/handlers.py): signed POSTs from
# a program, with no session, login, language or form. Host validation
# (CommonMiddleware), the security headers and the size limit stay.
WEBHOOK_MIDDLEWARE = [
    "nora_social.middleware.DemoErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "nora_social.middleware.PlainRequestBodyLimitMiddleware",
]

ROOT_URLCONF = "nora_social.urls"
WSGI_APPLICATION = "nora_social.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests writing at once (`make run` serves SQLite): a transaction
    # that starts as a reader and then writes cannot wait for the other writer,
    # SQLite answers "database is locked" at once. IMMEDIATE takes the write
    # lock at BEGIN, so the second writer waits (up to `timeout` seconds) instead;
    # WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
else:
    # The register search reads the posting list of a common word (100,000+
    # entries over a decade) into a bitmap; at PostgreSQL's default 4 MB it turns
    # lossy and every heap page is rechecked (README "Prestanda"). Per session, so
    # no server setting or superuser is needed.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={env_str('DB_WORK_MEM', '16MB')}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The admin never reverts to an old version: a revert would go around the services
# (nora_social/core/admin_base.py refuses the history form's POST as well).
SIMPLE_HISTORY_REVERT_DISABLED = True

# "default" is per process. "shared" is seen by every web worker when CACHE_URL
# names a Redis database (production: the same Redis as Celery, another number):
# the public list keeps its change stamp there, so a change saved through one
# gunicorn worker reaches the others at once (without it, within a few seconds).
# Short timeouts: a Redis outage makes the list ask the database, never hang.
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "nora",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
    ),
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Passwords, for the local accounts only when LOCAL_LOGIN_ENABLED is off.
    "accounts.sso.backends.LocalPasswordBackend",
    "accounts.sso.oidc.OIDCBackend",
    "accounts.sso.saml.SAMLBackend",
    "guardian.backends.ObjectPermissionBackend",
]
GUARDIAN_MONKEY_PATCH_USER = False
ANONYMOUS_USER_NAME = None
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Tests create many users; the production hasher's cost would dominate the run.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 8 hours or when the browser closes; step-up lasts minutes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
STEP_UP_SECONDS = env_int("STEP_UP_SECONDS", 5 * 60)
# Step-up locks for a person after this many wrong passwords or codes within the
# window (accounts/security.py); counted in the database, so every process agrees.
STEP_UP_FAILURE_LIMIT = env_int("STEP_UP_FAILURE_LIMIT", 5)
STEP_UP_FAILURE_WINDOW_SECONDS = env_int("STEP_UP_FAILURE_WINDOW_SECONDS", 15 * 60)

# Login lockout (django-axes): 5 failures for the same username from the same IP
# address lock that pair for 30 minutes. Attempts live in the database.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
# Sign-on's callbacks have no password to guess: not counted, never locked.
AXES_WHITELIST_CALLABLE = "accounts.security.axes_not_a_password_login"
# Masked in the stored request data of attempts and in log lines.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "code",
    "csrfmiddlewaretoken",
]
# Behind a reverse proxy, the client address is in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
LOCKOUT_CONTACT = env_str("LOCKOUT_CONTACT", "nora.kommun@nora.se")

# Single sign-on (accounts/sso/, docs/operations.md "Inloggning med kommunens konto").
# Local passwords: off in production once sign-on works; the break-glass
# accounts named here can still log in with a password (and only they).
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
BREAK_GLASS_USERNAMES = env_list("BREAK_GLASS_USERNAMES")
# Whom a person without access is told to ask (the information officer).
ACCESS_CONTACT = env_str("ACCESS_CONTACT", LOCKOUT_CONTACT)

# OpenID Connect (Entra ID): the endpoints come from the discovery document of
# OIDC_ISSUER (<issuer>/.well-known/openid-configuration), read when first needed.
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
if OIDC_ENABLED and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET(_FILE).")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_STORE_ID_TOKEN = False
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/ingen-atkomst/"
# The claim with the stable identifier: "oid" for Entra ID, "sub" elsewhere.
OIDC_SUBJECT_CLAIM = env_str("OIDC_SUBJECT_CLAIM", "sub")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
# A login counts as multi-factor (step-up for the escrow) when its amr names one
# of these methods or its acr is one of OIDC_MFA_ACR_VALUES.
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", ["mfa", "otp", "hwk", "swk", "fido", "sms"])
OIDC_MFA_ACR_VALUES = env_list("OIDC_MFA_ACR_VALUES")

# SAML 2.0 (ADFS, federations): the IdP's metadata from a URL or a file, the
# service provider's key and certificate from files.
SAML_IDP_METADATA_URL = env_str("SAML_IDP_METADATA_URL")
SAML_IDP_METADATA_FILE = env_str("SAML_IDP_METADATA_FILE")
SAML_ENABLED = bool(SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE)
SAML_SP_KEY_FILE = env_str("SAML_SP_KEY_FILE")
SAML_SP_CERT_FILE = env_str("SAML_SP_CERT_FILE")
if SAML_ENABLED and not (SAML_SP_KEY_FILE and SAML_SP_CERT_FILE):
    raise ImproperlyConfigured("SAML needs SAML_SP_KEY_FILE and SAML_SP_CERT_FILE.")
SAML_ENTITY_ID = env_str("SAML_ENTITY_ID", f"{SITE_URL}/saml2/metadata/")
# Persistent NameID by default; or an attribute that never changes (ADFS: objectGUID).
SAML_SUBJECT_ATTRIBUTE = env_str("SAML_SUBJECT_ATTRIBUTE")
SAML_GROUPS_ATTRIBUTE = env_str("SAML_GROUPS_ATTRIBUTE", "http://schemas.xmlsoap.org/claims/Group")
SAML_MFA_AUTHN_CONTEXTS = env_list(
    "SAML_MFA_AUTHN_CONTEXTS",
    [
        "http://schemas.microsoft.com/claims/multipleauthn",
        "https://refeds.org/profile/mfa",
    ],
)
SAML_CONFIG_LOADER = "accounts.sso.saml.config_loader"
SAML_ACS_FAILURE_RESPONSE_FUNCTION = "accounts.sso.views.saml_failure"
SAML_SESSION_COOKIE_NAME = "saml_session"
# The IdP posts the answer from its own site: the SAML cookie must travel with a
# cross-site POST (SameSite=None, so Secure, in production).
SAML_SESSION_COOKIE_SAMESITE = "Lax" if DEBUG else "None"
SAML_IGNORE_AUTHENTICATED_USERS_ON_LOGIN = True
# Redirect binding: the POST binding's page submits itself with a script, which the CSP refuses.
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (screenshots, PDFs) live outside the web root and are served
# only through views that check permission; there is deliberately no MEDIA_URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The one mode for every file the app writes (uploads, PDFs, packages, the
# SQLite database; nora_social/core/file_modes.py) and for its folders.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Request sizes. The largest legitimate upload is one screenshot of at most
# nora_social.core.uploads.MAX_BYTES (10 MB) with its form: anything declaring more
# than MAX_REQUEST_BYTES is refused with 413 before it is read
# (nora_social.middleware); nginx's client_max_body_size should say the same.
# Form fields alone (no file) stay far below: 5 MB. A file over 2.5 MB is
# spooled to a temporary file instead of memory.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 12 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Development writes each message to a file under var/mail/ (the demo sends dozens,
# some with PDF attachments, which would bury the terminal).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Nora kommun sociala medier <no-reply@nora.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. X-Frame-Options DENY everywhere; the embed widget opts out
# and is framable only by the origins in NORA_EMBED_ORIGINS (CSP frame-ancestors).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
NORA_EMBED_ORIGINS = env_list("NORA_EMBED_ORIGINS", ["https://www.nora.se", "https://nora.se"])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Celery. Production uses Redis; development uses a broker in the file system
# under var/ so `make run` needs no server. The database is the truth: tasks
# only trigger work that the next sweep would also find.
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", "filesystem://" if DEBUG else "redis://127.0.0.1:6379/0"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Longer than the longest task, so Redis does not redeliver a running one.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 2 * 3600,
        # A web request that queues a re-check must not hang when Redis is down:
        # fail fast, and the next scheduled sweep does the work.
        "socket_connect_timeout": 1,
        "max_retries": 1,
    }
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker child's memory creeps up over hundreds of snapshot PDFs (WeasyPrint,
# pikepdf): replaced after this many tasks (bench/snapshots.py; 0 = never).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50) or None
# Celery's Django fixup closes every database connection before and after each
# task unless this is set. A new PostgreSQL connection loads the Swedish hunspell
# dictionary on its first use of the register's text search, which each
# snapshot's registration paid (figures: docs/performance.md). With it,
# connections live as in a web request instead: nora_social/celery.py closes
# them by DB_CONN_MAX_AGE and health check before and after each task, and the
# fixup still closes them after twice this many tasks.
CELERY_DB_REUSE_MAX = 500
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "compliance-nightly-full-sweep": {
        "task": "channels_registry.tasks.run_compliance_sweep",
        "schedule": crontab(hour=2, minute=15),
        "options": {"expires": 20 * 3600},
    },
    "compliance-hourly-time-critical": {
        "task": "channels_registry.tasks.run_compliance_sweep",
        "schedule": crontab(minute=5),
        "kwargs": {"time_critical_only": True},
        "options": {"expires": 50 * 60},
    },
    # After the nightly sweep: one digest per person (in-app and one e-mail).
    "compliance-daily-digest": {
        "task": "channels_registry.tasks.send_finding_digests",
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 12 * 3600},
    },
    # §10: ask for the yearly snapshot of each account that is due (11 months
    # after its last), and re-queue any snapshot whose task was lost.
    "archive-snapshots-due": {
        "task": "archive.tasks.request_due_snapshots",
        "schedule": crontab(hour=6, minute=45),
        "options": {"expires": 12 * 3600},
    },
}
# Capture from the platforms (issue 17): a poll per connected account (webhooks
# are only a trigger) and a daily check of every token's health.
CAPTURE_POLL_MINUTES = env_int("CAPTURE_POLL_MINUTES", 15)
CELERY_BEAT_SCHEDULE["capture-poll"] = {
    "task": "moderation.capture.tasks.poll_all_connections",
    "schedule": CAPTURE_POLL_MINUTES * 60,
    "options": {"expires": CAPTURE_POLL_MINUTES * 60 - 30},
}
CELERY_BEAT_SCHEDULE["capture-chain-check"] = {
    "task": "moderation.capture.tasks.verify_capture_chains",
    "schedule": crontab(hour=3, minute=30),
    "options": {"expires": 12 * 3600},
}
CELERY_BEAT_SCHEDULE["capture-token-health"] = {
    "task": "moderation.capture.tasks.check_connection_health",
    "schedule": crontab(hour=5, minute=50),
    "options": {"expires": 12 * 3600},
}
# How long the health page (/halsa/) waits for the Celery workers to
# answer its ping, in milliseconds: long enough for a busy worker, short enough for
# a monitor polling the page.
HEALTH_WORKER_PING_MS = env_int("HEALTH_WORKER_PING_MS", 1500)

# Development: a quick sweep every few minutes so a newcomer sees it work.
if DEBUG and env_bool("NORA_DEV_FAST_SWEEP", True):
    CELERY_BEAT_SCHEDULE["compliance-dev-sweep"] = {
        "task": "channels_registry.tasks.run_compliance_sweep",
        "schedule": env_int("NORA_DEV_SWEEP_SECONDS", 300),
        "options": {"expires": 240},
    }

# The staff directory (accounts/directory/, docs/operations.md "Personalkatalogen"):
# "graph" (Microsoft Graph, Entra ID) or "ldap" (on-premise AD); empty: the
# periodic task does nothing and says so once in the log.
DIRECTORY_SOURCE = env_str("DIRECTORY_SOURCE").strip().lower()
if DIRECTORY_SOURCE not in ("", "graph", "ldap"):
    raise ImproperlyConfigured("DIRECTORY_SOURCE must be graph, ldap or empty.")
DIRECTORY_SYNC_MINUTES = env_int("DIRECTORY_SYNC_MINUTES", 60)
# Between full reads, Graph reads only the changes (a delta round).
DIRECTORY_FULL_READ_HOURS = env_int("DIRECTORY_FULL_READ_HOURS", 24)
# Which sign-on's identifier the directory's id is: Entra ID's object id is the
# OIDC "oid"; AD's objectGUID is what ADFS sends as a persistent NameID.
DIRECTORY_IDENTITY_PROVIDER = env_str(
    "DIRECTORY_IDENTITY_PROVIDER", "saml" if DIRECTORY_SOURCE == "ldap" else "oidc"
)
if DIRECTORY_IDENTITY_PROVIDER not in ("oidc", "saml"):
    raise ImproperlyConfigured("DIRECTORY_IDENTITY_PROVIDER must be oidc or saml.")
DIRECTORY_TIMEOUT = env_int("DIRECTORY_TIMEOUT", 30)
DIRECTORY_GRAPH_TENANT_ID = env_str("DIRECTORY_GRAPH_TENANT_ID")
DIRECTORY_GRAPH_CLIENT_ID = env_str("DIRECTORY_GRAPH_CLIENT_ID")
DIRECTORY_GRAPH_CLIENT_SECRET = env_str("DIRECTORY_GRAPH_CLIENT_SECRET")
DIRECTORY_GRAPH_LOGIN_URL = env_str(
    "DIRECTORY_GRAPH_LOGIN_URL", "https://login.microsoftonline.com"
).rstrip("/")
DIRECTORY_GRAPH_URL = env_str("DIRECTORY_GRAPH_URL", "https://graph.microsoft.com/v1.0").rstrip("/")
# The end of employment (employeeLeaveDateTime) needs User-LifeCycleInfo.Read.All.
DIRECTORY_GRAPH_LEAVE_DATES = env_bool("DIRECTORY_GRAPH_LEAVE_DATES", False)
if DIRECTORY_SOURCE == "graph" and not (
    DIRECTORY_GRAPH_TENANT_ID and DIRECTORY_GRAPH_CLIENT_ID and DIRECTORY_GRAPH_CLIENT_SECRET
):
    raise ImproperlyConfigured(
        "DIRECTORY_SOURCE=graph needs DIRECTORY_GRAPH_TENANT_ID, DIRECTORY_GRAPH_CLIENT_ID "
        "and DIRECTORY_GRAPH_CLIENT_SECRET(_FILE)."
    )
DIRECTORY_LDAP_URL = env_str("DIRECTORY_LDAP_URL")
DIRECTORY_LDAP_BIND_DN = env_str("DIRECTORY_LDAP_BIND_DN")
DIRECTORY_LDAP_BIND_PASSWORD = env_str("DIRECTORY_LDAP_BIND_PASSWORD")
DIRECTORY_LDAP_BASE_DN = env_str("DIRECTORY_LDAP_BASE_DN")
DIRECTORY_LDAP_USER_FILTER = env_str(
    "DIRECTORY_LDAP_USER_FILTER", "(&(objectCategory=person)(objectClass=user))"
)
DIRECTORY_LDAP_ID_ATTRIBUTE = env_str("DIRECTORY_LDAP_ID_ATTRIBUTE", "objectGUID")
# "text": the GUID as text (or the attribute as it is); "base64": as ADFS sends
# objectGUID when it is the persistent NameID (ImmutableID).
DIRECTORY_LDAP_ID_FORMAT = env_str("DIRECTORY_LDAP_ID_FORMAT", "text")
if DIRECTORY_LDAP_ID_FORMAT not in ("text", "base64"):
    raise ImproperlyConfigured("DIRECTORY_LDAP_ID_FORMAT must be text or base64.")
DIRECTORY_LDAP_PAGE_SIZE = env_int("DIRECTORY_LDAP_PAGE_SIZE", 500)
if DIRECTORY_SOURCE == "ldap" and not (
    DIRECTORY_LDAP_URL
    and DIRECTORY_LDAP_BASE_DN
    and DIRECTORY_LDAP_BIND_DN
    and DIRECTORY_LDAP_BIND_PASSWORD
):
    raise ImproperlyConfigured(
        "DIRECTORY_SOURCE=ldap needs DIRECTORY_LDAP_URL, DIRECTORY_LDAP_BASE_DN, "
        "DIRECTORY_LDAP_BIND_DN and DIRECTORY_LDAP_BIND_PASSWORD(_FILE)."
    )
# SCIM 2.0 push (/scim/v2/Users): the bearer token the identity provider's
# provisioning sends; empty: the endpoint answers 404.
DIRECTORY_SCIM_TOKEN = env_str("DIRECTORY_SCIM_TOKEN")
if DIRECTORY_SCIM_TOKEN and len(DIRECTORY_SCIM_TOKEN) < 32:
    raise ImproperlyConfigured("DIRECTORY_SCIM_TOKEN must be at least 32 characters.")
CELERY_BEAT_SCHEDULE["directory-sync"] = {
    "task": "accounts.directory.tasks.sync_directory",
    "schedule": DIRECTORY_SYNC_MINUTES * 60,
    "options": {"expires": max(DIRECTORY_SYNC_MINUTES * 60 - 60, 30)},
}

# Capture: the Meta app's secret signs webhooks (X-Hub-Signature-256) and the
# verify token answers its subscription handshake; no default, so without them
# every webhook is refused and only polling captures.
CAPTURE_META_APP_ID = env_str("CAPTURE_META_APP_ID")
CAPTURE_META_APP_SECRET = env_str("CAPTURE_META_APP_SECRET")
CAPTURE_META_VERIFY_TOKEN = env_str("CAPTURE_META_VERIFY_TOKEN")
CAPTURE_META_GRAPH_VERSION = env_str("CAPTURE_META_GRAPH_VERSION", "v21.0")
# The OAuth apps of the other platforms (docs/platforms.md): without an app's
# id and secret its dialog is off and only a pasted token connects, without
# refresh. Each secret may be a file (``_FILE``).
CAPTURE_GOOGLE_CLIENT_ID = env_str("CAPTURE_GOOGLE_CLIENT_ID")
CAPTURE_GOOGLE_CLIENT_SECRET = env_str("CAPTURE_GOOGLE_CLIENT_SECRET")
CAPTURE_LINKEDIN_CLIENT_ID = env_str("CAPTURE_LINKEDIN_CLIENT_ID")
CAPTURE_LINKEDIN_CLIENT_SECRET = env_str("CAPTURE_LINKEDIN_CLIENT_SECRET")
# LinkedIn's versioned API (``LinkedIn-Version: YYYYMM``); a version is served
# for at least a year after its release, so move it forward yearly.
CAPTURE_LINKEDIN_VERSION = env_str("CAPTURE_LINKEDIN_VERSION", "202611")
CAPTURE_X_CLIENT_ID = env_str("CAPTURE_X_CLIENT_ID")
# Empty for a public client (PKCE only); a confidential client sends it.
CAPTURE_X_CLIENT_SECRET = env_str("CAPTURE_X_CLIENT_SECRET")
# The posts a month the X plan lets the app read (all accounts together are
# one app, but each connection counts its own; set it to the plan's cap
# divided by the accounts connected).
CAPTURE_X_MONTHLY_POST_CAP = env_int("CAPTURE_X_MONTHLY_POST_CAP", 10_000)
# A token that expires within the poll's interval and this margin is renewed
# before the poll uses it.
CAPTURE_TOKEN_REFRESH_MARGIN_MINUTES = env_int("CAPTURE_TOKEN_REFRESH_MARGIN_MINUTES", 10)
# How far back each poll re-reads posts and their comments (deletions are seen
# only within it), when a vanished comment with no moderation entry is a
# finding, and when a captured post with no logged author is one.
CAPTURE_WATCH_DAYS = env_int("CAPTURE_WATCH_DAYS", 30)
CAPTURE_REMOVAL_NOTE_HOURS = env_int("CAPTURE_REMOVAL_NOTE_HOURS", 24)
CAPTURE_AUTHOR_DELAY_HOURS = env_int("CAPTURE_AUTHOR_DELAY_HOURS", 48)

# Policy settings.
ESCROW_ROTATION_MONTHS = env_int("ESCROW_ROTATION_MONTHS", 12)
# A finding's digest goes to the owner, then also the manager, then the head.
FINDING_ESCALATE_MANAGER_DAYS = env_int("FINDING_ESCALATE_MANAGER_DAYS", 7)
FINDING_ESCALATE_HEAD_DAYS = env_int("FINDING_ESCALATE_HEAD_DAYS", 14)
PREEXISTING_PLAN_DAYS = env_int("PREEXISTING_PLAN_DAYS", 90)
ESCROW_GRANT_MAX_HOURS = env_int("ESCROW_GRANT_MAX_HOURS", 72)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Never log request bodies: they may carry a credential being deposited.
        "django.request": {"level": "ERROR"},
        # Libraries' progress chatter (every PDF's seven steps) is not news.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The file-system broker has no host, which kombu warns about every time.
        **(
            {"kombu.connection": {"level": "ERROR"}}
            if CELERY_BROKER_URL.startswith("filesystem://")
            else {}
        ),
    },
}

# Anonymous forms (nora_social/core/public_forms.py): accepted submissions per client
# address and form within the window, counted in the "shared" cache.
PUBLIC_FORM_LIMIT = env_int("PUBLIC_FORM_LIMIT", 5)
PUBLIC_FORM_WINDOW_SECONDS = env_int("PUBLIC_FORM_WINDOW_SECONDS", 3600)
# Requests for public documents (archive/requests): the "skyndsamt" limit in
# working days before a compliance finding, and how long a download link lasts.
RECORDS_REQUEST_LIMIT_WORKING_DAYS = env_int("RECORDS_REQUEST_LIMIT_WORKING_DAYS", 1)
RECORDS_REQUEST_LINK_DAYS = env_int("RECORDS_REQUEST_LINK_DAYS", 14)
# The court an appeal of a decision on a request goes to (OSL 6 kap. 7–8 §§):
# the kammarrätt whose circuit holds the municipality's förvaltningsrätt
# (förordningen 1977:937 om kammarrätternas domkretsar); named in the covering letter.
# Nora is in Örebro län, whose förvaltningsrätt is in Karlstad (Värmlands and Örebro
# län), in the circuit of Kammarrätten i Göteborg (with the förvaltningsrätter in
# Göteborg and Malmö): checked against domstol.se on 2026-12-07.
RECORDS_REQUEST_APPEAL_COURT = env_str("RECORDS_REQUEST_APPEAL_COURT", "Kammarrätten i Göteborg")

# Contacts on the public pages (accessibility statement, privacy notice).
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "nora.kommun@nora.se")
DPO_CONTACT = env_str("DPO_CONTACT", "dataskyddsombud@nora.se")
# Nora kommun's organisation number: identifies the archival creator and the
# submitter in an archive package (E-ARK SIP, IDENTIFICATIONCODE).
ORGANISATION_NUMBER = env_str("ORGANISATION_NUMBER", "212000-1959")
