"""``{{ review|notes_for:field.html_name }}``: the review notes of one field of the form."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter(name="notes_for")
def notes_for(review: Any, name: str) -> list[dict[str, Any]]:
    """The review items of the form field named ``name`` (``[]`` without a review)."""
    if not review:
        return []
    return list(review.get(name, []))
