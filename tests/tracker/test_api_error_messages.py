"""DRF's validation messages in the API: Persian words, Persian digits, the field named by key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, fields, relations, serializers

from tests.factories import MeetingFactory
from tracker.api.exceptions import exception_handler, persian_digits
from tracker.api.messages import FIELD_MESSAGES, Message
from tracker.exceptions import ApplicationError
from tracker.jalali import JalaliDateSerializerField, JalaliDateTimeSerializerField
from tracker.text import to_persian_digits

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"
ACTION_ITEMS = "/api/v1/action-items/"
#: DRF's English leaking through its Persian catalogue («pk نامعتبر … این Object وجود ندارد»).
ENGLISH = re.compile(r"\b(pk|object|list|dict|str|int|datatype)\b", re.IGNORECASE)


def _messages(body: Any) -> Iterator[str]:
    """Every message in an error body, however deeply nested."""
    if isinstance(body, dict):
        for value in body.values():
            yield from _messages(value)
    elif isinstance(body, list):
        for value in body:
            yield from _messages(value)
    elif isinstance(body, str):
        yield body


def _assert_clean(body: Any) -> None:
    for message in _messages(body):
        own = re.sub(r"«[^«»]*»", "", message)  # quoted input is echoed as it was sent
        assert not re.search(r"[0-9]", own), message
        assert not ENGLISH.search(message), message


def _meeting(org: Any, **overrides: Any) -> dict[str, Any]:
    return {"title": "جلسه", "start": "1399/05/11 10:00", "host": org.pk, **overrides}


def test_a_nonexistent_pk_is_quoted_as_it_was_sent(
    client_for: Any, staff_a: Any, org_a: Any
) -> None:
    meeting = MeetingFactory(host=org_a)
    response = client_for(staff_a).post(
        ACTION_ITEMS,
        {
            "meeting": meeting.pk,
            "description": "پیگیری",
            "due_date": "1399/05/20",
            "owner_person": 99999,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"owner_person": ["موردی با شناسهٔ «99999» وجود ندارد."]}
    _assert_clean(response.json())


def test_a_wrong_type_for_a_pk_names_the_type_in_persian(
    client_for: Any, staff_a: Any, org_a: Any
) -> None:
    response = client_for(staff_a).post(
        MEETINGS, _meeting(org_a, host="abc", participants="x"), format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["host"] == ["نوع مقدار نادرست است: شناسهٔ یک مورد لازم است، نه متن."]
    assert errors["participants"] == ["باید فهرستی از شناسه‌ها فرستاده شود، نه متن."]
    _assert_clean(errors)


def test_a_list_instead_of_an_object_is_explained(client_for: Any, staff_a: Any) -> None:
    response = client_for(staff_a).post(MEETINGS, [{"title": "جلسه"}], format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "داده نامعتبر است: باید یک شیء با نام و مقدار فیلدها فرستاده شود، نه فهرست."
        ]
    }


def test_nested_rows_of_the_wrong_shape_are_explained(
    client_for: Any, staff_a: Any, org_a: Any
) -> None:
    client = client_for(staff_a)
    not_a_list = client.post(
        MEETINGS, _meeting(org_a, attendances={"person": 1}), format="json"
    ).json()
    not_an_object = client.post(
        MEETINGS, _meeting(org_a, agenda_items=["موضوع"]), format="json"
    ).json()
    assert "باید فهرستی از موارد فرستاده شود، نه شیء." in list(_messages(not_a_list))
    assert "نه متن." in " ".join(_messages(not_an_object))
    _assert_clean([not_a_list, not_an_object])


def test_too_long_a_string_gives_its_limit_in_persian_digits(
    client_for: Any, staff_a: Any, org_a: Any
) -> None:
    response = client_for(staff_a).post(
        MEETINGS,
        _meeting(org_a, source_page="x" * 101, source_issue="y" * 51, kind="bogus7"),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["source_page"] == ["این مقدار باید حداکثر ۱۰۰ نویسه باشد."]
    assert errors["source_issue"] == ["این مقدار باید حداکثر ۵۰ نویسه باشد."]
    # An echoed Latin word keeps its digits: it is what the client sent, not a number.
    assert errors["kind"] == ["«bogus7» گزینهٔ معتبری نیست."]
    assert "مطمعن" not in str(errors)


def test_a_number_above_its_maximum_gives_the_maximum_in_persian_digits(
    client_for: Any, staff_a: Any
) -> None:
    response = client_for(staff_a).get("/api/v1/stats/upcoming/", {"days": 400, "limit": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "days": ["این مقدار باید کوچک‌تر از ۳۶۶ یا برابر با آن باشد."],
        "limit": ["یک عدد صحیح معتبر لازم است."],
    }


def test_the_throttle_says_when_in_persian_digits_and_retry_after_stays_a_number(
    client_for: Any, staff_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.api.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/min", "anon": "1/min"})
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: 7_200.0)  # window 120, its start
    keys = [f"throttle_user_{staff_a.pk}:{w}" for w in (119, 120)]
    cache.delete_many(keys)
    client = client_for(staff_a)
    try:
        assert client.get("/api/v1/tokens/").status_code == 200
        refused = client.get("/api/v1/tokens/")
    finally:
        cache.delete_many(keys)

    retry_after = refused["Retry-After"]
    assert refused.status_code == 429
    assert retry_after.isascii()
    assert int(retry_after) > 0
    assert refused.json() == {
        "detail": f"تعداد درخواست‌های شما محدود شده است. "
        f"{to_persian_digits(retry_after)} ثانیه دیگر دوباره تلاش کنید."
    }


def test_the_handler_converts_every_nested_message_and_keeps_keys_and_codes() -> None:
    detail = {
        "rows.0.count": [exceptions.ErrorDetail("حداکثر 12 مورد.", code="max_value")],
        "rows": [{"non_field_errors": [exceptions.ErrorDetail("ردیف 3", code="invalid")]}],
        "address": [exceptions.ErrorDetail("یک نشانی IPv4 بفرستید.", code="invalid")],
    }
    response = exception_handler(exceptions.ValidationError(detail), {})
    assert response is not None
    assert response.data == {
        "rows.0.count": ["حداکثر ۱۲ مورد."],
        "rows": [{"non_field_errors": ["ردیف ۳"]}],
        "address": ["یک نشانی IPv4 بفرستید."],
    }
    assert response.data["rows.0.count"][0].code == "max_value"
    assert response.data["rows"][0]["non_field_errors"][0].code == "invalid"


def test_service_errors_get_persian_digits_too() -> None:
    refused = exception_handler(ApplicationError("بیش از 3 بار.", field="count"), {})
    invalid = exception_handler(DjangoValidationError({"title": "حداکثر 300 نویسه."}), {})
    assert refused is not None
    assert invalid is not None
    assert refused.data == {"detail": "بیش از ۳ بار.", "count": ["بیش از ۳ بار."]}
    assert invalid.data == {"title": ["حداکثر ۳۰۰ نویسه."]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1399/05/11 10:30", "۱۳۹۹/۰۵/۱۱ ۱۰:۳۰"),
        ("شناسه «99999»", "شناسه «99999»"),
        ("«1e5» شناسه درستی نیست؛ بیشینه 9", "«1e5» شناسه درستی نیست؛ بیشینه ۹"),
        ("«۱۲» و «12» از 3", "«۱۲» و «12» از ۳"),
        ("U+D83D و IPv6 و base64", "U+D83D و IPv6 و base64"),
        ("«type2» نه 2", "«type2» نه ۲"),
        ("١٢", "۱۲"),
    ],
)
def test_persian_digits_converts_numbers_not_latin_words(text: str, expected: str) -> None:
    assert persian_digits(text) == expected


def _drf_classes_with_messages() -> list[type[fields.Field]]:
    """Every DRF field or serializer class that declares messages of its own."""
    found = {
        value
        for module in (fields, relations, serializers)  # ``serializers`` re-exports the rest
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, fields.Field)
        and value.__module__.startswith("rest_framework.")
        and "default_error_messages" in value.__dict__
    }
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("cls", _drf_classes_with_messages(), ids=lambda cls: cls.__name__)
def test_every_drf_message_is_persian(cls: type[fields.Field]) -> None:
    assert cls in FIELD_MESSAGES, f"{cls.__name__} has no Persian messages"
    for key, message in cls.__dict__["default_error_messages"].items():
        # A lazy string would still be DRF's English msgid translated by its own catalogue.
        assert isinstance(message, Message), (cls.__name__, key, message)
        assert re.search("[\u0600-\u06ff]", message), (cls.__name__, key, message)
        words = re.sub(r"\{[^}]*\}", "", message)  # placeholders are filled in Persian
        assert not ENGLISH.search(words), (cls.__name__, key, message)


def test_the_jalali_fields_keep_their_own_messages() -> None:
    date_field = JalaliDateSerializerField()
    datetime_field = JalaliDateTimeSerializerField()
    assert date_field.error_messages["invalid"].startswith("تاریخ معتبر نیست")
    assert datetime_field.error_messages["invalid"].startswith("تاریخ و ساعت معتبر نیست")
    # The keys they do not declare come from DRF's Persian defaults.
    assert (
        datetime_field.error_messages["overflow"]
        == FIELD_MESSAGES[fields.DateTimeField]["overflow"]
    )
    assert date_field.error_messages["required"] == "این مقدار لازم است."
