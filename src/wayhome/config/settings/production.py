"""Production: secrets and hosts must come from the environment; HTTPS is assumed."""

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, SECRET_KEY, env_bool

if not SECRET_KEY or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("WAYHOME_SECRET_KEY must be set to at least 40 random characters")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("WAYHOME_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload only once the domain is committed to HTTPS for good: it cannot be undone quickly.
SECURE_HSTS_PRELOAD = env_bool("WAYHOME_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Not preloading is a decision the operator makes knowingly (docs/security.md).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Static files: hashed names (cacheable for a year) and pre-compressed copies, served by
# whitenoise from STATIC_ROOT after `wayhome collectstatic`.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# One JSON object a line (core/logs.py), no personal data; plain text on request.
if os.environ.get("WAYHOME_LOG_FORMAT", "json") == "json":
    _formatters: Any = LOGGING["formatters"]
    _handlers: Any = LOGGING["handlers"]
    _formatters["json"] = {"()": "wayhome.core.logs.JsonFormatter"}
    _handlers["console"]["formatter"] = "json"
