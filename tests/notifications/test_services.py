"""The reminder engine on an injected clock: plan, refresh, sweep, hold, send, retry."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications import channels, services
from notifications.channels import PermanentDeliveryError, TransientDeliveryError
from notifications.choices import Channel, DeliveryMode, DeliveryStatus, ReminderState, RuleCode
from notifications.models import Delivery, Reminder, ReminderRule
from notifications.tasks import send_delivery_chunk
from tests.factories import ApiTokenFactory, NotificationPreferenceFactory, UserFactory
from tests.notifications.conftest import NOW
from tests.notifications.fakes import RecordingSmsProvider
from tracker.exceptions import PermissionDeniedError

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)


def token(user: Any = None, expires_at: datetime = NOW + 5 * H) -> Any:
    return ApiTokenFactory(user=user or UserFactory(), expires_at=expires_at)


def move(tok: Any, expires_at: datetime) -> None:
    """What a colleague's service does: change the time, then refresh in the same transaction."""
    tok.expires_at = expires_at
    tok.save(update_fields=["expires_at"])
    services.reminders_refresh(target=tok, now=NOW)


def sweep(at: datetime) -> services.SweepResult:
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        return services.reminders_sweep(now=at)


def pending(tok: Any) -> list[Reminder]:
    return list(Reminder.objects.filter(object_id=tok.pk, state=ReminderState.PENDING))


# --- planning ---------------------------------------------------------------------------------


def test_refresh_plans_one_reminder_per_offset_at_the_right_time() -> None:
    ReminderRule.objects.create(code=RuleCode.CUSTOM, offsets=[24, 1])
    tok = token(expires_at=NOW + 48 * H)
    result = services.reminders_refresh(target=tok, now=NOW)
    assert result.created == 2
    rows = sorted(pending(tok), key=lambda r: r.due_at)
    assert [r.due_at for r in rows] == [NOW + 24 * H, NOW + 47 * H]
    assert {r.anchor_at for r in rows} == {NOW + 48 * H}
    assert {r.recipient_id for r in rows} == {tok.user_id}


def test_refresh_twice_changes_nothing() -> None:
    tok = token()
    services.reminders_refresh(target=tok, now=NOW)
    again = services.reminders_refresh(target=tok, now=NOW)
    assert (again.created, again.cancelled, again.kept) == (0, 0, 1)
    assert Reminder.objects.count() == 1


def test_rescheduling_replaces_pending_reminders_and_nothing_goes_out_for_the_old_time() -> None:
    tok = token(expires_at=NOW + 5 * H)
    services.reminders_refresh(target=tok, now=NOW)
    move(tok, NOW + 30 * H)
    states = dict(Reminder.objects.values_list("due_at", "state"))
    assert states == {NOW + 4 * H: ReminderState.CANCELLED, NOW + 29 * H: ReminderState.PENDING}
    # At the old time the sweep finds nothing to send.
    assert sweep(NOW + 4 * H + timedelta(minutes=1)).deliveries == 0
    assert Delivery.objects.count() == 0


def test_moving_back_to_a_time_already_sent_does_not_send_it_again() -> None:
    tok = token(expires_at=NOW + 5 * H)
    services.reminders_refresh(target=tok, now=NOW)
    sweep(NOW + 4 * H)
    move(tok, NOW + 30 * H)
    move(tok, NOW + 5 * H)
    assert not pending(tok)


def test_a_reminder_whose_time_passed_before_the_target_existed_is_not_planned() -> None:
    tok = token(expires_at=NOW + 30 * timedelta(minutes=1))  # due 30 minutes ago
    assert services.reminders_refresh(target=tok, now=NOW).created == 0


def test_a_reminder_a_few_minutes_late_is_still_planned_and_sent() -> None:
    tok = token(expires_at=NOW + 55 * timedelta(minutes=1))  # due 5 minutes ago
    assert services.reminders_refresh(target=tok, now=NOW).created == 1
    assert sweep(NOW).dispatched == 1


def test_an_inactive_rule_cancels_its_pending_reminders() -> None:
    tok = token()
    services.reminders_refresh(target=tok, now=NOW)
    ReminderRule.objects.create(code=RuleCode.CUSTOM, is_active=False)
    assert services.reminders_refresh(target=tok, now=NOW).cancelled == 1


# --- the sweep -------------------------------------------------------------------------------


