"""The API's JSON parser: DRF's, with a nesting limit checked before decoding.

Python's ``json`` module decodes arrays and objects recursively, so a 2 kB body of ``[[[[…``
1,000 deep raises ``RecursionError`` inside DRF's ``JSONParser``, which catches only
``ValueError``: every JSON endpoint answered 500. No request of this API nests deeper than a
few levels (a meeting with its attendance rows), so a body deeper than
:data:`MAX_JSON_DEPTH` is refused with a Persian 400 before ``json`` sees it. The depth is
counted without recursion, over the brackets that lie outside string literals.

Checked: DRF has no depth option, and orjson/ujson/simdjson (kept decoders with their own
limits) would be a compiled dependency for one check that fits in a loop; their limits also
differ (orjson stops at 1,024, ujson has none), so the 400 would still need this guard.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

#: Deeper than any request the API reads (3 levels today) with a wide margin, and far below
#: the interpreter's recursion limit (1,000), whatever the call stack above the parser.
MAX_JSON_DEPTH = 64

#: A JSON string literal: its brackets are text, not nesting.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``text`` opens more than ``limit`` arrays/objects inside each other."""
    if text.count("[") + text.count("{") <= limit:
        # Fewer openings than the limit cannot nest deeper than it: the common case.
        return False
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class NumberTooLargeError(ValueError):
    """A JSON number that is finite as text but not as a float (``1e400``)."""


def finite_float(text: str) -> float:
    """``json``'s float hook: ``1e400`` would become ``inf``, and an id field given ``inf``
    raised ``OverflowError`` (a 500) when DRF converted it to an integer."""
    value = float(text)
    if not math.isfinite(value):
        raise NumberTooLargeError(text)
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser that refuses a body nested deeper than :data:`MAX_JSON_DEPTH`."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if json_depth_exceeds(text):
            raise ParseError(
                f"بدنه درخواست بیش از {MAX_JSON_DEPTH} لایه تودرتو است؛ ساختار ساده‌تری بفرستید.",
                code="json_too_deep",
            )
        try:
            parse_constant = strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant, parse_float=finite_float)
        except NumberTooLargeError as exc:
            raise ParseError(
                f"عدد «{exc}» در بدنهٔ درخواست بیش از اندازه بزرگ است.", code="number_too_large"
            ) from exc
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
