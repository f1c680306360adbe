"""Where the report was published (paper, issue, page, date) and whether an MoU was signed."""

from __future__ import annotations

import re
from datetime import date

from .fold import Folded, tidy
from .types import PublicationReading, SignedReading

#: Papers and agencies whose name is often glued to «خبرنگار» in pasted text.
PAPERS = (
    "رسالت", "همشهری", "اطلاعات", "کیهان", "شرق", "جام جم", "دنیای اقتصاد", "خراسان",
    "ابتکار", "آفتاب یزد", "جوان", "ایران", "ایرنا", "ایسنا", "فارس", "تسنیم", "مهر", "صمت",
)  # fmt: skip
_PAPER = "|".join(sorted(PAPERS, key=len, reverse=True))
PAPER = re.compile(
    rf"(?:خبرنگار|روزنامه|خبرگزاری|هفته ?نامه)\s*(?P<paper>{_PAPER})(?![^\s.،,:\-])"
    r"|(?:روزنامه|هفته ?نامه)\s+(?P<other>[^\s.،,:\-]+)"
)
ISSUE = re.compile(r"شماره\s*(?:[:.]\s*)?(?P<n>\d{2,6})")
PAGE = re.compile(r"صفحه\s*(?:[:.]\s*)?(?P<n>\d{1,3})|^(?P<alone>\d{1,3})$", re.MULTILINE)
SIGNED = re.compile(r"به\s+امضای\s+طرفین\s+رسید|به\s+امضا\s+رسید|امضا\s+(?:شد|گردید)")
MOU_TITLE = re.compile(
    r"(?P<t>تفاهم ?نامه[^.،\n]{0,80}?)\s*(?=میان|بین|به\s+امضا|امضا|با\s+حضور|$)"
)

#: The lines a newspaper archive prints above the headline (date, section, page number).
HEADER_LINES = 4


def _header_end(text: str) -> int:
    pos = 0
    for _ in range(HEADER_LINES):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return pos


def read_publication(folded: Folded, published_on: date | None) -> PublicationReading | None:
    """The publication; ``published_on`` is the report date already read (or given)."""
    text = folded.text
    paper_m = PAPER.search(text)
    issue_m = ISSUE.search(text, 0, _header_end(text))
    page_m = PAGE.search(text, 0, _header_end(text))
    if not (paper_m or issue_m):
        return None
    paper = tidy(paper_m.group("paper") or paper_m.group("other")) if paper_m else ""
    page = (page_m.group("n") or page_m.group("alone")) if page_m else ""
    spans = [m.span() for m in (paper_m, issue_m, page_m) if m]
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    confidence = 0.9 if paper and issue_m else 0.6
    return PublicationReading(
        paper, issue_m.group("n") if issue_m else "", page,
        published_on,
        confidence, folded.span(start, end),
    )  # fmt: skip


def read_signed(folded: Folded) -> SignedReading | None:
    text = folded.text
    m = SIGNED.search(text)
    if m is None:
        return None
    sentence_start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    title_m = MOU_TITLE.search(text, sentence_start, m.start())
    title = tidy(title_m.group("t")) if title_m else ""
    return SignedReading(True, title, 0.85 if title else 0.7, folded.span(sentence_start, m.end()))
