"""PromptEditor: a prompt field with a live length counter and reference-tag chips.

The editor knows nothing about the document: the owner feeds it text (:meth:`set_text`), the
length limit of the current model and the references the storyboard offers, and listens to
:attr:`PromptEditor.text_edited` to turn typing into edits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kling_studio.widgets.inspector.chips import ChipTextEdit
from kling_studio.widgets.inspector.common import ERROR_COLOR, WARNING_COLOR, set_text_color
from kling_studio.widgets.inspector.tags import Reference, find_tags

WARN_FRACTION = 0.9  # the counter turns amber from 90 % of the limit

_SECTIONS = (("image", "Images"), ("element", "Elements"), ("voice", "Voices"), ("video", "Video"))


def _cursor_after_change(old: str, new: str, old_pos: int) -> int:
    """Where the cursor goes when the text is replaced from outside (undo/redo).

    Like an editor's own undo: at the end of the region that changed; unchanged text keeps it.
    """
    if old == new:
        return old_pos
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return len(new) - suffix


class PromptEditor(QWidget):
    """A prompt editor with a ``n / limit`` counter and an *Insert reference* menu.

    Signals:
        text_edited(str): the user changed the text (typing, pasting, inserting a tag); not
            emitted by :meth:`set_text`.
        editing_finished(): the editor lost focus; owners end their typing burst (undo step).

    Attributes:
        editor: the text edit (a :class:`ChipTextEdit`).
        counter: the ``n / limit`` label; its ``state`` property is ``ok``, ``warning`` or
            ``error``.
        insert_button: the *Insert reference* button; ``insert_menu`` its menu.
    """

    text_edited = Signal(str)
    editing_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._limit: int | None = None
        self._loading = False
        self._last_text = ""
        self._state = "ok"

        self.editor = ChipTextEdit(self)
        self.editor.setTabChangesFocus(True)  # Tab moves on, as in a form; prompts need no tabs
        self.editor.setPlaceholderText("Describe the shot…")
        # About eight lines: a 512-character shot prompt fits without scrolling at dock width.
        lines = self.editor.fontMetrics().lineSpacing()
        self.editor.setFixedHeight(8 * lines + 12)
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.insert_menu = QMenu("Insert reference", self)
        self.insert_button = QToolButton(self)
        self.insert_button.setText("Insert reference ▸")
        self.insert_button.setToolTip("Insert a <<<tag>>> for an attached reference at the cursor")
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.insert_button.setMenu(self.insert_menu)
        self.insert_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.editor.extra_menu = self.insert_menu

        self.counter = QLabel(self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.insert_button)
        bar.addStretch(1)
        bar.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bar)

        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.focus_lost.connect(self.editing_finished)
        self.set_references([])
        self._update_counter()

    # ----- text -----

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Show ``text`` (from the document); the cursor stays where a user would expect it."""
        old = self.text()
        if text == old:
            return
        pos = _cursor_after_change(old, text, self.editor.textCursor().position())
        self._loading = True
        try:
            self.editor.setPlainText(text)
        finally:
            self._loading = False
        cursor = self.editor.textCursor()
        cursor.setPosition(min(pos, len(text)))
        self.editor.setTextCursor(cursor)
        self._update_counter()

    def insert_tag(self, tag: str) -> None:
        """Insert ``tag`` at the cursor (replacing a selection), then give the editor focus."""
        self.editor.textCursor().insertText(tag)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_editor_text_changed(self) -> None:
        text = self.text()
        if text == self._last_text:
            return  # re-highlighting reports a "change" too; only real text changes count
        self._last_text = text
        self._update_counter()
        if not self._loading:
            self.text_edited.emit(text)

    # ----- limit and counter -----

    @property
    def limit(self) -> int | None:
        return self._limit

    def set_limit(self, limit: int | None) -> None:
        """The model's maximum length for this prompt (None: no known limit)."""
        self._limit = limit
        self._update_counter()

    @property
    def counter_state(self) -> str:
        """``ok``, ``warning`` (from 90 % of the limit) or ``error`` (over it).

        The counter label carries the same value as its dynamic ``state`` property, for
        style sheets.
        """
        return self._state

    def _update_counter(self) -> None:
        n = len(self.text())
        limit = self._limit
        if limit is None:
            self.counter.setText(f"{n} characters")
            state = "ok"
        else:
            self.counter.setText(f"{n} / {limit}")
            state = "error" if n > limit else "warning" if n >= WARN_FRACTION * limit else "ok"
        if limit is not None and n > limit:
            self.counter.setToolTip(f"{n - limit} characters over the model's limit of {limit}")
        else:
            self.counter.setToolTip("Characters in this prompt / the model's limit")
        if state != self._state or not self.counter.property("state"):
            self._state = state
            self.counter.setProperty("state", state)
            color = {"ok": None, "warning": WARNING_COLOR, "error": ERROR_COLOR}[state]
            set_text_color(self.counter, color)
            font = self.counter.font()
            font.setBold(state == "error")
            self.counter.setFont(font)

    # ----- references -----

    @property
    def references(self) -> list[Reference]:
        return self.editor.highlighter.references

    def set_references(self, refs: list[Reference]) -> None:
        """What the tags can point at; rebuilds the insert menu and re-checks the tags."""
        self.editor.highlighter.set_references(refs)
        self.editor.viewport().update()
        self.insert_menu.clear()
        for kind, title in _SECTIONS:
            of_kind = [r for r in refs if r.kind == kind]
            if not of_kind:
                continue
            self.insert_menu.addSection(title)
            for ref in of_kind:
                action = self.insert_menu.addAction(ref.label)
                action.setToolTip(ref.tag)
                action.triggered.connect(lambda _=False, tag=ref.tag: self.insert_tag(tag))
        if not refs:
            empty = self.insert_menu.addAction("No references attached")
            empty.setEnabled(False)

    def unknown_tags(self) -> list[str]:
        """Tags in the text that point at nothing (shown underlined in red)."""
        spans = find_tags(self.text(), self.references)
        return [self.text()[s.start : s.end] for s in spans if s.ref is None]

    def set_placeholder(self, text: str) -> None:
        self.editor.setPlaceholderText(text)

    def move_cursor_to_end(self) -> None:
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