def test_sweep_sends_only_what_is_due_and_creates_one_delivery_per_channel() -> None:
    due_soon, later = token(expires_at=NOW + 1 * H), token(expires_at=NOW + 9 * H)
    for tok in (due_soon, later):
        services.reminders_refresh(target=tok, now=NOW)
    with mock.patch.object(send_delivery_chunk, "apply_async") as enqueue:
        with_commit = services.reminders_sweep(now=NOW)
    assert with_commit.dispatched == 1
    channels = set(Delivery.objects.values_list("channel", flat=True))
    assert channels == {Channel.IN_APP, Channel.EMAIL}  # the defaults without preferences
    assert pending(later)
    assert not enqueue.called  # enqueued only after commit
    assert len(with_commit.batches) == 2


def test_sweep_enqueues_its_messages_after_commit_in_chunks_of_fifty(
    django_capture_on_commit_callbacks: Any,
) -> None:
    for _ in range(30):  # 30 reminders → 60 deliveries (in-app + e-mail) → 60 messages
        services.reminders_refresh(target=token(expires_at=NOW + 1 * H), now=NOW)
    with (
        mock.patch.object(send_delivery_chunk, "apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.reminders_sweep(now=NOW)
    # Enqueued by name: the signature runs the registered task's apply_async((chunk,), {}).
    chunks = [call.args[0][0] for call in enqueue.call_args_list]
    assert [len(chunk) for chunk in chunks] == [services.CHUNK_SIZE, 60 - services.CHUNK_SIZE]
    ids = sorted(pk for chunk in chunks for message in chunk for pk in message)
    assert ids == sorted(Delivery.objects.values_list("pk", flat=True))


def test_sweeping_twice_delivers_once() -> None:
    services.reminders_refresh(target=token(expires_at=NOW + 1 * H), now=NOW)
    first, second = sweep(NOW), sweep(NOW + timedelta(minutes=1))
    assert (first.deliveries, second.deliveries) == (2, 0)


def test_sweep_refuses_a_reminder_whose_anchor_moved_without_a_refresh() -> None:
    tok = token(expires_at=NOW + 1 * H)
    services.reminders_refresh(target=tok, now=NOW)
    tok.expires_at = NOW + 10 * H  # a write that forgot reminders_refresh
    tok.save(update_fields=["expires_at"])
    result = sweep(NOW)
    assert (result.stale, result.deliveries) == (1, 0)
    assert Reminder.objects.get().state == ReminderState.STALE


def test_sweep_marks_a_reminder_past_its_target_time_expired() -> None:
    tok = token(expires_at=NOW + 1 * H)
    services.reminders_refresh(target=tok, now=NOW)
    result = sweep(NOW + 2 * H)  # the sweep did not run for two hours
    assert (result.expired, result.deliveries) == (1, 0)


def test_a_deleted_target_makes_its_reminders_stale() -> None:
    tok = token(expires_at=NOW + 1 * H)
    services.reminders_refresh(target=tok, now=NOW)
    tok.delete()
    assert sweep(NOW).stale == 1


def test_quiet_hours_hold_a_reminder_until_they_end() -> None:
    user = UserFactory()
    NotificationPreferenceFactory(user=user, quiet_start=time(22), quiet_end=time(7))
    late = NOW.replace(hour=23)
    tok = token(user, expires_at=late + 10 * H)
    services.reminders_refresh(target=tok, now=NOW)
    ReminderRule.objects.create(code=RuleCode.CUSTOM, offsets=[10])
    services.reminders_refresh(target=tok, now=NOW)
    reminder = Reminder.objects.get(state=ReminderState.PENDING)
    assert reminder.due_at == late
    held = sweep(late)
    assert (held.held, held.deliveries) == (1, 0)
    reminder.refresh_from_db()
    assert reminder.due_at == (NOW + timedelta(days=1)).replace(hour=7)
    assert sweep(reminder.due_at - timedelta(minutes=1)).deliveries == 0
    assert sweep(reminder.due_at).deliveries == 2


def test_digest_mode_batches_a_users_reminders_into_one_email_at_the_digest_hour() -> None:
    user = UserFactory()
    NotificationPreferenceFactory(user=user, mode=DeliveryMode.DIGEST, digest_hour=20)
    ReminderRule.objects.create(code=RuleCode.CUSTOM, offsets=[24])
    first, second = token(user, NOW + 30 * H), token(user, NOW + 31 * H)
    for tok in (first, second):
        services.reminders_refresh(target=tok, now=NOW)
    assert sweep(NOW + 7 * H).held == 2  # due at 16:00 and 17:00
    digest_time = NOW.replace(hour=20)
    assert sweep(digest_time - timedelta(minutes=1)).deliveries == 0
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        result = services.reminders_sweep(now=digest_time)
    email_batches = [b for b in result.batches if len(b) > 1]
    assert len(email_batches) == 1
    assert services.deliveries_send(delivery_ids=email_batches[0], now=digest_time) == 2
    assert len(mail.outbox) == 1
    assert "خلاصه یادآوری‌ها" in mail.outbox[0].subject


def test_sms_goes_only_to_users_who_chose_it_and_have_a_number() -> None:
    with_phone, without = UserFactory(), UserFactory()
    NotificationPreferenceFactory(user=with_phone, sms=True, email=False, phone="09120000000")
    NotificationPreferenceFactory(user=without, sms=True, email=False, phone="")
    for user in (with_phone, without):
        services.reminders_refresh(target=token(user, NOW + 1 * H), now=NOW)
    sweep(NOW)
    sms = Delivery.objects.filter(channel=Channel.SMS)
    assert [d.recipient_id for d in sms] == [with_phone.pk]
    services.deliveries_send(delivery_ids=[sms[0].pk], now=NOW)
    assert RecordingSmsProvider.sent[0]["phone"] == "09120000000"


def test_pending_deliveries_whose_message_was_lost_are_enqueued_again() -> None:
    services.reminders_refresh(target=token(expires_at=NOW + 1 * H), now=NOW)
    sweep(NOW)
    assert sweep(NOW + timedelta(minutes=5)).reenqueued == 0
    assert sweep(NOW + timedelta(minutes=7)).reenqueued == 2


# --- sending --------------------------------------------------------------------------------------


def _dispatched(user: Any = None) -> list[Delivery]:
    services.reminders_refresh(target=token(user, NOW + 1 * H), now=NOW)
    sweep(NOW)
    return list(Delivery.objects.order_by("channel"))


def test_sending_twice_sends_once() -> None:
    email = next(d for d in _dispatched() if d.channel == Channel.EMAIL)
    assert services.deliveries_send(delivery_ids=[email.pk], now=NOW) == 1
    assert services.deliveries_send(delivery_ids=[email.pk], now=NOW) == 0
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at) == (DeliveryStatus.SENT, 1, NOW)


def test_in_app_delivery_lands_in_the_inbox() -> None:
    in_app = next(d for d in _dispatched() if d.channel == Channel.IN_APP)
    services.deliveries_send(delivery_ids=[in_app.pk], now=NOW)
    from notifications.selectors import inbox_unread_count_for_user

    assert inbox_unread_count_for_user(user=in_app.recipient) == 1


def test_a_delivery_cancelled_by_a_reschedule_after_dispatch_is_not_sent() -> None:
    deliveries = _dispatched()
    tok = deliveries[0].reminder.target
    move(tok, NOW + 40 * H)
    assert services.deliveries_send(delivery_ids=[d.pk for d in deliveries], now=NOW) == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.CANCELLED}


