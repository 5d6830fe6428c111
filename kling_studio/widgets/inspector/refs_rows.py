"""Row widgets of the references panel: a listed item with one button, and an *add* row."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from kling_studio.domain.storyboard import Storyboard
from kling_studio.widgets.inspector.common import KIND_COLORS, muted_color


def dot_label(name: str, kind: str) -> QLabel:
    """``● Image 2`` with the dot in the kind's chip colour (the same as in the prompt)."""
    color = KIND_COLORS[kind].name()
    return QLabel(f'<span style="color:{color}">●</span>&nbsp;{escape(name)}')


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    value = n / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def asset_line(sb: Storyboard, ref: str, tag: str = "") -> tuple[str, str]:
    """(name, details) of an attached asset: ``cafe.png``, ``1200×800 · PNG · 5.5 KB``."""
    try:
        asset = sb.asset(ref)
    except KeyError:  # impossible for a valid storyboard; still say something useful
        return ref[:12], tag
    details = []
    if asset.width and asset.height:
        details.append(f"{asset.width}×{asset.height}")
    if asset.duration is not None:
        details.append(f"{asset.duration:g} s")
    details += [asset.format.upper(), _size(asset.bytes)]
    if tag:
        details.append(tag)
    return asset.name or ref[:12], " · ".join(details)


class ItemRow(QWidget):
    """One listed item: its name, grey details, and a button (*Detach*, *Remove*)."""

    def __init__(self, main: str, detail: str, button: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grey = muted_color(self).name()
        # Name on the first line, details (size, format, the tag to type) small and grey below.
        # Wrap only between the " · " separated parts, never inside "17.5 MB".
        parts = " · ".join(escape(p).replace(" ", "&nbsp;") for p in detail.split(" · "))
        small = f'<span style="color:{grey}; font-size:small">{parts}</span>'
        self.label = QLabel(f"{escape(main)}<br>{small}", self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)  # long details wrap rather than vanish at dock width
        self.label.setToolTip(f"{main}\n{detail}")
        self.label.setMinimumWidth(40)  # wrapping, not the label, decides the row's width
        self.button = QPushButton(button, self)
        self.button.setAccessibleName(f"{button} {main}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)


class AddRow(QWidget):
    """An id field, a name field and an *Add* button.

    Signals:
        added(str, str): the user asked to add (id, name); the id is acceptable to the validator.
    """

    added = Signal(str, str)

    def __init__(self, id_hint: str, name_hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.id_edit = QLineEdit(self)
        self.id_edit.setPlaceholderText(id_hint)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(name_hint)
        self.name_edit.setMaxLength(100)
        self.button = QPushButton("Add", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.id_edit, 3)
        layout.addWidget(self.name_edit, 2)
        layout.addWidget(self.button)
        self._full = False
        self.id_edit.textChanged.connect(self._update)
        self.id_edit.returnPressed.connect(self._submit)
        self.name_edit.returnPressed.connect(self._submit)
        self.button.clicked.connect(self._submit)
        self._update()

    def _ok(self) -> bool:
        return not self._full and self.id_edit.hasAcceptableInput() and bool(self.id_edit.text())

    def _update(self) -> None:
        self.button.setEnabled(self._ok())

    def _submit(self) -> None:
        if self._ok():
            self.added.emit(self.id_edit.text().strip(), self.name_edit.text().strip())

    def set_full(self, full: bool, why: str) -> None:
        """Disable adding when the storyboard holds the maximum."""
        self._full = full
        for edit in (self.id_edit, self.name_edit):
            edit.setEnabled(not full)
        self.button.setToolTip(why if full else "")
        self._update()

    def clear(self) -> None:
        self.id_edit.clear()
        self.name_edit.clear()
