"""API key tokens and their slow hash.

A token is ``dpk_<id>_<secret>``: the public ``id`` finds the key's record without trying every
stored hash, and only the ``secret`` is hashed. The hash is argon2id, deliberately slow, so that a
copy of the store does not give the keys away; ``KeyRing`` caches successful verifications so a
client does not pay that cost on every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

TOKEN_PREFIX = "dpk_"
_ID_BYTES = 6  # 12 hex characters: enough to avoid collisions among a few thousand keys
_SECRET_BYTES = 32  # 256 bits of entropy
_TOKEN = re.compile(r"^dpk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,128})$")

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Token:
    key_id: str
    secret: str


def new_token() -> tuple[str, Token]:
    """A fresh random token (the text to hand out once) and its parts."""
    key_id = secrets.token_hex(_ID_BYTES)
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    return f"{TOKEN_PREFIX}{key_id}_{secret}", Token(key_id, secret)


def parse_token(text: str) -> Token | None:
    """The parts of a token, or None when the text cannot be one of ours."""
    match = _TOKEN.match(text.strip())
    return Token(match.group(1), match.group(2)) if match else None


def hash_secret(secret: str) -> str:
    """The argon2id hash (with its salt and parameters) to store instead of the secret."""
    return _hasher.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    """Whether ``secret`` matches the stored hash; the slow step the verification cache avoids."""
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def fingerprint(token: str) -> str:
    """A fast digest of the whole token: the verification cache's key, so no token is kept in memory."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
