"""The transport row under a result video: play, frame steps, time, "Loop shot N"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QWidget,
)

from kling_studio.qt.playback import shot_at

if TYPE_CHECKING:
    from kling_studio.widgets.preview.result_player import ResultPlayer


class ResultControls(QWidget):
    """Buttons and read-outs; every action calls the public API of a :class:`ResultPlayer`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        icons = self.style()
        self.play_button = self._button("Play", "Play / pause (Space)")
        self.play_button.setIcon(icons.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.back_button = self._button("Frame back", "One frame back (Left or ,)")
        self.back_button.setIcon(icons.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward))
        self.forward_button = self._button("Frame forward", "One frame forward (Right or .)")
        self.forward_button.setIcon(icons.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward))
        self.time_label = QLabel("00:00:00:00 / 00:00:00:00")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.time_label.setFont(mono)
        self.time_label.setAccessibleName("Time")
        # In a narrow pane (two takes side by side) the read-out may be clipped, not the layout.
        self.time_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.time_label.setMinimumWidth(40)
        self.loop_button = self._button("Loop shot", "Repeat one shot of the take")
        self.loop_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.loop_button.setCheckable(True)
        self.shot_combo = QComboBox()
        self.shot_combo.setAccessibleName("Shot to loop or go to")
        self.shot_combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shot_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.shot_combo.setMinimumContentsLength(8)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.play_button, self.back_button, self.forward_button):
            row.addWidget(w)
        row.addWidget(self.time_label, 1)
        row.addWidget(self.loop_button)
        row.addWidget(self.shot_combo)

    def _button(self, text: str, tip: str) -> QToolButton:
        btn = QToolButton(self)
        btn.setText(text)
        btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        btn.setToolTip(tip)
        btn.setAccessibleName(tip)
        btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the player
        return btn

    def connect_to(self, player: ResultPlayer) -> None:
        self.play_button.clicked.connect(player.toggle)
        self.back_button.clicked.connect(lambda: player.step_frames(-1))
        self.forward_button.clicked.connect(lambda: player.step_frames(1))

        def on_loop(on: bool) -> None:
            spans = [e - s for s, e, _ in player.boundaries]
            player.set_loop_shot(shot_at(spans, player.position) if on and spans else None)

        def on_shot(index: int) -> None:
            if index < 0:
                return
            if player.loop_shot is not None:
                player.set_loop_shot(index)
            else:  # without looping, choosing a shot goes to it
                player.seek(player.boundaries[index][0])

        self.loop_button.toggled.connect(on_loop)
        self.shot_combo.activated.connect(on_shot)

    def set_shots(self, labels: Sequence[str]) -> None:
        with QSignalBlocker(self.shot_combo):
            self.shot_combo.clear()
            self.shot_combo.addItems(list(labels))
        self.loop_button.setEnabled(bool(labels))
        self.show_loop(None)

    def show_loop(self, index: int | None) -> None:
        with QSignalBlocker(self.loop_button):
            self.loop_button.setChecked(index is not None)
        if index is not None:
            with QSignalBlocker(self.shot_combo):
                self.shot_combo.setCurrentIndex(index)
            self.loop_button.setText(f"Loop shot {index + 1}")
        else:
            self.loop_button.setText("Loop shot")

    def show_time(self, current: str, total: str) -> None:
        self.time_label.setText(f"{current} / {total}")

    def show_playing(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        pixmaps = QStyle.StandardPixmap
        icon = pixmaps.SP_MediaPause if playing else pixmaps.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
