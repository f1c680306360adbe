"""The one digest of the app's hashed secrets: API tokens and calendar-feed keys.

Both keys are 256-bit random strings (``secrets.token_urlsafe(32)``) that the user gets once;
the database keeps only this digest, unique and indexed, so a request's key is found with
one indexed equality lookup and a leaked table holds no usable key.

Checked first: Django's password hashers (``django.contrib.auth.hashers``) are salted and
slow on purpose, which suits low-entropy passwords but makes a lookup by key impossible (a
salted digest cannot be indexed) and costs ~100 ms per API request; ``salted_hmac`` ties the
stored digests to ``SECRET_KEY``, so rotating it would revoke every token. A key this long
needs neither salt nor stretching, so plain SHA-256 from the standard library is enough.
"""

from __future__ import annotations

import hashlib


def secret_hash(key: str) -> str:
    """The SHA-256 hex digest (64 characters) stored in place of ``key``."""
    return hashlib.sha256(key.encode()).hexdigest()
