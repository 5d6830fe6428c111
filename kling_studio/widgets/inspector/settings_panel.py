"""StoryboardSettings: title, model and the settings the chosen model takes, from the catalog.

The form is generated: switching the model rebuilds it from the new model's catalog entry. A
setting the new model does not take stays in the storyboard (the rules warn about it) but its row
disappears; a value outside the new model's choices stays visible, marked as not available.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kling_studio.domain import edits
from kling_studio.domain.catalog import Catalog, ModelEntry, Parameter
from kling_studio.qt.document import SETTINGS, TEXT, DocumentChange, StoryboardDocument
from kling_studio.widgets.inspector.common import (
    ERROR_COLOR,
    DocumentUndoKeys,
    hint_label,
    take_rows,
    tidy_form,
)
from kling_studio.widgets.inspector.settings_fields import (
    SETTING_KEYS,
    make_editor,
    show_value,
    tooltip,
)


class StoryboardSettings(QWidget):
    """Storyboard-wide settings; every change is one undo step of the document.

    Attributes:
        title_edit: the storyboard title.
        model_combo: the target model (``itemData`` is the official ``model_name``).
        fields: setting key -> editor, only for the settings the current model takes.
    """

    def __init__(
        self, doc: StoryboardDocument, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._catalog = catalog
        self._burst = 0
        self._built_for: str | None = None
        self._params: dict[str, Parameter] = {}
        self.fields: dict[str, QWidget] = {}
        self._undo_keys = DocumentUndoKeys(doc.undo_stack, self)
        self._undo_keys.focus_left.connect(self._end_burst)

        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(200)
        self._undo_keys.watch(self.title_edit)
        self.model_combo = QComboBox(self)
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_hint = hint_label("", self)

        self.form = tidy_form(QFormLayout())
        self.form.addRow("Title", self.title_edit)
        self.form.addRow("Model", self.model_combo)
        self.form.addRow("", self.model_hint)
        self._fixed_rows = self.form.rowCount()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)

        self.title_edit.textEdited.connect(self._on_title_edit_text_edited)
        self.model_combo.activated.connect(self._on_model_combo_activated)
        doc.changed.connect(self._on_doc_changed)
        self._rebuild()

    def field(self, key: str) -> QWidget | None:
        """The editor of setting ``key`` (``mode``, ``sound`` …), or None if the model lacks it."""
        return self.fields.get(key)

    @property
    def entry(self) -> ModelEntry | None:
        return self._catalog.kling(self._doc.storyboard.settings.model)

    def _end_burst(self) -> None:
        self._burst += 1

    # ----- document -> widgets -----

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if change.after.settings.model != self._built_for:
            self._rebuild()  # even for our own change: the form depends on the model
        elif change.kinds & {SETTINGS, TEXT}:
            # Our own typing is already on screen; reloading a line edit would move its cursor.
            # Other editors still refresh (a spin box's "(default)" mark, for instance).
            self._load(texts=change.initiator is not self)

    def _rebuild(self) -> None:
        """Recreate the rows for the current model's parameters (the catalog decides which)."""
        sb = self._doc.storyboard
        entry = self.entry
        take_rows(self.form, self._fixed_rows, self.form.rowCount() - self._fixed_rows)
        self.fields.clear()
        self._params.clear()
        if entry is not None:
            for key in SETTING_KEYS:
                param = entry.param(key)
                if param is None:
                    continue
                editor = make_editor(key, param, entry, self, self._apply)
                editor.setToolTip(tooltip(param, entry))
                if isinstance(editor, QLineEdit):
                    self._undo_keys.watch(editor)
                label = QLabel(param.label or key, self)
                label.setBuddy(editor)
                self.form.addRow(label, editor)
                self.fields[key] = editor
                self._params[key] = param
        self._built_for = sb.settings.model
        self._load()

    def _load(self, *, texts: bool = True) -> None:
        sb = self._doc.storyboard
        entry = self.entry
        if texts and self.title_edit.text() != sb.title:
            self.title_edit.setText(sb.title)
        self._fill_models()
        if entry is None:
            self.model_hint.setText(
                f"“{sb.settings.model}” is not in the catalog; choose a model to see its settings."
            )
            return
        self.model_hint.setText(entry.description)
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit) and not texts:
                continue
            show_value(widget, key, self._params[key], getattr(sb.settings, key), entry)

    def _fill_models(self) -> None:
        current = self._doc.storyboard.settings.model
        combo = self.model_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            for m in self._catalog.storyboard_models():
                combo.addItem(m.name, m.vendor_id)
                combo.setItemData(combo.count() - 1, m.description, Qt.ItemDataRole.ToolTipRole)
            if combo.findData(current) < 0:
                combo.addItem(f"{current} (unknown model)", current)
                combo.setItemData(combo.count() - 1, ERROR_COLOR, Qt.ItemDataRole.ForegroundRole)
            combo.setCurrentIndex(combo.findData(current))
        finally:
            combo.blockSignals(False)

    # ----- widgets -> document -----

    def _apply(self, key: str, value: Any, text: str, merge_key: str | None) -> None:
        ok = self._doc.apply(
            lambda sb: edits.set_settings(sb, **{key: value}),
            text,
            initiator=self,
            merge_key=None if merge_key is None else f"{merge_key}:{self._burst}",
        )
        if not ok:
            self._load()

    def _on_model_combo_activated(self, index: int) -> None:
        model = self.model_combo.itemData(index)
        if model == self._doc.storyboard.settings.model:
            return
        self._apply("model", model, f"Switch model to {self.model_combo.itemText(index)}", None)

    def _on_title_edit_text_edited(self, text: str) -> None:
        ok = self._doc.apply(
            lambda sb: edits.set_title(sb, text),
            "Edit storyboard title",
            initiator=self,
            merge_key=f"title:storyboard:{self._burst}",
        )
        if not ok:
            self._load()