def test_a_transient_error_is_recorded_and_raised_for_the_retry() -> None:
    email = next(d for d in _dispatched() if d.channel == Channel.EMAIL)
    with (
        mock.patch("notifications.channels.send_email", side_effect=TransientDeliveryError("x")),
        pytest.raises(TransientDeliveryError),
    ):
        services.deliveries_send(delivery_ids=[email.pk], now=NOW)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 1)
    assert "TransientDeliveryError" in email.last_error


def test_the_last_transient_error_marks_the_delivery_failed() -> None:
    email = next(d for d in _dispatched() if d.channel == Channel.EMAIL)
    with mock.patch("notifications.channels.send_email", side_effect=TransientDeliveryError("x")):
        assert services.deliveries_send(delivery_ids=[email.pk], final_attempt=True) == 0
    email.refresh_from_db()
    assert email.status == DeliveryStatus.FAILED


def test_a_permanent_error_fails_at_once_without_retry() -> None:
    email = next(d for d in _dispatched() if d.channel == Channel.EMAIL)
    with mock.patch("notifications.channels.send_email", side_effect=PermanentDeliveryError("x")):
        assert services.deliveries_send(delivery_ids=[email.pk]) == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 1)


# --- admin actions --------------------------------------------------------------------------------


def test_retry_makes_a_failed_delivery_pending_and_enqueues_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = UserFactory(is_staff=True)
    email = next(d for d in _dispatched() if d.channel == Channel.EMAIL)
    Delivery.objects.filter(pk=email.pk).update(status=DeliveryStatus.FAILED)
    with (
        mock.patch.object(send_delivery_chunk, "apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.deliveries_retry(actor=admin, delivery_ids=[email.pk]) == 1
    enqueue.assert_called_once_with(([[email.pk]],), {})
    email.refresh_from_db()
    assert email.status == DeliveryStatus.PENDING


def test_admin_actions_refuse_a_non_staff_user() -> None:
    with pytest.raises(PermissionDeniedError):
        services.deliveries_retry(actor=UserFactory(), delivery_ids=[1])


def test_send_now_dispatches_a_held_reminder_at_once() -> None:
    admin = UserFactory(is_staff=True)
    user = UserFactory()
    NotificationPreferenceFactory(user=user, mode=DeliveryMode.DIGEST, digest_hour=8)
    services.reminders_refresh(target=token(user, NOW + 1 * H), now=NOW)
    assert sweep(NOW).held == 1
    reminder = Reminder.objects.get()
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        result = services.reminders_send_now(actor=admin, reminder_ids=[reminder.pk], now=NOW)
    assert result.dispatched == 1


# --- preferences, inbox, workflow ---------------------------------------------------------


def test_preference_update_refuses_sms_without_a_number() -> None:
    with pytest.raises(ValidationError) as exc:
        services.preference_update(actor=UserFactory(), sms=True, phone=" ")
    assert "phone" in exc.value.message_dict


def test_preference_update_refuses_half_a_quiet_window() -> None:
    with pytest.raises(ValidationError) as exc:
        services.preference_update(actor=UserFactory(), quiet_start=time(22))
    assert "quiet_end" in exc.value.message_dict


def test_mark_read_touches_only_the_actors_messages() -> None:
    mine = next(d for d in _dispatched() if d.channel == Channel.IN_APP)
    services.deliveries_send(delivery_ids=[mine.pk], now=NOW)
    assert services.inbox_mark_read(actor=UserFactory(), delivery_ids=[mine.pk]) == 0
    assert services.inbox_mark_read(actor=mine.recipient, delivery_ids=[mine.pk], now=NOW) == 1


# --- sending in chunks ------------------------------------------------------------------------


def _chunk_of(users: int) -> list[list[int]]:
    """``users`` recipients with one due reminder each: 2 × users messages (in-app, e-mail)."""
    for _ in range(users):
        services.reminders_refresh(target=token(expires_at=NOW + 1 * H), now=NOW)
    return sweep(NOW).batches


def _email_of(user: Any) -> Delivery:
    return Delivery.objects.get(recipient=user, channel=Channel.EMAIL)


def test_a_chunk_sends_every_message_once_and_a_second_run_sends_nothing() -> None:
    messages = _chunk_of(3)
    result = services.deliveries_send_chunk(messages=messages, now=NOW)
    assert (result.sent, result.failed, result.retry, result.deferred) == (6, 0, [], [])
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Delivery.objects.filter(channel=Channel.EMAIL).values_list("recipient__email", flat=True)
    )
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
    again = services.deliveries_send_chunk(messages=messages, now=NOW)
    assert (again.sent, again.skipped) == (0, 6)
    assert len(mail.outbox) == 3


def test_one_transient_failure_in_a_chunk_does_not_resend_the_others_and_the_retry_sends_it() -> (
    None
):
    messages = _chunk_of(3)
    unlucky = Delivery.objects.filter(channel=Channel.EMAIL).order_by("pk")[1].recipient
    real_send = channels.send_email

    def flaky(*, user: Any, **kwargs: Any) -> None:
        if user.pk == unlucky.pk:
            raise TransientDeliveryError("421 try again later")
        real_send(user=user, **kwargs)

    with mock.patch("notifications.channels.send_email", side_effect=flaky):
        result = services.deliveries_send_chunk(messages=messages, now=NOW)
    failing = _email_of(unlucky)
    assert (result.sent, result.failed) == (5, 0)
    assert result.retry == [[failing.pk]]  # only the failed message goes back for a retry
    assert (failing.status, failing.attempts) == (DeliveryStatus.PENDING, 1)
    assert "421" in failing.last_error
    assert len(mail.outbox) == 2

    retried = services.deliveries_send_chunk(messages=result.retry, now=NOW)
    assert (retried.sent, retried.retry) == (1, [])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Delivery.objects.filter(channel=Channel.EMAIL).values_list("recipient__email", flat=True)
    )  # each recipient exactly once
    failing.refresh_from_db()
    assert (failing.status, failing.attempts, failing.last_error) == (DeliveryStatus.SENT, 2, "")


