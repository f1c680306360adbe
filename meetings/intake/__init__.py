"""Reading a Persian meeting report (news item, public-relations item, minutes) into data.

Pure Python: no Django models, forms or DRF, no network, no model download (the folding
tables come from :mod:`tracker.text`, which itself imports ``django.db`` for its SQL twin).
The readers live one per module (dates, places, organisations, people and groups,
statements, decisions, publication) over a folded copy of the text (:mod:`.fold`) whose
offsets lead back to the original.

Libraries checked, and why they were not used:

- hazm (0.10.0 on the index here): its wheel pins numpy==1.24.3 and pulls gensim, fasttext,
  scikit-learn and nltk, and ships no models: the POS tagger, chunker and dependency parser
  that would find names are separate downloads, which the reader may not do at run time.
  Its normaliser does what :mod:`tracker.text` already does.
- parsivar (0.2.3.1): normaliser, tokeniser and stemmer; its tagger and chunker need data
  files beyond the package (from its description; not installed here). Its offline parts
  add nothing over :mod:`tracker.text`.
- dateparser (from its documentation; not installed): it has a Jalali calendar parser and a
  ``RELATIVE_BASE`` setting, but it answers a datetime without the span of text it came
  from, which every reading here must carry, and a new dependency for what jdatetime and a
  few patterns do was not worth it.
- persiantools (a dependency): digit conversion and Jalali dates, the same as jdatetime and
  tracker.text already give; no text parsing.
- jdatetime (a dependency): used for every Jalali conversion and for month arithmetic.
"""

from .reader import read_report
from .types import (
    DateReading,
    DecisionReading,
    GroupReading,
    OrganisationReading,
    PersonReading,
    PlaceReading,
    PublicationReading,
    ReportReading,
    ReviewItem,
    SignedReading,
    StatementReading,
)

__all__ = [
    "DateReading",
    "DecisionReading",
    "GroupReading",
    "OrganisationReading",
    "PersonReading",
    "PlaceReading",
    "PublicationReading",
    "ReportReading",
    "ReviewItem",
    "SignedReading",
    "StatementReading",
    "read_report",
]
