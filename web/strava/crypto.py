"""Tokens encrypted at rest: Fernet (AES-128-CBC + HMAC-SHA256) with a key from settings.

The key is ``STRAVA_TOKEN_KEY`` when set (a Fernet key, or any passphrase), else
derived from Django's ``SECRET_KEY``: a database dump alone never holds a usable token.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt"]


def _fernet() -> Fernet:
    secret = getattr(settings, "STRAVA_TOKEN_KEY", "") or settings.SECRET_KEY
    # A key of any length or shape becomes 32 bytes; HKDF is not needed for one key from one secret.
    key = hashlib.sha256(("foulee-strava-tokens:" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """Raises :class:`InvalidToken` when the key changed since ``value`` was encrypted."""
    return _fernet().decrypt(value.encode()).decode()
