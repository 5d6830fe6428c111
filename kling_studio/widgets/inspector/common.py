"""Small pieces shared by the inspector panels: colours, hint labels, document-wide undo keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QPlainTextEdit, QWidget

# Accent per reference kind: the chip colour in prompts and the dot in the references list.
KIND_COLORS = {
    "image": QColor("#1e6fd9"),
    "element": QColor("#8a3ffc"),
    "voice": QColor("#198038"),
    "video": QColor("#d95d00"),
}
WARNING_COLOR = QColor("#b26a00")
ERROR_COLOR = QColor("#d0312d")


def muted_color(widget: QWidget) -> QColor:
    """Grey between the text and the background colour (readable in light and dark themes)."""
    pal = widget.palette()
    fg = pal.color(QPalette.ColorRole.WindowText)
    bg = pal.color(QPalette.ColorRole.Window)
    mix = 0.45  # how far towards the background
    return QColor(
        round(fg.red() + (bg.red() - fg.red()) * mix),
        round(fg.green() + (bg.green() - fg.green()) * mix),
        round(fg.blue() + (bg.blue() - fg.blue()) * mix),
    )


def hint_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A small grey explanatory line under a field."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    set_text_color(label, muted_color(label))
    return label


def set_text_color(widget: QWidget, color: QColor | None) -> None:
    """Colour a label's text; None restores the application palette's colour."""
    pal = widget.palette()
    if color is None:
        color = QApplication.palette(widget).color(QPalette.ColorRole.WindowText)
    pal.setColor(QPalette.ColorRole.WindowText, color)
    widget.setPalette(pal)


class DocumentUndoKeys(QObject):
    """Event filter for text fields: Ctrl+Z / Ctrl+Shift+Z undo the *document*; focus-out is told.

    Text widgets keep a private undo history and swallow the undo shortcut; here every keystroke
    is already an undo step of the document, so the private history is turned off and the keys
    go to the document's stack instead (one history, whatever has focus).

    Signals:
        focus_left(): a watched field lost focus (its owner ends the typing burst).
    """

    focus_left = Signal()

    def __init__(self, stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack = stack

    def watch(self, widget: QWidget) -> None:
        if isinstance(widget, QPlainTextEdit):
            widget.setUndoRedoEnabled(False)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.focus_left.emit()
            return False
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        undo = event.matches(QKeySequence.StandardKey.Undo)
        if not (undo or event.matches(QKeySequence.StandardKey.Redo)):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the field takes the key, so a window shortcut cannot fire twice
            return True
        if undo:
            self._stack.undo()
        else:
            self._stack.redo()
        return True


def tidy_form(layout: QFormLayout) -> QFormLayout:
    """Right-aligned labels and growing fields: the same tidy form look on every platform style."""
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    return layout


def take_rows(form: QFormLayout, start: int, count: int) -> None:
    """Remove ``count`` rows from ``start``; their widgets are deleted later, not now.

    Not ``removeRow``, which deletes at once: a rebuild may run inside an event of one of these
    widgets (Ctrl+Z typed in it, a click on its *Remove* button), and Qt's advice is to let a
    widget die only after its event returns. Rows of a rebuilt form hold widgets, not layouts.
    """
    for _ in range(count):
        taken = form.takeRow(start)
        for item in (taken.labelItem, taken.fieldItem):
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
