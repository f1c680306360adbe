"""Which models take attachments, and who may see and change them.

The attachments app sits low in the layers (just above organizations) and may not import
meetings, agreements or commitments. Each of those registers its attachable model here in
its ``AppConfig.ready()`` with one :func:`register` call, the way the meetings app fills
the agreement timeline: the slug names the API and page paths, ``visible`` is the app's own
scoped selector (so an attachment is visible exactly when its object is), and
``writer_organization_ids`` names the organisations whose staff may upload and whose
managers may delete any attachment of the object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Attachable:
    """One registered kind of object that takes attachments."""

    slug: str  # the path segment: /api/v1/<slug>/<id>/attachments/
    model: type[Model]
    label: str  # Persian, e.g. «جلسه»
    visible: Callable[[Any], QuerySet[Any]]  # user -> the objects that user may see
    writer_organization_ids: Callable[[Any], Iterable[int | None]]  # object -> org ids

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower


_BY_SLUG: dict[str, Attachable] = {}


def register(
    *,
    slug: str,
    model: type[Model],
    label: str,
    visible: Callable[[Any], QuerySet[Any]],
    writer_organization_ids: Callable[[Any], Iterable[int | None]],
) -> Attachable:
    """Make ``model`` attachable under ``slug``; registering a slug again replaces it."""
    entry = Attachable(
        slug=slug,
        model=model,
        label=label,
        visible=visible,
        writer_organization_ids=writer_organization_ids,
    )
    _BY_SLUG[slug] = entry
    return entry


def attachables() -> list[Attachable]:
    return list(_BY_SLUG.values())


def attachable(slug: str) -> Attachable | None:
    return _BY_SLUG.get(slug)


def attachable_for_model_label(label: str) -> Attachable | None:
    return next((e for e in _BY_SLUG.values() if e.model_label == label), None)
