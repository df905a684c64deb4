"""The strict JSON reader: nesting, long numbers and duplicate keys refused with a placed message."""

from __future__ import annotations

import pytest

from planner.core.jsontext import MAX_DEPTH, JsonRefused, loads


def refused(text: str, root: str = "") -> list[str]:
    with pytest.raises(JsonRefused) as err:
        loads(text, "f.json", root)
    return err.value.messages


def test_what_is_inside_strings_does_not_count() -> None:
    text = '{"a": "' + "[" * 1000 + "9" * 5000 + '\\"}"}'
    assert loads(text, "f.json") == {"a": "[" * 1000 + "9" * 5000 + '"}'}


def test_depth_is_counted_to_the_limit() -> None:
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH, "f.json") is not None
    assert refused("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == [
        f"f.json: line 1, column {MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep"]


def test_long_numbers_are_placed_by_line_and_column() -> None:
    assert refused('{\n  "n": -' + "1" * 101 + "}") == [
        "f.json: line 2, column 9: a number of 101 digits; numbers here have at most 100"]
    assert loads('{"n": 1.5e3, "m": ' + "1" * 100 + "}", "f.json")["n"] == 1500.0


def test_every_key_given_twice_is_placed_by_its_path() -> None:
    text = '{"a": [{"b": 1}, {"b": 1, "c": {"d": 1, "d": 2}, "b": 2}], "e": 1}'
    assert refused(text, "plan") == ["plan.a[1].b: given twice in one object",
                                     "plan.a[1].c.d: given twice in one object"]
    # The first value of a key given twice is gone, with whatever it held: the key is the message.
    assert refused('{"a": [{"b": 1, "b": 2}], "a": []}') == ["a: given twice in one object"]


def test_syntax_errors_keep_their_place() -> None:
    assert refused('{"a": "unterminated') == [
        "f.json: line 1, column 7: not valid JSON (Unterminated string starting at)"]
    assert refused("") == ["f.json: line 1, column 1: not valid JSON (Expecting value)"]
