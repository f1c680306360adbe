"""The client address: ``TRUSTED_PROXY_COUNT`` decides, for axes and every DRF throttle."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from tracker.api.throttling import AnonRateThrottle
from tracker.client_ip import client_ip


def _request(**meta: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", **meta)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [(1, "10.0.0.2"), (2, "192.0.2.1"), (5, "203.0.113.9")],
)
def test_with_proxies_the_address_our_nearest_proxy_saw_counts(
    settings: Any, proxies: int, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    # The client wrote the leftmost entry itself; each proxy of ours appended one.
    header = "203.0.113.9, 192.0.2.1, 10.0.0.2"

    assert client_ip(_request(HTTP_X_FORWARDED_FOR=header)) == expected


def test_drf_reads_the_same_setting() -> None:
    from django.conf import settings as django_settings
    from rest_framework.settings import api_settings

    assert django_settings.REST_FRAMEWORK["NUM_PROXIES"] == django_settings.TRUSTED_PROXY_COUNT
    assert api_settings.NUM_PROXIES == 0


@pytest.fixture
def five_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/min"})


def _token_attempts(headers: list[str], address: str) -> list[int]:
    client = APIClient(REMOTE_ADDR=address)
    return [
        client.post(
            "/api/v1/auth/token/",
            {"username": "nobody", "password": "x", "name": "t"},
            format="json",
            HTTP_X_FORWARDED_FOR=header,
        ).status_code
        for header in headers
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("five_a_minute")
def test_a_spoofed_forwarded_for_does_not_escape_the_token_endpoint_throttle(
    settings: Any,
) -> None:
    # An address of its own, so that no other test's requests share the count.
    codes = _token_attempts([f"203.0.113.{n}" for n in range(7)], "198.51.100.201")

    assert codes[:5] == [400] * 5
    assert codes[5:] == [429, 429]


@pytest.mark.django_db
@pytest.mark.usefixtures("five_a_minute")
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(settings: Any) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    codes = _token_attempts([f"203.0.113.{n}" for n in range(7)], "198.51.100.202")

    assert codes == [400] * 7  # seven clients, one request each
