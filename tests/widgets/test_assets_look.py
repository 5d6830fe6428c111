"""Assets panel: a tidy screenshot with real imports (one image with a finding, a video).

Set ``KLING_STUDIO_SCREENSHOTS=/some/dir`` to keep ``assets_panel.png``; otherwise it goes to the
test's tmp dir.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPixmap
from pytestqt.qtbot import QtBot

from kling_studio.widgets.assets.delegate import SEVERITY_ROLE
from tests.qt.assets_support import Setup, clip, drop, file_mime, panels, photo

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def make(qtbot: QtBot) -> Iterator[Callable[..., Setup]]:
    with panels(qtbot) as factory:
        yield factory


def test_assets_panel_screenshot(qtbot: QtBot, make: Callable[..., Setup], tmp_path: Path) -> None:
    s = make("kling-v3-omni", shots=3, size=(600, 960))
    media = tmp_path / "media"
    media.mkdir()
    start = photo(media / "harbour at dawn.jpg", 1600, 900)
    refs = [photo(media / "café counter.jpg", 1200, 900), photo(media / "barista.png", 900, 1200)]
    tiny = photo(media / "logo-240.png", 240, 240)
    video = clip(media / "street walk.mp4", seconds=12)
    assert drop(s.strip.tile("start_frame"), file_mime([start]))
    assert drop(s.strip.tile("reference_images+"), file_mime(refs))
    assert drop(s.strip.tile("reference_video"), file_mime([video]))
    assert drop(s.bin, file_mime([tiny], urls=["https://cdn.example.com/boards/sky.png"]))
    qtbot.waitUntil(lambda: s.doc.storyboard.reference_video is not None, timeout=20_000)
    s.wait_idle(qtbot)
    qtbot.waitUntil(
        lambda: all(
            t._pixmap is not None for t in s.strip.tiles.values() if t.asset_ref is not None
        ),
        timeout=10_000,
    )
    names = sorted(s.bin.list.item(i).text() for i in range(s.bin.list.count()))
    assert names == sorted(
        [
            "harbour at dawn.jpg",
            "café counter.jpg",
            "barista.png",
            "street walk.mp4",
            "logo-240.png",
            "sky.png",
        ]
    )
    tiny_item = next(
        s.bin.list.item(i)
        for i in range(s.bin.list.count())
        if s.bin.list.item(i).text() == "logo-240.png"
    )
    assert tiny_item.data(SEVERITY_ROLE) == "error"
    assert_tidy(s)
    shot = s.panel.grab()
    out = Path(os.environ.get("KLING_STUDIO_SCREENSHOTS", tmp_path)) / "assets_panel.png"
    assert shot.save(str(out))
    assert QPixmap(str(out)).width() == 600


def assert_tidy(s: Setup) -> None:
    """Tiles sit inside the panel and never overlap; every bin row has its thumbnail."""
    tiles = [t for t in s.strip.tiles.values() if t.isVisible()]
    rects = [QRect(t.mapTo(s.panel, t.rect().topLeft()), t.size()) for t in tiles]
    for i, r in enumerate(rects):
        assert s.panel.rect().contains(r) or r.right() > s.panel.width()  # may scroll sideways
        assert not any(r.intersects(o) for o in rects[i + 1 :])
    for i in range(s.bin.list.count()):
        item = s.bin.list.item(i)
        if item.text() != "sky.png":  # a link has no picture to show
            assert isinstance(item.data(Qt.ItemDataRole.DecorationRole), QPixmap)
