"""The Inspector: edit the current shot, the storyboard's settings and its references.

Three tabs — *Shot* (:class:`ShotInspector`), *Storyboard* (:class:`StoryboardSettings`) and
*References* (:class:`ReferencesPanel`) — over one :class:`StoryboardDocument`. Every change is a
pure edit pushed as one undo step; the findings list calls :meth:`Inspector.focus_field` to take
the user to the field a finding is about.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from kling_studio.domain.catalog import Catalog
from kling_studio.qt.document import ASSETS, DocumentChange, StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets.inspector.prompt_editor import PromptEditor
from kling_studio.widgets.inspector.refs_panel import ReferencesPanel
from kling_studio.widgets.inspector.settings_fields import SETTING_KEYS
from kling_studio.widgets.inspector.settings_panel import StoryboardSettings
from kling_studio.widgets.inspector.shot_panel import ShotInspector

_SHOT_PATH = re.compile(r"^shots\[(\d+)\](?:\.(\w+))?")
_REF_ROOTS = frozenset(
    [
        "elements",
        "voices",
        "reference_video",
        "reference_images",
        "start_frame",
        "end_frame",
        "static_mask",
    ]
)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class Inspector(QWidget):
    """The inspector dock's content.

    Args:
        doc: the document edited.
        selection: which shot the *Shot* tab shows; :meth:`focus_field` may change it.
        catalog: the model catalog (labels, choices, defaults and limits all come from it).

    Attributes:
        tabs: the tab widget; ``shot``, ``settings`` and ``references`` are its panels.
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
        self.shot = ShotInspector(doc, selection, catalog)
        self.settings = StoryboardSettings(doc, catalog)
        self.references = ReferencesPanel(doc, catalog)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for panel, title in (
            (self.shot, "Shot"),
            (self.settings, "Storyboard"),
            (self.references, "References"),
        ):
            self.tabs.addTab(_scrolled(panel), title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.setMinimumWidth(340)
        doc.changed.connect(self._on_doc_changed)
        self._update_tab_titles()

    @property
    def prompt_editor(self) -> PromptEditor:
        """The *Shot* tab's prompt editor (the current shot's, or the AI-planned prompt)."""
        return self.shot.prompt

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if ASSETS in change.kinds:
            self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        sb = self._doc.storyboard
        frames = sum(1 for slot, _ in sb.slot_refs() if not slot.startswith("reference_video"))
        n = frames + len(sb.elements) + len(sb.voices) + (sb.reference_video is not None)
        self.tabs.setTabText(2, f"References ({n})" if n else "References")

    # ----- finding paths -----

    def widget_for(self, path: str) -> QWidget | None:
        """The widget editing the storyboard field at ``path`` (a finding's path).

        ``shots[2].prompt`` also makes shot 3 current. Paths: ``shots[i]`` (``.prompt``,
        ``.title``, ``.notes``, ``.duration``), ``shots``, ``prompt``, ``title``,
        ``settings.<key>`` or a bare setting key (``negative_prompt``), ``settings.model``,
        ``elements[i]``, ``voices[i]``, ``reference_images[i]``, ``reference_video…``,
        ``start_frame``, ``end_frame``, ``static_mask``. None when nothing here edits it (``total``
        belongs to the timeline).
        """
        match = _SHOT_PATH.match(path)
        if match is not None:
            shots = self._doc.storyboard.shots
            if int(match.group(1)) < len(shots):
                self._selection.select_index(int(match.group(1)))
            field = match.group(2) or "prompt"
            return {
                "title": self.shot.title_edit,
                "notes": self.shot.notes_edit,
                "duration": self.shot.duration_label,
            }.get(field, self.shot.prompt.editor)
        if path in ("shots", "prompt", "multi_prompt"):
            return self.shot.prompt.editor
        if path == "title":
            return self.settings.title_edit
        root = path.split("[", 1)[0].split(".", 1)[0]
        if root in _REF_ROOTS:
            return self.references.widget_for(path)
        key = path.removeprefix("settings.")
        if key in SETTING_KEYS:
            # A setting the model does not take has no row: the model is what to change.
            return self.settings.field(key) or self.settings.model_combo
        if key in ("model", "provider"):
            return self.settings.model_combo
        return None

    def focus_field(self, path: str) -> bool:
        """Show and focus the widget for a finding's ``path``; False when there is none."""
        widget = self.widget_for(path)
        if widget is None:
            return False
        for i in range(self.tabs.count()):
            area = self.tabs.widget(i)
            if isinstance(area, QScrollArea) and area.isAncestorOf(widget):
                self.tabs.setCurrentIndex(i)
                area.ensureWidgetVisible(widget)
                break
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


__all__ = ["Inspector", "PromptEditor", "ReferencesPanel", "ShotInspector", "StoryboardSettings"]
