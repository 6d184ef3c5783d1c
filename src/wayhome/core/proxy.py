"""The client's address behind a reverse proxy.

Lock-outs (django-axes) and the audit trail key on ``REMOTE_ADDR``; behind nginx every
request would come from 127.0.0.1, so one attacker would lock everyone out and the
trail would record the proxy. Only when the direct peer is a proxy listed in
``WAYHOME_TRUSTED_PROXIES`` is its ``X-Real-IP`` header believed; from anyone else the
header is ignored, so a client cannot choose its own address.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _trusted() -> frozenset[str]:
    raw = os.environ.get("WAYHOME_TRUSTED_PROXIES", "")
    return frozenset(p.strip() for p in raw.split(",") if p.strip())


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class TrustedProxy:
    """WSGI wrapper: take ``X-Real-IP`` as ``REMOTE_ADDR`` from a trusted proxy only."""

    def __init__(self, app: WSGIApp, trusted: Iterable[str] | None = None) -> None:
        self.app = app
        self.trusted = frozenset(trusted) if trusted is not None else _trusted()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR", "")
        real = _valid_ip(environ.get("HTTP_X_REAL_IP", ""))
        if real and (peer in self.trusted or (peer == "" and "unix" in self.trusted)):
            environ["REMOTE_ADDR"] = real
        return self.app(environ, start_response)
