"""TimelineWidget: the timeline with mouse and keyboard input.

Mouse presses become gesture objects (:mod:`.interaction`) that preview without touching the
document and commit one undo step on release; keys map to commands (:mod:`.keys`) that run the
same shot operations as the menu actions (:mod:`.commands`).
"""

# Qt virtual overrides keep their camelCase names.
# ruff: noqa: N802

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from kling_studio.qt.document import StoryboardDocument as Document
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets import action_ids as ids
from kling_studio.widgets.timeline import accessibility, commands, keys
from kling_studio.widgets.timeline.display import ThumbnailProvider, TimelineDisplay
from kling_studio.widgets.timeline.geometry import FPS, HitKind, View
from kling_studio.widgets.timeline.interaction import BorderDrag, ReorderDrag, RulerScrub

_WHEEL_STEP = 1.25  # zoom factor per wheel notch


class TimelineWidget(TimelineDisplay):
    """The shots of a storyboard side by side, proportional to their durations.

    Drag a border to trade seconds between two shots, drag a block to reorder, click or drag the
    ruler to move the playhead; every gesture has keys (see :mod:`.keys`). Edits go through
    ``doc.apply`` with this widget as initiator, one undo step per gesture. Signals and the
    display API (playhead, zoom, geometry, accessible names) come from
    :class:`~kling_studio.widgets.timeline.display.TimelineDisplay`.
    """

    def __init__(
        self,
        doc: Document,
        selection: ShotSelection,
        thumbnail_provider: ThumbnailProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        accessibility.install(TimelineWidget)  # before any accessible interface is asked for
        super().__init__(doc, selection, thumbnail_provider, parent)

    # ----- mouse -----

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._gesture is not None:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        x, y = event.position().x(), event.position().y()
        layout = self.geometry_layout()
        hit = layout.hit(x, y)
        sb = self._doc.storyboard
        if hit.kind is HitKind.RULER:
            scrub = RulerScrub(layout, self._playhead, x)
            self._gesture = scrub
            self._user_playhead(scrub.seconds)
        elif hit.kind is HitKind.BORDER:
            self._gesture = BorderDrag(sb, layout, hit.index, x, self._min_seconds)
        elif hit.kind is HitKind.SHOT:
            self._selection.select_index(hit.index)
            threshold = QApplication.startDragDistance()
            self._gesture = ReorderDrag(sb, layout, hit.index, x, threshold)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        gesture = self._gesture
        if gesture is not None and event.buttons() & Qt.MouseButton.LeftButton:
            gesture.move(pos.x(), pos.y())
            if isinstance(gesture, RulerScrub):
                self._user_playhead(gesture.seconds)
            self.update()
            return
        self._update_hover(pos.x(), pos.y())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        gesture = self._gesture
        if event.button() != Qt.MouseButton.LeftButton or gesture is None:
            super().mouseReleaseEvent(event)
            return
        self._gesture = None
        pos = event.position()
        gesture.move(pos.x(), pos.y())
        if isinstance(gesture, RulerScrub):
            self._user_playhead(gesture.seconds)
        commit = gesture.finish()
        if commit is not None:
            self._doc.apply(commit.edit, commit.text, initiator=self)
        self._update_hover(pos.x(), pos.y())
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.geometry_layout().hit(event.position().x(), event.position().y())
        if event.button() == Qt.MouseButton.LeftButton and hit.kind is HitKind.SHOT:
            self.shot_activated.emit(self._doc.storyboard.shots[hit.index].id)
        else:
            super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and delta.y():
            self.zoom_by(_WHEEL_STEP ** (delta.y() / 120), event.position().x())
        elif self._view.zoom > 1 and (delta.x() or delta.y()):
            step = (delta.x() or delta.y()) / 120 * 60  # a notch scrolls 60 px
            view = self._view
            self._set_view(View(view.width, view.height, view.zoom, view.scroll - step))
        else:
            event.ignore()
            return
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        self._update_hover(-1.0, -1.0)

    def _update_hover(self, x: float, y: float) -> None:
        hit = self.geometry_layout().hit(x, y) if x >= 0 else None
        border = hit.index if hit is not None and hit.kind is HitKind.BORDER else -1
        if border == self._hover_border:
            return
        self._hover_border = border
        if border >= 0:
            self.setCursor(Qt.CursorShape.SplitHCursor)
        else:
            self.unsetCursor()
        self.update()

    # ----- keyboard -----

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if keys.command_for(event) is not None:  # our keys beat window-wide shortcuts
                event.accept()
                return True
        elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        command = keys.command_for(event)
        if command is None or not self._run_command(command):
            super().keyPressEvent(event)

    def _run_command(self, command: str) -> bool:
        """Run a key command; False when it does not apply (the key propagates)."""
        sb = self._doc.storyboard
        current = self.current_shot_index()
        verb, _, arg = command.partition(":")
        if verb == "select":
            last = len(sb.shots) - 1
            named = {"first": 0, "last": last}
            target = named[arg] if arg in named else current + int(arg)
            self._selection.select_index(max(0, min(target, last)))
        elif verb == "playhead":
            frames = round(self._playhead * FPS) + int(arg)
            self._user_playhead(min(max(frames / FPS, 0.0), float(sb.total)))
        elif command == "activate":
            self.shot_activated.emit(self._selection.current_id)
        elif command == "cancel":
            return self.cancel_gesture()
        elif command == ids.ZOOM_FIT:
            self.zoom_to_fit()
        else:
            op = commands.OPS[command]
            self._doc.apply(
                op.edit(current, self._min_seconds), op.describe(current), initiator=self
            )
        return True
