"""Slot strip: drops onto slots, which slots a model takes, detaching with ✕."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.widgets.assets.mime import asset_mime
from tests.qt.assets_support import (
    Setup,
    clip,
    drag_over,
    drop,
    file_mime,
    leave,
    panels,
    photo,
    stored_files,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def make(qtbot: QtBot) -> Iterator[Callable[..., Setup]]:
    with panels(qtbot) as factory:
        yield factory


def enabled(s: Setup) -> dict[str, bool]:
    keys = ("start_frame", "end_frame", "static_mask", "reference_video", "reference_images+")
    return {k: s.strip.tile(k).isEnabled() for k in keys}


def test_a_file_dropped_on_the_start_frame_is_imported_and_attached(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make()
    src = photo(tmp_path / "first light.jpg", 1280, 720)
    tile = s.strip.tile("start_frame")
    assert drop(tile, file_mime([src]))
    qtbot.waitUntil(lambda: s.doc.storyboard.start_frame is not None, timeout=10_000)
    (asset,) = s.doc.storyboard.assets
    assert asset.name == "first light.jpg" and asset.width == 1280
    assert stored_files(s.project) == [s.project.asset_path(asset)]
    assert s.doc.undo_stack.count() == 1 and s.doc.undo_stack.undoText() == "Set start frame"
    tile = s.strip.tile("start_frame")
    assert tile.asset_ref == asset.hash and tile.caption == "first light.jpg"
    assert tile.clear_button.isVisible()
    assert "first light.jpg\n1280×720 · JPEG" in tile.toolTip()
    s.wait_idle(qtbot)
    assert [s.bin.list.item(i).text() for i in range(s.bin.list.count())] == ["first light.jpg"]
    s.doc.undo_stack.undo()
    assert s.doc.storyboard.start_frame is None and s.doc.storyboard.assets == ()
    assert s.strip.tile("start_frame").asset_ref is None


def test_only_the_slots_the_model_takes_are_enabled(
    qtbot: QtBot, make: Callable[..., Setup]
) -> None:
    s = make("kling-v3")
    assert enabled(s) == {
        "start_frame": True,
        "end_frame": True,
        "static_mask": True,
        "reference_video": False,
        "reference_images+": False,
    }
    assert (
        s.strip.tile("reference_images+").toolTip()
        == "Kling V3 takes no reference images — switch to Kling V3 Omni"
    )
    assert (
        s.strip.tile("reference_video").toolTip()
        == "Kling V3 takes no reference video — switch to Kling V3 Omni"
    )
    s.doc.apply(lambda sb: edits.set_settings(sb, model="kling-v3-omni"), "Model")
    assert enabled(s) == {
        "start_frame": True,
        "end_frame": True,
        "static_mask": False,
        "reference_video": True,
        "reference_images+": True,
    }
    assert (
        s.strip.tile("static_mask").toolTip()
        == "Kling V3 Omni takes no static mask — switch to Kling V3"
    )
    s.doc.apply(lambda sb: edits.set_settings(sb, model="kling-v2-6"), "Model")
    assert enabled(s)["static_mask"] is False and enabled(s)["reference_images+"] is False


def test_a_disabled_slot_and_a_wrong_kind_refuse_the_drop(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3")
    jpeg, video = photo(tmp_path / "a.jpg"), clip(tmp_path / "walk.mp4", seconds=4)
    assert not drag_over(s.strip.tile("reference_images+"), file_mime([jpeg]))
    leave(s.strip.tile("reference_images+"))
    tile = s.strip.tile("start_frame")
    assert not drop(tile, file_mime([video]))
    assert tile.statusTip() == "Start frame takes an image"
    assert not drop(tile, file_mime(urls=["https://example.com/take.mp4"]))
    assert drag_over(tile, file_mime([jpeg]))
    leave(tile)
    s.wait_idle(qtbot)
    assert s.doc.undo_stack.count() == 0 and s.library.assets == ()


def test_a_filled_slot_the_model_no_longer_takes_can_still_be_cleared(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3")
    assert drop(s.strip.tile("static_mask"), file_mime([photo(tmp_path / "mask.png", 800, 800)]))
    qtbot.waitUntil(lambda: s.doc.storyboard.static_mask is not None, timeout=10_000)
    s.doc.apply(lambda sb: edits.set_settings(sb, model="kling-v3-omni"), "Model")
    tile = s.strip.tile("static_mask")
    assert tile.isEnabled() and not tile.accepting
    assert tile.toolTip().startswith("Kling V3 Omni takes no static mask — switch to Kling V3\n")
    assert "⛔ Kling V3 Omni takes no static mask" in tile.toolTip()  # the rules' KS401
    qtbot.mouseClick(tile.clear_button, Qt.MouseButton.LeftButton)
    assert s.doc.storyboard.static_mask is None
    assert not s.strip.tile("static_mask").isEnabled()


def test_the_x_detaches_in_one_undo_step(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3")
    assert drop(s.strip.tile("end_frame"), file_mime([photo(tmp_path / "last.jpg")]))
    qtbot.waitUntil(lambda: s.doc.storyboard.end_frame is not None, timeout=10_000)
    steps = s.doc.undo_stack.count()
    qtbot.mouseClick(s.strip.tile("end_frame").clear_button, Qt.MouseButton.LeftButton)
    assert s.doc.storyboard.end_frame is None and s.doc.storyboard.assets == ()
    assert s.doc.undo_stack.count() == steps + 1
    assert s.doc.undo_stack.undoText() == "Remove end frame"
    s.doc.undo_stack.undo()
    assert s.doc.storyboard.end_frame is not None
    assert s.strip.tile("end_frame").caption == "last.jpg"


def test_reference_images_are_added_in_order_and_tagged(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3-omni")
    files = [photo(tmp_path / f"ref{i}.jpg", 600 + i * 10, 600) for i in range(1, 4)]
    assert drop(s.strip.tile("reference_images+"), file_mime(files))
    qtbot.waitUntil(lambda: len(s.doc.storyboard.reference_images) == 3, timeout=10_000)
    assert s.doc.undo_stack.count() == 1  # the whole drop is one step
    sb = s.doc.storyboard
    assert [sb.asset(r).name for r in sb.reference_images] == ["ref1.jpg", "ref2.jpg", "ref3.jpg"]
    titles = [s.strip.tile(f"reference_images[{i}]").title for i in range(3)]
    assert titles == ["<<<image_1>>>", "<<<image_2>>>", "<<<image_3>>>"]
    qtbot.mouseClick(s.strip.tile("reference_images[0]").clear_button, Qt.MouseButton.LeftButton)
    sb = s.doc.storyboard
    assert [sb.asset(r).name for r in sb.reference_images] == ["ref2.jpg", "ref3.jpg"]
    assert s.doc.undo_stack.undoText() == "Remove reference image 1"
    assert s.strip.tile("reference_images[0]").caption == "ref2.jpg"
    assert "reference_images[2]" not in s.strip.tiles


def test_reference_images_stop_at_the_models_maximum(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3-omni")
    files = [photo(tmp_path / f"r{i}.jpg", 400 + i, 400) for i in range(9)]
    assert drop(s.strip.tile("reference_images+"), file_mime(files))
    qtbot.waitUntil(lambda: len(s.doc.storyboard.reference_images) == 7, timeout=20_000)
    s.wait_idle(qtbot)
    assert len(s.doc.storyboard.reference_images) == 7
    add = s.strip.tile("reference_images+")
    assert not add.accepting
    assert add.toolTip() == "Kling V3 Omni takes at most 7 reference images"
    assert not drag_over(add, file_mime([files[0]]))


def test_a_video_dropped_on_the_reference_video_slot_shows_its_findings(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3-omni")
    tile = s.strip.tile("reference_video")
    assert drop(tile, file_mime([clip(tmp_path / "walk.mp4", seconds=12)]))
    qtbot.waitUntil(lambda: s.doc.storyboard.reference_video is not None, timeout=10_000)
    tile = s.strip.tile("reference_video")
    assert tile.severity == "error"
    assert "Reference video is 12 s long; Kling V3 Omni needs 3–10 s." in tile.toolTip()
    (video,) = s.doc.storyboard.assets
    # A bin item dragged onto another slot attaches the same asset, no import.
    assert drop(s.strip.tile("start_frame"), asset_mime([video.hash])) is False
    assert s.doc.undo_stack.count() == 1
