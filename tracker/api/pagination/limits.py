"""The pagination's limits and their Persian messages.

Read as ``limits.NAME`` at call time by the paginator and the DRF pagination (and the pages'
pager, tracker/paging.py), so a test that lowers one sets it here, once, for all of them.
"""

from __future__ import annotations

# From this offset on a page's ids are chosen by the narrow subquery. Earlier pages keep the
# plain LIMIT/OFFSET (nothing to gain: the planner stops after a few rows anyway).
DEFERRED_JOIN_FROM = 500
#: Rows counted at most; past this ``count`` is this number and ``count_exact`` is false.
COUNT_LIMIT = 10_000
#: The same under ``q`` (tracker/search.py): each counted match is one more row read and
#: rechecked through the trigram index, so a frequent word would cost ten times the page.
SEARCH_COUNT_LIMIT = 1_000
#: Past this offset a page is empty without asking the database (OFFSET is a bigint).
MAX_OFFSET = 2**53
#: Page numbers reach this many rows from either end of a list; further on, ``next``.
MAX_PAGE_OFFSET = 10_000
INVALID_PAGE = "صفحه نامعتبر است."
PAST_PAGE_LIMIT = (
    "صفحه نامعتبر است: شماره صفحه فقط تا ردیف {limit} از ابتدا یا از انتهای فهرست پذیرفته "
    "می‌شود. برای صفحه‌های بعد پیوند next (cursor) را دنبال کنید یا فیلترها را محدودتر کنید."
)


def past_page_limit_message() -> str:
    from tracker.persian import to_persian_digits

    return PAST_PAGE_LIMIT.format(limit=to_persian_digits(MAX_PAGE_OFFSET))
