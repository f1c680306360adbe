"""Review notes in templates: ``{{ review|notes_for:field.html_name }}`` (one field of the
form) and ``{{ notes.attendances|row_notes:forloop.counter0 }}`` (one row of the preview)."""

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


@register.filter(name="row_notes")
def row_notes(rows: Any, index: int) -> list[dict[str, Any]]:
    """The review items of row ``index`` of a section of the preview (``{row: [items]}``)."""
    if not rows:
        return []
    return list(rows.get(index, []))
