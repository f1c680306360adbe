"""Reading a Persian meeting report (news item, public-relations item, minutes) into data.

Pure Python: no Django, no network, no model download. The readers live one per module
(dates, places, organisations, people and groups, statements, decisions, publication) over
a folded copy of the text (:mod:`.fold`) whose offsets lead back to the original.

Libraries checked, and why they were not used:

- hazm and parsivar (Persian NLP): their normaliser and tokeniser work without downloads, but
  the parts that would help here (POS tagging, chunking, NER) need model files fetched at
  run time, which the brief rules out; hazm also pins old numpy/nltk versions. The folding
  this reader needs is already in :mod:`tracker.text`.
- dateparser: knows Persian month names, but not Jalali years (it reads «۱۱ مرداد ۱۳۹۹» as
  Gregorian), nor «پنجشنبه گذشته» against a report date; jdatetime does the calendar.
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
