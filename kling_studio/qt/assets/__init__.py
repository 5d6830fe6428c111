"""AssetLibrary: the current project's media, imported and previewed off the GUI thread.

Probing, hashing, copying into the project and decoding thumbnails all block on disk and
decoders, so they run on a small worker pool (2 threads: the machines have 2 cores and the GUI
needs one). Workers never touch widgets or pixmaps: they return plain :class:`Asset` objects and
:class:`QImage` s (safe off the GUI thread) through a queued signal; the GUI thread then turns
images into pixmaps and updates its caches. Results from a project that was replaced meanwhile
are dropped (each job carries the generation it was started for).

    library = AssetLibrary()
    library.set_project(project)
    library.prime(doc.storyboard)                  # thumbnails of what the storyboard uses
    library.import_files([Path("a.jpg")], then=lambda assets: ...)
    library.thumbnail_for(asset.hash)              # QPixmap, or None until thumbnail_ready
"""

from __future__ import annotations

import hashlib
import itertools
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.project import MediaError, Project
from kling_studio.project.media.kinds import kind_from_name
from kling_studio.qt.assets import jobs

__all__ = ["AssetLibrary"]

WORKERS = 2
IMAGE_CACHE = 8  # full images kept (each up to 1920×1280×4 ≈ 10 MB)
_FORMAT_ALIASES = {"jpg": "jpeg", "jpe": "jpeg", "jfif": "jpeg", "tif": "tiff"}


class _Relay(QObject):
    """Lives in the GUI thread; workers emit on it, so delivery is queued to the GUI thread."""

    done = Signal(object)


