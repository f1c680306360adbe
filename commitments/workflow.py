"""The moves of a commitment occurrence, declared once as data (like agreements/workflow.py).

Each :class:`Move` says where from, where to, who may make it (the least role, and in which
organisation: ``party`` means the committed party's or the agreement owner's, ``owner`` only
the owner's), what it needs (an evidence note, a reason) and whether the system (the late
job, ``actor=None``) makes it. ``services.occurrence_transition`` reads nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from organizations.choices import Role

from .choices import OccurrenceStatus as S

PARTY = "party"
OWNER = "owner"


@dataclass(frozen=True)
class Move:
    """One allowed move of an occurrence."""

    source: str
    target: str
    role: str
    where: str  # PARTY or OWNER
    label: str
    needs_evidence: bool = False
    needs_reason: bool = False
    system: bool = False
    # Only the system makes it (the late job; a due date moved forward by an edit).
    system_only: bool = False
    style: str = "primary"


MOVES: tuple[Move, ...] = (
    Move(S.OPEN, S.DONE, Role.STAFF, PARTY, "ثبت انجام", needs_evidence=True),
    Move(S.LATE, S.DONE, Role.STAFF, PARTY, "ثبت انجام", needs_evidence=True),
    Move(S.OPEN, S.WAIVED, Role.MANAGER, OWNER, "بخشودن", needs_reason=True, style="danger"),
    Move(S.LATE, S.WAIVED, Role.MANAGER, OWNER, "بخشودن", needs_reason=True, style="danger"),
    Move(S.DONE, S.OPEN, Role.MANAGER, OWNER, "بازگشایی", needs_reason=True, style=""),
    Move(S.WAIVED, S.OPEN, Role.MANAGER, OWNER, "بازگشایی", needs_reason=True, style=""),
    Move(S.OPEN, S.LATE, Role.MANAGER, OWNER, "معوق", system=True, system_only=True),
    # The due date of a late occurrence was moved to today or later.
    Move(S.LATE, S.OPEN, Role.STAFF, OWNER, "تمدید مهلت", system=True, system_only=True),
)

_BY_EDGE = {(m.source, m.target): m for m in MOVES}


def find(source: str, target: str) -> Move | None:
    return _BY_EDGE.get((source, target))


def outgoing(source: str) -> list[Move]:
    """The moves a person may make from ``source`` (not the system-only ones)."""
    return [m for m in MOVES if m.source == source and not m.system_only]
