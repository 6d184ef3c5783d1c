"""A PostgreSQL restart while wayhome serves costs at most the requests in flight.

The test runs its own PostgreSQL server (initdb in a temporary directory, on a free port)
so that it can stop and start it without touching the database other tests use, and the
application under gunicorn as in production. It needs PostgreSQL's server binaries
(``initdb``, ``pg_ctl``); the SQLite-only run skips it with that reason, like every
PostgreSQL test.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are needed for this test")
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the postgres account when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str], **kw: object) -> None:
    subprocess.run(args, check=True, capture_output=True, **kw)  # type: ignore[call-overload]  # noqa: S603


class PrivatePostgres:
    def __init__(self, root: Path) -> None:
        self.bin = _pg_bin()
        self.data = root / "data"
        self.port = _free_port()
        self.sock = root
        root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        _run(
            _as_postgres(
                [str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            )
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        opts = f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-o", opts, *args])
        )

    def start(self) -> None:
        self._ctl("start", "-l", str(self.sock / "log"))

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    root = Path(tempfile.mkdtemp(prefix="wh-pg-"))  # short: a socket path has a length limit
    server = PrivatePostgres(root)
    server.start()
    yield server
    try:
        server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _env(db_url: str, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wayhome.config.settings.production",
        "DATABASE_URL": db_url,
        "WAYHOME_SECRET_KEY": "fault-test-" + "k" * 40,
        "WAYHOME_ALLOWED_HOSTS": "127.0.0.1",
        "WAYHOME_SSL_REDIRECT": "0",
        "WAYHOME_VAR_DIR": str(tmp),
    }


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (loopback)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return 0


def _wait_for(url: str, want: int, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _get(url) == want:
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    pytest.fail(f"{url} did not answer {want} within {seconds} s:\n{tail}")


def test_a_database_restart_costs_only_requests_in_flight(
    postgres: PrivatePostgres, tmp_path: Path
) -> None:
    env = _env(postgres.url, tmp_path)
    wayhome = [sys.executable, "-m", "wayhome"]
    _run([*wayhome, "migrate", "--no-input"], env=env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603  (fixed argv: gunicorn serving wayhome on loopback)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wayhome.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("wb"),
    )
    health = f"http://127.0.0.1:{port}/health/"
    try:
        _wait_for(health, 200, log=tmp_path / "gunicorn.log")
        for _ in range(20):  # every worker holds a persistent connection now
            assert _get(health) == 200

        postgres.stop()
        assert _get(health) == 503, "with the database down, health must say so, not crash"

        postgres.start()
        # No request may fail once the database is back: stale persistent connections are
        # checked and replaced before use, not handed to a request to fail on.
        statuses = [_get(health) for _ in range(40)]
        assert statuses == [200] * 40, statuses
        assert server.poll() is None, "gunicorn must survive the restart"
    finally:
        server.terminate()
        server.wait(timeout=20)