def test_a_permanent_failure_fails_only_its_own_message() -> None:
    messages = _chunk_of(2)
    broken = Delivery.objects.filter(channel=Channel.EMAIL).order_by("pk")[0]
    real_send = channels.send_email

    def refuse(*, user: Any, **kwargs: Any) -> None:
        if user.pk == broken.recipient_id:
            raise PermanentDeliveryError("550 no such user")
        real_send(user=user, **kwargs)

    with mock.patch("notifications.channels.send_email", side_effect=refuse):
        result = services.deliveries_send_chunk(messages=messages, now=NOW)
    assert (result.sent, result.failed, result.retry) == (3, 1, [])
    broken.refresh_from_db()
    assert (broken.status, broken.attempts) == (DeliveryStatus.FAILED, 1)
    assert len(mail.outbox) == 1


def test_the_last_attempt_of_a_chunk_marks_its_transient_failures_failed() -> None:
    messages = _chunk_of(1)
    with mock.patch("notifications.channels.send_email", side_effect=TransientDeliveryError("x")):
        result = services.deliveries_send_chunk(messages=messages, final_attempt=True, now=NOW)
    assert (result.sent, result.failed, result.retry) == (1, 1, [])  # in-app sent, e-mail failed
    assert Delivery.objects.get(channel=Channel.EMAIL).status == DeliveryStatus.FAILED


