"""Two takes side by side, with play/pause and seeks linked so the same moment is compared."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QLabel, QVBoxLayout, QWidget

from kling_studio.widgets.preview.result_player import ResultPlayer, Take


class TakeCompare(QWidget):
    """Two :class:`ResultPlayer` s; while "Link" is on, playing, pausing or seeking one does the
    same to the other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left = ResultPlayer(self)
        self.right = ResultPlayer(self)
        self.left_label = QLabel("Take A")
        self.right_label = QLabel("Take B")
        for label in (self.left_label, self.right_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        self.link = QCheckBox("Link playback")
        self.link.setToolTip("Play, pause and seek both takes together")
        self.link.setChecked(True)
        self._pair = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for label, player in ((self.left_label, self.left), (self.right_label, self.right)):
            side = QVBoxLayout()
            side.addWidget(label)
            side.addWidget(player, 1)
            self._pair.addLayout(side, 1)
        col = QVBoxLayout(self)
        col.addLayout(self._pair, 1)
        col.addWidget(self.link, 0, Qt.AlignmentFlag.AlignHCenter)
        # Side by side needs two players' width; a narrow dock stacks them instead (see
        # resizeEvent), so the panel never forces the main window to be wide.
        self.setMinimumWidth(self.left.minimumSizeHint().width() + 24)
        self._syncing = False
        for a, b in ((self.left, self.right), (self.right, self.left)):
            a.seeked.connect(lambda s, other=b: self._mirror(lambda: other.seek(s)))
            a.playing_changed.connect(
                lambda on, other=b: self._mirror(lambda: other.play() if on else other.pause())
            )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        side_by_side = 2 * self.left.minimumSizeHint().width() + 40
        wide = event.size().width() >= side_by_side
        self._pair.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        super().resizeEvent(event)

    @property
    def linked(self) -> bool:
        return self.link.isChecked()

    def set_linked(self, on: bool) -> None:
        self.link.setChecked(on)

    def load(self, take_a: Take, take_b: Take) -> None:
        for player, label, take, name in (
            (self.left, self.left_label, Take(*take_a), "A"),
            (self.right, self.right_label, Take(*take_b), "B"),
        ):
            label.setText(f"{name} · {take.label}" if take.label else f"Take {name}")
            player.load(take.path, take.boundaries, take.label)

    def _mirror(self, action: Callable[[], None]) -> None:
        # The other player's own signal would come back here: one hop only, never a ping-pong.
        if not self.linked or self._syncing:
            return
        self._syncing = True
        try:
            action()
        finally:
            self._syncing = False
