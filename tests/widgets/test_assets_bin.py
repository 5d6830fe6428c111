"""Asset bin: drops of real files and links, what each item shows, using items in slots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from kling_studio.widgets.assets import ASSET_MIME
from kling_studio.widgets.assets.delegate import DETAILS_ROLE, FINDING_ROLE, SEVERITY_ROLE
from tests.qt.assets_support import (
    Setup,
    clip,
    corrupt_jpeg,
    drop,
    file_mime,
    panels,
    photo,
    stored_files,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def make(qtbot: QtBot) -> Iterator[Callable[..., Setup]]:
    with panels(qtbot) as factory:
        yield factory


def names(s: Setup) -> list[str]:
    return [s.bin.list.item(i).text() for i in range(s.bin.list.count())]


def test_a_dropped_jpeg_is_stored_and_shown_with_its_thumbnail(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make()
    src = photo(tmp_path / "harbour.jpg", 1200, 800)
    assert drop(s.bin, file_mime([src]))
    qtbot.waitUntil(lambda: names(s) == ["harbour.jpg"], timeout=10_000)
    (stored,) = stored_files(s.project)
    assert stored.read_bytes() == src.read_bytes() and stored.suffix == ".jpeg"
    item = s.bin.list.item(0)
    qtbot.waitUntil(lambda: isinstance(item.data(Qt.ItemDataRole.DecorationRole), QPixmap))
    assert item.data(Qt.ItemDataRole.DecorationRole).width() == 256
    size_kb = round(src.stat().st_size / 1024)
    assert item.data(DETAILS_ROLE) == f"1200×800 · JPEG · {size_kb} KB"
    assert item.data(SEVERITY_ROLE) == ""  # 1200×800 is fine for a Kling V3 start frame
    assert s.doc.storyboard.assets == ()  # importing does not touch the storyboard
    assert s.doc.undo_stack.count() == 0


def test_several_files_and_the_same_bytes_twice(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make()
    a = photo(tmp_path / "a.jpg")
    twin = tmp_path / "a again.jpg"
    twin.write_bytes(a.read_bytes())
    video = clip(tmp_path / "walk.mp4", seconds=4)
    assert drop(s.bin, file_mime([a, photo(tmp_path / "b.png", 800, 800), twin, video]))
    s.wait_idle(qtbot)
    assert names(s) == ["a.jpg", "b.png", "walk.mp4"]  # the order of the drop
    assert len(stored_files(s.project)) == 3
    walk = next(a for a in s.library.assets if a.name == "walk.mp4")
    item = s.bin.item_for(walk.hash)
    assert item is not None and item.data(DETAILS_ROLE).startswith("320×240 · 4 s · MP4 · ")


def test_bad_files_are_reported_and_change_nothing(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make()
    good = photo(tmp_path / "good.jpg")
    assert drop(s.bin, file_mime([good]))
    s.wait_idle(qtbot)
    s.bin.use_selected_as("start_frame")  # nothing selected: refused, nothing changes
    s.bin.select(s.library.assets[0].hash)
    s.bin.use_selected_as("start_frame")
    before, steps = s.doc.storyboard, s.doc.undo_stack.count()
    files_before = stored_files(s.project)
    broken = corrupt_jpeg(tmp_path / "broken.jpg", photo(tmp_path / "whole.jpg", 900, 600))
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    failures: list[str] = []
    s.library.import_failed.connect(lambda _n, message: failures.append(message))
    assert drop(s.bin, file_mime([broken, notes]))
    s.wait_idle(qtbot)
    assert sorted(failures) == [
        "broken.jpg: the file is damaged or not an image (it ends before the picture does)",
        "notes.txt: not an image, video or audio file",
    ]
    assert s.bin.status.text().splitlines() == failures  # each failure, in arrival order
    assert s.doc.storyboard == before and s.doc.undo_stack.count() == steps
    assert stored_files(s.project) == files_before
    assert names(s) == ["good.jpg"]


def test_a_240_px_image_imports_but_shows_the_rules_finding(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make()
    assert drop(s.bin, file_mime([photo(tmp_path / "tiny.jpg", 240, 400)]))
    s.wait_idle(qtbot)
    item = s.bin.list.item(0)
    message = "Start frame is 240 px wide; Kling V3 needs at least 300 px per side."
    assert message in item.toolTip()
    assert item.data(FINDING_ROLE) == message and item.data(SEVERITY_ROLE) == "error"
    # Once it is the start frame, the finding is the storyboard's own, still on the item.
    s.bin.select(s.library.assets[0].hash)
    s.bin.use_selected_as("start_frame")
    s.bin.refresh()
    item = s.bin.list.item(0)
    assert "Start frame\n" in item.toolTip() and message in item.toolTip()


def test_an_unused_video_is_checked_against_the_models_reference_video_limits(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3-omni")
    assert drop(s.bin, file_mime([clip(tmp_path / "walk.mp4", seconds=12)]))
    s.wait_idle(qtbot)
    tip = s.bin.list.item(0).toolTip()
    assert "Reference video is 12 s long; Kling V3 Omni needs 3–10 s." in tip
    assert "Reference video is 240 px tall; Kling V3 Omni needs at least 720 px per side." in tip
    assert "only takes reference videos by URL" in tip


def test_a_dropped_link_becomes_a_url_asset(qtbot: QtBot, make: Callable[..., Setup]) -> None:
    s = make()
    url = "https://cdn.example.com/boards/hero.png"
    assert drop(s.bin, file_mime(urls=[url]))
    s.bin.refresh()
    assert names(s) == ["hero.png"]
    (asset,) = s.library.assets
    assert asset.url == url and asset.kind == "image"
    item = s.bin.list.item(0)
    assert item.data(DETAILS_ROLE) == "link · PNG"
    assert "Start frame could not be checked" in item.toolTip()
    assert stored_files(s.project) == []


def test_use_as_puts_the_selection_into_a_slot_in_one_undo_step(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make("kling-v3-omni")
    assert drop(s.bin, file_mime([photo(tmp_path / "a.jpg"), photo(tmp_path / "b.jpg", 900, 900)]))
    s.wait_idle(qtbot)
    a, b = (next(x for x in s.library.assets if x.name == n) for n in ("a.jpg", "b.jpg"))
    s.bin.select(a.hash)
    assert s.bin.use_actions["start_frame"].isEnabled()
    assert not s.bin.use_actions["static_mask"].isEnabled()  # Omni takes no static mask
    assert not s.bin.use_actions["reference_video"].isEnabled()  # not a video
    s.bin.use_actions["start_frame"].trigger()
    assert s.doc.storyboard.start_frame == a.hash
    assert s.doc.undo_stack.count() == 1 and s.doc.undo_stack.undoText() == "Set start frame"
    for ref in (a.hash, b.hash):
        s.bin.item_for(ref).setSelected(True)  # type: ignore[union-attr]
    s.bin.use_actions["reference_images"].trigger()
    assert s.doc.storyboard.reference_images == (a.hash, b.hash)
    assert s.doc.undo_stack.count() == 2
    s.bin.refresh()
    usage = s.bin.item_for(a.hash).toolTip().splitlines()[2]  # type: ignore[union-attr]
    assert usage == "Start frame, Image 1 <<<image_1>>>"
    s.doc.undo_stack.undo()
    assert s.doc.storyboard.reference_images == ()
    s.doc.undo_stack.undo()
    assert s.doc.storyboard.start_frame is None


def test_set_url_is_an_undo_step_for_a_used_asset(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = make("kling-v3-omni")
    assert drop(s.bin, file_mime([clip(tmp_path / "walk.mp4", seconds=5)]))
    s.wait_idle(qtbot)
    (video,) = s.library.assets
    s.bin.select(video.hash)
    s.bin.use_selected_as("reference_video")
    url = "https://files.example.com/walk.mp4"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (url, True))
    s.bin.url_button.click()
    assert s.doc.storyboard.asset(video.hash).url == url
    assert s.doc.undo_stack.undoText() == "Set URL"
    s.bin.refresh()
    assert "only takes reference videos by URL" not in s.bin.list.item(0).toolTip()
    s.doc.undo_stack.undo()
    assert s.doc.storyboard.asset(video.hash).url is None


def test_set_url_on_an_unused_asset_updates_the_library(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = make()
    assert drop(s.bin, file_mime([photo(tmp_path / "a.jpg")]))
    s.wait_idle(qtbot)
    s.bin.select(s.library.assets[0].hash)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("ftp://nope/a.jpg", True))
    s.bin.url_button.click()
    assert s.library.assets[0].url is None
    assert s.bin.status.text() == "a.jpg: the URL must start with https:// or http://"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("https://x.org/a.jpg", True))
    s.bin.url_button.click()
    assert s.library.assets[0].url == "https://x.org/a.jpg"
    assert s.doc.undo_stack.count() == 0


def test_import_button_uses_the_file_dialog(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = make()
    picked = [str(photo(tmp_path / "p1.jpg")), str(photo(tmp_path / "p2.png", 640, 480))]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (picked, ""))
    qtbot.mouseClick(s.bin.import_button, Qt.MouseButton.LeftButton)
    s.wait_idle(qtbot)
    assert sorted(names(s)) == ["p1.jpg", "p2.png"]


def test_bin_items_drag_out_as_their_hash_and_land_on_a_slot(
    qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path
) -> None:
    s = make()
    assert drop(s.bin, file_mime([photo(tmp_path / "a.jpg")]))
    s.wait_idle(qtbot)
    (asset,) = s.library.assets
    mime = s.bin.list.mimeData([s.bin.list.item(0)])
    assert bytes(mime.data(ASSET_MIME).data()).decode() == asset.hash
    assert not drop(s.bin, mime)  # its own items are already in the bin
    assert drop(s.strip.tile("end_frame"), mime)
    assert s.doc.storyboard.end_frame == asset.hash
    assert s.doc.undo_stack.undoText() == "Set end frame"
