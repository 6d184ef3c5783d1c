"""The hash chain that makes the audit trail tamper-evident. Plain Python.

Each event's hash covers its own fields and the previous event's hash, so editing,
deleting or reordering any event breaks every link after it; ``verify`` names the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The fields an event's hash covers, in a fixed order. Adding a field here changes every
# hash: append a new chain version instead of editing this list.
CHAINED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "agency_id",
    "action",
    "object_type",
    "object_uuid",
    "person_uuid",
    "changes",
    "reason",
    "ip",
    "user_agent",
    "request_id",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    return str(value)


def canonical_ip(ip: str | None) -> str | None:
    """The form both databases give back, so the hash survives a round trip."""
    return ipaddress.ip_address(ip).compressed if ip else None


def event_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the previous hash and the event's canonical JSON."""
    payload = {name: _canonical(fields.get(name)) for name in CHAINED_FIELDS}
    if payload["ip"] is not None:
        payload["ip"] = canonical_ip(payload["ip"])
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    checked: int
    first_broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def verify(events: Iterable[tuple[int, dict[str, Any], str, str]]) -> Verdict:
    """Walk ``(id, fields, prev_hash, hash)`` in id order; stop at the first broken link."""
    expected_prev = GENESIS
    checked = 0
    for event_id, fields, prev_hash, stored_hash in events:
        if prev_hash != expected_prev:
            return Verdict(
                checked,
                event_id,
                "does not follow the event before it (one was removed or reordered)",
            )
        if event_hash(fields, prev_hash) != stored_hash:
            return Verdict(checked, event_id, "its content was changed after it was written")
        expected_prev = stored_hash
        checked += 1
    return Verdict(checked)
