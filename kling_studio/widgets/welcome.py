"""The first screen: open an example, start a new storyboard, or reopen a recent project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class WelcomePage(QWidget):
    """Signals:
    example_chosen(Path), new_requested(), open_requested(), recent_chosen(Path).
    """

    example_chosen = Signal(object)
    new_requested = Signal()
    open_requested = Signal()
    recent_chosen = Signal(object)

    def __init__(
        self, examples: list[tuple[str, str, Path]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title = QLabel("Kling Studio")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            "Storyboard multi-shot Kling videos: time your shots, attach frames and references, "
            "see the price and what the API would reject before you pay.\n"
            "You are on the built-in offline simulator: everything works without an account."
        )
        subtitle.setWordWrap(True)
        subtitle.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        new = QPushButton("New storyboard")
        new.setObjectName("WelcomeNew")
        new.clicked.connect(self.new_requested)
        open_ = QPushButton("Open…")
        open_.clicked.connect(self.open_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(open_)
        buttons.addStretch(1)

        grid = self._build_lists(examples)

        box = QVBoxLayout()
        box.addWidget(title)
        box.addWidget(subtitle)
        box.addSpacing(12)
        box.addLayout(buttons)
        box.addSpacing(12)
        box.addLayout(grid)
        hint = QLabel(
            "Tip: drag images onto the timeline or the slots, drag shot borders to retime, "
            "and watch the price update as you edit. Ctrl+Z undoes anything."
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        box.addWidget(hint)
        box.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        inner = QWidget()
        inner.setLayout(box)
        inner.setMaximumWidth(900)
        outer.addWidget(inner, 8)
        outer.addStretch(1)

    def _build_lists(self, examples: list[tuple[str, str, Path]]) -> QGridLayout:
        grid = QGridLayout()
        grid.addWidget(self._heading("Examples"), 0, 0)
        grid.addWidget(self._heading("Recent projects"), 0, 1)
        self.examples = QListWidget()
        self.examples.setAccessibleName("Examples")
        self.examples.setSpacing(4)
        self.examples.setToolTip("Click an example to open it")
        for label, detail, path in examples:
            item = QListWidgetItem(f"{label}\n{detail}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.examples.addItem(item)
        # One click opens an example: there is nothing to lose by trying one.
        self.examples.itemActivated.connect(
            lambda it: self.example_chosen.emit(it.data(Qt.ItemDataRole.UserRole))
        )
        self.examples.itemClicked.connect(
            lambda it: self.example_chosen.emit(it.data(Qt.ItemDataRole.UserRole))
        )
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent projects")
        self.recent.setSpacing(4)
        self.recent.itemActivated.connect(
            lambda it: self.recent_chosen.emit(it.data(Qt.ItemDataRole.UserRole))
        )
        self.recent.itemDoubleClicked.connect(
            lambda it: self.recent_chosen.emit(it.data(Qt.ItemDataRole.UserRole))
        )
        grid.addWidget(self.examples, 1, 0)
        grid.addWidget(self.recent, 1, 1)
        for lst in (self.examples, self.recent):
            lst.setMaximumHeight(320)
            font = QFont(lst.font())
            font.setPointSizeF(font.pointSizeF() * 1.1)
            lst.setFont(font)
        return grid

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for p in paths:
            item = QListWidgetItem(f"{p.stem}\n{p.parent}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.recent.addItem(item)
        if not paths:
            placeholder = QListWidgetItem("No recent projects yet.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)
