"""Timing helpers shared by the previews: timecode, shot lookup, boundaries, the clock."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.qt.playback import PlaybackClock, shot_at, shot_boundaries, timecode


def test_timecode_counts_frames_at_24_fps() -> None:
    assert timecode(0) == "00:00:00:00"
    assert timecode(1.5) == "00:00:01:12"
    assert timecode(1 / 24) == "00:00:00:01"  # float noise must not drop a frame
    assert timecode(3723 + 23 / 24) == "01:02:03:23"
    assert timecode(-1) == "00:00:00:00"
    assert timecode(2.5, fps=30) == "00:00:02:15"


def test_shot_at_uses_half_open_spans_and_keeps_the_end_in_the_last_shot() -> None:
    assert [shot_at([2, 1, 3], t) for t in (0, 1.99, 2, 2.5, 3, 5.99, 6, 7)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        2,
        2,
    ]


def test_shot_boundaries_label_every_shot() -> None:
    sb = edits.set_shot_text(edits.new_storyboard(total=5, shots=2), 1, title="Pour")
    assert shot_boundaries(sb) == [(0.0, 3.0, "Shot 1"), (3.0, 5.0, "Shot 2 · Pour")]


def test_clock_clamps_when_the_length_shrinks_and_play_at_end_restarts(qtbot: QtBot) -> None:
    clock = PlaybackClock(5)
    clock.seek(4.5)
    with qtbot.waitSignal(clock.position_changed) as blocker:
        clock.set_duration(3)
    assert blocker.args == [3.0]
    clock.play()
    assert clock.is_playing and clock.position == 0.0
    clock.stop()
    assert not clock.is_playing
    empty = PlaybackClock(0)
    empty.play()
    assert not empty.is_playing
