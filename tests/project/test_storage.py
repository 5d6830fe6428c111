"""Files on disk: atomic saves and clear messages for unreadable files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kling_studio.domain import edits
from kling_studio.domain.document import StoryboardFormatError
from kling_studio.project.storage import atomic_write_bytes, read_storyboard, write_storyboard


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    sb = edits.new_storyboard(total=9, shots=3)
    path = tmp_path / "board.json"
    write_storyboard(path, sb)
    assert read_storyboard(path) == sb
    assert [p.name for p in tmp_path.iterdir()] == ["board.json"]  # no temp files left


def test_a_failed_save_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "board.json"
    atomic_write_bytes(path, b"old contents")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(path, b"new contents")
    assert path.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["board.json"]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_text("{not json"), "board.json: Not valid JSON"),
    ],
)
def test_unreadable_files_get_a_message_naming_the_file(
    tmp_path: Path, setup: object, expected: str
) -> None:
    path = tmp_path / "board.json"
    setup(path)  # type: ignore[operator]
    with pytest.raises(StoryboardFormatError, match=expected):
        read_storyboard(path)


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: instant, no disk used
    with pytest.raises(StoryboardFormatError, match="at most 16 MB"):
        read_storyboard(path)
