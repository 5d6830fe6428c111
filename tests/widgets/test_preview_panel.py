"""The Preview panel: animatic, result and compare tabs wired to the document and selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.playback import shot_boundaries
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets.preview import PreviewPanel, Take
from kling_studio.widgets.preview.media import HEADLESS_WARNINGS
from tests.widgets.preview_media import write_take

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_WARNINGS)


def image_for(_asset: str) -> QImage | None:
    img = QImage(64, 36, QImage.Format.Format_RGB32)
    img.fill(QColor("orange"))
    return img


def make(qtbot: QtBot) -> tuple[StoryboardDocument, ShotSelection, PreviewPanel]:
    sb = edits.new_storyboard(total=6, shots=3)
    for i, title in enumerate(("Open", "Middle", "Close")):
        sb = edits.set_shot_text(sb, i, title=title)
    doc = StoryboardDocument(sb)
    sel = ShotSelection(doc)
    panel = PreviewPanel(doc, sel, image_for)
    qtbot.addWidget(panel)
    panel.resize(720, 480)
    panel.show()
    return doc, sel, panel


def test_starts_on_the_animatic_without_loading_video(qtbot: QtBot) -> None:
    _, _, panel = make(qtbot)
    assert panel.tabs.currentWidget() is panel.animatic
    assert [panel.tabs.tabText(i) for i in range(3)] == ["Animatic", "Result", "Compare"]
    assert panel.result.media_player() is None  # QtMultimedia work waits for a take
    assert "No take loaded" in panel.result._message.text()


def test_selecting_a_shot_moves_the_paused_animatic(qtbot: QtBot) -> None:
    _, sel, panel = make(qtbot)
    with qtbot.waitSignal(panel.position_changed) as blocker:
        sel.select_index(2)
    assert blocker.args == [4.0]
    assert panel.animatic.current_card_title() == "Shot 3 · Close"


def test_playback_reports_the_position_and_leaving_the_tab_pauses(
    qtbot: QtBot, tmp_path: Path
) -> None:
    doc, _, panel = make(qtbot)
    seen: list[float] = []
    panel.position_changed.connect(seen.append)
    panel.animatic.play()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] > 0.2, timeout=3000)
    take = write_take(tmp_path / "take.mp4")
    panel.show_take(take, label="Take 1")
    assert not panel.animatic.is_playing
    assert panel.tabs.currentWidget() is panel.result
    assert panel.result.boundaries == shot_boundaries(doc.storyboard)
    assert panel.result.boundaries[1] == (2.0, 4.0, "Shot 2 · Middle")
    qtbot.waitUntil(lambda: panel.result.duration > 0, timeout=5000)
    panel.compare(Take(take, [(0.0, 3.0, "Whole")], "A"), Take(take, [], "B"))
    assert panel.tabs.currentWidget() is panel.compare_view
    panel.show_animatic()
    assert panel.tabs.currentWidget() is panel.animatic
