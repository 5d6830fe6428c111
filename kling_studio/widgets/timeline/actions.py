"""Shot actions for menus and toolbars, and the total-duration control.

:class:`TimelineActions` keeps every action's enabled state current by dry-running its edit on
the current storyboard: a refused edit disables the action and its message becomes the tooltip
("A storyboard holds at most 6 shots."), so the reason shown is exactly the reason the edit
would fail.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from kling_studio.domain import edits
from kling_studio.domain.storyboard import MAX_TOTAL
from kling_studio.qt.document import SHOTS, TIMING, DocumentChange
from kling_studio.qt.document import StoryboardDocument as Document
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets import action_ids as ids
from kling_studio.widgets.timeline import commands
from kling_studio.widgets.timeline.widget import TimelineWidget

MIN_TOTAL_SECONDS = 3  # the shortest video any Kling model renders

_SHORTCUTS = {
    ids.SHOT_INSERT: "Ins",
    ids.SHOT_DUPLICATE: "Ctrl+D",
    ids.SHOT_SPLIT: "S",
    ids.SHOT_DELETE: "Del",
    ids.SHOT_MOVE_LEFT: "Alt+Left",
    ids.SHOT_MOVE_RIGHT: "Alt+Right",
    ids.SHOT_LONGER: "+",
    ids.SHOT_SHORTER: "-",
    ids.ZOOM_FIT: "Ctrl+0",
}
_HELP = {
    ids.SHOT_ADD: "Add a shot at the end",
    ids.SHOT_INSERT: "Insert a shot before the current one",
    ids.SHOT_DUPLICATE: "Copy the current shot right after itself",
    ids.SHOT_SPLIT: "Split the current shot in two halves",
    ids.SHOT_DELETE: "Delete the current shot; its seconds go to its neighbour",
    ids.SHOT_MOVE_LEFT: "Move the current shot one place earlier",
    ids.SHOT_MOVE_RIGHT: "Move the current shot one place later",
    ids.SHOT_LONGER: "Lengthen the current shot by 1 s, taken from its neighbour",
    ids.SHOT_SHORTER: "Shorten the current shot by 1 s, given to its neighbour",
    ids.SHOTS_DISTRIBUTE: "Give every shot the same length",
    ids.ZOOM_FIT: "Show the whole storyboard",
}


class TimelineActions(QObject):
    """The shot actions (ids from :mod:`kling_studio.widgets.action_ids`), enabled when usable.

    Shortcuts use ``Qt.WidgetWithChildrenShortcut``: bare keys such as ``S`` or ``Del`` must not
    fire while the user types a prompt elsewhere. The timeline handles the same keys itself.
    ``Zoom to fit`` needs ``timeline``; without one it stays disabled.
    """

    def __init__(
        self,
        doc: Document,
        selection: ShotSelection,
        parent: QObject | None = None,
        *,
        timeline: TimelineWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._selection = selection
        self._timeline = timeline
        self._min_seconds = timeline.min_shot_seconds if timeline is not None else 1
        self._actions: dict[str, QAction] = {}
        for op_id, op in commands.OPS.items():
            action = self._make(op_id, op.label)
            action.triggered.connect(partial(self._run, op_id))
        zoom = self._make(ids.ZOOM_FIT, "Zoom to &Fit")
        zoom.setEnabled(timeline is not None)
        if timeline is not None:
            zoom.triggered.connect(timeline.zoom_to_fit)
        doc.changed.connect(self._on_doc_changed)
        selection.current_changed.connect(self._on_selection_current_changed)
        self.refresh()

    def _make(self, action_id: str, label: str) -> QAction:
        action = QAction(label, self)
        action.setObjectName(action_id)
        action.setData(action_id)
        if action_id in _SHORTCUTS:
            action.setShortcut(QKeySequence(_SHORTCUTS[action_id]))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(_HELP[action_id])
        self._actions[action_id] = action
        return action

    def action(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def actions(self) -> list[QAction]:
        return list(self._actions.values())

    @property
    def min_shot_seconds(self) -> int:
        return self._min_seconds

    @min_shot_seconds.setter
    def min_shot_seconds(self, seconds: int) -> None:
        """Set the provider's shortest shot (also on the timeline, if there is one)."""
        self._min_seconds = max(1, int(seconds))
        if self._timeline is not None:
            self._timeline.min_shot_seconds = self._min_seconds
        self.refresh()

    def refresh(self) -> None:
        """Re-check every action against the current storyboard and shot."""
        sb = self._doc.storyboard
        index = self._current()
        for op_id in commands.OPS:
            reason = commands.refusal(op_id, sb, index, self._min_seconds)
            action = self._actions[op_id]
            action.setEnabled(reason is None)
            action.setToolTip(reason or _HELP[op_id])
            action.setStatusTip(reason or _HELP[op_id])

    def _current(self) -> int:
        try:
            return self._selection.current_index
        except KeyError:  # the selection has not caught up with the edit yet
            return 0

    def _run(self, op_id: str) -> None:
        op, index = commands.OPS[op_id], self._current()
        self._doc.apply(op.edit(index, self._min_seconds), op.describe(index), initiator=self)

    def _on_doc_changed(self, change: DocumentChange) -> None:
        self.refresh()

    def _on_selection_current_changed(self, shot_id: str) -> None:
        self.refresh()


class TotalDurationControl(QWidget):
    """ "Total: [ 10 s ]" — rescales the shots; one undo step per committed value.

    The range is 3–15 s, raised to ``shots × min_shot_seconds`` so every shot keeps its minimum
    (never above the current total, so an existing storyboard is always shown as it is).
    Arrow steps and Enter commit; typing alone does not (keyboard tracking is off).
    """

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc = doc
        self._min_seconds = 1
        self.spin = QSpinBox(self)
        self.spin.setSuffix(" s")
        self.spin.setKeyboardTracking(False)
        self.spin.setAccessibleName("Total duration in seconds")
        self.spin.setToolTip("Length of the whole video; the shots are rescaled to fit")
        label = QLabel("&Total:", self)
        label.setBuddy(self.spin)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.spin)
        self._sync()
        self.spin.valueChanged.connect(self._on_spin_value_changed)
        doc.changed.connect(self._on_doc_changed)

    @property
    def min_shot_seconds(self) -> int:
        return self._min_seconds

    @min_shot_seconds.setter
    def min_shot_seconds(self, seconds: int) -> None:
        self._min_seconds = max(1, int(seconds))
        self._sync()

    def value(self) -> int:
        return self.spin.value()

    def _sync(self) -> None:
        sb = self._doc.storyboard
        floor = max(MIN_TOTAL_SECONDS, len(sb.shots) * self._min_seconds)
        blocked = self.spin.blockSignals(True)  # reflecting the document is not an edit
        self.spin.setRange(min(sb.total, floor, MAX_TOTAL), MAX_TOTAL)
        self.spin.setValue(sb.total)
        self.spin.blockSignals(blocked)

    def _on_spin_value_changed(self, value: int) -> None:
        if value == self._doc.storyboard.total:
            return
        ok = self._doc.apply(
            lambda sb: edits.set_total(sb, value), f"Set total to {value} s", initiator=self
        )
        if not ok:
            self._sync()

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if change.kinds & {SHOTS, TIMING}:
            self._sync()
