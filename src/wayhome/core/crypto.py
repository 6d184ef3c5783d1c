"""Optional encryption at rest of the most sensitive free-text fields.

Keys never live in the database: they come from ``WAYHOME_FIELD_KEYS`` (comma-separated
Fernet keys) or from the file named by ``WAYHOME_FIELD_KEYS_FILE`` (one key a line, ``#``
comments allowed). The first key encrypts, every key decrypts, so that a new key can be
put first, ``wayhome keys rotate`` run, and the old key then removed. With no key the
fields store plain text. Encrypted values carry ``PREFIX``, so plain and encrypted rows
coexist while an installation moves from one to the other.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

PREFIX = "fernet:"
ENV_KEYS = "WAYHOME_FIELD_KEYS"
ENV_KEYS_FILE = "WAYHOME_FIELD_KEYS_FILE"


class FieldKeyError(Exception):
    """An encrypted value cannot be read with the configured keys (never its ciphertext)."""


def generate_key() -> str:
    """A new random Fernet key, to be put first in the configured keys."""
    return Fernet.generate_key().decode("ascii")


@functools.lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...], origin: str) -> MultiFernet:
    fernets = []
    for number, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except ValueError:
            raise ImproperlyConfigured(
                f"{origin}: key {number} is not a valid Fernet key "
                "(make one with 'wayhome keys generate')."
            ) from None
    return MultiFernet(fernets)


def _split(text: str, sep: str) -> tuple[str, ...]:
    parts = (part.split("#", 1)[0].strip() for part in text.split(sep))
    return tuple(part for part in parts if part)


@functools.lru_cache(maxsize=8)
def _file_keys(path: str, mtime_ns: int) -> tuple[str, ...]:
    return _split(Path(path).read_text(encoding="ascii").replace(",", "\n"), "\n")


def _configured() -> tuple[tuple[str, ...], str]:
    """The keys (newest first) and where they came from; the file is read again when it
    changes, so a rotation needs no restart of a running command's caller."""
    inline, path = os.environ.get(ENV_KEYS, ""), os.environ.get(ENV_KEYS_FILE, "")
    if inline.strip() and path:
        raise ImproperlyConfigured(f"Set {ENV_KEYS} or {ENV_KEYS_FILE}, not both.")
    if path:
        try:
            return _file_keys(path, os.stat(path).st_mtime_ns), ENV_KEYS_FILE
        except OSError as exc:
            raise ImproperlyConfigured(f"{ENV_KEYS_FILE}: cannot read {path}: {exc}") from None
    return _split(inline, ","), ENV_KEYS


def keyring() -> MultiFernet | None:
    """Every configured key (the first encrypts), or None when encryption is off."""
    keys, origin = _configured()
    return _keyring(keys, origin) if keys else None


def newest_key() -> Fernet | None:
    """The key new values are encrypted with, or None when encryption is off."""
    keys, _origin = _configured()
    return Fernet(keys[0]) if keys else None


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def encrypt(value: str) -> str:
    """The stored form of ``value``: encrypted with the newest key, or plain without one.
    Empty stays empty, so that "no notes" needs no key to be recognised."""
    ring = keyring()
    if ring is None or not value:
        return value
    return PREFIX + ring.encrypt(value.encode("utf-8")).decode("ascii")


def _token(stored: str) -> bytes:
    return stored[len(PREFIX) :].encode("ascii")


def decrypt(stored: str) -> str:
    """The text behind a stored value; plain values pass through. Raises FieldKeyError
    rather than ever handing back ciphertext as if it were text."""
    if not is_encrypted(stored):
        return stored
    ring = keyring()
    if ring is None:
        raise FieldKeyError(
            f"An encrypted field value cannot be read: no key is configured "
            f"(set {ENV_KEYS} or {ENV_KEYS_FILE})."
        )
    try:
        return ring.decrypt(_token(stored)).decode("utf-8")
    except InvalidToken:
        raise FieldKeyError(
            "An encrypted field value cannot be read: none of the configured keys "
            "decrypts it (was the key that encrypted it removed before "
            "'wayhome keys rotate' ran?)."
        ) from None


def reencrypt(stored: str) -> str | None:
    """``stored`` under the newest key, or None when it already is (or is empty)."""
    newest = newest_key()
    ring = keyring()
    if newest is None or ring is None or not stored:
        return None
    if not is_encrypted(stored):
        return encrypt(stored)
    try:
        newest.decrypt(_token(stored))
        return None
    except InvalidToken:
        pass
    decrypt(stored)  # names the missing key clearly if no configured key reads it
    return PREFIX + ring.rotate(_token(stored)).decode("ascii")


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Free text encrypted at rest when keys are configured. Nothing may filter, search
    or sort on it: equal texts have different ciphertexts."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) else value

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        return None if value is None else decrypt(value)
