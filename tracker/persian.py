"""Persian text in pure Python: digit conversion, the normalisation tables, and the
standard spelling names are stored in.

Two functions with two purposes: :func:`normalize` folds every spelling to one *key* for
search and uniqueness (it may lose information: ZWNJ becomes a space, digits Latin);
:func:`standardize` rewrites what a person typed into the standard Persian spelling that is
*stored and shown* (ZWNJ kept). ``normalize(standardize(s)) == normalize(s)`` always holds, so
standardising stored names never changes their keys (tested).

Libraries checked: hazm's ``Normalizer`` and parsivar's also fix spacing of affixes
(«می روم» → «می‌روم») and punctuation, which is right for running text but rewrites proper
names (and hazm pulls in nltk and a compiled tagger); the folding needed here is a
translate table of a dozen code points, so it is written out.

No Django here, so the Jalali core (``tracker.jalali``) can read and write Persian digits
and month names without loading the ORM; :mod:`tracker.text` builds the database side of the
same normalisation on these tables and re-exports the functions.
"""

from __future__ import annotations

import hashlib

__all__ = [
    "ARABIC_INDIC_DIGITS",
    "DELETED_CHARS",
    "DIGIT_MAP",
    "LATIN_DIGITS",
    "LETTER_MAP",
    "PERSIAN_DIGITS",
    "SPACE_CHARS",
    "fold",
    "normalize",
    "standardize",
    "to_latin_digits",
    "to_persian_digits",
]

LATIN_DIGITS = "0123456789"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, LATIN_DIGITS * 2)

# --- The normalisation tables -------------------------------------------------------------
# One source of truth for Python and SQL: each character is either mapped to another string,
# deleted, or turned into a space (and runs of spaces are then collapsed).

#: Letter variants folded to the Persian letter. ئ is deliberately *not* folded: it is a
#: letter of its own in standard spelling (مسئول), and folding it would merge distinct words.
LETTER_MAP: dict[str, str] = {
    "\u064a": "\u06cc",  # ARABIC LETTER YEH → FARSI YEH
    "\u0649": "\u06cc",  # ARABIC LETTER ALEF MAKSURA → FARSI YEH
    "\u0643": "\u06a9",  # ARABIC LETTER KAF → KEHEH
    "\u0629": "\u0647",  # TEH MARBUTA → HEH (ة in Arabic loanwords is typed as ه in Persian)
    "\u06c0": "\u0647",  # HEH WITH YEH ABOVE → HEH (the ezafe mark is not part of the word)
}
DIGIT_MAP: dict[str, str] = dict(
    zip(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, LATIN_DIGITS * 2, strict=True)
)

#: Characters removed outright: tatweel (a stretching glyph, never meaningful), Arabic
#: diacritics (harakat, tanwin, shadda, sukun, hamza above/below, superscript alef) and the
#: invisible bidi marks that editors sprinkle around mixed-direction text.
DELETED_CHARS: str = (
    "\u0640"  # TATWEEL
    + "".join(chr(c) for c in range(0x064B, 0x0660))  # harakat and friends
    + "\u0670"  # SUPERSCRIPT ALEF
    + "\u200e\u200f"  # LRM, RLM
    + "".join(chr(c) for c in range(0x202A, 0x202F))  # LRE, RLE, PDF, LRO, RLO
    + "".join(chr(c) for c in range(0x2066, 0x206A))  # LRI, RLI, FSI, PDI
)

#: Characters that separate words: zero-width ones (ZWNJ between the parts of «شهرک‌ها» must
#: compare equal to the space a user types instead), no-break spaces and ASCII whitespace.
SPACE_CHARS: str = (
    "\u200b\u200c\u200d\u2060\ufeff"  # ZWSP, ZWNJ, ZWJ, WORD JOINER, BOM/ZWNBSP
    + "\u00a0\u202f\u2007"  # NBSP, NARROW NBSP, FIGURE SPACE
    + "\t\n\r\v\f"
)

