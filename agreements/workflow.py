"""The agreement workflow, declared once as data.

Every allowed move is one :class:`Transition` row in :data:`TRANSITIONS`: where from, where
to, the least role the actor needs in the owning organisation, the guards that must pass,
whether a reason is required, whether the system (a Celery task, ``actor=None``) may make
it, and the Persian label shown on the button. ``services.agreement_transition`` is the
only writer of ``Agreement.status`` and reads nothing but this table.

Guards are pure functions of :class:`WorkflowFacts` (a snapshot taken under the row lock
by the service, or for display by the selector) returning a Persian message when they
block, ``None`` when they pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from organizations.choices import Role
from tracker.jalali import format_date

from .choices import AgreementStatus as S


@dataclass(frozen=True)
class WorkflowFacts:
    """What the guards look at, gathered once per check."""

    today: date  # Asia/Tehran
    has_current_version: bool
    principal_roles: frozenset[str]  # party roles present (first/second party)
    unapproved_parties: tuple[str, ...]  # names of parties without approval of the current text
    signed_date: date | None
    has_signed_scan: bool
    effective_date: date | None
    expiry_date: date | None
    reason: str = ""


Guard = Callable[[WorkflowFacts], str | None]


def current_version(f: WorkflowFacts) -> str | None:
    if not f.has_current_version:
        return "تفاهم‌نامه هنوز متنی ندارد: نخست یک نسخه از متن را ثبت کنید."
    return None


def all_parties_approved(f: WorkflowFacts) -> str | None:
    if not {"first_party", "second_party"} <= f.principal_roles:
        return "طرف اول و طرف دوم تفاهم‌نامه هنوز تعیین نشده‌اند."
    if f.unapproved_parties:
        names = "، ".join(f.unapproved_parties)
        return f"همه طرفین باید نسخه جاری متن را تأیید کنند؛ هنوز تأیید نکرده‌اند: {names}."
    return None


def signing_recorded(f: WorkflowFacts) -> str | None:
    missing = []
    if f.signed_date is None:
        missing.append("تاریخ امضا")
    if not f.has_signed_scan:
        missing.append("نسخه اسکن‌شده امضاشده")
    if missing:
        return f"برای ثبت امضا این موارد لازم است: {' و '.join(missing)}."
    if f.signed_date is not None and f.signed_date > f.today:
        return "تاریخ امضا نمی‌تواند در آینده باشد."
    return None


def effective_date_reached(f: WorkflowFacts) -> str | None:
    if f.effective_date is None:
        return "تاریخ اجرای تفاهم‌نامه ثبت نشده است."
    if f.effective_date > f.today:
        return f"تاریخ اجرا ({format_date(f.effective_date)}) هنوز نرسیده است."
    return None


def expiry_date_passed(f: WorkflowFacts) -> str | None:
    if f.expiry_date is None:
        return "تاریخ انقضای تفاهم‌نامه ثبت نشده است."
    if f.expiry_date >= f.today:
        return f"تاریخ انقضا ({format_date(f.expiry_date)}) هنوز نگذشته است."
    return None


def reason_given(f: WorkflowFacts) -> str | None:
    if not f.reason.strip():
        return "برای این تغییر وضعیت باید دلیل آن را بنویسید."
    return None


@dataclass(frozen=True)
class Transition:
    """One allowed move of the workflow."""

    source: str
    target: str
    role: str  # least role in the owning organisation
    label: str
    guards: tuple[Guard, ...] = ()
    system: bool = False  # may a time-driven task (actor=None) make it
    style: str = "primary"  # the button's CSS class: primary / danger / ""
    needs_reason: bool = field(default=False)

    def blockers(self, facts: WorkflowFacts) -> list[str]:
        """The Persian messages of every guard that blocks this move now (empty: allowed)."""
        guards = (*self.guards, reason_given) if self.needs_reason else self.guards
        return [msg for guard in guards if (msg := guard(facts)) is not None]


_BEFORE_SIGNED = (S.DRAFT, S.INTERNAL_REVIEW, S.LEGAL_REVIEW, S.NEGOTIATION, S.APPROVED)

# Staff propose and submit; managers send to the parties, approve, sign, put in force,
# withdraw and terminate. Back-edges to draft (for changes) and the exits need a reason.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        S.DRAFT, S.INTERNAL_REVIEW, Role.STAFF, "ارسال برای بررسی داخلی", (current_version,)
    ),
    Transition(
        S.INTERNAL_REVIEW, S.LEGAL_REVIEW, Role.STAFF, "ارسال برای بررسی حقوقی", (current_version,)
    ),
    Transition(
        S.INTERNAL_REVIEW, S.DRAFT, Role.STAFF, "بازگشت به پیش‌نویس", style="", needs_reason=True
    ),
    Transition(
        S.LEGAL_REVIEW,
        S.NEGOTIATION,
        Role.MANAGER,
        "ارسال برای مذاکره با طرفین",
        (current_version,),
    ),
    Transition(
        S.LEGAL_REVIEW, S.DRAFT, Role.STAFF, "بازگشت به پیش‌نویس", style="", needs_reason=True
    ),
    Transition(
        S.NEGOTIATION,
        S.APPROVED,
        Role.MANAGER,
        "تأیید نهایی متن",
        (current_version, all_parties_approved),
    ),
    Transition(
        S.NEGOTIATION, S.DRAFT, Role.STAFF, "بازگشت به پیش‌نویس", style="", needs_reason=True
    ),
    Transition(S.APPROVED, S.SIGNED, Role.MANAGER, "ثبت امضا", (signing_recorded,)),
    # The time-driven job makes it on the effective date too (agreements_put_in_force_due).
    Transition(
        S.SIGNED,
        S.IN_FORCE,
        Role.MANAGER,
        "اعلام لازم‌الاجرا",
        (effective_date_reached,),
        system=True,
    ),
    Transition(
        S.IN_FORCE, S.EXPIRED, Role.MANAGER, "اعلام انقضا", (expiry_date_passed,), system=True
    ),
    *(
        Transition(source, S.WITHDRAWN, Role.MANAGER, "انصراف", style="danger", needs_reason=True)
        for source in _BEFORE_SIGNED
    ),
    *(
        Transition(source, S.TERMINATED, Role.MANAGER, "فسخ", style="danger", needs_reason=True)
        for source in (S.SIGNED, S.IN_FORCE)
    ),
)

_BY_EDGE: dict[tuple[str, str], Transition] = {(t.source, t.target): t for t in TRANSITIONS}


def find(source: str, target: str) -> Transition | None:
    """The transition from ``source`` to ``target``, or ``None`` if the workflow has none."""
    return _BY_EDGE.get((source, target))


def outgoing(source: str) -> list[Transition]:
    """Every transition out of ``source``, in declaration order."""
    return [t for t in TRANSITIONS if t.source == source]
