"""One-time secrets people carry: link tokens, printable codes, session ids, and the one hash the store keeps.

The store never sees a token, only `token_hash(token)`: a copy of the database
(a backup, a replica) cannot be turned back into a working link or session.
"""

from __future__ import annotations

import hashlib
import secrets

# Printable codes are typed from paper: no 0/O, 1/I/L, so nothing is misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4  # 12 characters, about 59 bits


def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code() -> str:
    """A code to print and type: `7KQM-3XWD-PA9R`."""
    chars = [secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH)]
    return "-".join("".join(chars[i:i + CODE_GROUP_LENGTH])
                    for i in range(0, len(chars), CODE_GROUP_LENGTH))


def normalise_code(typed: str) -> str:
    """A code as typed (any case, spaces or dashes) in the form it was hashed in: `7KQM3XWDPA9R`."""
    return "".join(c for c in typed.upper() if c.isalnum())
