"""The Preview area: the animatic (before paying), a generated take, or two takes compared."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.playback import Boundary, shot_boundaries
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets.preview.animatic import AnimaticPlayer, ImageProvider
from kling_studio.widgets.preview.compare import TakeCompare
from kling_studio.widgets.preview.result_player import ResultPlayer, Take

__all__ = [
    "AnimaticPlayer",
    "PreviewPanel",
    "ResultPlayer",
    "Take",
    "TakeCompare",
    "shot_boundaries",
]

ANIMATIC, RESULT, COMPARE = 0, 1, 2


class PreviewPanel(QWidget):
    """Tabs "Animatic" | "Result" | "Compare".

    Selecting a shot elsewhere moves the paused animatic to that shot; leaving a tab pauses what
    played there. Playback does not change the selection (the inspector must not jump while the
    user types).

    Signals:
        position_changed(float): the playhead of the visible animatic or take, in seconds.
    """

    position_changed = Signal(float)

    def __init__(
        self,
        doc: StoryboardDocument,
        selection: ShotSelection,
        image_for: ImageProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._selection = selection
        self.animatic = AnimaticPlayer(doc, image_for, self)
        self.result = ResultPlayer(self)
        self.compare_view = TakeCompare(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.animatic, "Animatic")
        self.tabs.addTab(self.result, "Result")
        self.tabs.addTab(self.compare_view, "Compare")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.tabs)
        self._tab = ANIMATIC
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.animatic.position_changed.connect(self._on_animatic_position_changed)
        self.result.position_changed.connect(self._on_result_position_changed)
        selection.current_changed.connect(self._on_selection_current_changed)

    def show_animatic(self) -> None:
        self.tabs.setCurrentIndex(ANIMATIC)
        self.animatic.setFocus()

    def show_take(
        self, path: Path | str, boundaries: Sequence[Boundary] | None = None, label: str = ""
    ) -> None:
        """Play a take; without ``boundaries`` the current storyboard's shots are used."""
        bounds = shot_boundaries(self._doc.storyboard) if boundaries is None else boundaries
        self.result.load(path, bounds, label)
        self.tabs.setCurrentIndex(RESULT)
        self.result.setFocus()

    def compare(self, take_a: Take, take_b: Take) -> None:
        self.compare_view.load(take_a, take_b)
        self.tabs.setCurrentIndex(COMPARE)

    def _on_tabs_current_changed(self, index: int) -> None:
        if self._tab == ANIMATIC:
            self.animatic.pause()
        elif self._tab == RESULT:
            self.result.pause()
        else:
            self.compare_view.left.pause()
            self.compare_view.right.pause()
        self._tab = index

    def _on_animatic_position_changed(self, seconds: float) -> None:
        if self._tab == ANIMATIC:
            self.position_changed.emit(seconds)

    def _on_result_position_changed(self, seconds: float) -> None:
        if self._tab == RESULT:
            self.position_changed.emit(seconds)

    def _on_selection_current_changed(self, _shot_id: str) -> None:
        index = self._selection.current_index
        if not self.animatic.is_playing and self.animatic.current_shot != index:
            self.animatic.seek_shot(index)
