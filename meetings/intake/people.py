"""People with their titles and honorifics, and unnamed groups («هیئت همراه», «اعضای …»).

A person is found from the title that follows the name («مسعود مختاری شهردار قدس»): up to
three words before a title word, stopping at punctuation and at words that start a clause;
or from an honorific followed by two words («دکتر علی رضایی»). «سید»/«سیده» stay in the
name (they are part of it); «دکتر», «مهندس», «آقای», «خانم», «حاج» are honorifics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .fold import BREAK_WORDS, WORD, Folded, fold, key, tidy
from .organisations import Directory, Mention, find_mentions, make_reading
from .types import GOVERNMENT, MUNICIPALITY, GroupReading, OrganisationReading, PersonReading

People = Sequence[tuple[int, str]]

HONORIFICS = ("دکتر", "مهندس", "آقای", "خانم", "حاج", "استاد")
TITLE_WORDS = (
    "شهردار", "مدیرعامل", "مدیر", "معاون", "رئیس", "رییس", "دبیر", "عضو", "نماینده",
    "فرماندار", "استاندار", "بخشدار", "سرپرست", "کارشناس", "مسئول", "مشاور", "دهیار",
)  # fmt: skip
#: Title words whose own place names the organisation: «شهردار قدس» → «شهرداری قدس».
_OFFICE_OF = {"شهردار": ("شهرداری", MUNICIPALITY), "فرماندار": ("فرمانداری", GOVERNMENT)}
#: Words that are never part of a name before a title.
_NOT_NAMES = BREAK_WORDS | set(TITLE_WORDS) | {
    "حضور", "جلسه", "نشست", "همراه", "هیئت", "اعضای", "سپس", "همچنین", "ابتدا", "شد", "وی",
    "او", "کرد", "است", "یک", "مقام", "منبع", "بود", "گردید", "شهرستان", "استان", "شهر",
    "صنعتی", "محترم",
}  # fmt: skip
_GROUP_STARTS = ("هیئت", "اعضای", "سایر", "جمعی", "نمایندگان", "مدیران", "کارشناسان")
_STOP_CHARS = set(".،,:؛!؟\n()«»")


@dataclass(frozen=True)
class PersonMention:
    reading: PersonReading
    start: int
    end: int


def _title_word(token: str) -> tuple[str, str] | None:
    """(title word, glued remainder) when ``token`` is a title word, as in «شهردارقدس»."""
    for word in TITLE_WORDS:
        if token == word:
            return word, ""
        if word in _OFFICE_OF and token.startswith(word) and not token.startswith(word + "ی"):
            return word, token[len(word) :]
    return None


def _gap_is_space(text: str, a: int, b: int) -> bool:
    return not (set(text[a:b]) & _STOP_CHARS)


def _title_end(text: str, tokens: list[re.Match[str]], i: int) -> int:
    """Index of the token after the title that starts at ``tokens[i]``."""
    word, glued = _title_word(tokens[i].group()) or ("", "")
    j = i + 1
    if word in _OFFICE_OF:  # «شهردار قدس»: one place word, perhaps after «شهر»
        if glued:
            return j
        if j < len(tokens) and tokens[j].group() == "شهر":
            j += 1
        return min(j + 1, len(tokens))
    while (
        j < len(tokens)
        and j - i < 14
        and _gap_is_space(text, tokens[j - 1].end(), tokens[j].start())
    ):
        tok = tokens[j].group()
        if tok in BREAK_WORDS - {"و"} or tok.startswith(("گفت", "افزود")):
            break
        if tok == "و" and j + 1 < len(tokens) and tokens[j + 1].group().startswith(_GROUP_STARTS):
            break
        # «… و رضا کریمی مدیر …»: the «و» joins the next person, not the title.
        if tok == "و" and any(_title_word(t.group()) for t in tokens[j + 2 : j + 5]):
            break
        prev = tokens[j - 1].group()
        next_is_place = j + 1 < len(tokens) and tokens[j + 1].group() != "ها"
        if tok in {"استان", "شهرستان", "شهرداری"} or (
            (tok == "شهر" or (tok == "صنعتی" and prev == "شهرک")) and next_is_place
        ):
            return min(j + 2, len(tokens))
        j += 1
    return j


def _title_organisation(
    word: str, glued: str, title: str, directory: Directory, span: tuple[int, int]
) -> OrganisationReading | None:
    if word in _OFFICE_OF:
        place = glued or title.split()[-1]
        head, kind = _OFFICE_OF[word]
        return make_reading(f"{head} {place}", kind, directory, span, 0.85)
    inner = find_mentions(fold(title), directory)
    if not inner:
        return None
    return replace(inner[0].reading, span=span)


def _match_person(name: str, people: People) -> int | None:
    k = key(name)
    return next((pid for pid, n in people if key(n) == k), None)


def _split_honorific(words: list[str]) -> tuple[str, list[str]]:
    honorific = []
    while words and words[0] in HONORIFICS:
        honorific.append(words.pop(0))
    return " ".join(honorific), words


def find_people(folded: Folded, directory: Directory, people: People) -> list[PersonMention]:
    text = folded.text
    tokens = list(WORD.finditer(text))
    found: list[PersonMention] = []
    for i, tok in enumerate(tokens):
        hit = _title_word(tok.group())
        if hit is None:
            continue
        j = i
        while j > 0 and i - j < 4 and _gap_is_space(text, tokens[j - 1].end(), tokens[j].start()):
            prev = tokens[j - 1].group()
            if prev in _NOT_NAMES and prev not in HONORIFICS:
                break
            j -= 1
        honorific, name_words = _split_honorific([t.group() for t in tokens[j:i]])
        if len(name_words) < 2 and not (honorific and name_words):
            continue
        name_words = name_words[-3:] if name_words[0] in {"سید", "سیده"} else name_words[-2:]
        end_index = _title_end(text, tokens, i)
        t_start, t_end = tok.start(), tokens[end_index - 1].end()
        word, glued = hit
        title = tidy(text[t_start:t_end] if not glued else f"{word} {glued}")
        title_span = folded.span(t_start, t_end)
        org = _title_organisation(word, glued, title, directory, title_span)
        name = " ".join(name_words)
        matched = _match_person(name, people)
        reading = PersonReading(
            tidy(name), honorific, title, org, matched, 0.9 if matched else 0.75,
            folded.span(tokens[j].start(), t_end),
        )  # fmt: skip
        found.append(PersonMention(reading, tokens[j].start(), t_end))
    for m in re.finditer(
        r"(?P<h>دکتر|مهندس|آقای|خانم)\s+(?P<n>(?:سید[ه]?\s+)?[^\s.،,:؛]+\s+[^\s.،,:؛]+)", text
    ):
        if any(p.start <= m.start() < p.end for p in found):
            continue
        words = m.group("n").split()
        if words[-1] in _NOT_NAMES or words[0] in _NOT_NAMES:
            continue
        name = " ".join(words)
        reading = PersonReading(
            tidy(name), m.group("h"), "", None, _match_person(name, people), 0.6,
            folded.span(m.start(), m.end()),
        )  # fmt: skip
        found.append(PersonMention(reading, m.start(), m.end()))
    return sorted(found, key=lambda p: p.start)


def unique_people(mentions: Sequence[PersonMention]) -> list[PersonReading]:
    """One reading per person, the first mention kept, a later title filling an empty one."""
    result: dict[str, PersonReading] = {}
    for m in mentions:
        k = key(m.reading.name)
        if k not in result:
            result[k] = m.reading
        elif not result[k].title and m.reading.title:
            result[k] = replace(
                result[k], title=m.reading.title, organisation=m.reading.organisation
            )
    return list(result.values())


GROUP = re.compile(
    r"(?P<label>هیئت\s+همراه"
    r"|(?:اعضای|نمایندگان|کارشناسان|مدیران|جمعی\s+از\s+(?:مدیران|کارشناسان|اعضای)?)\s*"
    r"(?:محترم\s+)?(?:هیئت\s+مدیره\s+)?)"
)


def find_groups(
    folded: Folded, orgs: Sequence[Mention], people: Sequence[PersonMention]
) -> list[GroupReading]:
    """Unnamed groups: «هیئت همراه» belongs to the person named just before it; a label
    such as «اعضای هیئت مدیره …» or «اعضای شورای اسلامی شهر …» to the organisation it names."""
    groups: list[GroupReading] = []
    seen: set[tuple[str, object]] = set()
    for m in GROUP.finditer(folded.text):
        label = m.group("label").strip()
        if label.startswith("هیئت"):
            # The delegation of the person named just before, else of the organisation
            # named just before («… شهرک‌های صنعتی استان تهران و هیئت همراه»).
            before = [p for p in people if 0 <= m.start() - p.end <= 150]
            org_before = [o for o in orgs if 0 <= m.start() - o.end <= 10]
            org = before[-1].reading.organisation if before else None
            if org is None and org_before:
                org = org_before[-1].reading
            start, end, confidence = m.start(), m.end("label"), 0.7 if org else 0.5
        else:
            org_mention = next((o for o in orgs if 0 <= o.start - m.end() <= 2), None)
            if org_mention is None:
                continue
            org = org_mention.reading
            start, end, confidence = m.start(), org_mention.end, 0.8
        ident = (key(folded.text[start:end]), org.matched_id if org else None)
        if ident in seen:
            continue
        seen.add(ident)
        groups.append(
            GroupReading(tidy(folded.text[start:end]), org, confidence, folded.span(start, end))
        )
    return groups