def test_messages_past_the_time_budget_are_deferred_untouched() -> None:
    messages = _chunk_of(2)
    result = services.deliveries_send_chunk(messages=messages, now=NOW, time_budget=-1)
    emails = sorted(Delivery.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True))
    assert sorted(pk for message in result.deferred for pk in message) == emails
    assert result.sent == 2  # the in-app messages: one statement, no time to speak of
    assert set(
        Delivery.objects.filter(channel=Channel.EMAIL).values_list("status", "attempts")
    ) == {(DeliveryStatus.PENDING, 0)}
    assert mail.outbox == []


def test_a_chunk_opens_one_email_connection_for_all_its_messages() -> None:
    messages = _chunk_of(4)
    with mock.patch(
        "notifications.channels.get_connection", wraps=channels.get_connection
    ) as get_connection:
        services.deliveries_send_chunk(messages=messages, now=NOW)
    assert get_connection.call_count == 1
    assert len(mail.outbox) == 4


@pytest.mark.parametrize("users", [5, 25])
def test_a_chunk_reads_once_and_writes_once_per_email_whatever_its_size(users: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    messages = _chunk_of(users)
    with CaptureQueriesContext(connection) as queries:
        assert services.deliveries_send_chunk(messages=messages, now=NOW).sent == 2 * users
    statements = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))  # the test's transaction
    ]
    # 1 SELECT: every delivery with its reminder, recipient and preferences (no N+1);
    # 1 UPDATE claims all in-app messages; 1 UPDATE per e-mail locks and marks it (its own
    # transaction, committed before the next e-mail goes out).
    assert statements.count("SELECT") == 1
    assert statements.count("UPDATE") == 1 + users
    assert len(statements) == 2 + users


@pytest.mark.django_db(transaction=True)
def test_a_message_another_worker_is_sending_is_skipped_not_waited_for() -> None:
    import threading
    import time as clock

    from django.db import connections, transaction

    messages = _chunk_of(1)
    email = Delivery.objects.get(channel=Channel.EMAIL)
    holding, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                list(Delivery.objects.select_for_update().filter(pk=email.pk))
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(5)
        started = clock.monotonic()
        result = services.deliveries_send_chunk(messages=messages, now=NOW)
        elapsed = clock.monotonic() - started
    finally:
        release.set()
        thread.join(10)
    assert (result.sent, result.skipped, result.retry) == (1, 1, [])  # the in-app one only
    assert elapsed < 2
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 0)
