"""The ways a reminder reaches a person: e-mail, SMS (through a provider) and the inbox.

Errors are sorted in two: :class:`TransientDeliveryError` (a timeout, a 5xx, a dropped
connection: the task retries with backoff) and :class:`PermanentDeliveryError` (a refused
address, a 4xx: retrying will not help, the delivery fails at once and shows in the admin).
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from .models import Reminder

logger = logging.getLogger(__name__)


class TransientDeliveryError(Exception):
    """The channel may work a little later."""


class PermanentDeliveryError(Exception):
    """The channel refused the message for good."""


@dataclass(frozen=True)
class Item:
    """One reminder as a message shows it."""

    title: str
    body: str
    url: str
    anchor_at: datetime


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def item_for(reminder: Reminder) -> Item:
    return Item(
        title=reminder.title,
        body=reminder.body,
        url=absolute_url(reminder.url),
        anchor_at=reminder.anchor_at,
    )


# --- e-mail ------------------------------------------------------------------------------------


class MailSession:
    """One connection of the e-mail backend for the messages of a chunk.

    Opened at the first message, so a chunk without e-mail opens nothing; dropped after an
    error, so the next message starts on a fresh connection. Each message still goes out
    alone (``send_messages([message])``): its delivery row is committed right after it.
    """

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def send(self, message: EmailMultiAlternatives) -> None:
        if self._connection is None:
            connection = get_connection()
            connection.open()
            self._connection = connection
        try:
            self._connection.send_messages([message])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a broken connection cannot be closed politely
                logger.warning("closing the e-mail connection failed", exc_info=True)


def send_email(
    *, user: Any, items: list[Item], reference: str, mail: MailSession | None = None
) -> None:
    """A Persian right-to-left HTML e-mail with a plain-text twin; one or many items.

    ``mail`` shares one backend connection between the messages of a chunk; without it the
    message opens and closes its own.
    """
    if not user.email:
        raise PermanentDeliveryError("گیرنده نشانی رایانامه ندارد.")
    subject = items[0].title if len(items) == 1 else f"خلاصه یادآوری‌ها ({len(items)} مورد)"
    context = {
        "user": user,
        "items": items,
        "subject": subject,
        "site_url": settings.SITE_URL,
        "inbox_url": absolute_url("/notifications/"),
    }
    text = render_to_string("notifications/email/reminder.txt", context)
    html = render_to_string("notifications/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"X-Tracker-Reference": reference},
    )
    message.attach_alternative(html, "text/html")
    try:
        if mail is not None:
            mail.send(message)
        else:
            message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        raise PermanentDeliveryError(str(exc)) from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise PermanentDeliveryError(str(exc)) from exc
        raise TransientDeliveryError(str(exc)) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientDeliveryError(str(exc)) from exc


# --- SMS -----------------------------------------------------------------------------------------


def sms_text(items: list[Item]) -> str:
    """A short text: the title (or a count) and where to read more."""
    if len(items) == 1:
        item = items[0]
        return f"{item.title}\n{item.url}".strip()
    titles = "\n".join(f"- {item.title}" for item in items[:5])
    more = f"\nو {len(items) - 5} مورد دیگر" if len(items) > 5 else ""
    return f"{len(items)} یادآوری:\n{titles}{more}\n{absolute_url('/notifications/')}"


class SmsProvider(Protocol):
    def send(self, *, phone: str, text: str, reference: str) -> None: ...


class ConsoleSmsProvider:
    """The default: writes the SMS to the log (development, demo)."""

    def send(self, *, phone: str, text: str, reference: str) -> None:
        logger.info("SMS to %s [%s]: %s", phone, reference, text)


class HttpSmsProvider:
    """Posts ``{"to", "text", "reference"}`` as JSON to ``settings.SMS_HTTP_URL``.

    ``Authorization: Bearer <SMS_HTTP_TOKEN>``; the reference doubles as an idempotency key,
    so a gateway that honours it drops the copy sent again after a crash between its answer
    and our commit.
    """

    timeout = 5.0

    def __init__(self, url: str | None = None, token: str | None = None) -> None:
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN

    def send(self, *, phone: str, text: str, reference: str) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise PermanentDeliveryError("SMS_HTTP_URL تنظیم نشده یا نامعتبر است.")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
            self.url,
            data=json.dumps(
                {"to": phone, "text": text, "reference": reference}, ensure_ascii=False
            ).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise TransientDeliveryError(f"SMS gateway answered {exc.code}") from exc
            raise PermanentDeliveryError(f"SMS gateway refused: {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise TransientDeliveryError(f"SMS gateway unreachable: {exc}") from exc


def get_sms_provider() -> SmsProvider:
    provider: SmsProvider = import_string(settings.SMS_PROVIDER)()
    return provider