class AssetLibrary(QObject):
    """The assets known in the current project, with thumbnail and image caches.

    Signals:
        imported(Asset, QImage): a file was imported (once per file, duplicates included; the
            asset is the library's record, so a duplicate keeps the first file's name).
        import_failed(str, str): (file name, message for the user); nothing else changed.
        thumbnail_ready(str): the thumbnail of this asset hash can now be had.
        image_ready(str): the full (≤ 1920 px) image of this asset hash can now be had.
        assets_changed(): the list of known assets (or one's record) changed.
        pending_changed(int): how many imports are still running or queued.
    """

    imported = Signal(object, QImage)
    import_failed = Signal(str, str)
    thumbnail_ready = Signal(str)
    image_ready = Signal(str)
    assets_changed = Signal()
    pending_changed = Signal(int)

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(
            max_workers=WORKERS, thread_name_prefix="assets", initializer=jobs.lower_priority
        )
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_relay_done)
        self._project: Project | None = None
        self._generation = 0
        self._assets: dict[str, Asset] = {}
        # hash -> when it became known (imports count from when they were asked for), so the
        # list follows the order of a drop and a duplicate keeps the earlier file's name,
        # whichever worker finishes first.
        self._order: dict[str, int] = {}
        self._counter = itertools.count()
        self._thumbs: dict[str, QPixmap] = {}
        self._images: OrderedDict[str, QImage] = OrderedDict()
        self._loading: set[tuple[str, str]] = set()  # (job, hash) in flight
        self._failed: set[tuple[str, str]] = set()  # never retried for this project
        self._pending = 0
        self._closed = False
        app = QCoreApplication.instance()
        if app is not None:  # queued jobs must not outlive the application
            app.aboutToQuit.connect(self.close)
        if project is not None:
            self.set_project(project)

    # ----- project -----

    @property
    def project(self) -> Project | None:
        return self._project

    def set_project(self, project: Project | None) -> None:
        """Switch to ``project``: caches are emptied and results of older jobs ignored."""
        self._project = project
        self._generation += 1
        self._assets.clear()
        self._order.clear()
        self._thumbs.clear()
        self._images.clear()
        self._loading.clear()
        self._failed.clear()
        self._set_pending(0)
        self.assets_changed.emit()

    def prime(self, storyboard: Storyboard) -> None:
        """Know the project's assets (used or not) and the storyboard's, and (re)load their
        thumbnails in the background."""
        library = self._project.library if self._project is not None else ()
        for asset in (*library, *storyboard.assets):
            self.remember(asset)
            self._thumbs.pop(asset.hash, None)
            self._failed.discard(("thumb", asset.hash))
            self._load("thumb", asset)

    def close(self) -> None:
        """Stop the workers (queued jobs are dropped, running ones finish). Call before exit."""
        self._generation += 1
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)  # idempotent

    # ----- what is known -----

    @property
    def assets(self) -> tuple[Asset, ...]:
        """Every asset known in the project, in the order it became known."""
        return tuple(sorted(self._assets.values(), key=lambda a: self._order[a.hash]))

    @property
    def pending(self) -> int:
        return self._pending

    def asset(self, ref: str) -> Asset | None:
        return self._assets.get(ref)

    def remember(self, asset: Asset) -> None:
        """Add an asset (or update its record, e.g. a new URL) without any I/O."""
        self._order.setdefault(asset.hash, next(self._counter))
        if self._assets.get(asset.hash) != asset:
            self._assets[asset.hash] = asset
            self.assets_changed.emit()

    # ----- importing -----

    def import_files(self, paths: list[Path], *, then: jobs.Then | None = None) -> None:
        """Import files in the background; ``then`` gets the assets that made it, in order."""
        orders = [next(self._counter) for _ in paths]
        batch = jobs.Batch(len(paths), then, [None] * len(paths), orders)
        project, generation = self._project, self._generation
        if project is None:
            for p in paths:
                self.import_failed.emit(Path(p).name, f"{Path(p).name}: no project is open")
            self._finish(batch)
            return
        for i, p in enumerate(paths):
            self._set_pending(self._pending + 1)
            self._submit(partial(jobs.import_file, project, Path(p), generation, batch, i))
        if not paths:
            self._finish(batch)

    def add_url(self, url: str) -> Asset | None:
        """An asset for an http(s) URL (nothing is downloaded: its metadata stays unknown).

        The kind comes from the URL's extension; its hash is the SHA-256 of the URL.
        """
        url = url.strip()
        parts = urlsplit(url)
        name = PurePosixPath(unquote(parts.path)).name or parts.netloc or url[:40]
        try:
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise MediaError(f"{name}: only http(s) links can be used")
            kind = kind_from_name(Path(name))
            if kind is None:
                raise MediaError(
                    f"{name}: cannot tell what this link is; link straight to a .jpg, .png "
                    "or .mp4 file"
                )
            ext = PurePosixPath(name).suffix.lower().lstrip(".")
            asset = Asset(
                hash=hashlib.sha256(url.encode()).hexdigest(),
                kind=kind,
                format=_FORMAT_ALIASES.get(ext, ext),
                bytes=0,
                url=url,
                name=name[:512],
            )
        except (MediaError, ValidationError) as exc:
            message = str(exc) if isinstance(exc, MediaError) else f"{name}: not a usable link"
            self.import_failed.emit(name, message)
            return None
        self.remember(self._assets.get(asset.hash, asset))
        if self._project is not None:
            self._project.remember_asset(self._assets[asset.hash])
        return self._assets[asset.hash]

    # ----- previews -----

    def thumbnail_for(self, ref: str) -> QPixmap | None:
        """The asset's thumbnail (≤ 256 px), or None while it loads (see ``thumbnail_ready``)."""
        pixmap = self._thumbs.get(ref)
        if pixmap is None and ref in self._assets:
            self._load("thumb", self._assets[ref])
        return pixmap

    def image_for(self, ref: str) -> QImage | None:
        """The picture at up to 1920 px, or None while it loads (see ``image_ready``)."""
        image = self._images.get(ref)
        if image is not None:
            self._images.move_to_end(ref)
        elif ref in self._assets:
            self._load("image", self._assets[ref])
        return image

    # ----- workers -----

    def _submit(self, job: Callable[[], jobs.Result]) -> None:
        if self._closed:
            return
        relay = self._relay

        def run() -> None:
            relay.done.emit(job())

        self._pool.submit(run)

    def _load(self, job: str, asset: Asset) -> None:
        key = (job, asset.hash)
        project = self._project
        if project is None or key in self._loading or key in self._failed:
            return
        if job == "image" and asset.kind == "audio":
            return
        self._loading.add(key)
        generation = self._generation
        self._submit(partial(jobs.preview, project, asset, job, generation))

    def _on_relay_done(self, result: jobs.Result) -> None:
        if result.generation != self._generation:
            return
        if result.job == "import":
            self._on_imported(result)
            return
        self._loading.discard((result.job, result.key))
        if result.image is None or result.image.isNull():
            self._failed.add((result.job, result.key))
        elif result.job == "thumb":
            self._thumbs[result.key] = QPixmap.fromImage(result.image)
            self.thumbnail_ready.emit(result.key)
        else:
            self._images[result.key] = result.image
            while len(self._images) > IMAGE_CACHE:
                self._images.popitem(last=False)
            self.image_ready.emit(result.key)

    def _on_imported(self, result: jobs.Result) -> None:
        self._set_pending(max(0, self._pending - 1))
        batch = result.batch
        asset = result.asset
        if asset is None:
            self.import_failed.emit(result.key, result.error or f"{result.key}: failed")
        else:
            known = self._known_from_import(asset, batch.orders[result.position] if batch else None)
            image = result.image if result.image is not None else QImage()
            if not image.isNull() and asset.hash not in self._thumbs:
                self._thumbs[asset.hash] = QPixmap.fromImage(image)
                self._failed.discard(("thumb", asset.hash))
            if batch is not None:
                batch.assets[result.position] = known
            self.imported.emit(known, image)
            if not image.isNull():
                self.thumbnail_ready.emit(asset.hash)
        if batch is not None:
            batch.remaining -= 1
            if batch.remaining <= 0:
                self._finish(batch)

    def _known_from_import(self, asset: Asset, order: int | None) -> Asset:
        """The library's record after an import: new, or the existing one (renamed when this
        import was asked for before the one that named it)."""
        known = self._assets.get(asset.hash)
        if order is None:
            order = next(self._counter)
        if known is None:
            self._order[asset.hash] = order
            self.remember(asset)
            return asset
        if order < self._order[asset.hash]:
            self._order[asset.hash] = order
            if known.name != asset.name:
                known = Asset.model_validate({**known.model_dump(), "name": asset.name})
                self.remember(known)
        return known

    def _finish(self, batch: jobs.Batch) -> None:
        if batch.then is not None:
            then, batch.then = batch.then, None
            then([a for a in batch.assets if a is not None])

    def _set_pending(self, n: int) -> None:
        if n != self._pending:
            self._pending = n
            self.pending_changed.emit(n)
