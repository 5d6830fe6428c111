"""What a drag carries: bin items (our own MIME type, by hash), local files and web links.

Every drop target of the assets panel reads drags through :func:`read_drop` and turns them into
assets with :func:`resolve_drop`: bin items and links are ready at once, files are imported by
the library first (off the GUI thread), so the caller gets the assets through a callback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.project import MediaError
from kling_studio.project.media.kinds import kind_from_name
from kling_studio.qt.assets import AssetLibrary

ASSET_MIME = "application/x-kling-studio-asset"
Edit = Callable[[Storyboard], Storyboard]


@dataclass(frozen=True)
class Dropped:
    """The usable contents of a drag."""

    hashes: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
    urls: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.hashes or self.files or self.urls)


def asset_mime(hashes: list[str], names: list[str] | None = None) -> QMimeData:
    """Mime data for bin items dragged elsewhere (the names go along as plain text)."""
    data = QMimeData()
    data.setData(ASSET_MIME, "\n".join(hashes).encode())
    data.setText("\n".join(names or hashes))
    return data


def read_drop(mime: QMimeData) -> Dropped:
    """Bin items, local files and http(s) links in a drag; anything else is ignored."""
    if mime.hasFormat(ASSET_MIME):
        raw = bytes(mime.data(ASSET_MIME).data()).decode(errors="replace")
        return Dropped(hashes=tuple(h for h in raw.split() if h))
    files: list[Path] = []
    urls: list[str] = []
    for url in mime.urls() if mime.hasUrls() else []:
        _sort_url(url, files, urls)
    if not files and not urls and mime.hasText():  # browsers sometimes send a bare link
        text = mime.text().strip()
        if text.startswith(("http://", "https://")) and "\n" not in text:
            urls.append(text)
    return Dropped(files=tuple(files), urls=tuple(urls))


def _sort_url(url: QUrl, files: list[Path], urls: list[str]) -> None:
    if url.isLocalFile():
        files.append(Path(url.toLocalFile()))
    elif url.scheme() in ("http", "https"):
        urls.append(url.toString())


def guess_kinds(dropped: Dropped, known: Callable[[str], Asset | None]) -> set[str | None]:
    """The kinds a drop is expected to bring (None = cannot tell before importing)."""
    kinds: set[str | None] = set()
    for ref in dropped.hashes:
        asset = known(ref)
        kinds.add(asset.kind if asset is not None else None)
    for name in (*dropped.files, *(Path(u.split("?")[0]) for u in dropped.urls)):
        try:
            kinds.add(kind_from_name(Path(name)))
        except MediaError:
            kinds.add(None)  # the import will say what is wrong with it
    return kinds


def known_asset(library: AssetLibrary, sb: Storyboard, ref: str) -> Asset | None:
    """The record of ``ref``: the storyboard's (the truth, e.g. its URL) or the library's."""
    for asset in sb.assets:
        if asset.hash == ref:
            return asset
    return library.asset(ref)


def resolve_drop(
    dropped: Dropped,
    library: AssetLibrary,
    sb: Storyboard,
    then: Callable[[list[Asset]], None],
) -> None:
    """Turn a drop into assets and hand them to ``then`` (once, maybe after imports finish)."""
    ready = [a for a in (known_asset(library, sb, h) for h in dropped.hashes) if a is not None]
    ready += [a for a in (library.add_url(u) for u in dropped.urls) if a is not None]
    if not dropped.files:
        then(ready)
        return
    library.import_files(list(dropped.files), then=lambda imported: then(ready + imported))


def attach_all(slot: str, assets: list[Asset]) -> Edit:
    """One edit putting ``assets`` into ``slot`` (several only for reference images)."""
    chosen = assets if slot == "reference_images" else assets[:1]

    def edit(sb: Storyboard) -> Storyboard:
        out = sb
        for asset in chosen:
            if slot == "reference_images" and asset.hash in out.reference_images:
                continue  # already a reference: adding it again would be refused
            out = edits.attach(out, slot, asset)
        return out

    return edit
