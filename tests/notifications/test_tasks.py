"""The send task: retries only what failed transiently, hands on what it had no time for."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from celery.exceptions import Retry

from notifications import channels, services, tasks
from notifications.channels import TransientDeliveryError
from notifications.choices import Channel, DeliveryStatus
from notifications.models import Delivery
from notifications.services import delivery
from tests.factories import ApiTokenFactory, UserFactory
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.django_db


def _messages(users: int) -> list[list[int]]:
    for _ in range(users):
        tok = ApiTokenFactory(user=UserFactory(), expires_at=NOW + timedelta(hours=1))
        services.reminders_refresh(target=tok, now=NOW)
    with mock.patch.object(tasks.send_delivery_chunk, "apply_async"):
        return services.reminders_sweep(now=NOW).batches


def _run(messages: list[list[int]], retries: int = 0) -> Any:
    task = tasks.send_delivery_chunk
    task.push_request(retries=retries)  # type: ignore[call-arg]
    try:
        return task.run(messages)
    finally:
        task.pop_request()


def test_the_task_retries_with_only_the_messages_that_failed_transiently() -> None:
    messages = _messages(3)
    unlucky = Delivery.objects.filter(channel=Channel.EMAIL).order_by("pk").first()
    assert unlucky is not None
    real_send = channels.send_email

    def flaky(*, user: Any, **kwargs: Any) -> None:
        if user.pk == unlucky.recipient_id:
            raise TransientDeliveryError("timeout")
        real_send(user=user, **kwargs)

    with (
        mock.patch("notifications.channels.send_email", side_effect=flaky),
        mock.patch.object(tasks.send_delivery_chunk, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        _run(messages)
    kwargs = retry.call_args.kwargs
    assert kwargs["args"] == [[[unlucky.pk]]]
    # Exponential backoff with full jitter: 0 .. RETRY_BACKOFF on the first retry.
    assert 0 <= kwargs["countdown"] <= tasks.RETRY_BACKOFF
    assert isinstance(kwargs["exc"], TransientDeliveryError)
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses.pop(unlucky.pk) == DeliveryStatus.PENDING
    assert set(statuses.values()) == {DeliveryStatus.SENT}


def test_the_last_retry_marks_the_failure_visible_instead_of_retrying() -> None:
    messages = _messages(1)
    with (
        mock.patch("notifications.channels.send_email", side_effect=TransientDeliveryError("x")),
        mock.patch.object(tasks.send_delivery_chunk, "retry") as retry,
    ):
        assert _run(messages, retries=tasks.MAX_RETRIES) == 1  # the in-app one
    retry.assert_not_called()
    assert Delivery.objects.get(channel=Channel.EMAIL).status == DeliveryStatus.FAILED


def test_messages_the_chunk_had_no_time_for_go_to_a_fresh_task() -> None:
    messages = _messages(2)
    emails = sorted(Delivery.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True))
    with (
        mock.patch.object(delivery, "CHUNK_TIME_BUDGET", -1.0),
        mock.patch.object(tasks.send_delivery_chunk, "delay") as delay,
    ):
        _run(messages)
    [deferred] = [call.args[0] for call in delay.call_args_list]
    assert sorted(pk for message in deferred for pk in message) == emails


def test_the_old_single_message_task_still_sends() -> None:
    messages = _messages(1)
    email = Delivery.objects.get(channel=Channel.EMAIL)
    task = tasks.send_deliveries
    task.push_request(retries=0)  # type: ignore[call-arg]
    try:
        assert task.run([email.pk]) == 1
    finally:
        task.pop_request()
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT
    assert len(messages) == 2


def test_the_old_single_message_task_retries_with_its_own_arguments() -> None:
    _messages(1)
    email = Delivery.objects.get(channel=Channel.EMAIL)
    task = tasks.send_deliveries
    task.push_request(retries=0)  # type: ignore[call-arg]
    try:
        with (
            mock.patch("notifications.channels.send_email", side_effect=TransientDeliveryError()),
            mock.patch.object(task, "retry", side_effect=Retry()) as retry,
            pytest.raises(Retry),
        ):
            task.run([email.pk])
    finally:
        task.pop_request()
    assert retry.call_args.kwargs["args"] == [[email.pk]]
