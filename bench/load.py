"""50 concurrent users against wayhome under gunicorn, over 1,000,000 persons in PostgreSQL.

``python -m bench load --database-url postgres://.../bench_wayhome_1000000 [--users 50]
[--duration 60] [--front nginx|gunicorn] [--workers N] [--threads N]``

The database must hold the seeded persons already (``python -m bench pages`` builds it).
The run works on a copy (``<name>_load``, made with ``CREATE DATABASE ... TEMPLATE`` when
missing) because the users edit persons. gunicorn serves the production settings on
loopback; locust (headless) drives simulated caseworkers who log in, browse, search, open
persons and requests, open an edit form and save it, with 1-3 s of think time each
(bench/_locustfile.py). The health endpoint, hit by the same users under the same load,
is the baseline: "x health" is a page's 95th percentile over the health endpoint's.

``--front nginx`` (the default where /usr/sbin/nginx is installed) serves it as production
does (docs/operations.md): nginx terminates TLS and keeps the users' connections, gunicorn
runs deploy/gunicorn.conf.py (synchronous workers, 2 x cores + 1) on loopback behind it.
``--front gunicorn`` has gunicorn terminate TLS itself with threaded workers (4 x 2 unless
told), for a machine without nginx.

The second factor is switched off for the run (WAYHOME_MFA_REQUIRED=0). The figures are
the steady state: the users reset them once the last of them has logged in, so the
logins of the ramp (an Argon2 check each, about 150 ms of CPU by design) are not in the
table. The load generator shares the machine with the server, so on a small
machine the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.pages import setup_django

TARGET_P95_MS = 150.0
SETTLE = 10
HERE = Path(__file__).resolve().parent
NGINX = "/usr/sbin/nginx"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    default = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_wayhome"
    )
    parser.add_argument("--database-url", default=default + "_1000000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5.0)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load after ramp-up")
    parser.add_argument(
        "--front",
        choices=("nginx", "gunicorn"),
        default="nginx" if Path(NGINX).exists() else "gunicorn",
        help="what terminates TLS: nginx before production gunicorn, or gunicorn itself",
    )
    parser.add_argument("--workers", type=int, help="gunicorn workers (production's default)")
    parser.add_argument("--threads", type=int, help="threads per worker (nginx: 1, else 2)")
    args = parser.parse_args(argv)
    if args.front == "gunicorn":
        args.workers = args.workers or 4
        args.threads = args.threads or 2
    else:
        args.workers = args.workers or (os.cpu_count() or 1) * 2 + 1
        args.threads = args.threads or 1
    return args


def working_copy(url: str) -> str:
    """``<name>_load``, copied from the seeded database the first time."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    source = parts.path.lstrip("/")
    copy = f"{source}_load"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [copy]).fetchone():
            print(f"  copying {source} to {copy} (first run only)...", file=sys.stderr)
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(copy), sql.Identifier(source)
                )
            )
    return urlunsplit(parts._replace(path=f"/{copy}"))


