"""WSGI entry point for gunicorn and the demo server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wayhome.config.settings.production")
application = get_wsgi_application()
