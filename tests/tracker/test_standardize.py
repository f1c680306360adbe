"""The standard spelling names are stored in (tracker.persian.standardize)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.persian import normalize, standardize
from tracker.text import standardize as reexported

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("مهدي نوري", "مهدی نوری"),
        ("مصطفى", "مصطفی"),
        ("شهرك صنعتي", "شهرک صنعتی"),
        # Arabic-Indic digits become Persian; Persian and Latin digits are kept as typed.
        ("منطقه ٤", "منطقه ۴"),
        ("منطقه ۴", "منطقه ۴"),
        ("بلوک 3", "بلوک 3"),
        ("شهرــداری", "شهرداری"),
        ("  شهرداری \t\n قدس  ", "شهرداری قدس"),
        ("شهرداری\u00a0قدس", "شهرداری قدس"),
        ("قدس\u200f", "قدس"),
        # The half-space is kept (not folded to a space) ...
        (f"شهرک{ZWNJ}های صنعتی", f"شهرک{ZWNJ}های صنعتی"),
        # ... but doubled ones become one and one at a word's edge or beside a space goes.
        (f"شهرک{ZWNJ}{ZWNJ}های", f"شهرک{ZWNJ}های"),
        (f"شهرک {ZWNJ}های", "شهرک های"),
        (f"{ZWNJ}قدس{ZWNJ}", "قدس"),
        # A zero-width space pasted from the web stands for the half-space.
        ("شهرک\u200bها", f"شهرک{ZWNJ}ها"),
        # ئ, ة, ۀ and diacritics are spelling and stay.
        ("مسئول", "مسئول"),
        ("خانۀ صنعت", "خانۀ صنعت"),
        ("", ""),
    ],
)
def test_standardize(typed: str, stored: str) -> None:
    assert standardize(typed) == stored


def test_standardize_accepts_none_and_is_reexported() -> None:
    assert standardize(None) == ""
    assert reexported is standardize


@given(st.text(max_size=40))
def test_standardize_keeps_the_search_key_and_is_idempotent(text: str) -> None:
    once = standardize(text)
    assert standardize(once) == once
    # Stored names are standardised; their uniqueness keys must not move.
    assert normalize(once) == normalize(text)
