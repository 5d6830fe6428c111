"""ShotInspector: title, prompt, duration and notes of the current shot.

Every keystroke is an edit of the document, and a typing burst (same field, until the field loses
focus or another shot is selected) folds into one undo step through the document's merge key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from kling_studio.domain import edits
from kling_studio.domain.catalog import Catalog
from kling_studio.domain.storyboard import Storyboard
from kling_studio.qt.document import DocumentChange, StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets.inspector.common import DocumentUndoKeys, hint_label, tidy_form
from kling_studio.widgets.inspector.prompt_editor import PromptEditor
from kling_studio.widgets.inspector.tags import references_of

PLANNED_HEADING = "AI-planned storyboard prompt"


def planned(sb: Storyboard) -> bool:
    """True when Kling plans the shots: the storyboard-level prompt is the one sent."""
    return sb.settings.shot_type == "intelligence"


def prompt_limit(catalog: Catalog, sb: Storyboard) -> int | None:
    """The current model's length limit for the prompt this panel edits (None if unknown).

    A shot of a multi-shot storyboard is one ``multi_prompt`` item; otherwise the prompt is the
    request's single ``prompt``.
    """
    entry = catalog.kling(sb.settings.model)
    if entry is None:
        return None
    key = "multi_prompt" if len(sb.shots) > 1 and not planned(sb) else "prompt"
    param = entry.param(key)
    return param.max_chars if param is not None else None


class ShotInspector(QWidget):
    """Edits the shot that :class:`ShotSelection` says is current.

    With AI-planned shots (``shot_type`` intelligence) the prompt field edits the storyboard
    prompt instead, since that is what is sent.

    Attributes:
        heading: ``Shot 2 of 3`` or ``AI-planned storyboard prompt``.
        title_edit, prompt, notes_edit: the editable fields.
        duration_label: the shot's length (read-only; the timeline changes it).
    """

    def __init__(
        self,
        doc: StoryboardDocument,
        selection: ShotSelection,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._selection = selection
        self._catalog = catalog
        self._burst = 0  # part of the merge key: a new burst is a new undo step
        self._undo_keys = DocumentUndoKeys(doc.undo_stack, self)
        self._loading_notes = False
        self._build()
        doc.changed.connect(self._on_doc_changed)
        selection.current_changed.connect(self._on_selection_current_changed)
        self._refresh(reload_text=True)

    def _build(self) -> None:
        self.heading = self._heading()
        self.shot_heading = self._heading()  # AI-planned mode: the shot's own fields follow it
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(200)
        self.title_edit.setPlaceholderText("Optional: a name for this shot")
        self.prompt = PromptEditor(self)
        self.prompt_hint = hint_label("", self)
        self.duration_label = QLabel(self)
        self.duration_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("Notes for yourself (never sent)")
        self.notes_edit.setFixedHeight(64)
        for widget in (self.title_edit, self.prompt.editor, self.notes_edit):
            self._undo_keys.watch(widget)

        prompt_box = QVBoxLayout()
        prompt_box.setContentsMargins(0, 0, 0, 0)
        prompt_box.setSpacing(2)
        prompt_box.addWidget(self.prompt, 1)
        prompt_box.addWidget(self.prompt_hint)
        duration_box = QVBoxLayout()
        duration_box.setSpacing(0)
        duration_box.addWidget(self.duration_label)
        duration_box.addWidget(hint_label("Drag its borders on the timeline or use +/−", self))

        # The prompt comes first: it is what is sent. With AI-planned shots it is the storyboard's
        # prompt, and a second heading separates it from the current shot's own fields.
        self.form = tidy_form(QFormLayout())
        self.form.addRow(self.heading)
        self.form.addRow("Prompt", prompt_box)
        self.form.addRow(self.shot_heading)
        self.form.addRow("Title", self.title_edit)
        self.form.addRow("Duration", duration_box)
        self.form.addRow("Notes", self.notes_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)

        self.title_edit.textEdited.connect(self._on_title_edit_text_edited)
        self.prompt.text_edited.connect(self._on_prompt_text_edited)
        self.notes_edit.textChanged.connect(self._on_notes_edit_text_changed)
        self._undo_keys.focus_left.connect(self._end_burst)

    def _heading(self) -> QLabel:
        label = QLabel(self)
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
        return label

    # ----- state -----

    @property
    def shot_id(self) -> str:
        return self._selection.current_id

    @property
    def shot_index(self) -> int:
        return self._selection.current_index

    def _end_burst(self) -> None:
        self._burst += 1

    # ----- document -> widgets -----

    def _on_doc_changed(self, change: DocumentChange) -> None:
        # Our own keystrokes are already on screen: reloading would only risk the cursor.
        self._refresh(reload_text=change.initiator is not self)

    def _on_selection_current_changed(self, _shot_id: str) -> None:
        self._end_burst()
        self._refresh(reload_text=True)

    def _refresh(self, *, reload_text: bool) -> None:
        sb = self._doc.storyboard
        i = self.shot_index
        shot = sb.shots[i]
        ai = planned(sb)
        shot_heading = f"Shot {i + 1} of {len(sb.shots)}"
        self.heading.setText(PLANNED_HEADING if ai else shot_heading)
        self.shot_heading.setText(shot_heading)
        self.form.setRowVisible(self.shot_heading, ai)
        self.prompt_hint.setText(
            "Kling plans the shots from this one prompt; shot prompts are kept but not sent."
            if ai
            else ""
        )
        self.prompt_hint.setVisible(ai)
        self.prompt.set_placeholder(
            "Describe the whole video; Kling splits it into shots…" if ai else "Describe the shot…"
        )
        what = "Storyboard prompt" if ai else f"Shot {i + 1} prompt"
        self.prompt.editor.setAccessibleName(what)
        self.title_edit.setAccessibleName(f"Shot {i + 1} title")
        self.notes_edit.setAccessibleName(f"Shot {i + 1} notes")
        start = sb.shot_start(i)
        self.duration_label.setText(
            f"{shot.duration} s  ·  {start}–{start + shot.duration} s of {sb.total} s"
        )
        self.prompt.set_limit(prompt_limit(self._catalog, sb))
        self.prompt.set_references(references_of(sb))
        if reload_text:
            self._load_text(sb)

    def _load_text(self, sb: Storyboard) -> None:
        shot = sb.shots[self.shot_index]
        if self.title_edit.text() != shot.title:
            self.title_edit.setText(shot.title)
        self.prompt.set_text(sb.prompt if planned(sb) else shot.prompt)
        if self.notes_edit.toPlainText() != shot.notes:
            self._loading_notes = True
            try:
                self.notes_edit.setPlainText(shot.notes)
            finally:
                self._loading_notes = False

    # ----- widgets -> document -----

    def _apply_shot_text(self, field: str, value: str, label: str) -> None:
        sid = self.shot_id
        n = self.shot_index + 1

        def edit(sb: Storyboard) -> Storyboard:
            return edits.set_shot_text(sb, sb.shot_index(sid), **{field: value})

        ok = self._doc.apply(
            edit,
            f"Edit shot {n} {label}",
            initiator=self,
            merge_key=f"{field}:{sid}:{self._burst}",
        )
        if not ok:  # refused (too long …): show what the document really holds
            self._load_text(self._doc.storyboard)

    def _on_title_edit_text_edited(self, text: str) -> None:
        self._apply_shot_text("title", text, "title")

    def _on_prompt_text_edited(self, text: str) -> None:
        if not planned(self._doc.storyboard):
            self._apply_shot_text("prompt", text, "prompt")
            return
        ok = self._doc.apply(
            lambda sb: edits.set_prompt(sb, text),
            "Edit storyboard prompt",
            initiator=self,
            merge_key=f"prompt:storyboard:{self._burst}",
        )
        if not ok:
            self._load_text(self._doc.storyboard)

    def _on_notes_edit_text_changed(self) -> None:
        if not self._loading_notes:
            self._apply_shot_text("notes", self.notes_edit.toPlainText(), "notes")
