"""Sealed fields: small values (a denouncer's name and address, say) encrypted at rest.

AES-256-GCM, like the secret files of `core.files`, under a key derived from the same master key
(`settings.MASTER_KEY`) with HKDF, so a field key is never a file key. Each value gets a fresh
96-bit nonce; the caller's `context` (e.g. "petitions.petition.sender:12") is the associated data,
so a sealed value copied into another field or row does not open. Stored as text:
`v1:` + base64url(nonce + ciphertext).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vanphong.core.files import NONCE_BYTES, _master_key

PREFIX = "v1:"


class SealError(Exception):
    """A sealed value that does not open: altered, moved to another context, or another master key."""


@lru_cache(maxsize=4)
def _cipher(master_key: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vanphong sealed fields v1")
    return AESGCM(hkdf.derive(master_key))


def _aead() -> AESGCM:
    return _cipher(_master_key())


def seal(value: dict[str, Any], context: str) -> str:
    """Encrypt a JSON-able dict; `context` must be given again to open it."""
    nonce = os.urandom(NONCE_BYTES)
    plaintext = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    sealed = _aead().encrypt(nonce, plaintext, context.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(token: str, context: str) -> dict[str, Any]:
    if not token.startswith(PREFIX):
        raise SealError("not a sealed value")
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX) :])
        plaintext = _aead().decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise SealError("the sealed value does not open") from exc
    value: dict[str, Any] = json.loads(plaintext)
    return value
