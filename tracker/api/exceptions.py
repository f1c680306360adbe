"""One exception handler: rule and validation errors become 4xx with Persian field errors."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.exceptions import ApplicationError
from tracker.text import to_persian_digits

_PERSIAN_DEFAULTS = {
    "not_authenticated": "برای این کار باید وارد شوید.",
    "authentication_failed": "ورود ناموفق بود.",
    "permission_denied": "اجازه این کار را ندارید.",
    "not_found": "پیدا نشد.",
    "method_not_allowed": "این روش درخواست پشتیبانی نمی‌شود.",
    "unsupported_media_type": "نوع محتوای درخواست پشتیبانی نمی‌شود.",
    "parse_error": "بدنه درخواست خوانا نیست (JSON نامعتبر).",
    "throttled": "تعداد درخواست‌ها از حد مجاز گذشته است؛ کمی بعد دوباره تلاش کنید.",
    "not_acceptable": "قالب پاسخ درخواستی پشتیبانی نمی‌شود.",
}


#: A run of Latin letters, digits and underscores: a number when it has no letter in it.
_LATIN_RUN = re.compile(r"[0-9A-Za-z_\u0660-\u0669]+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _persian_number(match: re.Match[str]) -> str:
    run = match.group()
    return run if _LATIN_LETTER.search(run) else to_persian_digits(run)


#: A quotation in «…»: what the client sent, echoed back as it was sent.
_QUOTED = re.compile(r"«[^«»]*»")


def persian_digits(text: str) -> str:
    """``text`` with its own numbers in Persian digits («حداکثر 100 نویسه» → «حداکثر ۱۰۰
    نویسه»).

    Digits inside a Latin word stay as they are: «IPv4», «U+D83D» are names, not numbers.
    What a message quotes in «…» is the client's input and stays exactly as it was sent: an
    error about «1e5» must not show «۱e۵», which the client never typed (every message that
    echoes input quotes it so).
    """
    out: list[str] = []
    last = 0
    for quoted in _QUOTED.finditer(text):
        out.append(_LATIN_RUN.sub(_persian_number, text[last : quoted.start()]))
        out.append(quoted.group())
        last = quoted.end()
    out.append(_LATIN_RUN.sub(_persian_number, text[last:]))
    return "".join(out)


def _with_persian_digits(detail: Any) -> Any:
    """``detail`` (an error, a list or a dict of them, nested) with Persian digits in every
    message; keys and error codes are untouched."""
    if isinstance(detail, dict):
        return {key: _with_persian_digits(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_with_persian_digits(value) for value in detail]
    if isinstance(detail, str):
        return exceptions.ErrorDetail(persian_digits(detail), code=getattr(detail, "code", None))
    return detail


#: DRF's English for a body of JSON ``null`` (``Serializer.errors``), in Persian.
NO_DATA = "بدنه درخواست خالی (null) است: یک شیء JSON با نام و مقدار فیلدها بفرستید."


def _no_data_in_persian(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _no_data_in_persian(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_no_data_in_persian(value) for value in detail]
    if isinstance(detail, str) and str(detail) == "No data provided":
        return exceptions.ErrorDetail(NO_DATA, code=getattr(detail, "code", "null"))
    return detail


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail["non_field_errors"] = detail.pop(NON_FIELD_ERRORS)
    return exceptions.ValidationError(detail=detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map service and Django errors to DRF errors, then to JSON with a ``detail``."""
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, ApplicationError):
        # ``extra`` is the service's own data (e.g. the list of guard messages): left as is.
        message = persian_digits(exc.message)
        body: dict[str, Any] = {"detail": message, **exc.extra}
        if exc.field:
            body[exc.field] = [message]
        return Response(body, status=exc.status)
    elif isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound(_PERSIAN_DEFAULTS["not_found"])
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_PERSIAN_DEFAULTS["permission_denied"])
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "حجم درخواست بیش از حد مجاز است."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError("درخواست نامعتبر است.")
    if isinstance(exc, exceptions.ParseError) and getattr(exc.detail, "code", "") not in (
        "json_too_deep",
        "number_too_large",
    ):
        # The parser's own text ("JSON parse error - Expecting value …") is English; the
        # nesting and number limits' messages (tracker.api.parsers) are already Persian and
        # say more.
        exc.detail = exceptions.ErrorDetail(_PERSIAN_DEFAULTS["parse_error"], code="parse_error")
    if isinstance(exc, exceptions.ValidationError):
        exc.detail = _no_data_in_persian(exc.detail)
    if isinstance(exc, exceptions.APIException):
        code = getattr(exc, "default_code", "")
        if code in _PERSIAN_DEFAULTS and str(exc.detail) == str(exc.default_detail):
            exc.detail = exceptions.ErrorDetail(_PERSIAN_DEFAULTS[code], code=code)
        # Only the text: a 429's ``Retry-After`` header is built from ``exc.wait``, a number.
        exc.detail = _with_persian_digits(exc.detail)
    return drf_exception_handler(exc, context)
