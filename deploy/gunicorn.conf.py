"""gunicorn for wayhome behind nginx (deploy/nginx-wayhome.conf).

Start: gunicorn -c /etc/wayhome/gunicorn.conf.py wayhome.config.wsgi:application
Settings come from the environment (/etc/wayhome/env, see docs/operations.md).
"""

import multiprocessing
import os

# Loopback only: nginx is the one door from outside.
bind = os.environ.get("WAYHOME_BIND", "127.0.0.1:8000")
# Synchronous workers: requests are short database round trips; long jobs (imports,
# linkage) run as commands, not in a request.
workers = int(os.environ.get("WAYHOME_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("WAYHOME_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), so a slow leak in any
# library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Import the application once, then fork: faster start, less memory.
preload_app = True
# Only nginx on this host may say the request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1"

# Logs to stdout/stderr for journald. The access log has the path WITHOUT its query
# string (%(U)s, not %(r)s): a search like ?q=<name> must never reach a log file.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("WAYHOME_GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '{"time":"%(t)s","remote":"%({x-real-ip}i)s","method":"%(m)s","path":"%(U)s",'
    '"status":%(s)s,"bytes":%(B)s,"duration_ms":%(M)s}'
)
