"""Dropping on the real timeline: which slot each zone of which shot fills."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kling_studio.domain.storyboard import Asset
from kling_studio.qt.selection import ShotSelection
from kling_studio.resources import load_catalog
from kling_studio.widgets.assets import TimelineDropHandler
from kling_studio.widgets.assets.mime import asset_mime
from kling_studio.widgets.timeline import TimelineWidget
from tests.qt.assets_support import Setup, clip, drag_over, drop, file_mime, leave, panels, photo

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def make(qtbot: QtBot) -> Iterator[Callable[..., Setup]]:
    with panels(qtbot) as factory:
        yield factory


def timeline_for(qtbot: QtBot, s: Setup) -> tuple[TimelineWidget, TimelineDropHandler]:
    timeline = TimelineWidget(s.doc, ShotSelection(s.doc), s.library.thumbnail_for)
    qtbot.addWidget(timeline)
    timeline.resize(930, 160)
    timeline.show()
    qtbot.waitExposed(timeline)
    return timeline, s.panel.install_on_timeline(timeline)


def point(timeline: TimelineWidget, shot: int, fraction: float) -> QPoint:
    """A point inside ``shot`` at ``fraction`` of its width."""
    r = timeline.shot_rect(shot)
    return QPoint(r.x() + round(r.width() * fraction), r.y() + r.height() // 2)


def imported(qtbot: QtBot, s: Setup, path: Path) -> Asset:
    s.library.import_files([path])
    qtbot.waitUntil(lambda: s.library.pending == 0 and bool(s.library.assets), timeout=10_000)
    return s.library.assets[-1]


def test_zones_map_to_start_end_and_reference_slots(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3-omni", shots=3)
    timeline, handler = timeline_for(qtbot, s)
    first, last, middle = (
        imported(qtbot, s, photo(tmp_path / f"{n}.jpg", 800 + i, 600))
        for i, n in enumerate(("first", "last", "middle"))
    )
    assert drop(timeline, asset_mime([first.hash]), point(timeline, 0, 0.15))
    assert s.doc.storyboard.start_frame == first.hash
    assert drop(timeline, asset_mime([last.hash]), point(timeline, 2, 0.9))
    assert s.doc.storyboard.end_frame == last.hash
    assert drop(timeline, asset_mime([middle.hash]), point(timeline, 1, 0.5))
    assert s.doc.storyboard.reference_images == (middle.hash,)
    # The first shot's right part and the last shot's left part are not frames.
    assert handler.target_at(point(timeline, 0, 0.8)).slot == "reference_images"  # type: ignore[union-attr]
    assert handler.target_at(point(timeline, 2, 0.2)).slot == "reference_images"  # type: ignore[union-attr]
    assert handler.target_at(QPoint(5, 5)) is None  # the ruler
    assert [s.doc.undo_stack.text(i) for i in range(3)] == [
        "Set start frame",
        "Set end frame",
        "Add reference image",
    ]


def test_without_reference_images_the_middle_of_a_shot_sets_the_start_frame(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3", shots=3)
    timeline, handler = timeline_for(qtbot, s)
    assert handler.target_at(point(timeline, 1, 0.5)).slot == "start_frame"  # type: ignore[union-attr]
    src = photo(tmp_path / "key art.jpg")
    assert drop(timeline, file_mime([src]), point(timeline, 1, 0.5))
    qtbot.waitUntil(lambda: s.doc.storyboard.start_frame is not None, timeout=10_000)
    assert s.doc.storyboard.asset(s.doc.storyboard.start_frame).name == "key art.jpg"
    assert s.doc.undo_stack.count() == 1


def test_a_single_shot_has_a_start_third_and_an_end_third(
    qtbot: QtBot, make: Callable[..., Setup]
) -> None:
    s = make("kling-v3", shots=1)
    timeline, handler = timeline_for(qtbot, s)
    slots = [handler.target_at(point(timeline, 0, f)).slot for f in (0.1, 0.5, 0.9)]  # type: ignore[union-attr]
    assert slots == ["start_frame", "start_frame", "end_frame"]


def test_hovering_shows_where_the_drop_goes_and_refuses_what_does_not_fit(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3-omni", shots=2)
    timeline, handler = timeline_for(qtbot, s)
    hints: list[str] = []
    handler.hint_changed.connect(hints.append)
    jpeg = file_mime([photo(tmp_path / "a.jpg")])
    assert drag_over(timeline, jpeg, point(timeline, 0, 0.1))
    assert handler.overlay.isVisible()
    assert handler.overlay.zone == QRect(
        timeline.shot_rect(0).x(),
        timeline.shot_rect(0).y(),
        round(timeline.shot_rect(0).width() / 3),
        timeline.shot_rect(0).height(),
    )
    assert handler.hint == "Start frame: the first picture of the video"
    assert drag_over(timeline, jpeg, point(timeline, 1, 0.2))
    assert handler.hint == "Reference image 1: refer to it as <<<image_1>>> in shot 2's prompt"
    leave(timeline)
    assert not handler.overlay.isVisible() and handler.hint == ""
    video = file_mime([clip(tmp_path / "walk.mp4", seconds=4)])
    assert not drag_over(timeline, video, point(timeline, 0, 0.1))
    assert handler.hint == "Start frame takes an image" and handler.overlay.refused
    leave(timeline)
    assert hints[:2] == [
        "Start frame: the first picture of the video",
        "Reference image 1: refer to it as <<<image_1>>> in shot 2's prompt",
    ]
    assert s.doc.undo_stack.count() == 0


def test_any_widget_with_a_shot_at_function_can_take_drops(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3", shots=2)
    strip = QWidget()
    qtbot.addWidget(strip)
    strip.resize(400, 100)
    rects = [QRect(0, 0, 200, 100), QRect(200, 0, 200, 100)]

    def shot_at(pos: QPoint) -> int | None:
        return next((i for i, r in enumerate(rects) if r.contains(pos)), None)

    TimelineDropHandler(
        strip, s.doc, s.library, load_catalog(), shot_at=shot_at, shot_rect=rects.__getitem__
    )
    asset = imported(qtbot, s, photo(tmp_path / "end.jpg"))
    assert drop(strip, asset_mime([asset.hash]), QPoint(390, 50))
    assert s.doc.storyboard.end_frame == asset.hash
    assert not drop(strip, asset_mime([asset.hash]), QPoint(390, 150))  # below the shots
