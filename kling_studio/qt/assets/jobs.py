"""Work done on the asset library's worker threads: importing, thumbnails, full images.

Nothing here touches widgets, pixmaps or signals: each job returns a :class:`Result` (plain
:class:`Asset` s and :class:`QImage` s, both safe off the GUI thread) that the library hands back to
the GUI thread. Jobs never raise: a failure is a result with an ``error`` (or a null image), so a
batch of imports always completes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader

from kling_studio.domain.storyboard import Asset
from kling_studio.project import MediaError, Project, ProjectError, make_thumbnail

log = logging.getLogger(__name__)

THUMB_SIDE = 256
IMAGE_SIDE = 1920  # the preview never needs more; a 24 MP photo would cost 96 MB as a QImage
WORKER_NICE = 5  # imports may take a little longer; the GUI must not stutter

Then = Callable[[list[Asset]], None]


@dataclass
class Batch:
    """One call of :meth:`AssetLibrary.import_files`; ``then`` runs when every file is done."""

    remaining: int
    then: Then | None
    assets: list[Asset | None] = field(default_factory=list)  # by position in the call
    orders: list[int] = field(default_factory=list)  # the library's order of each file


@dataclass(frozen=True)
class Result:
    generation: int
    job: str  # "import", "thumb" or "image"
    key: str  # the source file's name (import) or the asset hash
    asset: Asset | None = None
    image: QImage | None = None
    error: str | None = None
    batch: Batch | None = None
    position: int = 0


def lower_priority() -> None:
    """Let the GUI thread win the CPU: on Linux a thread has its own nice value."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)


# ----- jobs (run on a worker thread: no widgets, no pixmaps, no signals but the relay's) -----


def import_file(
    project: Project, src: Path, generation: int, batch: Batch, position: int
) -> Result:
    result = partial(Result, generation, "import", src.name, batch=batch, position=position)
    try:
        asset = project.import_asset(src)
        stored = project.asset_path(asset) or src
    except (MediaError, ProjectError) as exc:
        return result(error=str(exc))
    except Exception as exc:  # a bug must not leave the batch waiting forever
        log.exception("importing %s failed", src.name)
        return result(error=f"{src.name}: could not be imported ({type(exc).__name__})")
    return result(asset=asset, image=_thumbnail(stored, asset))


def preview(project: Project, asset: Asset, job: str, generation: int) -> Result:
    image: QImage | None = None
    try:
        path = project.asset_path(asset)
        if path is not None:
            image = _thumbnail(path, asset) if job == "thumb" else _full_image(path, asset)
    except Exception:  # a preview that fails is shown as a placeholder, never a crash
        log.exception("preview of %s failed", asset.name or asset.hash[:12])
    return Result(generation, job, asset.hash, image=image)


def _thumbnail(path: Path, asset: Asset) -> QImage:
    try:
        png = make_thumbnail(path, asset.kind, THUMB_SIDE)
    except MediaError:
        return QImage()
    except Exception:  # the file is imported; a missing preview must not undo that
        log.exception("thumbnail of %s failed", path.name)
        return QImage()
    return QImage.fromData(png)


def _full_image(path: Path, asset: Asset) -> QImage:
    if asset.kind != "image":  # a video's first frame, at preview size
        try:
            return QImage.fromData(make_thumbnail(path, asset.kind, IMAGE_SIDE))
        except MediaError:
            return QImage()
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # phones store portraits sideways plus an EXIF flag
    size = reader.size()
    longest = max(size.width(), size.height())
    if size.isValid() and longest > IMAGE_SIDE:
        scale = IMAGE_SIDE / longest
        scaled = QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        reader.setScaledSize(scaled)  # libjpeg decodes at reduced scale: far less work
    return reader.read()
