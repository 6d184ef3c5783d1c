"""Tests: fast hashing, in-memory-free media, the same apps as production."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-key-0123456789-0123456789-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="wayhome-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Count the dashboard on every view: tests change data between views.
DASHBOARD_MAX_AGE = 0
# Rankings made stale are ranked again by their next reader, not in a thread.
RANKINGS_REFRESH_AFTER_WRITES = False
