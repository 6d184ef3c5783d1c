"""Settings shared by every deployment, driven by environment variables.

SQLite is the default so that a fresh clone runs with no services; production sets
DATABASE_URL to PostgreSQL. Security hardening lives in ``security.py`` (issue 4).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = Path(os.environ.get("WAYHOME_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("WAYHOME_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything but 1/true/yes/on is no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("WAYHOME_SECRET_KEY", "")
DEBUG = env_bool("WAYHOME_DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("WAYHOME_ALLOWED_HOSTS", "").split(",") if h]
# A demo says on every page that its people are synthetic.
DEMO_MODE = env_bool("WAYHOME_DEMO")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "wayhome.core",
    "wayhome.accounts",
    "wayhome.audit",
    "wayhome.places",
    "wayhome.people",
    "wayhome.tracing",
    "wayhome.matching",
    "wayhome.review",
    "wayhome.protection",
    "wayhome.legal",
    "wayhome.repatriation",
    "wayhome.operations",
    "wayhome.aftercare",
    "wayhome.lists",
    "wayhome.jobs",
    "wayhome.comms",
    "wayhome.portal",
    "wayhome.figures",
    "wayhome.api",
    "wayhome.web",
    "wayhome.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "wayhome.core.middleware.RefuseNulQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wayhome.accounts.middleware.SessionLimitsMiddleware",
    "wayhome.accounts.middleware.MFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wayhome.audit.middleware.RequestContextMiddleware",
    "wayhome.core.middleware.PrivateCacheMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failures and refuses a locked-out account or address before the password
    # is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures for one account, or from one address, lock it for fifteen minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("WAYHOME_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False  # its log lines would carry usernames and addresses
AXES_ENABLE_ACCESS_FAILURE_LOG = False

ROOT_URLCONF = "wayhome.config.urls"
WSGI_APPLICATION = "wayhome.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wayhome.web.context_processors.site",
            ],
        },
    }
]
# Django's, but drop-down lists are written in Python instead of a template include per
# option (core/renderers.py: the same HTML for a fraction of the CPU).
FORM_RENDERER = "wayhome.core.renderers.Renderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'wayhome.sqlite3'}"),
        conn_max_age=int(os.environ.get("WAYHOME_DB_CONN_MAX_AGE", "60")),
        # A persistent connection is checked before each request reuses it, so a database
        # restart costs the requests in flight at most (tests/faults).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a seed or import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("ar", _("Arabic"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Person photographs are personal data: never served as public files, only through
# a view that checks the reader's scope (people.views.photo_file).
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Absolute lifetime: a session ends eight hours after login whatever happens; idle
# sessions end sooner (accounts.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("WAYHOME_SESSION_MAX_SECONDS", str(8 * 3600)))
SESSION_IDLE_SECONDS = int(os.environ.get("WAYHOME_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Every staff account needs a second factor (TOTP, with recovery codes).
MFA_REQUIRED = env_bool("WAYHOME_MFA_REQUIRED", True)
OTP_TOTP_ISSUER = "wayhome"
# Re-authentication before exports and sharing is valid this long.
REAUTH_SECONDS = 10 * 60

# Background jobs (wayhome.jobs): with a Redis URL they go on an RQ queue that
# `wayhome jobs worker` runs; without one, in a thread of the web process after commit.
JOBS_REDIS_URL = os.environ.get("WAYHOME_REDIS_URL", "")
JOBS_QUEUE = os.environ.get("WAYHOME_JOBS_QUEUE", "wayhome")
JOBS_INLINE = False  # tests: run a job in the committing thread, at once
# A write that makes a few tracing requests' candidate rankings stale ranks them again
# after it commits, off the request (matching.services.rankings_stale), so that their
# readers find them current; off in tests, where nothing may outlive a test.
RANKINGS_REFRESH_AFTER_WRITES = env_bool("WAYHOME_RANKINGS_REFRESH_AFTER_WRITES", True)
# The web dashboard shows counts up to this many seconds old and recounts in the
# background (web.selectors.current_counts); 0 counts on every view (small registries).
DASHBOARD_MAX_AGE = int(os.environ.get("WAYHOME_DASHBOARD_MAX_AGE", "120"))
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: scripts and styles only from our own static files, so an
# injected <script> or onclick= in a name taken from someone else's list cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Talking with families (comms, portal): outgoing e-mail and the SMS gateway.
EMAIL_BACKEND = os.environ.get(
    "WAYHOME_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("WAYHOME_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WAYHOME_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WAYHOME_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WAYHOME_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WAYHOME_EMAIL_TLS")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("WAYHOME_EMAIL_FROM", "wayhome <noreply@localhost>")
WAYHOME_PUBLIC_URL = os.environ.get("WAYHOME_PUBLIC_URL", "http://127.0.0.1:8000")
WAYHOME_SMS_GATEWAY_URL = os.environ.get("WAYHOME_SMS_GATEWAY_URL", "")
WAYHOME_SMS_GATEWAY_TOKEN = os.environ.get("WAYHOME_SMS_GATEWAY_TOKEN", "")
WAYHOME_SMS_CALLBACK_TOKEN = os.environ.get("WAYHOME_SMS_CALLBACK_TOKEN", "")
WAYHOME_SMS_SENDER = os.environ.get("WAYHOME_SMS_SENDER", "")
WAYHOME_PORTAL_SHOW_FACILITY = env_bool("WAYHOME_PORTAL_SHOW_FACILITY")
# Send just-queued notifications right after the commit that queued them (in the web
# process); off, only `wayhome notifications send` sends (schedule it every minute).
WAYHOME_NOTIFY_ON_COMMIT = env_bool("WAYHOME_NOTIFY_ON_COMMIT", True)

# Application logs carry ids and events, never names or contact details.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WAYHOME_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The REST API (wayhome.api): tokens only (no session, so no CSRF to get wrong), one
# capability per action checked like the pages', JSON in and out.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["wayhome.api.auth.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["wayhome.api.permissions.HasCapability"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wayhome.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wayhome API",
    "DESCRIPTION": (
        "Persons, names, relationships, tracing requests, information reports and "
        "whereabouts of one agency, under the same rules as the pages (docs/api.md)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wayhome.api.schema.add_error_responses",
        "wayhome.api.sensitivity.sensitivity_in_schema",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PersonStatusEnum": "wayhome.people.models.Status",
        "EntryStatusEnum": "wayhome.api.serializers.ENTRY_STATUSES",
        "RequestStatusEnum": "wayhome.tracing.models.TracingRequest.State",
        "BirthPrecisionEnum": "wayhome.people.models.PrecisionChoice",
        "EntryPrecisionEnum": "wayhome.api.serializers.ENTRY_PRECISION_CHOICES",
        "LastKnownPrecisionEnum": "wayhome.api.serializers.LAST_KNOWN_PRECISIONS",
        "ClosureReasonEnum": "wayhome.tracing.models.TracingRequest.Closure",
        "LegalCaseStatusEnum": "wayhome.legal.models.LegalCase.Status",
        "CaseClosureReasonEnum": "wayhome.repatriation.models.RepatriationCase.Closure",
        "StepStatusEnum": "wayhome.repatriation.models.CaseStep.Status",
        "OperationStatusEnum": "wayhome.operations.models.Operation.State",
        "OperationKindEnum": "wayhome.operations.models.Operation.Kind",
        "AppealOutcomeEnum": "wayhome.legal.models.Appeal.Outcome",
        "AppealDecisionEnum": "wayhome.api.casework.APPEAL_DECISIONS",
        "CaseStageEnum": "wayhome.repatriation.models.RepatriationCase.Stage",
        "ManualStageEnum": "wayhome.api.casework.MANUAL_STAGES",
    },
}
