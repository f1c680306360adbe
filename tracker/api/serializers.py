"""Serializer building blocks shared by every app's API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (400 naming them)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["این فیلد شناخته‌شده نیست یا قابل تغییر نیست."] for name in unknown}
                )
        return super().to_internal_value(data)


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer: ``detail`` and, for validation, one key per field.

    Only a name for the views' ``responses=``: a serializer cannot declare "any other key is
    a list of messages", so ``dashboard.openapi.add_error_responses`` writes the ``Error``
    component of the schema (``additionalProperties``: the field errors).
    """

    detail = serializers.CharField(
        required=False, help_text="What went wrong, when it is not about one field."
    )
