"""Which shot is current, shared by the timeline, the inspector and the preview."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kling_studio.qt.document import SHOTS, DocumentChange, StoryboardDocument


class ShotSelection(QObject):
    """The current shot, tracked by id so it survives reorders; follows deletions sensibly.

    Signals:
        current_changed(str): the id of the newly current shot.
    """

    current_changed = Signal(str)

    def __init__(self, doc: StoryboardDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._doc = doc
        self._current = doc.storyboard.shots[0].id
        self._index = 0
        doc.changed.connect(self._on_doc_changed)

    @property
    def current_id(self) -> str:
        return self._current

    @property
    def current_index(self) -> int:
        return self._doc.storyboard.shot_index(self._current)

    def select_id(self, shot_id: str) -> None:
        sb = self._doc.storyboard
        sb.shot_index(shot_id)  # KeyError for an unknown id: a programming error
        if shot_id != self._current:
            self._current = shot_id
            self._index = sb.shot_index(shot_id)
            self.current_changed.emit(shot_id)

    def select_index(self, index: int) -> None:
        shots = self._doc.storyboard.shots
        self.select_id(shots[max(0, min(index, len(shots) - 1))].id)

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if SHOTS not in change.kinds:
            return
        ids = [s.id for s in change.after.shots]
        new = set(ids) - {s.id for s in change.before.shots}
        if new:  # an inserted/duplicated/split shot becomes current: the user edits it next
            target = next(i for i in ids if i in new)
        elif self._current in ids:
            self._index = ids.index(self._current)
            return
        else:
            target = ids[min(self._index, len(ids) - 1)]
        self._current = ""
        self.select_id(target)
