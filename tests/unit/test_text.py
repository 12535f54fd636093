"""User text shown on a terminal can never carry a control character."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netmaint_tui.rules.text import json_safe, visible
from netmaint_tui.rules.vocabulary import plural

NASTY = {
    "ESC": "\x1b",
    "BEL": "\x07",
    "NUL": "\x00",
    "CSI (C1)": "\x9b",
    "NEL (C1)": "\x85",
    "DEL": "\x7f",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "CR": "\r",
    "TAB": "\t",
    "VT": "\x0b",
    "FF": "\x0c",
}


def unsafe_chars(text: str, allow_newline: bool) -> list[str]:
    bad = []
    for ch in text:
        code = ord(ch)
        if ch == "\n" and allow_newline:
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            bad.append(ch)
    return bad


@pytest.mark.parametrize("name, ch", list(NASTY.items()))
@pytest.mark.parametrize("single_line", [True, False])
def test_each_control_character_is_replaced_by_something_visible(name, ch, single_line):
    shown = visible(f"Eve{ch}Smith", single_line=single_line)
    assert ch not in shown
    assert shown.startswith("Eve") and shown.endswith("Smith")
    assert len(shown) > len("EveSmith"), "the character must leave a visible trace, not vanish"


def test_the_window_title_escape_is_defused():
    shown = visible("\x1b]0;pwned\x07Dana")
    assert shown == "\u241b]0;pwned\u2407Dana"


def test_c1_and_bidi_get_code_point_placeholders():
    assert visible("a\x9bb") == "a<U+009B>b"
    assert visible("a\u202eb") == "a<U+202E>b"
    assert visible("a\x7fb") == "a\u2421b"
    assert visible("a\x00b") == "a\u2400b"


def test_multi_line_keeps_newlines_and_normalizes_crlf():
    assert visible("one\r\ntwo\nthree") == "one\ntwo\nthree"
    assert visible("a\rb") == "a\u240db"


def test_single_line_has_no_line_break():
    shown = visible("first line\nsecond\r\nthird\ttabbed", single_line=True)
    assert "\n" not in shown and "\r" not in shown and "\t" not in shown
    assert shown == "first line \u23ce second \u23ce third tabbed"


def test_ordinary_text_is_unchanged():
    for text in ("Dana Haddad", "Ölaf Øyvind", "[bold]Eve[/]", "山田 太郎", "emoji 🎉", "a\u00a0b"):
        assert visible(text) == text
        assert visible(text, single_line=True) == text


def test_empty_and_none():
    assert visible(None) == ""
    assert visible("") == ""


@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=40))
def test_nothing_below_space_survives_single_line(text):
    assert unsafe_chars(visible(text, single_line=True), allow_newline=False) == []


@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=40))
def test_only_newline_survives_below_space_in_multi_line(text):
    assert unsafe_chars(visible(text), allow_newline=True) == []


def test_json_safe_escapes_c1_del_and_bidi_but_round_trips():
    value = {"name": "Eve\x9b31m\u202eevil\x7f", "note": "ESC\x1b and BEL\x07", "plain": "Ölaf"}
    serialized = json_safe(json.dumps(value, ensure_ascii=False))
    assert unsafe_chars(serialized, allow_newline=False) == []
    assert "Ölaf" in serialized  # readable text stays readable
    assert json.loads(serialized) == value


@given(st.dictionaries(st.text(max_size=5), st.text(max_size=20), max_size=4))
def test_json_safe_never_changes_the_value(value):
    for indent in (None, 2):
        serialized = json_safe(json.dumps(value, ensure_ascii=False, indent=indent))
        assert json.loads(serialized) == value
        assert unsafe_chars(serialized, allow_newline=indent is not None) == []


def test_a_tab_in_a_note_becomes_spaces():
    assert visible("- item\n\tindented") == "- item\n    indented"


def test_a_count_reads_as_a_sentence_says_it():
    assert [plural(n, "follow-up") for n in (0, 1, 2)] == ["0 follow-ups", "1 follow-up", "2 follow-ups"]
    assert plural(1, "day") == "1 day"
    assert plural(3, "match") == "3 matches"
    assert plural(2, "address") == "2 addresses"
    assert plural(30000, "contact") == "30,000 contacts"  # as the command line writes counts
