"""Ids sent in JSON bodies are whole numbers: ``"host": 1.5`` is a Persian 400, not host 1.

DRF's ``PrimaryKeyRelatedField`` hands whatever it gets to ``queryset.get(pk=…)``, and
Django's integer lookup runs ``int()`` on it: ``1.5`` (and ``1.9``) became 1, so a client
with a rounding bug wrote to another row than it meant. Every relation field of every app's
serializers is that class, so :func:`install` (called once from ``TrackerConfig.ready()``)
wraps its ``to_internal_value`` to refuse a JSON number with a fraction part (any float,
``2.0`` too: an id is never written so) before the lookup; the message quotes the value as
it was sent. Checked: DRF has no setting for this, and a ``pk_field=IntegerField()`` on
every field would need each app's serializers edited (and DRF's ``IntegerField`` accepts
``2.0`` as 2).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import relations

from .messages import Message

NOT_WHOLE = Message("«{value}» شناسه درستی نیست: شناسه یک عدد صحیح است، بدون ممیز.")

_original = relations.PrimaryKeyRelatedField.to_internal_value


def _to_internal_value(self: relations.PrimaryKeyRelatedField, data: Any) -> Any:  # type: ignore[type-arg]
    if self.pk_field is None and isinstance(data, float | Decimal):
        self.fail("not_whole", value=data)
    return _original(self, data)


def install() -> None:
    """Refuse fractional ids in every ``PrimaryKeyRelatedField``; safe to call twice."""
    cls = relations.PrimaryKeyRelatedField
    cls.default_error_messages = {**cls.default_error_messages, "not_whole": NOT_WHOLE}
    if cls.to_internal_value is not _to_internal_value:
        cls.to_internal_value = _to_internal_value  # type: ignore[method-assign,assignment]
