"""ReferencesPanel: what the prompts can point at — images and frames, elements, voices, video.

Images and frames are attached by the asset bin; here they are listed read-only with a *Detach*
button. Elements and voices are ids registered on the Kling account, typed in here. The Omni
reference video's options (how it is used, whether its sound is kept) are edited here too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kling_studio.domain import edits
from kling_studio.domain.catalog import Catalog, Parameter
from kling_studio.domain.storyboard import MAX_ELEMENTS, MAX_VOICES, Storyboard
from kling_studio.qt.document import DocumentChange, StoryboardDocument
from kling_studio.widgets.inspector.common import hint_label, take_rows, tidy_form
from kling_studio.widgets.inspector.refs_rows import AddRow, ItemRow, asset_line, dot_label

Edit = Callable[[Storyboard], Storyboard]
_FRAME_SLOTS = (("start_frame", "Start frame"), ("end_frame", "End frame"), ("static_mask", "Mask"))


class ReferencesPanel(QWidget):
    """Lists the storyboard's references and edits elements, voices and video options.

    Attributes:
        element_id_edit, element_name_edit, element_add: the *add element* row.
        voice_id_edit, voice_name_edit, voice_add: the *add voice* row.
        refer_type_combo, keep_sound_check: the reference video's options.
        detach_buttons: slot path (``reference_images[1]``, ``start_frame`` …) -> its button.
        remove_buttons: ``elements[0]``, ``voices[1]`` … -> the row's *Remove* button.
    """

    def __init__(
        self, doc: StoryboardDocument, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._catalog = catalog
        self.detach_buttons: dict[str, QPushButton] = {}
        self.remove_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        self.images_box, self._images = self._group("Images and frames", layout)
        self.elements_box, self._elements = self._group("Elements", layout)
        self.voices_box, self._voices = self._group("Voices", layout)
        self.video_box, self._video = self._group("Reference video", layout)
        layout.addStretch(1)

        self._element_row = AddRow("Element id (digits)", "Name", self)
        self._element_row.id_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{1,20}"), self)
        )
        self._element_row.added.connect(self._on_element_row_added)
        self._elements.addRow("Add", self._element_row)
        self._voice_row = AddRow("Voice id", "Name", self)
        self._voice_row.id_edit.setMaxLength(128)
        self._voice_row.added.connect(self._on_voice_row_added)
        self._voices.addRow("Add", self._voice_row)
        self.element_id_edit = self._element_row.id_edit
        self.element_name_edit = self._element_row.name_edit
        self.element_add = self._element_row.button
        self.voice_id_edit = self._voice_row.id_edit
        self.voice_name_edit = self._voice_row.name_edit
        self.voice_add = self._voice_row.button

        self.refer_type_combo = QComboBox(self)
        self.refer_type_combo.activated.connect(self._on_refer_type_combo_activated)
        self.keep_sound_check = QCheckBox(self)
        self.keep_sound_check.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.keep_sound_check.clicked.connect(self._on_keep_sound_check_clicked)
        self._video.addRow("Use", self.refer_type_combo)
        self._video.addRow("Keep sound", self.keep_sound_check)

        doc.changed.connect(self._on_doc_changed)
        self._reload()

    @staticmethod
    def _group(title: str, layout: QVBoxLayout) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = tidy_form(QFormLayout(box))
        layout.addWidget(box)
        return box, form

    def _param(self, key: str) -> Parameter | None:
        """The current model's parameter, else any storyboard model's (for labels only)."""
        entry = self._catalog.kling(self._doc.storyboard.settings.model)
        if entry is not None and entry.param(key) is not None:
            return entry.param(key)
        for m in self._catalog.storyboard_models():
            if m.param(key) is not None:
                return m.param(key)
        return None

    def _apply(self, edit: Edit, text: str) -> bool:
        return self._doc.apply(edit, text, initiator=self)

    # ----- document -> widgets -----

    def _on_doc_changed(self, _change: DocumentChange) -> None:
        self._reload()  # nothing here is typed into in place, so a reload never loses work

    def _reload(self) -> None:
        sb = self._doc.storyboard
        self.detach_buttons.clear()
        self.remove_buttons.clear()
        self._load_images(sb)
        self._load_elements(sb)
        self._load_voices(sb)
        self._load_video(sb)

    def _not_taken(self, form: QFormLayout, key: str, noun: str, at: int | None = None) -> None:
        """A grey note when the model ignores this kind of reference (the rules say more)."""
        entry = self._catalog.kling(self._doc.storyboard.settings.model)
        if entry is not None and not entry.takes(key):
            row = form.rowCount() - 1 if at is None else at
            form.insertRow(row, "", hint_label(f"{entry.name} does not take {noun}."))

    def _load_images(self, sb: Storyboard) -> None:
        form = self._images
        take_rows(form, 0, form.rowCount())
        for slot, name in _FRAME_SLOTS:
            ref = getattr(sb, slot)
            if ref is not None:
                self._detach_row(form, name, "image", asset_line(sb, ref), slot, None)
        for i, ref in enumerate(sb.reference_images):
            tag = f"<<<image_{i + 1}>>>"
            self._detach_row(
                form, f"Image {i + 1}", "image", asset_line(sb, ref, tag), "reference_images", i
            )
        if sb.reference_images:
            self._not_taken(form, "reference_images", "reference images", at=form.rowCount())
        if form.rowCount() == 0:
            form.addRow(hint_label("None. Drop images from the asset bin onto the storyboard."))

    def _detach_row(
        self,
        form: QFormLayout,
        name: str,
        kind: str,
        line: tuple[str, str],
        slot: str,
        index: int | None,
    ) -> None:
        row = ItemRow(*line, "Detach", self)
        path = slot if index is None else f"{slot}[{index}]"
        row.button.setToolTip(f"Detach {name.lower()} from the storyboard")
        row.button.clicked.connect(
            lambda: self._apply(lambda sb: edits.detach(sb, slot, index), f"Detach {name.lower()}")
        )
        self.detach_buttons[path] = row.button
        form.addRow(dot_label(name, kind), row)

    def _load_elements(self, sb: Storyboard) -> None:
        form = self._elements
        take_rows(form, 0, form.rowCount() - 1)
        for i, el in enumerate(sb.elements):
            line = (el.name or "Unnamed", f"id {el.element_id} · <<<element_{i + 1}>>>")
            self._remove_row(form, i, f"Element {i + 1}", "element", line, edits.remove_element)
        self._not_taken(form, "elements", "elements")
        self._element_row.set_full(len(sb.elements) >= MAX_ELEMENTS, f"At most {MAX_ELEMENTS}.")

    def _load_voices(self, sb: Storyboard) -> None:
        form = self._voices
        take_rows(form, 0, form.rowCount() - 1)
        for i, v in enumerate(sb.voices):
            line = (v.name or "Unnamed", f"id {v.voice_id} · <<<voice_{i + 1}>>>")
            self._remove_row(form, i, f"Voice {i + 1}", "voice", line, edits.remove_voice)
        self._not_taken(form, "voices", "voices")
        self._voice_row.set_full(len(sb.voices) >= MAX_VOICES, f"At most {MAX_VOICES}.")

    def _remove_row(
        self,
        form: QFormLayout,
        i: int,
        name: str,
        kind: str,
        line: tuple[str, str],
        remove: Callable[[Storyboard, int], Storyboard],
    ) -> None:
        row = ItemRow(*line, "Remove", self)
        row.button.clicked.connect(lambda: self._apply(lambda sb: remove(sb, i), f"Remove {name}"))
        self.remove_buttons[f"{kind}s[{i}]"] = row.button
        form.insertRow(i, dot_label(name, kind), row)

    def _load_video(self, sb: Storyboard) -> None:
        rv = sb.reference_video
        self.video_box.setVisible(rv is not None)
        form = self._video
        take_rows(form, 0, form.rowCount() - 2)
        if rv is None:
            return
        row = ItemRow(*asset_line(sb, rv.asset, "<<<video_1>>>"), "Detach", self)
        row.button.clicked.connect(
            lambda: self._apply(
                lambda s: edits.detach(s, "reference_video"), "Detach reference video"
            )
        )
        self.detach_buttons["reference_video"] = row.button
        form.insertRow(0, dot_label("Video", "video"), row)
        self._fill_video_options(rv.refer_type, rv.keep_original_sound)

    def _fill_video_options(self, refer_type: str, keep: bool) -> None:
        combo = self.refer_type_combo
        combo.blockSignals(True)
        combo.clear()
        param = self._param("refer_type")
        for v in param.values if param is not None else ():
            combo.addItem(v.label, v.value)
        for value in ("feature", "base"):  # the storyboard's own choices, if the catalog lacks one
            if combo.findData(value) < 0:
                combo.addItem(value.capitalize(), value)
        combo.setCurrentIndex(combo.findData(refer_type))
        combo.blockSignals(False)
        keep_param = self._param("keep_original_sound")
        self._set_label(self.refer_type_combo, param.label if param else "Use")
        self._set_label(self.keep_sound_check, keep_param.label if keep_param else "Keep sound")
        self.keep_sound_check.setChecked(keep)

    def _set_label(self, field: QWidget, text: str) -> None:
        label = self._video.labelForField(field)
        if isinstance(label, QLabel):
            label.setText(text)

    # ----- widgets -> document -----

    def _on_element_row_added(self, element_id: str, name: str) -> None:
        if self._apply(lambda sb: edits.add_element(sb, element_id, name), "Add element"):
            self._element_row.clear()

    def _on_voice_row_added(self, voice_id: str, name: str) -> None:
        if self._apply(lambda sb: edits.add_voice(sb, voice_id, name), "Add voice"):
            self._voice_row.clear()

    def _on_refer_type_combo_activated(self, index: int) -> None:
        value = self.refer_type_combo.itemData(index)
        self._apply(
            lambda sb: edits.set_reference_video_options(sb, refer_type=value),
            f"Use reference video as {self.refer_type_combo.itemText(index)}",
        )

    def _on_keep_sound_check_clicked(self, on: bool) -> None:
        self._apply(
            lambda sb: edits.set_reference_video_options(sb, keep_original_sound=on),
            "Keep reference video sound" if on else "Drop reference video sound",
        )

    # ----- focus targets -----

    def widget_for(self, path: str) -> QWidget | None:
        """The widget a finding about ``path`` should focus (see ``Inspector.focus_field``)."""
        if path in self.remove_buttons or path in self.detach_buttons:
            return self.remove_buttons.get(path) or self.detach_buttons[path]
        root = path.split("[", 1)[0].split(".", 1)[0]
        if root == "elements":
            return self.element_id_edit
        if root == "voices":
            return self.voice_id_edit
        if root == "reference_video":
            if path.endswith("keep_original_sound"):
                return self.keep_sound_check
            if path.endswith("refer_type") or "reference_video" not in self.detach_buttons:
                return self.refer_type_combo
            return self.detach_buttons["reference_video"]
        if root == "reference_images":
            first = [b for p, b in self.detach_buttons.items() if p.startswith(root)]
            return first[0] if first else self.images_box
        return self.detach_buttons.get(root)
