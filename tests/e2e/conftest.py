"""A real browser against a live server: Debian's Chromium, driven headless by Playwright.

The browser is the system's (``/usr/bin/chromium``); if it is missing the setup installs
Debian's package with apt-get, and fails with the reason if it cannot: a browser is never
downloaded by Playwright and a missing one is never skipped silently. Screenshots of every
main page are kept in ``test-artifacts/e2e/`` for a person to look at.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

CHROMIUM = Path(os.environ.get("WAYHOME_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


APT_LOCK_WAIT = 600  # seconds apt-get waits for another apt-get to finish
INSTALL_LOCK = Path(tempfile.gettempdir()) / "wayhome-e2e-chromium.lock"


def _ensure_chromium() -> Path:
    """Debian's Chromium, installed with apt-get if missing. The suite runs on several
    processes (pytest -n): the first to get here installs it while the others wait on a
    file lock, and apt-get itself waits for dpkg's lock held by any other apt-get."""
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None:
        pytest.fail(f"{CHROMIUM} is missing and apt-get is not available to install Chromium")
    with INSTALL_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not CHROMIUM.exists():  # another process may have installed it meanwhile
            _apt_install_chromium()
    if not CHROMIUM.exists():
        pytest.fail(f"apt-get installed chromium but {CHROMIUM} is still missing")
    return CHROMIUM


def _apt_install_chromium() -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    wait = ["-o", f"DPkg::Lock::Timeout={APT_LOCK_WAIT}"]
    for args in (["update", "-q"], ["install", "-y", "-q", "chromium"]):
        done = subprocess.run(  # noqa: S603  (fixed argv: apt-get installing chromium)
            [*sudo, "apt-get", *wait, *args], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            pytest.fail(f"installing Debian's chromium failed: {done.stderr[-500:]}")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("FAILED-*.png"):  # from an earlier run: would mislead
        stale.unlink()
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser(artifacts: Path) -> Iterator[Browser]:
    """One browser per module. Playwright's sync API keeps an event loop running in this
    thread while it is open, and Django refuses ORM calls from such a thread unless told
    that this is deliberate: the flag is set only while the browser is open, so no other
    test (or a subprocess it starts) runs with it."""
    executable = _ensure_chromium()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(executable), headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) at desktop size; a failing test leaves a
    screenshot named after it."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        tab.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    setattr(item, f"rep_{report.when}", report)  # type: ignore[attr-defined]
    return report


def shot(page: Page, name: str) -> None:
    """Keep a full-page screenshot of a main page as a test artefact."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def settled(page: Page) -> None:
    """Wait until the page's requests are done before the test reads the database.

    On SQLite the live server's threads and the test share one in-memory connection:
    an ORM read while the server still handles a page's form post or its loaded panel
    (the request's candidates) interleaves two transactions on that connection and
    breaks both. Call it after a browser action and before any ORM read or write."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