def samples(path: Path) -> tuple[int, str]:
    """Pick the persons, requests and names the users will open; return the registry size."""
    from django.core.management import call_command
    from django.db import connection

    from wayhome.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts

    call_command("migrate", interactive=False, verbosity=0)
    ensure_demo_accounts()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.agency_id FROM accounts_user u JOIN accounts_agency a ON a.id = u.agency_id"
            " JOIN people_person p ON p.agency_id = a.id WHERE u.username = 'ngo-caseworker'"
            " LIMIT 1"
        )
        agency = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM people_person")
        total = int(cur.fetchone()[0])
        cur.execute(
            "SELECT uuid::text, display_name FROM people_person TABLESAMPLE SYSTEM (1)"
            " WHERE agency_id = %s AND merged_into_id IS NULL LIMIT 3000",
            [agency],
        )
        rows = cur.fetchall()
    persons = [r[0] for r in rows]
    families = sorted({r[1].split()[-1] for r in rows if " " in r[1]})
    queries = ["Алиева", "Magomedov", *families[:: max(1, len(families) // 40)]]
    path.write_text(
        json.dumps(
            {
                "api_token": api_token(),
                "users": ["ngo-caseworker", "ngo-supervisor"],
                "persons": persons[:2500],
                "editable": persons[2500:],
                "queries": queries,
            }
        ),
        encoding="utf-8",
    )
    return total, DEMO_PASSWORD


def api_token() -> str:
    """A day's token of the agency's "bench load" API client (a caseworker), registered the
    first time by the demo agency administrator, as an integration would be."""
    from wayhome.accounts.models import User
    from wayhome.accounts.roles import Role
    from wayhome.api import services
    from wayhome.api.models import ApiClient

    admin = User.objects.get(username="ngo-agency-admin")
    client = ApiClient.objects.filter(agency_id=admin.agency_key, name="bench load").first()
    if client is None:
        client = services.client_create(actor=admin, name="bench load", role=Role.CASEWORKER)
    _token, text = services.token_issue(actor=admin, client=client, days=1, label="bench load")
    return text


def self_signed(work: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1: production cookies are Secure, so the users
    must speak HTTPS as they would through the reverse proxy."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = work / "cert.pem", work / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def nginx_config(work: Path, port: int, upstream: int, cert: Path, key: Path) -> Path:
    """deploy/nginx-wayhome.conf's proxying on loopback ports, with its files in ``work``."""
    temp = work / "nginx"
    temp.mkdir()
    # As root nginx would hand its workers to "nobody", who cannot enter the private
    # work directory; the throwaway server on loopback keeps the caller's user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = work / "nginx.conf"
    config.write_text(
        f"""{user}worker_processes 1;
daemon off;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream wayhome {{ server 127.0.0.1:{upstream} fail_timeout=0; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:wayhome:10m;
        keepalive_timeout 75s;
        location / {{
            proxy_pass http://wayhome;
            # With the port: the users' Referer names it, and a CSRF check compares them.
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_redirect off;
        }}
    }}
}}
""",
        encoding="utf-8",
    )
    return config


def serve(args: argparse.Namespace, env: dict[str, str], work: Path) -> tuple[int, list[Any]]:
    """Start the server the users will talk to; return its HTTPS port and the processes."""
    port = free_port()
    cert, key = self_signed(work)
    gunicorn = [sys.executable, "-m", "gunicorn", "wayhome.config.wsgi:application"]
    if args.front == "gunicorn":
        return port, [
            subprocess.Popen(
                [
                    *gunicorn,
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--threads",
                    str(args.threads),
                    "--certfile",
                    str(cert),
                    "--keyfile",
                    str(key),
                    "--log-level",
                    "warning",
                ],
                env=env,
            )
        ]
    upstream = free_port()
    app = subprocess.Popen(
        [
            *gunicorn,
            "-c",
            str(HERE.parent / "deploy" / "gunicorn.conf.py"),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            # Production writes the access log to journald; here a file, so the terminal
            # stays readable, at the same cost per request.
            "--access-logfile",
            str(work / "access.log"),
            "--log-level",
            "warning",
        ],
        # nginx's X-Real-IP is believed from loopback only, as in production.
        env={
            **env,
            "WAYHOME_BIND": f"127.0.0.1:{upstream}",
            "WAYHOME_TRUSTED_PROXIES": "127.0.0.1",
        },
    )
    proxy = subprocess.Popen([NGINX, "-c", str(nginx_config(work, port, upstream, cert, key))])
    return port, [proxy, app]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # our own throwaway certificate on loopback
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=insecure):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not come up at {url}")


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def report(rows: list[dict[str, str]], persons: int, args: argparse.Namespace) -> bool:
    health = next(float(r["95%"]) for r in rows if r["Name"] == "health (baseline)")
    print(
        f"\n== load: {args.users} users, {args.duration} s, {args.front} in front,"
        f" gunicorn {args.workers}x{args.threads} threads, {persons:,} persons (PostgreSQL)"
    )
    print("| request | count | failures | median ms | p95 ms | x health (p95) | p95 < 150 ms |")
    print("|---|---|---|---|---|---|---|")
    ok = True
    for r in rows:
        if r["Name"] == "Aggregated" or r["Request Count"] == "0":
            continue  # the logins, all before the figures were reset
        p95 = float(r["95%"])
        met = p95 < TARGET_P95_MS and r["Failure Count"] == "0"
        ok &= met or r["Name"] in ("login form", "login")
        print(
            f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} |"
            f" {float(r['Median Response Time']):.0f} | {p95:.0f} | {p95 / max(health, 1):.1f} |"
            f" {'yes' if met else 'NO'} |"
        )
    return ok


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = working_copy(args.database_url)
    setup_django(url)
    work = Path(tempfile.mkdtemp(prefix="wayhome-load-"))
    persons, password = samples(work / "samples.json")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wayhome.config.settings.production",
        "DATABASE_URL": url,
        "WAYHOME_SECRET_KEY": os.environ.get("WAYHOME_SECRET_KEY", "bench-load-" + "k" * 40),
        "WAYHOME_ALLOWED_HOSTS": "127.0.0.1",
        "WAYHOME_SSL_REDIRECT": "0",
        "WAYHOME_MFA_REQUIRED": "0",
        "WAYHOME_VAR_DIR": str(work),
        "WAYHOME_LOG_LEVEL": "WARNING",
        "BENCH_LOAD_SAMPLES": str(work / "samples.json"),
        "BENCH_LOAD_PASSWORD": password,
    }
    subprocess.run(
        [sys.executable, "-m", "wayhome", "collectstatic", "--no-input", "-v0"], env=env, check=True
    )
    port, servers = serve(args, env, work)
    try:
        wait_until_up(f"https://127.0.0.1:{port}/health/")
        ramp = args.users / args.spawn_rate
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "_locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                # The figures start once every user is logged in (_locustfile.py), a few
                # seconds after the ramp: SETTLE seconds more keep the measured window full.
                f"{int(ramp + SETTLE + args.duration)}s",
                "--host",
                f"https://127.0.0.1:{port}",
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
        )
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=30)
    ok = report(read_stats(work / "load"), persons, args)
    print("\nAll pages under 150 ms at p95 without errors." if ok else "\nTarget NOT met.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