_NORMALIZE_TABLE = str.maketrans(
    {
        **LETTER_MAP,
        **DIGIT_MAP,
        **dict.fromkeys(DELETED_CHARS, None),
        **dict.fromkeys(SPACE_CHARS, " "),
    }
)


def to_persian_digits(s: str | int) -> str:
    """Return ``s`` with Latin and Arabic-Indic digits replaced by Persian digits (۰-۹)."""
    return str(s).translate(_TO_PERSIAN)


def to_latin_digits(s: str) -> str:
    """Return ``s`` with Persian and Arabic-Indic digits replaced by Latin digits (0-9)."""
    return str(s).translate(_TO_LATIN)


def normalize(s: str) -> str:
    """Fold spelling variants of Persian text to one canonical form for search and uniqueness.

    Arabic ي ى → ی, ك → ک, ة ۀ → ه; Persian and Arabic-Indic digits → Latin; tatweel,
    diacritics and bidi marks removed; zero-width characters, no-break spaces and runs of
    whitespace → one space; Latin letters lower-cased; leading/trailing space stripped.
    """
    # str.split() without arguments splits on every Unicode space and drops empty pieces,
    # which both collapses runs and strips the ends.
    return " ".join(fold(s).split())


def fold(s: str) -> str:
    """:func:`normalize` without the whitespace collapsing (what search terms need)."""
    return s.translate(_NORMALIZE_TABLE).lower()


def text_key(s: str) -> str:
    """A fingerprint of a long text (a pasted report): the SHA-256 (hex) of :func:`fold`
    with every space, half-space and line break taken out, so two pastes of one report
    typed with Arabic or Persian letters, digits of any script or other spacing share it.
    Stored and indexed (``Meeting.source_key``) instead of normalising every stored text."""
    return hashlib.sha256("".join(fold(s).split()).encode()).hexdigest()


# --- Standard spelling for stored names --------------------------------------------------

#: Arabic-Indic digits (٤٥٦ differ in shape from Persian ۴۵۶) become Persian; Latin digits
#: are kept as typed (a reference like «بلوک 3» may be meant Latin).
_STANDARD_TABLE = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC YEH → FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA → FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF → KEHEH
        **dict(zip(ARABIC_INDIC_DIGITS, PERSIAN_DIGITS, strict=True)),
        # Tatweel and bidi marks are never part of a name; normalize() deletes them too.
        **dict.fromkeys(
            "\u0640\u200e\u200f"
            + "".join(chr(c) for c in range(0x202A, 0x202F))
            + "".join(chr(c) for c in range(0x2066, 0x206A)),
            None,
        ),
        # Other zero-width characters pasted from Word or the web stand for a ZWNJ; mapping
        # them to ZWNJ (not deleting them) keeps normalize()'s key unchanged.
        **dict.fromkeys("\u200b\u2060\ufeff", "\u200c"),
        # No-break and other spaces are plain spaces.
        **dict.fromkeys("\u00a0\u202f\u2007\t\n\r\v\f", " "),
    }
)

ZWNJ = "\u200c"


def standardize(s: str | None) -> str:
    """Return ``s`` in the standard Persian spelling stored for names, titles and places.

    ي ى → ی, ك → ک; Arabic-Indic digits → Persian; tatweel and bidi marks removed; runs of
    spaces collapsed and the ends trimmed; the half-space (ZWNJ, U+200C) is *kept*, but
    repeated ZWNJs become one and a ZWNJ next to a space or at a word's edge is dropped
    (it joins nothing there). Diacritics, ة and ۀ are kept: they are spelling, not noise.
    """
    if not s:
        return ""
    words = []
    for word in s.translate(_STANDARD_TABLE).split():
        # Collapse ZWNJ runs and drop one at the edges of a word.
        parts = [part for part in word.split(ZWNJ) if part]
        if parts:
            words.append(ZWNJ.join(parts))
    return " ".join(words)
