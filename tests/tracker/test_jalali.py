"""Jalali conversion, formatting, parsing and the form/DRF/admin/template adapters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import jdatetime
import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.template import Context, Template
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st
from persiantools.jdatetime import JalaliDate
from rest_framework import serializers

from tracker import jalali
from tracker.jalali import (
    MONTH_NAMES,
    TEHRAN,
    WEEKDAY_NAMES,
    JalaliAdminMixin,
    JalaliDateError,
    JalaliDateField,
    JalaliDateSerializerField,
    JalaliDateTimeField,
    JalaliDateTimeSerializerField,
    JalaliDateTimeWidget,
    JalaliDateWidget,
    JalaliTwinField,
    days_in_month,
    fiscal_year_bounds,
    format_date,
    format_datetime,
    jalali_display,
    jalali_string,
    jalali_to_gregorian,
    month_bounds,
    parse_date,
    parse_datetime,
    quarter_of,
    to_jalali_date,
)
from tracker.text import to_persian_digits

MEETING_DAY = date(2020, 8, 1)  # Saturday 11 Mordad 1399, the reference meeting
MEETING_AT = datetime(2020, 8, 1, 10, 30, tzinfo=TEHRAN)
PERSIAN_DIGIT_CHARS = set("۰۱۲۳۴۵۶۷۸۹")


# --- Conversion: every day of two centuries --------------------------------------------------


def test_every_day_1300_to_1500_round_trips_and_agrees_with_two_libraries() -> None:
    first = jalali_to_gregorian(1300, 1, 1)
    last = jalali_to_gregorian(1500, 12, 29)
    previous: tuple[int, int, int] | None = None
    day = first
    while day <= last:
        j = to_jalali_date(day)
        ymd = (j.year, j.month, j.day)
        # Two independent implementations must agree.
        other = JalaliDate.to_jalali(day)
        assert ymd == (other.year, other.month, other.day), day
        assert jdatetime.date(*ymd).togregorian() == day
        assert jalali_to_gregorian(*ymd) == day
        # Consecutive days: next day of the month, or day 1 after the month's last day.
        if previous is not None:
            py, pm, pd = previous
            if pd == days_in_month(py, pm):
                assert ymd == ((py + 1, 1, 1) if pm == 12 else (py, pm + 1, 1)), day
            else:
                assert ymd == (py, pm, pd + 1), day
        assert parse_date(format_date(day)) == day
        previous = ymd
        day += timedelta(days=1)
    assert previous == (1500, 12, 29)


def test_reference_meeting_day_is_saturday_11_mordad_1399() -> None:
    assert to_jalali_date(MEETING_DAY) == jdatetime.date(1399, 5, 11)
    assert format_date(MEETING_DAY) == "۱۳۹۹/۰۵/۱۱"
    assert format_date(MEETING_DAY, "long") == "۱۱ مرداد ۱۳۹۹"
    assert format_date(MEETING_DAY, "weekday") == "شنبه ۱۱ مرداد ۱۳۹۹"
    assert parse_date("1399/05/11") == MEETING_DAY


def test_names_start_with_farvardin_and_saturday() -> None:
    assert MONTH_NAMES[0] == "فروردین"
    assert MONTH_NAMES[-1] == "اسفند"
    assert len(MONTH_NAMES) == 12
    assert WEEKDAY_NAMES[0] == "شنبه"
    assert WEEKDAY_NAMES[-1] == "جمعه"
    assert len(WEEKDAY_NAMES) == 7


def test_aware_datetime_is_converted_to_tehran_before_taking_the_date() -> None:
    # 21:00 UTC on 31 July 2020 is already 1 August (11 Mordad) in Tehran (+04:30).
    late_utc = datetime(2020, 7, 31, 21, 0, tzinfo=UTC)
    assert to_jalali_date(late_utc) == jdatetime.date(1399, 5, 11)
    assert jalali_string(late_utc) == "1399/05/11 01:30"


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_jalali_date(datetime(2020, 8, 1, 10, 30))  # noqa: DTZ001 - the point of the test


# --- Formatting -------------------------------------------------------------------------------


def test_format_datetime_styles_in_tehran_time() -> None:
    utc = MEETING_AT.astimezone(UTC)
    assert format_datetime(utc) == "۱۳۹۹/۰۵/۱۱ ساعت ۱۰:۳۰"
    assert format_datetime(utc, "weekday") == "شنبه ۱۱ مرداد ۱۳۹۹ ساعت ۱۰:۳۰"
    assert format_datetime(utc, "long") == "۱۱ مرداد ۱۳۹۹ ساعت ۱۰:۳۰"


def test_none_formats_as_empty_and_twin_is_none() -> None:
    assert format_date(None) == ""
    assert format_datetime(None) == ""
    assert jalali_string(None) is None


def test_jalali_string_uses_latin_digits() -> None:
    assert jalali_string(MEETING_DAY) == "1399/05/11"
    assert jalali_string(MEETING_AT) == "1399/05/11 10:30"


def test_unknown_style_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="style"):
        format_date(MEETING_DAY, "fancy")


# --- Parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1399/5/11",
        "1399/05/11",
        "1399-05-11",
        "۱۳۹۹/۰۵/۱۱",
        "۱۳۹۹-۰۵-۱۱",
        "١٣٩٩/٠٥/١١",
        "  ۱۳۹۹ / ۵ / ۱۱  ",
        "۱۱ مرداد ۱۳۹۹",
        "11 مرداد 1399",
        "۱۱ امرداد ۱۳۹۹",
        "۱۱ مرداد ماه ۱۳۹۹",
        "۱۱ مردادماه ۱۳۹۹",
        "شنبه ۱۱ مرداد ۱۳۹۹",
        "شنبه، ۱۱ مرداد ۱۳۹۹",
        "شنبه ۱۳۹۹/۰۵/۱۱",
        "2020-08-01",
        "2020/08/01",
        "\u200f۱۳۹۹/۰۵/۱۱\u200f",
    ],
)
def test_parse_date_accepts_variants(text: str) -> None:
    assert parse_date(text) == MEETING_DAY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۲ ارديبهشت ۱۴۰۰", date(2021, 4, 22)),
        ("۵ دي ۱۴۰۰", date(2021, 12, 26)),
        ("۱ آذر ۱۴۰۲", date(2023, 11, 22)),
        ("۱ اذر ۱۴۰۲", date(2023, 11, 22)),
        ("شنبه ۳۰ اسفند ۱۳۹۹", date(2021, 3, 20)),
        ("سه‌شنبه ۲۶ اسفند ۱۳۹۹", date(2021, 3, 16)),
        ("سه شنبه ۲۶ اسفند ۱۳۹۹", date(2021, 3, 16)),
        ("سهشنبه ۲۶ اسفند ۱۳۹۹", date(2021, 3, 16)),
        ("۱۲ اسفند ۱۴۰۰", date(2022, 3, 3)),
        ("پنج شنبه ۴ فروردین ۱۴۰۱", date(2022, 3, 24)),
        ("پنجشنبه ۴ فروردين ۱۴۰۱", date(2022, 3, 24)),
        ("دوشنبه ۱ فروردین ۱۴۰۱", date(2022, 3, 21)),
    ],
)
def test_parse_date_month_name_spellings(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1400/12/30", "اسفند ۱۴۰۰ ۲۹ روز دارد"),
        ("۱۴۰۰/۱۲/۳۰", "اسفند ۱۴۰۰ ۲۹ روز دارد"),
        ("1399/13/01", "ماه باید بین ۱ و ۱۲ باشد"),
        ("1399/00/10", "ماه باید بین ۱ و ۱۲ باشد"),
        ("1399/07/31", "مهر ۱۳۹۹ ۳۰ روز دارد"),
        ("1399/06/32", "شهریور ۱۳۹۹ ۳۱ روز دارد"),
        ("1399/06/00", "روز باید بین ۱ و ۳۱ باشد"),
        ("۳۰ اسفند ۱۴۰۰", "اسفند ۱۴۰۰ ۲۹ روز دارد"),
        ("۱۱ مردادد ۱۳۹۹", "نام یک ماه"),
        ("یکشنبه ۱۱ مرداد ۱۳۹۹", "شنبه است، نه یکشنبه"),
        ("2021-02-30", "میلادی"),
        ("abc", "تاریخ نیست"),
        ("", "وارد نشده"),
        ("   ", "وارد نشده"),
        ("۱۳۹۹/۵", "تاریخ نیست"),
        ("99/5/11", "چهاررقمی"),
        ("11/05/1399", "اول سال"),
        ("1399/05/11/2", "تاریخ نیست"),
        ("0000/01/01", "سال"),
        ("فردا", "تاریخ نیست"),
    ],
)
def test_impossible_or_garbage_dates_raise_with_persian_message(text: str, fragment: str) -> None:
    with pytest.raises(JalaliDateError) as caught:
        parse_date(text)
    assert fragment in caught.value.message
    assert str(caught.value) == caught.value.message


def test_message_names_the_date_in_persian_digits() -> None:
    with pytest.raises(JalaliDateError) as caught:
        parse_date("1400/12/30")
    assert caught.value.message == "تاریخ ۱۴۰۰/۱۲/۳۰ وجود ندارد: اسفند ۱۴۰۰ ۲۹ روز دارد."


def test_leap_esfand_30_exists() -> None:
    assert parse_date("1399/12/30") == date(2021, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۳۹۹/۰۵/۱۱ ۱۰:۳۰", MEETING_AT),
        ("1399/05/11 10:30", MEETING_AT),
        ("1399-05-11T10:30", MEETING_AT),
        ("۱۱ مرداد ۱۳۹۹ ساعت ۱۰:۳۰", MEETING_AT),
        ("شنبه ۱۱ مرداد ۱۳۹۹، ساعت ۱۰:۳۰", MEETING_AT),
        ("١٣٩٩/٠٥/١١ ١٠:٣٠", MEETING_AT),
        ("2020-08-01T10:30:00+04:30", MEETING_AT),
        ("2020-08-01T06:00:00Z", MEETING_AT),
        ("2020-08-01 10:30", MEETING_AT),
        ("1399/05/11", datetime(2020, 8, 1, 0, 0, tzinfo=TEHRAN)),
    ],
)
def test_parse_datetime_variants(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is TEHRAN


@pytest.mark.parametrize("text", ["1399/05/11 25:00", "1399/05/11 10:60", "2020-08-01T99:00", "x"])
def test_parse_datetime_rejects_bad_times(text: str) -> None:
    with pytest.raises(JalaliDateError):
        parse_datetime(text)


def _jalali_dates() -> st.SearchStrategy[tuple[int, int, int]]:
    return st.integers(1300, 1500).flatmap(
        lambda y: st.integers(1, 12).flatmap(
            lambda m: st.tuples(st.just(y), st.just(m), st.integers(1, days_in_month(y, m)))
        )
    )


@given(
    ymd=_jalali_dates(),
    digits=st.sampled_from(["latin", "persian", "arabic"]),
    sep=st.sampled_from(["/", "-", " / ", " - "]),
    pad=st.booleans(),
    spaces=st.sampled_from(["", " ", "  ", "\u00a0"]),
)
def test_parse_date_numeric_variants_property(
    ymd: tuple[int, int, int], digits: str, sep: str, pad: bool, spaces: str
) -> None:
    y, m, d = ymd
    text = f"{y}{sep}{m:02d}{sep}{d:02d}" if pad else f"{y}{sep}{m}{sep}{d}"
    if digits == "persian":
        text = to_persian_digits(text)
    elif digits == "arabic":
        text = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert parse_date(f"{spaces}{text}{spaces}") == jalali_to_gregorian(y, m, d)


@given(
    ymd=_jalali_dates(),
    arabic_letters=st.booleans(),
    weekday=st.booleans(),
    latin=st.booleans(),
    style=st.sampled_from(["long", "weekday", "numeric"]),
)
def test_parse_date_textual_variants_property(
    ymd: tuple[int, int, int], arabic_letters: bool, weekday: bool, latin: bool, style: str
) -> None:
    expected = jalali_to_gregorian(*ymd)
    text = format_date(expected, "weekday" if weekday else style)
    if arabic_letters:
        text = text.replace("ی", "ي").replace("ک", "ك")
    if latin:
        text = text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert parse_date(text) == expected


@given(
    ymd=_jalali_dates(),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    style=st.sampled_from(["numeric", "long", "weekday"]),
)
def test_format_then_parse_datetime_round_trips(
    ymd: tuple[int, int, int], hour: int, minute: int, style: str
) -> None:
    day = jalali_to_gregorian(*ymd)
    value = datetime(day.year, day.month, day.day, hour, minute, tzinfo=TEHRAN)
    # Tehran had DST until 2022: a wall time inside the spring-forward gap does not exist,
    # so compare through UTC, which both sides resolve the same way.
    reparsed = parse_datetime(format_datetime(value, style))
    assert reparsed.astimezone(UTC) == value.astimezone(UTC)
    assert parse_datetime(jalali_string(value) or "").astimezone(UTC) == value.astimezone(UTC)


@given(st.text(max_size=30))
def test_parse_never_raises_anything_but_jalali_date_error(text: str) -> None:
    for parse in (parse_date, parse_datetime):
        message = "parsed"
        try:
            parse(text)
        except JalaliDateError as exc:
            message = exc.message
        assert message


# --- Calendar helpers ---------------------------------------------------------------------------


def test_month_bounds_and_fiscal_year() -> None:
    assert month_bounds(1399, 5) == (date(2020, 7, 22), date(2020, 8, 21))
    assert month_bounds(1399, 12) == (date(2021, 2, 19), date(2021, 3, 20))  # leap year
    assert month_bounds(1400, 12) == (date(2022, 2, 20), date(2022, 3, 20))
    assert fiscal_year_bounds(1399) == (date(2020, 3, 20), date(2021, 3, 20))
    with pytest.raises(JalaliDateError):
        month_bounds(1399, 13)


@pytest.mark.parametrize(("month", "quarter"), [(1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (12, 4)])
def test_quarter_of(month: int, quarter: int) -> None:
    assert quarter_of(month) == quarter


def test_quarter_of_rejects_month_13() -> None:
    with pytest.raises(JalaliDateError):
        quarter_of(13)


# --- Django forms -------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    day = JalaliDateField()
    starts_at = JalaliDateTimeField(required=False)


def test_form_accepts_jalali_and_iso() -> None:
    form = MeetingForm(data={"day": "۱۳۹۹/۰۵/۱۱", "starts_at": "۱۳۹۹/۰۵/۱۱ ۱۰:۳۰"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": MEETING_DAY, "starts_at": MEETING_AT}
    form = MeetingForm(data={"day": "2020-08-01", "starts_at": "2020-08-01T10:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": MEETING_DAY, "starts_at": MEETING_AT}


def test_form_reports_impossible_date_in_persian_and_redisplays_input() -> None:
    form = MeetingForm(data={"day": "۱۴۰۰/۱۲/۳۰", "starts_at": "فردا"})
    assert not form.is_valid()
    assert form.errors["day"] == ["تاریخ ۱۴۰۰/۱۲/۳۰ وجود ندارد: اسفند ۱۴۰۰ ۲۹ روز دارد."]
    assert "تاریخ نیست" in form.errors["starts_at"][0]
    html = str(form["day"])
    assert 'value="۱۴۰۰/۱۲/۳۰"' in html
    assert 'value="فردا"' in str(form["starts_at"])


def test_unbound_form_renders_initial_in_jalali_with_picker_attributes() -> None:
    form = MeetingForm(initial={"day": MEETING_DAY, "starts_at": MEETING_AT.astimezone(UTC)})
    day_html = str(form["day"])
    assert 'value="۱۳۹۹/۰۵/۱۱"' in day_html
    assert "data-jdp" in day_html
    assert "data-jdp-only-date" in day_html
    assert 'autocomplete="off"' in day_html
    starts_html = str(form["starts_at"])
    assert 'value="۱۳۹۹/۰۵/۱۱ ۱۰:۳۰"' in starts_html
    assert "data-jdp-only-date" not in starts_html
    # What the widget shows must parse back to the same value.
    assert parse_datetime("۱۳۹۹/۰۵/۱۱ ۱۰:۳۰") == MEETING_AT


def test_widgets_declare_picker_media() -> None:
    for widget in (JalaliDateWidget(), JalaliDateTimeWidget()):
        media = str(widget.media)
        assert "vendor/jalalidatepicker/jalalidatepicker.min.js" in media
        assert "vendor/jalalidatepicker/jalalidatepicker.min.css" in media
        assert media.index("jalalidatepicker.min.js") < media.index("js/jalali-inputs.js")


def test_datetime_field_ignores_seconds_when_deciding_if_changed() -> None:
    field = JalaliDateTimeField()
    stored = MEETING_AT.replace(second=42)
    assert not field.has_changed(stored, "۱۳۹۹/۰۵/۱۱ ۱۰:۳۰")
    assert field.has_changed(stored, "۱۳۹۹/۰۵/۱۱ ۱۱:۳۰")


# --- DRF --------------------------------------------------------------------------------------


class DueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    due_date = JalaliDateSerializerField()
    starts_at = JalaliDateTimeSerializerField(required=False)
    due_date_jalali = JalaliTwinField(source="due_date")
    starts_at_jalali = JalaliTwinField(source="starts_at")


@pytest.mark.parametrize("due", ["1399/05/11", "۱۳۹۹/۰۵/۱۱", "2020-08-01", "۱۱ مرداد ۱۳۹۹"])
def test_drf_field_accepts_jalali_and_iso(due: str) -> None:
    serializer = DueSerializer(data={"due_date": due, "starts_at": "1399/05/11 10:30"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"due_date": MEETING_DAY, "starts_at": MEETING_AT}


def test_drf_field_accepts_iso_datetime() -> None:
    serializer = DueSerializer(data={"due_date": "2020-08-01", "starts_at": "2020-08-01T06:00Z"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["starts_at"] == MEETING_AT


def test_drf_field_invalid_gives_persian_message() -> None:
    serializer = DueSerializer(data={"due_date": "1400/12/30", "starts_at": 12})
    assert not serializer.is_valid()
    assert serializer.errors["due_date"] == ["تاریخ ۱۴۰۰/۱۲/۳۰ وجود ندارد: اسفند ۱۴۰۰ ۲۹ روز دارد."]
    assert serializer.errors["due_date"][0].code == "invalid"
    assert "معتبر نیست" in serializer.errors["starts_at"][0]


def test_drf_output_is_iso_with_jalali_twin() -> None:
    data = DueSerializer({"due_date": MEETING_DAY, "starts_at": MEETING_AT.astimezone(UTC)}).data
    assert data["due_date"] == "2020-08-01"
    assert data["starts_at"] == "2020-08-01T10:30:00+04:30"
    assert data["due_date_jalali"] == "1399/05/11"
    assert data["starts_at_jalali"] == "1399/05/11 10:30"


def test_drf_twin_of_none_is_none() -> None:
    data = DueSerializer({"due_date": None, "starts_at": None}).data
    assert data["due_date"] is None
    assert data["due_date_jalali"] is None


def test_spectacular_describes_the_fields() -> None:
    from drf_spectacular.openapi import AutoSchema

    schema = AutoSchema()
    schema.registry = None  # type: ignore[assignment]
    fields = DueSerializer().fields
    assert schema._map_serializer_field(fields["due_date"], "response") == {
        "type": "string",
        "format": "date",
    }
    assert schema._map_serializer_field(fields["starts_at"], "response")["format"] == "date-time"
    # What the API reads may be Jalali: a string with a Jalali example, no ``format``.
    read = schema._map_serializer_field(fields["starts_at"], "request")
    assert "format" not in read
    assert read["example"] == "1403/01/01 10:30"
    assert "format" not in schema._map_serializer_field(fields["due_date"], "request")
    twin = schema._map_serializer_field(fields["due_date_jalali"], "response")
    assert twin["type"] == "string"
    assert twin["nullable"] is True
    assert twin["readOnly"] is True


# --- Admin --------------------------------------------------------------------------------------


class JalaliUserAdmin(JalaliAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("username", jalali_display("date_joined", "تاریخ عضویت"))


def test_admin_mixin_uses_jalali_fields_for_date_and_datetime() -> None:
    model_admin = JalaliUserAdmin(User, admin.site)
    request = RequestFactory().get("/admin/")
    joined = model_admin.formfield_for_dbfield(User._meta.get_field("date_joined"), request)
    assert isinstance(joined, JalaliDateTimeField)
    assert isinstance(joined.widget, JalaliDateTimeWidget)
    plain_date = model_admin.formfield_for_dbfield(models.DateField(name="due"), request)
    assert isinstance(plain_date, JalaliDateField)
    assert isinstance(plain_date.widget, JalaliDateWidget)


def test_jalali_display_column() -> None:
    column: Any = jalali_display("date_joined", "تاریخ عضویت")
    assert column.short_description == "تاریخ عضویت"
    assert column.admin_order_field == "date_joined"
    user = User(username="x", date_joined=MEETING_AT.astimezone(UTC))
    assert column(user) == "۱۳۹۹/۰۵/۱۱ ساعت ۱۰:۳۰"
    assert jalali_display("last_login", "آخرین ورود")(User(username="y")) is None


# --- Template filters (builtins: no {% load %}) -----------------------------------------------


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ d|jdate }}", {"d": MEETING_DAY}, "۱۳۹۹/۰۵/۱۱"),
        ('{{ d|jdate:"weekday" }}', {"d": MEETING_DAY}, "شنبه ۱۱ مرداد ۱۳۹۹"),
        ('{{ d|jdate:"long" }}', {"d": MEETING_DAY}, "۱۱ مرداد ۱۳۹۹"),
        ("{{ t|jdate }}", {"t": MEETING_AT.astimezone(UTC)}, "۱۳۹۹/۰۵/۱۱"),
        ("{{ t|jdatetime }}", {"t": MEETING_AT.astimezone(UTC)}, "۱۳۹۹/۰۵/۱۱ ساعت ۱۰:۳۰"),
        ('{{ t|jdatetime:"weekday" }}', {"t": MEETING_AT}, "شنبه ۱۱ مرداد ۱۳۹۹ ساعت ۱۰:۳۰"),
        ("{{ t|jtime }}", {"t": MEETING_AT.astimezone(UTC)}, "۱۰:۳۰"),
        ("{{ n|fa_digits }}", {"n": 1399}, "۱۳۹۹"),
        ("{{ n|fa_digits }}", {"n": "ref 12/3"}, "ref ۱۲/۳"),
        ("{{ n|fa_digits }}", {"n": "<b>1</b>"}, "&lt;b&gt;۱&lt;/b&gt;"),
        ("{{ n|fa_digits }}", {"n": None}, ""),
        ("{{ d|jdate }}", {"d": None}, ""),
        ("{{ d|jdate }}", {"d": "not a date"}, ""),
        ("{{ d|jdatetime }}", {}, ""),
        ("{{ d|jtime }}", {"d": ""}, ""),
    ],
)
def test_template_filters(source: str, context: dict[str, Any], expected: str) -> None:
    assert Template(source).render(Context(context)) == expected


def test_every_formatted_digit_is_persian() -> None:
    text = format_datetime(MEETING_AT, "weekday")
    assert {ch for ch in text if ch.isdigit()} <= PERSIAN_DIGIT_CHARS


@pytest.mark.parametrize(
    "text",
    ["9999-12-31", "9999/12/31", "2400-01-01", "1100/01/01", "1799-12-31", "9999-12-31T10:00"],
)
def test_dates_outside_the_supported_range_are_refused_in_persian(text):
    parse = jalali.parse_datetime if "T" in text else jalali.parse_date
    with pytest.raises(jalali.JalaliDateError) as excinfo:
        parse(text)
    assert "خارج از بازه" in excinfo.value.message


def test_the_edges_of_the_supported_range_are_accepted():
    assert jalali.parse_date("1800-01-01") == jalali.MIN_DATE
    assert jalali.parse_date("2299-12-31") == jalali.MAX_DATE
    assert jalali.jalali_string(jalali.MAX_DATE)


def test_a_percent_sign_in_bad_input_is_a_plain_form_error():
    field = jalali.JalaliDateField()
    with pytest.raises(forms.ValidationError) as excinfo:
        field.clean("%Kc")
    assert "%Kc" in excinfo.value.messages[0]
