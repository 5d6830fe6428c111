"""SlotStrip: the storyboard's input slots as drop targets with thumbnails.

Start frame, end frame, static mask and reference video on the first row; the reference images
(``<<<image_N>>>``, up to the model's maximum) on the second. A slot the current model does not
take is disabled and its tooltip says which model does. Drops of files and links are imported
through the :class:`~kling_studio.qt.assets.AssetLibrary` and then attached; drops of bin items
are attached at once. Every attach and every ✕ is one undo step.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kling_studio.domain import edits
from kling_studio.domain.catalog import Catalog
from kling_studio.domain.findings import Finding
from kling_studio.domain.providers import ProviderProfiles
from kling_studio.domain.rules import check
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.qt.assets import AssetLibrary
from kling_studio.qt.document import ASSETS, SETTINGS, DocumentChange, StoryboardDocument
from kling_studio.widgets.assets import advice
from kling_studio.widgets.assets.mime import Dropped, attach_all, guess_kinds, resolve_drop
from kling_studio.widgets.assets.tile import SMALL_TILE, TILE, SlotTile

SINGLE_SLOTS = ("start_frame", "end_frame", "static_mask", "reference_video")
ADD_IMAGE = "reference_images+"  # the tile that appends a reference image
DEFAULT_MAX_IMAGES = 7


class SlotStrip(QWidget):
    """Drop targets for every slot of the storyboard.

    Attributes:
        tiles: ``start_frame``, ``end_frame``, ``static_mask``, ``reference_video``,
            ``reference_images[N]`` (attached images) and ``reference_images+`` (the add tile).

    Signals:
        message(str): a refusal or an import failure to show in the status bar.
    """

    message = Signal(str)

    def __init__(
        self,
        doc: StoryboardDocument,
        library: AssetLibrary,
        catalog: Catalog,
        providers: ProviderProfiles | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._library = library
        self._catalog = catalog
        self._providers = providers
        self.tiles: dict[str, SlotTile] = {}
        self._build()
        doc.changed.connect(self._on_doc_changed)
        library.thumbnail_ready.connect(self._on_library_thumbnail_ready)
        self.refresh()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.setSpacing(8)
        for key in SINGLE_SLOTS:
            tile = self._make_tile(key, advice.SLOT_NAMES[key])
            top.addWidget(tile)
        top.addStretch(1)
        self._images_row = QHBoxLayout()
        self._images_row.setContentsMargins(0, 0, 0, 0)
        self._images_row.setSpacing(6)
        self._images_row.addStretch(1)
        strip = QWidget()
        strip.setLayout(self._images_row)
        self._images_area = QScrollArea(self)
        self._images_area.setWidget(strip)
        self._images_area.setWidgetResizable(True)
        self._images_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self._images_area.setFixedHeight(SMALL_TILE.height() + 18)
        self._images_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.images_label = QLabel(
            "<b>Reference images</b> &nbsp;·&nbsp; refer to them in prompts as "
            "&lt;&lt;&lt;image_1&gt;&gt;&gt;, &lt;&lt;&lt;image_2&gt;&gt;&gt; …",
            self,
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.images_label)
        layout.addWidget(self._images_area)

    def _make_tile(self, key: str, title: str, index: int = -1, small: bool = False) -> SlotTile:
        slot = advice.slot_key(key)
        tile = SlotTile(
            key,
            title,
            partial(self._refusal, slot),
            index,
            SMALL_TILE if small else TILE,
            self,
        )
        tile.dropped.connect(lambda d, t=tile: self.drop(t.key, d))
        tile.detach_requested.connect(lambda t=tile: self.detach(t.key))
        self.tiles[key] = tile
        return tile

    # ----- operations (also used by tests) -----

    def tile(self, key: str) -> SlotTile:
        return self.tiles[key]

    def drop(self, key: str, dropped: Dropped) -> None:
        """Attach what was dropped on tile ``key`` (after importing files); one undo step."""
        slot = advice.slot_key(key)
        resolve_drop(dropped, self._library, self._doc.storyboard, lambda a: self._attach(slot, a))

    def detach(self, key: str) -> None:
        """Empty the slot of tile ``key``; one undo step."""
        slot = advice.slot_key(key)
        tile = self.tiles[key]
        index = tile.index if slot == "reference_images" else None
        what = f"reference image {index + 1}" if index is not None else tile.title.lower()
        self._doc.apply(lambda sb: edits.detach(sb, slot, index), f"Remove {what}", initiator=self)

    def _attach(self, slot: str, assets: list[Asset]) -> None:
        kind = advice.SLOT_KIND[slot]
        fitting = [a for a in assets if a.kind == kind]
        wrong = [a for a in assets if a.kind != kind]
        if wrong:
            names = ", ".join(a.name or a.hash[:12] for a in wrong)
            self.message.emit(f"{advice.SLOT_NAMES[slot]} takes an {kind}; not used: {names}")
        if slot == "reference_images":
            fitting = fitting[
                : max(0, self._max_images() - len(self._doc.storyboard.reference_images))
            ]
        if fitting:
            self._doc.apply(attach_all(slot, fitting), advice.UNDO_TEXT[slot], initiator=self)

    def _refusal(self, slot: str, dropped: Dropped) -> str | None:
        """Why ``dropped`` cannot go into ``slot`` now, or None when it can."""
        kind = advice.SLOT_KIND[slot]
        kinds = guess_kinds(dropped, self._library.asset)
        if kind not in kinds and None not in kinds:
            return f"{advice.SLOT_NAMES[slot]} takes an {kind}"
        if slot == "reference_images" and self._free_images() == 0:
            return f"{self._model_name()} takes at most {self._max_images()} reference images"
        return None

    # ----- refresh -----

    def refresh(self) -> None:
        sb = self._doc.storyboard
        findings = check(sb, self._catalog, self._providers) if sb.slot_refs() else ()
        for key in SINGLE_SLOTS:
            ref = (
                getattr(sb, key)
                if key != "reference_video"
                else (sb.reference_video.asset if sb.reference_video is not None else None)
            )
            self._show(self.tiles[key], sb, ref, findings)
        self._rebuild_images(sb, findings)

    def _show(
        self, tile: SlotTile, sb: Storyboard, ref: str | None, findings: tuple[Finding, ...]
    ) -> None:
        model = sb.settings.model
        slot = advice.slot_key(tile.key)
        takes = advice.model_takes(self._catalog, model, slot)
        tile.accepting = takes and (tile.key != ADD_IMAGE or self._free_images() > 0)
        tile.setEnabled(takes or ref is not None)  # a filled slot stays clickable to detach
        asset = _find(sb, ref)
        if asset is None:
            tile.show_asset(None, "", advice.SLOT_KIND[slot], None)
            tile.severity = ""
            kind = advice.SLOT_KIND[slot]
            tip = f"Drop an {kind} here, from the bin or from your files"
        else:
            path = f"reference_images[{tile.index}]" if tile.index >= 0 else slot
            about = advice.findings_about(findings, asset, [path])
            adv = advice.Advice(about, advice.SLOT_NAMES[slot])
            tile.severity = adv.severity
            tile.show_asset(
                asset.hash,
                asset.name or asset.hash[:12],
                asset.kind,
                self._library.thumbnail_for(asset.hash),
            )
            tip = advice.tooltip(asset, adv)
        if not takes:
            reason = advice.missing_slot_reason(self._catalog, model, slot)
            tip = f"{reason}\n\n{tip}" if asset is not None else reason
        elif tile.key == ADD_IMAGE and not tile.accepting:
            tip = f"{self._model_name()} takes at most {self._max_images()} reference images"
        tile.setToolTip(tip)

    def _rebuild_images(self, sb: Storyboard, findings: tuple[Finding, ...]) -> None:
        for key in [k for k in self.tiles if k.startswith("reference_images")]:
            tile = self.tiles.pop(key)
            self._images_row.removeWidget(tile)
            tile.deleteLater()
        for i, ref in enumerate(sb.reference_images):
            tile = self._make_tile(f"reference_images[{i}]", f"<<<image_{i + 1}>>>", i, small=True)
            self._images_row.insertWidget(i, tile)
            self._show(tile, sb, ref, findings)
        add = self._make_tile(ADD_IMAGE, "Add image", small=True)
        add.empty_text = "Drop images here"
        self._images_row.insertWidget(len(sb.reference_images), add)
        self._show(add, sb, None, findings)
        takes = advice.model_takes(self._catalog, sb.settings.model, "reference_images")
        self.images_label.setEnabled(takes)
        self.images_label.setToolTip(
            ""
            if takes
            else advice.missing_slot_reason(self._catalog, sb.settings.model, "reference_images")
        )

    def _max_images(self) -> int:
        entry = self._catalog.kling(self._doc.storyboard.settings.model)
        param = entry.param("reference_images") if entry is not None else None
        return param.max_items if param is not None and param.max_items else DEFAULT_MAX_IMAGES

    def _free_images(self) -> int:
        return max(0, self._max_images() - len(self._doc.storyboard.reference_images))

    def _model_name(self) -> str:
        entry = self._catalog.kling(self._doc.storyboard.settings.model)
        return entry.name if entry is not None else self._doc.storyboard.settings.model

    # ----- slots -----

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if change.kinds & {ASSETS, SETTINGS}:
            self.refresh()

    def _on_library_thumbnail_ready(self, ref: str) -> None:
        for tile in self.tiles.values():
            if tile.asset_ref == ref:
                tile.set_pixmap(self._library.thumbnail_for(ref))


def _find(sb: Storyboard, ref: str | None) -> Asset | None:
    if ref is None:
        return None
    try:
        return sb.asset(ref)
    except KeyError:
        return None
