"""Commitments: creation, occurrences, the moves and who may make them, the late job."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from commitments import services
from commitments.choices import OccurrenceStatus, Recurrence
from commitments.models import CommitmentOccurrence, OccurrenceStatusChange
from commitments.workflow import MOVES
from meetings.models import Decision
from organizations.choices import Role
from tests.factories import ActionItemFactory, MeetingFactory, PersonFactory, member
from tracker.exceptions import ConflictError, PermissionDeniedError
from tracker.jalali import jalali_to_gregorian

from .conftest import NOW, days

pytestmark = pytest.mark.django_db


def _moves(occurrence: CommitmentOccurrence) -> int:
    return (
        OccurrenceStatusChange.objects.filter(occurrence=occurrence).exclude(from_status="").count()
    )


def test_a_one_off_commitment_has_one_open_occurrence(make_commitment: Any) -> None:
    commitment = make_commitment(clause="ماده ۳")
    (occ,) = commitment.occurrences.all()
    assert (occ.number, occ.due_date, occ.status) == (1, days(10), OccurrenceStatus.OPEN)
    assert commitment.clause == "ماده ۳"


def test_a_monthly_commitment_repeats_until_the_agreement_ends(make_commitment: Any) -> None:
    # 1403/01/25 monthly, the agreement expires on 1403/12/30: twelve due dates.
    commitment = make_commitment(recurrence=Recurrence.MONTHLY)
    assert commitment.occurrences.count() == 12
    assert commitment.occurrences.order_by("number").last().due_date == jalali_to_gregorian(
        1403, 12, 25
    )


def test_a_recurrence_without_an_end_is_a_persian_field_error(
    make_commitment: Any, agreement: Any
) -> None:
    type(agreement).objects.filter(pk=agreement.pk).update(expiry_date=None)
    with pytest.raises(ValidationError) as exc:
        make_commitment(recurrence=Recurrence.QUARTERLY)
    assert "repeat_until" in exc.value.message_dict


def test_the_responsible_must_belong_to_the_party(make_commitment: Any, org_a: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_commitment(responsible=PersonFactory(organization=org_a))
    assert "responsible" in exc.value.message_dict


def test_a_party_of_another_agreement_is_refused(make_commitment: Any) -> None:
    from tests.factories import AgreementPartyFactory

    with pytest.raises(ValidationError) as exc:
        make_commitment(party=AgreementPartyFactory())
    assert "party" in exc.value.message_dict


@pytest.mark.parametrize("who", ["viewer_a", "staff_b"])
def test_only_staff_of_the_owner_create(make_commitment: Any, request: Any, who: str) -> None:
    with pytest.raises(PermissionDeniedError):
        make_commitment(actor=request.getfixturevalue(who))


def test_done_needs_an_evidence_note(make_commitment: Any, staff_b: Any) -> None:
    occ = make_commitment().occurrences.get()
    with pytest.raises(ValidationError) as exc:
        services.occurrence_complete(actor=staff_b, occurrence=occ, evidence_note="  ", now=NOW)
    assert "evidence_note" in exc.value.message_dict
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.OPEN
    assert _moves(occ) == 0


def test_the_party_marks_done_with_evidence_and_who_and_when(
    make_commitment: Any, staff_b: Any
) -> None:
    occ = make_commitment().occurrences.get()
    services.occurrence_complete(
        actor=staff_b, occurrence=occ, evidence_note="صورت‌جلسه تحویل زمین", now=NOW
    )
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.DONE
    assert (occ.status_changed_by, occ.status_changed_at) == (staff_b, NOW)
    assert occ.evidence_note == "صورت‌جلسه تحویل زمین"
    assert _moves(occ) == 1


def test_files_are_refused_until_an_evidence_handler_is_registered(
    make_commitment: Any, staff_b: Any, monkeypatch: Any
) -> None:
    # The attachments handler registers in ready() (tests/commitments/test_evidence.py).
    monkeypatch.setattr(services, "_evidence_handlers", [])
    occ = make_commitment().occurrences.get()
    with pytest.raises(ValidationError) as exc:
        services.occurrence_complete(
            actor=staff_b, occurrence=occ, evidence_note="پیوست", files=[object()], now=NOW
        )
    assert "files" in exc.value.message_dict


def test_a_registered_evidence_handler_gets_the_files(
    make_commitment: Any, staff_b: Any, monkeypatch: Any
) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(services, "_evidence_handlers", [lambda o, f, a: seen.append((o, f, a))])
    occ = make_commitment().occurrences.get()
    services.occurrence_complete(
        actor=staff_b, occurrence=occ, evidence_note="پیوست", files=["scan.pdf"], now=NOW
    )
    assert seen == [(occ, ["scan.pdf"], staff_b)]


def test_a_viewer_of_the_party_cannot_mark_done(make_commitment: Any, org_b: Any) -> None:
    occ = make_commitment().occurrences.get()
    with pytest.raises(PermissionDeniedError):
        services.occurrence_complete(
            actor=member(org_b, Role.VIEWER), occurrence=occ, evidence_note="x", now=NOW
        )


@pytest.mark.parametrize("who", ["staff_a", "manager_b"])
def test_waiving_needs_a_manager_of_the_owner(make_commitment: Any, request: Any, who: str) -> None:
    occ = make_commitment().occurrences.get()
    with pytest.raises(PermissionDeniedError):
        services.occurrence_waive(
            actor=request.getfixturevalue(who), occurrence=occ, reason="شرایط تغییر کرد", now=NOW
        )


def test_a_manager_of_the_owner_waives_with_a_reason(make_commitment: Any, manager_a: Any) -> None:
    occ = make_commitment().occurrences.get()
    with pytest.raises(ValidationError) as exc:
        services.occurrence_waive(actor=manager_a, occurrence=occ, reason="", now=NOW)
    assert "reason" in exc.value.message_dict
    services.occurrence_waive(actor=manager_a, occurrence=occ, reason="شرایط تغییر کرد", now=NOW)
    occ.refresh_from_db()
    assert (occ.status, occ.waiver_reason) == (OccurrenceStatus.WAIVED, "شرایط تغییر کرد")
    assert _moves(occ) == 1


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in OccurrenceStatus.values for t in OccurrenceStatus.values if s != t],
)
def test_every_pair_is_allowed_or_refused_with_one_history_row(
    make_commitment: Any, source: str, target: str
) -> None:
    """A superuser (every role) tries each (from, to); only the table's moves pass, and
    the system-only moves are refused to people."""
    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True)
    occ = make_commitment().occurrences.get()
    note_field = {"done": "evidence_note", "waived": "waiver_reason"}
    CommitmentOccurrence.objects.filter(pk=occ.pk).update(
        status=source, **({note_field[source]: "x"} if source in note_field else {})
    )
    occ.refresh_from_db()
    allowed = {(m.source, m.target) for m in MOVES if not m.system_only}
    before = _moves(occ)
    if (source, target) in allowed:
        services.occurrence_transition(actor=root, occurrence=occ, to=target, note="دلیل", now=NOW)
        occ.refresh_from_db()
        assert occ.status == target
        assert _moves(occ) == before + 1
    else:
        with pytest.raises(ConflictError):
            services.occurrence_transition(actor=root, occurrence=occ, to=target, note="x", now=NOW)
        assert _moves(occ) == before


def test_the_late_job_marks_late_once(make_commitment: Any) -> None:
    occ = make_commitment(due_date=days(-2)).occurrences.get()
    assert services.occurrences_mark_late(now=NOW) == 1
    assert services.occurrences_mark_late(now=NOW) == 0
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.LATE
    assert occ.status_changed_by is None
    assert _moves(occ) == 1


def test_a_due_date_moved_forward_reopens_a_late_occurrence(
    make_commitment: Any, staff_a: Any
) -> None:
    commitment = make_commitment(due_date=days(-2))
    services.occurrences_mark_late(now=NOW)
    services.commitment_update(actor=staff_a, commitment=commitment, due_date=days(5), now=NOW)
    occ = commitment.occurrences.get()
    assert (occ.status, occ.due_date) == (OccurrenceStatus.OPEN, days(5))


def test_closed_occurrences_keep_their_dates_when_the_schedule_moves(
    make_commitment: Any, staff_a: Any, staff_b: Any
) -> None:
    commitment = make_commitment(recurrence=Recurrence.MONTHLY)
    first = commitment.occurrences.get(number=1)
    services.occurrence_complete(actor=staff_b, occurrence=first, evidence_note="انجام شد", now=NOW)
    services.commitment_update(actor=staff_a, commitment=commitment, due_date=days(12), now=NOW)
    first.refresh_from_db()
    assert first.due_date == days(10)
    assert commitment.occurrences.get(number=2).due_date != days(12)


def test_a_shorter_schedule_deletes_untouched_occurrences(
    make_commitment: Any, staff_a: Any
) -> None:
    commitment = make_commitment(recurrence=Recurrence.MONTHLY)
    services.commitment_update(actor=staff_a, commitment=commitment, repeat_until=days(45), now=NOW)
    assert commitment.occurrences.count() == 2


def test_from_a_decision_of_a_meeting_that_discussed_the_agreement(
    make_commitment: Any, agreement: Any, org_a: Any
) -> None:
    meeting = MeetingFactory(host=org_a)
    decision = Decision.objects.create(meeting=meeting, order=1, text="تحویل زمین تا پایان ماه")
    with pytest.raises(ValidationError) as exc:
        make_commitment(source_decision=decision)
    assert "source_decision" in exc.value.message_dict
    meeting.agreements.add(agreement)
    assert make_commitment(source_decision=decision).source_decision == decision


def test_from_an_action_item_pointing_at_the_agreement(
    make_commitment: Any, agreement: Any
) -> None:
    item = ActionItemFactory(agreement=agreement)
    assert make_commitment(source_action_item=item).source_action_item == item
    with pytest.raises(ValidationError):
        make_commitment(source_action_item=ActionItemFactory())


def test_a_commitment_with_history_is_not_deleted(make_commitment: Any, staff_a: Any) -> None:
    commitment = make_commitment(due_date=days(-1))
    services.occurrences_mark_late(now=NOW)
    with pytest.raises(ConflictError):
        services.commitment_delete(actor=staff_a, commitment=commitment)
    fresh = make_commitment()
    services.commitment_delete(actor=staff_a, commitment=fresh)
    assert not CommitmentOccurrence.objects.filter(commitment_id=fresh.pk).exists()
