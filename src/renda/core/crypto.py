"""Encryption at rest for personal information (等保 S32).

One master key, kept outside the database (``RENDA_FIELD_KEY``, or a key file in the var folder
for development), from which HKDF derives two keys: one for AES-256-GCM encryption of the values,
one for the HMAC blind index that lets the database find a row by an exact value without holding
the value itself.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1:"


def _load_master_key() -> bytes:
    raw = settings.RENDA_FIELD_KEY
    if not raw:
        path = settings.RENDA_FIELD_KEY_FILE
        if settings.PRODUCTION:
            raise ImproperlyConfigured("RENDA_FIELD_KEY must be set in the production profile")
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: when two processes start at once, exactly one key is ever written.
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(base64.urlsafe_b64encode(os.urandom(32)).decode())
        raw = path.read_text().strip()
    return _decode_key(raw, "RENDA_FIELD_KEY")


def _decode_key(raw: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be 32 bytes in URL-safe base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes in URL-safe base64")
    return key


def _derive(master: bytes) -> tuple[bytes, bytes]:
    def derive(purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)

    return derive(b"renda field encryption"), derive(b"renda blind index")


@cache
def _keys() -> tuple[bytes, bytes]:
    return _derive(_load_master_key())


@cache
def _previous_encryption_keys() -> tuple[bytes, ...]:
    """Keys being rotated out (``RENDA_FIELD_KEY_PREVIOUS``): still read, never written."""
    previous = getattr(settings, "RENDA_FIELD_KEY_PREVIOUS", [])
    return tuple(_derive(_decode_key(raw, "RENDA_FIELD_KEY_PREVIOUS"))[0] for raw in previous)


def reset_keys() -> None:
    """Forget the derived keys (tests that change the key, key rotation)."""
    _keys.cache_clear()
    _previous_encryption_keys.cache_clear()


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, plaintext.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    blob = base64.urlsafe_b64decode(token[len(PREFIX) :])
    current, *previous = (_keys()[0], *_previous_encryption_keys())
    try:
        return AESGCM(current).decrypt(blob[:12], blob[12:], None).decode()
    except InvalidTag:
        # During a key rotation (``manage.py rotate_field_key``) rows may still hold an old key.
        for key in previous:
            try:
                return AESGCM(key).decrypt(blob[:12], blob[12:], None).decode()
            except InvalidTag:
                continue
        raise


def blind_index(value: str) -> str:
    """A keyed digest of a normalised value: equal values give equal digests, nothing else leaks."""
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()[:40]
