"""AssetLibrary: imports into the project off the GUI thread, thumbnails, images, links."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtGui import QImage, QPixmap
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Asset
from kling_studio.qt.assets import AssetLibrary
from tests.qt.assets_support import (
    TickRecorder,
    big_photos,
    corrupt_jpeg,
    new_library,
    photo,
    qimage_array,
    stored_files,
)


def import_all(qtbot: QtBot, library: AssetLibrary, paths: list[Path]) -> list[Asset]:
    """Import and wait for the whole batch; returns the assets that made it, in call order."""
    done: list[list[Asset]] = []
    library.import_files(paths, then=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    return done[0]


def reference_thumbnail(src: Path, size: tuple[int, int]) -> np.ndarray:
    """What the picture should look like at thumbnail size (an independent full decode)."""
    with Image.open(src) as img:
        return np.asarray(img.convert("RGB").resize(size, Image.Resampling.BOX), np.int16)


def assert_looks_like(thumb: QImage, src: Path) -> None:
    got = qimage_array(thumb).astype(np.int16)
    want = reference_thumbnail(src, (thumb.width(), thumb.height()))
    assert np.abs(got - want).mean() < 8  # same picture (scaling filters differ a little)


def test_a_good_jpeg_is_stored_by_content_with_its_thumbnail(qtbot: QtBot, tmp_path: Path) -> None:
    project, library = new_library()
    src = photo(tmp_path / "harbour.jpg", 1200, 800)
    with qtbot.waitSignal(library.imported, timeout=10_000) as blocker:
        library.import_files([src])
    asset, thumb = blocker.args
    assert (asset.name, asset.kind, asset.format) == ("harbour.jpg", "image", "jpeg")
    assert (asset.width, asset.height) == (1200, 800)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    assert asset.hash == digest
    assert stored_files(project) == [project.asset_path(asset)]
    assert project.asset_path(asset).name == f"{digest}.jpeg"  # type: ignore[union-attr]
    assert project.asset_path(asset).read_bytes() == src.read_bytes()  # type: ignore[union-attr]
    assert (thumb.width(), thumb.height()) == (256, 171)
    assert_looks_like(thumb, src)
    pixmap = library.thumbnail_for(asset.hash)
    assert isinstance(pixmap, QPixmap) and pixmap.width() == 256
    assert library.assets == (asset,)
    library.close()


def test_the_same_bytes_under_another_name_are_stored_once(qtbot: QtBot, tmp_path: Path) -> None:
    project, library = new_library()
    first = photo(tmp_path / "a.jpg")
    second = tmp_path / "copy of a.jpg"
    shutil.copy(first, second)
    got = import_all(qtbot, library, [first, second])
    assert [a.hash for a in got] == [got[0].hash] * 2
    assert len(stored_files(project)) == 1
    assert [a.name for a in library.assets] == ["a.jpg"]  # the first name is kept
    library.close()


def test_bad_files_fail_with_a_reason_and_change_nothing_else(qtbot: QtBot, tmp_path: Path) -> None:
    project, library = new_library()
    good = photo(tmp_path / "good.jpg")
    broken = corrupt_jpeg(tmp_path / "broken.jpg", photo(tmp_path / "whole.jpg", 900, 600))
    notes = tmp_path / "notes.txt"
    notes.write_text("shot list: harbour, café, sunset")
    huge = tmp_path / "huge.png"
    with huge.open("wb") as fh:  # sparse: 60 MB on paper, nothing on disk
        fh.truncate(60 * 1024 * 1024)
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(64))
    failures: list[tuple[str, str]] = []
    library.import_failed.connect(lambda name, message: failures.append((name, message)))
    got = import_all(qtbot, library, [broken, good, notes, tmp_path / "gone.png", huge, heic])
    assert [a.name for a in got] == ["good.jpg"]
    assert dict(failures) == {
        "broken.jpg": "broken.jpg: the file is damaged or not an image (it ends before the "
        "picture does)",
        "notes.txt": "notes.txt: not an image, video or audio file",
        "gone.png": "gone.png: no such file",
        "huge.png": "huge.png: 60 MB is too large to import; Kling Studio takes images up to "
        "50 MB (Kling's own limit is lower)",
        "IMG_0001.HEIC": "IMG_0001.HEIC: HEIC images are not supported — Kling takes JPG or PNG",
    }
    assert [p.name.split(".")[0] for p in stored_files(project)] == [got[0].hash]
    assert [a.name for a in library.assets] == ["good.jpg"]
    library.close()


def test_a_link_becomes_an_asset_without_any_download(qtbot: QtBot) -> None:
    project, library = new_library()
    url = "https://cdn.example.com/shots/hero%20frame.PNG?v=2"
    asset = library.add_url(url)
    assert asset is not None
    assert (asset.kind, asset.format, asset.url, asset.name) == (
        "image",
        "png",
        url,
        "hero frame.PNG",
    )
    assert asset.hash == hashlib.sha256(url.encode()).hexdigest()
    assert (asset.width, asset.bytes) == (None, 0)  # unknown until someone downloads it
    assert library.add_url(url) == asset and len(library.assets) == 1
    video = library.add_url("http://example.com/takes/clip.mp4")
    assert video is not None and video.kind == "video"
    assert library.thumbnail_for(asset.hash) is None  # nothing to preview
    failures: list[str] = []
    library.import_failed.connect(lambda _name, message: failures.append(message))
    assert library.add_url("https://example.com/gallery") is None
    assert library.add_url("ftp://example.com/a.jpg") is None
    assert failures == [
        "gallery: cannot tell what this link is; link straight to a .jpg, .png or .mp4 file",
        "a.jpg: only http(s) links can be used",
    ]
    assert len(library.assets) == 2
    assert stored_files(project) == []  # nothing was downloaded or copied
    library.close()


def test_full_images_load_lazily_off_thread_at_most_1920_px(qtbot: QtBot, tmp_path: Path) -> None:
    _, library = new_library()
    (asset,) = import_all(qtbot, library, [photo(tmp_path / "wide.jpg", 4000, 2000)])
    with qtbot.waitSignal(library.image_ready, timeout=10_000) as blocker:
        assert library.image_for(asset.hash) is None  # not yet: it loads in the background
    assert blocker.args == [asset.hash]
    image = library.image_for(asset.hash)
    assert image is not None and (image.width(), image.height()) == (1920, 960)
    assert library.image_for("0" * 64) is None  # unknown hashes are not an error
    library.close()


def test_opening_a_project_reloads_the_thumbnails_it_uses(qtbot: QtBot, tmp_path: Path) -> None:
    project, first = new_library()
    (asset,) = import_all(qtbot, first, [photo(tmp_path / "start.jpg")])
    first.close()
    sb = edits.attach(project.storyboard, "start_frame", asset)
    library = AssetLibrary()
    library.set_project(project)
    assert library.thumbnail_for(asset.hash) is None
    with qtbot.waitSignal(library.thumbnail_ready, timeout=10_000) as blocker:
        library.prime(sb)
    assert blocker.args == [asset.hash]
    assert library.assets == (asset,)
    pixmap = library.thumbnail_for(asset.hash)
    assert pixmap is not None and (pixmap.width(), pixmap.height()) == (256, 171)
    library.close()


def test_results_for_a_replaced_project_are_dropped(qtbot: QtBot, tmp_path: Path) -> None:
    first, library = new_library()
    library.import_files([photo(tmp_path / "late.jpg")])
    other, spare = new_library()
    spare.close()
    library.set_project(other)
    qtbot.waitUntil(lambda: len(stored_files(first)) == 1, timeout=10_000)  # it went on
    qtbot.wait(300)  # for its thumbnail and its queued result, which must be ignored
    assert library.assets == () and library.pending == 0
    library.close()


@pytest.fixture(scope="session")
def photos_24mp(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return big_photos(tmp_path_factory)


def test_twenty_24_megapixel_photos_import_while_the_gui_ticks(
    qtbot: QtBot, photos_24mp: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, library = new_library()
    thumbs: dict[str, QImage] = {}
    library.imported.connect(lambda asset, image: thumbs.__setitem__(asset.hash, image))
    ticks = TickRecorder()
    ticks.start()
    got = import_all(qtbot, library, photos_24mp)
    ticks.stop()
    assert [a.name for a in got] == [p.name for p in photos_24mp]
    assert len({a.hash for a in got}) == 20 and len(stored_files(project)) == 20
    assert all((a.width, a.height) == (6000, 4000) for a in got)
    assert all((t.width(), t.height()) == (256, 171) for t in thumbs.values())
    assert_looks_like(thumbs[got[0].hash], photos_24mp[0])
    assert_looks_like(thumbs[got[-1].hash], photos_24mp[-1])
    with capsys.disabled():
        print(f"\n20 × 24 MP import: longest GUI-thread gap {ticks.max_gap_ms:.1f} ms")
    library.close()


def test_an_unused_import_is_listed_again_after_reopening(qtbot: QtBot, tmp_path: Path) -> None:
    from kling_studio.domain import edits
    from kling_studio.project import Project
    from kling_studio.qt.assets import AssetLibrary
    from tests.project.media_factory import make_image

    sb = edits.new_storyboard(total=5)
    project = Project.create(tmp_path / "Bin.kstudio", sb)
    spare = project.import_asset(make_image(tmp_path / "spare.jpg", 900, 600))
    project.save(sb)
    library = AssetLibrary()
    try:
        library.set_project(Project.open(tmp_path / "Bin.kstudio"))
        library.prime(sb)
        assert [a.hash for a in library.assets] == [spare.hash]
        qtbot.waitUntil(lambda: library.thumbnail_for(spare.hash) is not None, timeout=10_000)
    finally:
        library.close()
