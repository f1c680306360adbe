"""The kinds of import, in the order a workbook's sheets are imported (what a row may refer
to comes first)."""

from __future__ import annotations

from .agreements import AgreementKindImport
from .base import CellError, Context, Row, RowError, read_row
from .directory import OrganizationKindImport, PersonKindImport
from .kind import CREATED, UNCHANGED, UPDATED, Kind
from .meetings import ActionItemKindImport, MeetingKindImport

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        OrganizationKindImport(),
        PersonKindImport(),
        MeetingKindImport(),
        AgreementKindImport(),
        ActionItemKindImport(),
    )
}
ORDER = list(KINDS)

__all__ = [
    "CREATED",
    "KINDS",
    "ORDER",
    "UNCHANGED",
    "UPDATED",
    "CellError",
    "Context",
    "Kind",
    "Row",
    "RowError",
    "read_row",
]
