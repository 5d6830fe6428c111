"""The assets panel: the slot strip (what the storyboard uses) over the asset bin (everything).

Public entry points: :class:`AssetsPanel`, :class:`AssetBin`, :class:`SlotStrip`,
:class:`TimelineDropHandler` and :data:`ASSET_MIME` (the drag type of bin items).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.providers import ProviderProfiles
from kling_studio.qt.assets import AssetLibrary
from kling_studio.qt.document import StoryboardDocument
from kling_studio.widgets.assets.bin import AssetBin
from kling_studio.widgets.assets.mime import ASSET_MIME
from kling_studio.widgets.assets.slots import SlotStrip
from kling_studio.widgets.assets.timeline_drop import TimelineDropHandler

__all__ = ["ASSET_MIME", "AssetBin", "AssetsPanel", "SlotStrip", "TimelineDropHandler"]


class AssetsPanel(QWidget):
    """Slot strip above the bin, sharing one library; messages of both go to ``message``.

    Attributes:
        slot_strip: the :class:`SlotStrip`.
        bin: the :class:`AssetBin`.

    Signals:
        message(str): an import failure or a refused drop, for the status bar.
    """

    message = Signal(str)

    def __init__(
        self,
        doc: StoryboardDocument,
        library: AssetLibrary,
        catalog: Catalog,
        parent: QWidget | None = None,
        *,
        providers: ProviderProfiles | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._library = library
        self._catalog = catalog
        self.slot_strip = SlotStrip(doc, library, catalog, providers, self)
        self.bin = AssetBin(doc, library, catalog, providers, self)
        self.slot_strip.message.connect(self._on_child_message)
        self.bin.message.connect(self._on_child_message)
        heading = QLabel("Project media", self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.slot_strip)
        layout.addWidget(heading)
        layout.addWidget(self.bin, 1)

    def install_on_timeline(self, timeline: QWidget) -> TimelineDropHandler:
        """Let ``timeline`` (a TimelineWidget) take drops of files, links and bin items."""
        handler = TimelineDropHandler(timeline, self._doc, self._library, self._catalog)
        handler.hint_changed.connect(self._on_child_message)
        return handler

    def _on_child_message(self, text: str) -> None:
        self.message.emit(text)
