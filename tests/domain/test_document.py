"""Storyboard files: round trip, migrations, and precise messages for malformed input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kling_studio.domain import edits
from kling_studio.domain.document import (
    FORMAT,
    MAX_FILE_BYTES,
    VERSION,
    StoryboardFormatError,
    dump_storyboard_text,
    json_schema,
    load_storyboard_text,
)


def doc(**storyboard: object) -> str:
    body = {"total": 5, "shots": [{"id": "s1", "duration": 5, "prompt": "x"}]}
    body.update(storyboard)
    return json.dumps({"format": FORMAT, "version": VERSION, "storyboard": body})


def error_of(text: str | bytes) -> str:
    with pytest.raises(StoryboardFormatError) as info:
        load_storyboard_text(text)
    return str(info.value)


def test_round_trip_keeps_everything() -> None:
    sb = edits.add_element(edits.new_storyboard(total=12, shots=4), 829836802793406551)
    sb = edits.set_shot_text(sb, 2, prompt="Close-up — “quotes” 日本語", notes="n")
    text = dump_storyboard_text(sb)
    assert load_storyboard_text(text) == sb
    assert '"829836802793406551"' in text  # ids stay strings: no reader can round them


def test_bad_json_names_line_and_column() -> None:
    assert "line 1, column 2" in error_of("{oops")
    assert "Not valid JSON" in error_of("")


def test_newer_version_asks_to_update_the_app() -> None:
    msg = error_of(json.dumps({"format": FORMAT, "version": 99, "storyboard": {}}))
    assert "newer Kling Studio" in msg and "version 99" in msg


def test_wrong_types_name_the_field() -> None:
    msg = error_of(doc(shots=[{"id": "s1", "duration": "five"}]))
    assert msg.startswith("storyboard.shots[0].duration:")
    assert '"five"' in msg


def test_durations_that_do_not_add_up_are_explained() -> None:
    msg = error_of(doc(total=7))
    assert "add up to 5 s but the total is 7 s" in msg


def test_unknown_fields_and_wrong_format_are_named() -> None:
    assert "storyboard.colour" in error_of(doc(colour="red"))
    assert "format: expected" in error_of(json.dumps({"format": "other", "version": 1}))
    assert "not a storyboard object" in error_of("[1, 2]")
    assert "storyboard: missing" in error_of(json.dumps({"format": FORMAT, "version": 1}))
    assert "version: expected a whole number" in error_of(json.dumps({"version": "1"}))


def test_dangling_asset_reference_is_reported() -> None:
    assert "not in 'assets'" in error_of(doc(start_frame="ab" * 32))


def test_huge_and_deep_and_binary_junk_are_refused_cleanly() -> None:
    assert "at most 16 MB" in error_of(b" " * (MAX_FILE_BYTES + 1))
    assert "nested too deeply" in error_of("[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in error_of("[" * 200 + "]" * 200)
    assert "not UTF-8" in error_of(b"\xff\xfe\x00garbage")


def test_version_0_files_are_migrated() -> None:
    old = {"version": 0, "total": 4, "shots": [{"id": "a", "duration": 4}]}
    assert load_storyboard_text(json.dumps(old)).total == 4
    older = {"duration": 6, "shots": [{"id": "a", "duration": 6}]}
    assert load_storyboard_text(json.dumps(older)).total == 6


def test_shipped_schema_matches_the_code() -> None:
    from kling_studio.resources import read_json

    assert read_json("schema/storyboard.v1.schema.json") == json_schema()


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    )
)
def test_any_json_value_loads_or_gives_a_message(value: object) -> None:
    for candidate in (value, {"format": FORMAT, "version": 1, "storyboard": value}):
        try:
            load_storyboard_text(json.dumps(candidate))
        except StoryboardFormatError as exc:
            assert str(exc)
