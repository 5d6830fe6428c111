"""The result player plays a real generated take against the authored shot boundaries."""

from __future__ import annotations

import importlib.abc
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kling_studio.widgets.preview.media import HEADLESS_WARNINGS, PULSE_HINT
from kling_studio.widgets.preview.result_player import ResultPlayer
from tests.widgets.preview_media import FPS, HEIGHT, SHOT_COLOURS, WIDTH, write_take

# No sound server and no GPU on the test machine: see kling_studio/widgets/preview/media.py.
pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_WARNINGS)

BOUNDS = [(0.0, 1.0, "Shot 1 · Red"), (1.0, 2.0, "Shot 2 · Green"), (2.0, 3.0, "Shot 3 · Blue")]
FRAME = 1 / FPS


@pytest.fixture(scope="module")
def take(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_take(tmp_path_factory.mktemp("takes") / "take.mp4")


def loaded(qtbot: QtBot, take: Path) -> ResultPlayer:
    player = ResultPlayer()
    qtbot.addWidget(player)
    player.resize(560, 380)
    player.show()
    player.load(take, BOUNDS, "Take 1")
    qtbot.waitUntil(lambda: player.duration > 0, timeout=5000)
    return player


def nearest_shot(colour: QColor) -> int:
    rgb = (colour.red(), colour.green(), colour.blue())

    def distance(i: int) -> int:
        return sum((a - b) ** 2 for a, b in zip(rgb, SHOT_COLOURS[i], strict=True))

    return min(range(3), key=distance)


def test_loads_a_take_and_frames_arrive(qtbot: QtBot, take: Path) -> None:
    player = loaded(qtbot, take)
    assert player.duration == pytest.approx(3.0, abs=0.1)
    assert player.fps == pytest.approx(FPS)
    frames: list[QImage] = []
    sink = player.video_sink()
    assert sink is not None
    sink.videoFrameChanged.connect(lambda f: frames.append(f.toImage()) if f.isValid() else None)
    player.play()
    qtbot.waitUntil(lambda: len(frames) >= 6, timeout=5000)
    player.pause()
    assert frames[-1].size().width() == WIDTH and frames[-1].size().height() == HEIGHT
    assert nearest_shot(frames[0].pixelColor(WIDTH - 4, HEIGHT // 2)) == 0
    assert not player.error_text


def test_markers_sit_at_the_authored_boundaries(qtbot: QtBot, take: Path) -> None:
    player = loaded(qtbot, take)
    assert player.shot_markers() == [0.0, 1.0, 2.0, 3.0]
    bar = player.seekbar
    xs = [bar.x_for(t) for t in player.shot_markers()]
    assert xs[0] == pytest.approx(bar._track().left())
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.5)  # equal shots, equal spans
    assert xs[2] - xs[1] == pytest.approx(xs[3] - xs[2], abs=0.5)
    # Authored timing longer than the take: the bar spans the authored total, markers stay true.
    player.load(take, [(0.0, 2.0, "A"), (2.0, 5.0, "B")])
    assert player.shot_markers() == [0.0, 2.0, 5.0]
    left, right = bar._track().left(), bar._track().right()
    assert bar.x_for(5.0) == pytest.approx(right)
    assert bar.x_for(2.0) == pytest.approx(left + (right - left) * 2 / 5)


def test_seek_bar_click_seeks(qtbot: QtBot, take: Path) -> None:
    player = loaded(qtbot, take)
    bar = player.seekbar
    x = int(bar.x_for(2.0))
    with qtbot.waitSignal(player.seeked) as blocker:
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(x, bar.height() - 12))
    assert blocker.args[0] == pytest.approx(2.0, abs=0.05)
    assert player.position == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize("shot", [0, 2])  # 2: the last shot loops through end-of-media
def test_loop_shot_seeks_back_to_the_shot_start(qtbot: QtBot, take: Path, shot: int) -> None:
    player = loaded(qtbot, take)
    start, end, _ = BOUNDS[shot]
    player.set_loop_shot(shot)
    assert player.position == pytest.approx(start, abs=0.01)
    assert player.controls.loop_button.isChecked()
    assert player.controls.loop_button.text() == f"Loop shot {shot + 1}"
    seen: list[float] = []
    player.position_changed.connect(seen.append)
    player.play()

    def wrapped() -> bool:
        late = [i for i, s in enumerate(seen) if s >= end - 0.3]
        return bool(late) and any(s < start + 0.3 for s in seen[late[0] :])

    qtbot.waitUntil(wrapped, timeout=4000)
    player.pause()
    assert all(start - 0.01 <= s < end + FRAME for s in seen)
    player.set_loop_shot(None)
    assert not player.controls.loop_button.isChecked()


def test_loop_button_loops_the_shot_under_the_playhead(qtbot: QtBot, take: Path) -> None:
    player = loaded(qtbot, take)
    player.seek(1.4)
    player.controls.loop_button.click()
    assert player.loop_shot == 1
    assert player.controls.shot_combo.currentIndex() == 1
    player.seek(2.5)  # seeking into another shot moves the loop along
    assert player.loop_shot == 2


def test_frame_step_moves_one_frame_while_paused(qtbot: QtBot, take: Path) -> None:
    player = loaded(qtbot, take)
    player.seek(1.0)
    player.step_frames(1)
    assert player.position == pytest.approx(1.0 + FRAME, abs=0.003)
    player.setFocus()
    qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.position == pytest.approx(1.0 + 2 * FRAME, abs=0.003)
    qtbot.keyClick(player, Qt.Key.Key_Left)
    qtbot.keyClick(player, Qt.Key.Key_Left)
    assert player.position == pytest.approx(1.0, abs=0.003)
    player.play()
    qtbot.waitUntil(lambda: player.is_playing, timeout=2000)
    player.step_frames(-1)
    assert not player.is_playing


def test_frame_step_shows_the_stepped_frame(qtbot: QtBot, take: Path) -> None:
    player = loaded(qtbot, take)
    sink = player.video_sink()
    assert sink is not None
    shown: list[int] = []
    sink.videoFrameChanged.connect(lambda f: shown.append(f.startTime()) if f.isValid() else None)
    player.seek(2.0 - FRAME / 2)  # inside the last frame of shot 2
    qtbot.waitUntil(
        lambda: bool(shown) and shown[-1] == round(23 * 1e6 / FPS) + 1_000_000, timeout=3000
    )
    player.step_frames(1)  # across the cut: the first frame of shot 3
    qtbot.waitUntil(lambda: shown[-1] == 2_000_000, timeout=3000)


@pytest.mark.parametrize("content", [b"not a video at all" * 50, b""])
def test_unreadable_file_shows_an_error(qtbot: QtBot, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(content)
    player = ResultPlayer()
    qtbot.addWidget(player)
    player.show()
    with qtbot.waitSignal(player.error_changed, timeout=5000, check_params_cb=bool):
        player.load(bad, BOUNDS, "Broken")
    assert player.error_text.startswith("This take cannot be played")
    assert player._message.isVisible()
    assert not player.controls.isEnabled()
    player.play()  # refused quietly, no crash
    assert not player.is_playing


def test_missing_file_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    player = ResultPlayer()
    qtbot.addWidget(player)
    player.load(tmp_path / "gone.mp4", BOUNDS)
    assert "missing" in player.error_text and "gone.mp4" in player.error_text


def test_loading_a_good_take_after_an_error_clears_it(
    qtbot: QtBot, tmp_path: Path, take: Path
) -> None:
    player = loaded(qtbot, take)
    player.load(tmp_path / "gone.mp4", BOUNDS)
    assert player.error_text
    player.load(take, BOUNDS)
    qtbot.waitUntil(lambda: player.video_sink() is not None and not player.error_text)
    assert player.controls.isEnabled()


class _NoPulse(importlib.abc.MetaPathFinder):
    """Fails QtMultimedia's import the way a machine without libpulse0 does."""

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name.startswith("PySide6.QtMultimedia"):
            raise ImportError("libpulse.so.0: cannot open shared object file: No such file")


def test_without_qtmultimedia_the_player_explains_instead_of_crashing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, take: Path
) -> None:
    for name in ("PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPulse(), *sys.meta_path])
    player = ResultPlayer()
    qtbot.addWidget(player)
    player.show()
    assert not player.available
    assert player.error_text == PULSE_HINT
    assert player._message.isVisible() and player._message.text() == PULSE_HINT
    player.load(take, BOUNDS)
    player.play()
    assert player.media_player() is None and player.shot_markers() == [0.0, 1.0, 2.0, 3.0]
