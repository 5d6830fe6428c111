"""Shared by the asset tests: real media files, real drag events, a library per project."""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.project import Project
from kling_studio.qt.assets import AssetLibrary
from kling_studio.qt.document import StoryboardDocument
from kling_studio.resources import load_catalog, load_providers
from kling_studio.widgets.assets import AssetBin, AssetsPanel, SlotStrip
from tests.project.media_factory import make_image, make_video

BIG = (6000, 4000)  # a 24-megapixel phone photo
COPY = Qt.DropAction.CopyAction


def new_library(sb_model: str = "kling-v3") -> tuple[Project, AssetLibrary]:
    """An unsaved project (files go to the test's isolated data dir) and its library."""
    project = Project.untitled(edits.new_storyboard(model=sb_model))
    return project, AssetLibrary(project)


def stored_files(project: Project) -> list[Path]:
    """The files in the project's ``assets/`` folder (not temp files)."""
    folder = project.takes_dir.parent / "assets"  # takes/ and assets/ are siblings
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


# ----- media -----


def photo(path: Path, width: int = 1200, height: int = 800) -> Path:
    return make_image(path, width, height, "PNG" if path.suffix == ".png" else "JPEG", quality=90)


def clip(path: Path, seconds: float = 12.0) -> Path:
    return make_video(path, seconds=seconds, fps=24, size=(320, 240))


def corrupt_jpeg(path: Path, good: Path) -> Path:
    """The first third of a real JPEG: the header reads, the picture data ends early."""
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def with_comment(jpeg: bytes, text: str) -> bytes:
    """The same picture with a JPEG comment segment after SOI: different bytes, same pixels."""
    payload = text.encode()
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def big_photos(factory: pytest.TempPathFactory, count: int = 20) -> list[Path]:
    """``count`` distinct 6000×4000 JPEGs, made once per test session (cached on disk)."""
    folder = factory.getbasetemp() / "photos-24mp"
    paths = [folder / f"IMG_{4000 + i}.jpg" for i in range(count)]
    if all(p.is_file() for p in paths):
        return paths
    folder.mkdir(exist_ok=True)
    base = make_image(folder / "base.jpg", *BIG, quality=90).read_bytes()
    for i, p in enumerate(paths):
        p.write_bytes(with_comment(base, f"copy {i}"))
    return paths


def qimage_array(image: QImage) -> np.ndarray:
    """An RGB uint8 array of a QImage (copied)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = np.frombuffer(bytes(rgb.constBits()), np.uint8)[: h * stride]  # type: ignore[arg-type]
    return raw.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


# ----- drag and drop with real events -----


def file_mime(paths: Sequence[Path] = (), urls: Sequence[str] = ()) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths] + [QUrl(u) for u in urls])
    return mime


def drag_over(widget: QWidget, mime: QMimeData, pos: QPoint | None = None) -> bool:
    """Enter and move over ``widget``; True when it accepts the drag."""
    pos = pos or widget.rect().center()
    enter = QDragEnterEvent(pos, COPY, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0))
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(pos, COPY, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0))
    QApplication.sendEvent(widget, move)
    return enter.isAccepted() and move.isAccepted()


def leave(widget: QWidget) -> None:
    QApplication.sendEvent(widget, QDragLeaveEvent())


def drop(widget: QWidget, mime: QMimeData, pos: QPoint | None = None) -> bool:
    """A whole drag-and-drop onto ``widget``; True when the drop was accepted."""
    pos = pos or widget.rect().center()
    if not drag_over(widget, mime, pos):
        leave(widget)
        return False
    event = QDropEvent(QPointF(pos), COPY, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0))
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


# ----- GUI responsiveness -----


class TickRecorder:
    """A 10 ms QTimer on the GUI thread; ``max_gap_ms`` is the longest wait between ticks."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self.times = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _on_timer_timeout(self) -> None:
        self.times.append(time.perf_counter())

    @property
    def max_gap_ms(self) -> float:
        gaps = np.diff(self.times) if len(self.times) > 1 else np.array([0.0])
        return float(gaps.max() * 1000)


# ----- the panel, wired as the app wires it -----


@dataclass
class Setup:
    project: Project
    library: AssetLibrary
    doc: StoryboardDocument
    panel: AssetsPanel

    @property
    def bin(self) -> AssetBin:
        return self.panel.bin

    @property
    def strip(self) -> SlotStrip:
        return self.panel.slot_strip

    def wait_idle(self, qtbot: QtBot) -> None:
        """Until every import has finished and the bin has refreshed."""
        qtbot.waitUntil(lambda: self.library.pending == 0, timeout=30_000)
        qtbot.wait(20)


@contextmanager
def panels(qtbot: QtBot) -> Iterator[Callable[..., Setup]]:
    """``make(model, shots)`` builds a shown AssetsPanel; libraries are closed afterwards."""
    made: list[Setup] = []

    def make(model: str = "kling-v3", shots: int = 1, size: tuple[int, int] = (640, 640)) -> Setup:
        project, library = new_library(model)
        doc = StoryboardDocument(edits.new_storyboard(model=model, total=10, shots=shots))
        panel = AssetsPanel(doc, library, load_catalog(), providers=load_providers())
        qtbot.addWidget(panel)
        panel.resize(*size)
        panel.show()
        qtbot.waitExposed(panel)
        setup = Setup(project, library, doc, panel)
        made.append(setup)
        return setup

    try:
        yield make
    finally:
        for setup in made:
            setup.library.close()
