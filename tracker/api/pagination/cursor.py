"""Keyset cursors: the order a cursor follows, the rows after one, and the sealing of its
payload with AES-SIV (see the package's docstring)."""

from __future__ import annotations

import base64
import functools
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

Order = list[tuple[Any, bool]]  # (model field, descending)


def keyset_order(queryset: QuerySet[Any]) -> Order | None:
    """The queryset's order as (field, descending) pairs ending with the primary key, or
    None when keyset paging cannot follow it (expressions, related or nullable columns)."""
    query = queryset.query
    names = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if not names or query.combinator or query.distinct:
        return None
    meta = queryset.model._meta
    pk = meta.pk
    order: Order = []
    for name in names:
        if not isinstance(name, str) or name == "?":
            return None
        descending = name.startswith("-")
        bare = name.lstrip("-")
        try:
            field = pk if bare == "pk" else meta.get_field(bare)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.null or field.is_relation:
            return None
        order.append((field, descending))  # type: ignore[arg-type]
        if field == pk:
            return order
    order.append((pk, order[-1][1]))  # type: ignore[arg-type]
    return order


def _after(order: Order, values: list[Any]) -> Q:
    """Rows after ``values`` in ``order``, with the first column's bound stated alone so
    PostgreSQL starts the index scan there."""
    first, first_descending = order[0]
    q = Q(pk__in=[])
    equal: dict[str, Any] = {}
    for (field, descending), value in zip(order, values, strict=True):
        q |= Q(**equal, **{f"{field.attname}__{'lt' if descending else 'gt'}": value})
        equal[field.attname] = value
    bound = Q(**{f"{first.attname}__{'lte' if first_descending else 'gte'}": values[0]})
    return bound & q


def _encode(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


#: HKDF's ``info`` for the cursor key.
_CURSOR_KEY_PURPOSE = b"tracker.api.pagination.cursor"


def _cursor_key(secret: str) -> bytes:
    """An AES-SIV key for cursors alone, derived from ``secret`` (HKDF-SHA256 with its own
    purpose), so a cursor key and SECRET_KEY's other uses never coincide."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_CURSOR_KEY_PURPOSE)
    return hkdf.derive(secret.encode())


@functools.lru_cache(maxsize=8)
def _cursor_ciphers(secret_keys: tuple[str, ...]) -> tuple[AESSIV, ...]:
    """SECRET_KEY's cursor cipher first (it seals), then SECRET_KEY_FALLBACKS' (they still
    open, so rotating the secret does not break the ``next`` links clients hold). Cached per
    tuple of secrets: HKDF runs once per process, and a test that overrides SECRET_KEY gets
    its own key, never a stale one."""
    return tuple(AESSIV(_cursor_key(secret)) for secret in secret_keys)


def _secret_keys() -> tuple[str, ...]:
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))


#: Associated data of every cursor: a sealed value made for another purpose does not open.
_CURSOR_AAD = [b"cursor"]


def seal_cursor(payload: bytes) -> str:
    """``payload`` encrypted and authenticated with AES-SIV (RFC 5297), as urlsafe base64
    without ``=`` padding.

    Deterministic on purpose: the same payload gives the same token, so a page's ``next``
    link and the list's ETag do not change between two identical requests. What that
    reveals (that two links point at the same position) is no secret."""
    sealed = _cursor_ciphers(_secret_keys())[0].encrypt(payload, _CURSOR_AAD)
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def open_cursor(raw: str) -> bytes:
    """The payload of a :func:`seal_cursor` token; :class:`InvalidTag` when no key opens it,
    ``ValueError``/``binascii.Error`` for text that is not one.

    No expiry: a cursor names a position in a list, not a permission (the scope filters
    apply again on every request), so an old one is as good as a new one."""
    sealed = base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4))
    for cipher in _cursor_ciphers(_secret_keys()):
        try:
            return cipher.decrypt(sealed, _CURSOR_AAD)
        except InvalidTag:
            continue
    raise InvalidTag
