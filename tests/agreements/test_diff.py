"""The Persian word-level diff."""

from __future__ import annotations

from agreements.diff import diff_texts, tokenize

ZWNJ = "\u200c"


def _rebuild(segments: list, keep: str) -> str:
    return "".join(s["text"] for s in segments if s["op"] in ("equal", keep))


def test_zwnj_stays_inside_a_word():
    assert tokenize(f"شهرک{ZWNJ}های صنعتی") == [f"شهرک{ZWNJ}های", " ", "صنعتی"]


def test_persian_punctuation_marks_are_tokens_of_their_own():
    assert tokenize("خدمات، همکاری؛ چرا؟ «برند»") == [
        "خدمات", "،", " ", "همکاری", "؛", " ", "چرا", "؟", " ", "«", "برند", "»"
    ]  # fmt: skip


def test_segments_rebuild_both_texts_exactly():
    old = f"شهرداری خدمات را به شهرک{ZWNJ}ها ارائه می{ZWNJ}دهد، در چارچوب قانون."
    new = f"شهرداری خدمات شهری را به شهرک{ZWNJ}های صنعتی ارائه می{ZWNJ}دهد؛ در چارچوب قانون."
    result = diff_texts(old, new)
    assert _rebuild(result["segments"], "delete") == old
    assert _rebuild(result["segments"], "insert") == new


def test_a_changed_word_is_one_replacement_and_neighbours_stay_equal():
    result = diff_texts(f"ارائه خدمات به شهرک{ZWNJ}ها", f"ارائه خدمات به شهرک{ZWNJ}های صنعتی")
    ops = [(s["op"], s["text"]) for s in result["segments"]]
    assert ops == [
        ("equal", "ارائه خدمات به "),
        ("delete", f"شهرک{ZWNJ}ها"),
        ("insert", f"شهرک{ZWNJ}های صنعتی"),
    ]
    assert result["deleted_words"] == 1
    assert result["inserted_words"] == 2


def test_zwnj_versus_space_is_a_real_change_of_one_word():
    result = diff_texts("می شود", f"می{ZWNJ}شود")
    assert [s["op"] for s in result["segments"]] == ["delete", "insert"]
    assert result["inserted_words"] == 1


def test_a_comma_added_after_a_word_only_inserts_the_comma():
    result = diff_texts("همکاری دوجانبه", "همکاری، دوجانبه")
    assert {"op": "insert", "text": "،"} in result["segments"]
    assert all(s["op"] != "delete" for s in result["segments"])


def test_identical_texts_have_one_equal_segment():
    result = diff_texts("متن", "متن")
    assert result == {
        "segments": [{"op": "equal", "text": "متن"}],
        "inserted_words": 0,
        "deleted_words": 0,
    }
