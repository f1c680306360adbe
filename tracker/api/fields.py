"""Read-only serializer fields every app's output serializers share.

They lived in meetings' serializers, which made agreements (a lower layer) import meetings.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from rest_framework import serializers

from tracker.jalali import jalali_string
from tracker.jalali.drf import JalaliTwinField

__all__ = ["ChoiceLabelField", "JalaliDateTwinField"]


@functools.lru_cache(maxsize=8192)
def _jalali_day(value: date) -> str | None:
    return jalali_string(value)


class JalaliDateTwinField(JalaliTwinField):
    """``JalaliTwinField`` of a ``DateField``: a day's Jalali string is a pure function of the
    day, so it is computed once per process and day (many rows share due dates); the
    conversion costs ≈ 25 µs. Datetimes fall through to the uncached conversion."""

    def to_representation(self, value: Any) -> str | None:
        if type(value) is date:
            return _jalali_day(value)
        return jalali_string(value)


class ChoiceLabelField(serializers.CharField):
    """The display label of a choices field (``source`` = the field), read from the model
    field's choices. Same output as ``source="get_<field>_display"``, without DRF inspecting
    the bound ``get_..._display`` method's signature on every row (≈ 10 µs each)."""

    def __init__(self, *, model: Any, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self._model = model

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        field = self._model._meta.get_field(self.source)
        self._labels = dict(field.flatchoices)

    def to_representation(self, value: Any) -> str:
        return str(self._labels.get(value, value))
