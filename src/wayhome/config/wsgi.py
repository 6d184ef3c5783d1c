"""WSGI entry point for gunicorn and the demo server."""

import os

from django.core.wsgi import get_wsgi_application

from wayhome.core.proxy import TrustedProxy

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wayhome.config.settings.production")
# The client's address from a trusted reverse proxy (WAYHOME_TRUSTED_PROXIES), for
# lock-outs and the audit trail.
application = TrustedProxy(get_wsgi_application())
