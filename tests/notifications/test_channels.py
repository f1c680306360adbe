"""Channels: the Persian RTL e-mail and the HTTP SMS provider against a local fake gateway."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from django.core import mail

from notifications import channels
from notifications.channels import (
    HttpSmsProvider,
    Item,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from tests.factories import UserFactory
from tests.notifications.conftest import NOW


class FakeGateway(BaseHTTPRequestHandler):
    status: ClassVar[int] = 200
    delay: ClassVar[float] = 0.0
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length).decode("utf-8"))
        self.received.append({"body": body, "headers": dict(self.headers)})
        if self.delay:
            threading.Event().wait(self.delay)
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def gateway() -> Iterator[str]:
    FakeGateway.status, FakeGateway.delay = 200, 0.0
    FakeGateway.received.clear()
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)  # port 0: a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_http_provider_posts_json_with_the_bearer_token(gateway: str) -> None:
    HttpSmsProvider(url=gateway, token="secret-token").send(
        phone="09121234567", text="جلسه فردا", reference="delivery-7"
    )
    [request] = FakeGateway.received
    assert request["body"] == {"to": "09121234567", "text": "جلسه فردا", "reference": "delivery-7"}
    assert request["headers"]["Authorization"] == "Bearer secret-token"
    assert request["headers"]["Idempotency-Key"] == "delivery-7"


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, TransientDeliveryError), (429, TransientDeliveryError), (400, PermanentDeliveryError)],
)
def test_http_provider_sorts_gateway_errors(gateway: str, status: int, error: type) -> None:
    FakeGateway.status = status
    with pytest.raises(error):
        HttpSmsProvider(url=gateway, token="t").send(phone="0912", text="x", reference="r")


def test_http_provider_times_out_as_a_transient_error(gateway: str) -> None:
    FakeGateway.delay = 1.0
    provider = HttpSmsProvider(url=gateway, token="t")
    provider.timeout = 0.2
    with pytest.raises(TransientDeliveryError):
        provider.send(phone="0912", text="x", reference="r")


def test_an_unreachable_gateway_is_transient() -> None:
    with pytest.raises(TransientDeliveryError):
        HttpSmsProvider(url="http://127.0.0.1:9/none", token="t").send(
            phone="0912", text="x", reference="r"
        )


def test_sms_provider_comes_from_settings(settings: Any) -> None:
    settings.SMS_PROVIDER = "notifications.channels.HttpSmsProvider"
    settings.SMS_HTTP_URL = "http://127.0.0.1:1/x"
    assert isinstance(channels.get_sms_provider(), HttpSmsProvider)


@pytest.mark.django_db
def test_email_is_persian_rtl_html_with_plain_text_jalali_date_and_link() -> None:
    user = UserFactory(first_name="مریم", last_name="احمدی")
    item = Item(
        title="یادآوری جلسه",
        body="جلسه هماهنگی",
        url=channels.absolute_url("/meetings/3/"),
        anchor_at=NOW,
    )
    channels.send_email(user=user, items=[item], reference="delivery-1")
    [message] = mail.outbox
    assert message.subject == "یادآوری جلسه"
    assert message.to == [user.email]
    html, mime = message.alternatives[0]
    assert isinstance(html, str)
    assert mime == "text/html"
    assert 'dir="rtl"' in html
    assert 'lang="fa"' in html
    assert "https://tracker.example.ir/meetings/3/" in html
    assert "https://tracker.example.ir/meetings/3/" in message.body
    # 1 July 2025 is 10 Tir 1404 (Persian digits).
    assert "۱۴۰۴" in message.body
    assert "تیر" in message.body
    assert "مریم احمدی" in message.body


def test_a_digest_sms_lists_titles_and_the_inbox() -> None:
    items = [Item(title=f"مورد {i}", body="", url="", anchor_at=NOW) for i in range(7)]
    text = channels.sms_text(items)
    assert text.startswith("7 یادآوری")
    assert "و 2 مورد دیگر" in text
    assert text.endswith("/notifications/")
