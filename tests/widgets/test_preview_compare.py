"""Two takes side by side: linked play, pause and seek."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kling_studio.widgets.preview.compare import TakeCompare
from kling_studio.widgets.preview.media import HEADLESS_WARNINGS
from kling_studio.widgets.preview.result_player import Take
from tests.widgets.preview_media import write_take

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_WARNINGS)

BOUNDS = [(0.0, 1.0, "Shot 1"), (1.0, 2.0, "Shot 2"), (2.0, 3.0, "Shot 3")]


@pytest.fixture(scope="module")
def takes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("compare")
    return write_take(folder / "a.mp4"), write_take(folder / "b.mp4", audio=False)


@pytest.fixture
def compare(qtbot: QtBot, takes: tuple[Path, Path]) -> TakeCompare:
    a, b = takes
    view = TakeCompare()
    qtbot.addWidget(view)
    view.resize(900, 420)
    view.show()
    view.load(Take(a, BOUNDS, "Take 1 · pro"), (b, BOUNDS, "Take 2 · std"))
    qtbot.waitUntil(lambda: view.left.duration > 0 and view.right.duration > 0, timeout=5000)
    return view


def test_each_side_is_labelled_with_its_take(compare: TakeCompare) -> None:
    assert compare.left_label.text() == "A · Take 1 · pro"
    assert compare.right_label.text() == "B · Take 2 · std"


def test_linked_seek_moves_both_players(compare: TakeCompare) -> None:
    assert compare.linked
    compare.left.seek(2.0)
    assert compare.right.position == pytest.approx(2.0, abs=0.01)
    compare.right.step_frames(1)
    assert compare.left.position == pytest.approx(compare.right.position, abs=0.002)
    compare.set_linked(False)
    compare.left.seek(0.5)
    assert compare.right.position == pytest.approx(2.0 + 1 / 24, abs=0.01)


def test_linked_play_and_pause(qtbot: QtBot, compare: TakeCompare) -> None:
    compare.left.play()
    qtbot.waitUntil(lambda: compare.right.is_playing, timeout=2000)
    qtbot.waitUntil(lambda: compare.right.position > 0.3, timeout=3000)
    compare.right.pause()
    qtbot.waitUntil(lambda: not compare.left.is_playing, timeout=2000)
    compare.set_linked(False)
    compare.left.play()
    qtbot.wait(200)
    assert compare.left.is_playing and not compare.right.is_playing
    compare.left.pause()


def test_narrow_pane_stacks_the_takes(qtbot: QtBot, compare: TakeCompare) -> None:
    side_by_side = compare.left.geometry().top() == compare.right.geometry().top()
    assert side_by_side
    compare.resize(compare.minimumWidth(), 700)
    qtbot.waitUntil(lambda: compare.right.geometry().top() > compare.left.geometry().bottom())
