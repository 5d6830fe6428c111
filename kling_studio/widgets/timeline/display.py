"""TimelineDisplay: what the timeline shows, and the state behind it (no input handling).

:class:`~kling_studio.widgets.timeline.widget.TimelineWidget` adds mouse and keyboard input on
top. The split keeps each class small: this one maps the document, selection, zoom and the
gesture in progress to geometry, paint state, tooltips and accessible names.
"""

# Qt virtual overrides keep their camelCase names.
# ruff: noqa: N802

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QWidget

from kling_studio.domain.storyboard import Storyboard
from kling_studio.qt.document import ASSETS, SHOTS, TEXT, TIMING, DocumentChange
from kling_studio.qt.document import StoryboardDocument as Document
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets.timeline import accessibility, keys
from kling_studio.widgets.timeline.geometry import (
    HitKind,
    Layout,
    View,
    clamp_view,
    compute_layout,
    timecode,
    zoom_about,
)
from kling_studio.widgets.timeline.interaction import BorderDrag, Gesture, ReorderDrag, RulerScrub
from kling_studio.widgets.timeline.painting import PaintState, Theme, paint_timeline

ThumbnailProvider = Callable[[str], QPixmap | None]
_RELEVANT = frozenset({SHOTS, TIMING, TEXT, ASSETS})  # settings changes do not show here


class TimelineDisplay(QWidget):
    """Paints a storyboard's shots (or a drag's preview of them) and answers "what is where".

    Signals:
        playhead_moved(float): the user moved the playhead (seconds); not emitted by
            :meth:`set_playhead`.
        shot_activated(str): a shot was double-clicked or Enter was pressed on it (shot id).
    """

    playhead_moved = Signal(float)
    shot_activated = Signal(str)

    def __init__(
        self,
        doc: Document,
        selection: ShotSelection,
        thumbnail_provider: ThumbnailProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._selection = selection
        self._thumbnails = thumbnail_provider
        self._min_seconds = 1
        self._view = View(640.0, 160.0)
        self._playhead = 0.0
        self._gesture: Gesture | None = None
        self._hover_border = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)  # for the resize cursor over borders
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(160, 96)
        self.setWhatsThis(keys.__doc__ or "")
        doc.changed.connect(self._on_doc_changed)
        selection.current_changed.connect(self._on_selection_current_changed)
        self._update_accessible_text()

    # ----- public API -----

    @property
    def min_shot_seconds(self) -> int:
        """Shortest shot a drag or a key may leave (the provider's rule; default 1)."""
        return self._min_seconds

    @min_shot_seconds.setter
    def min_shot_seconds(self, seconds: int) -> None:
        self._min_seconds = max(1, int(seconds))

    @property
    def gesture(self) -> Gesture | None:
        """The drag in progress (its ``preview`` is what is painted), or None."""
        return self._gesture

    @property
    def displayed_storyboard(self) -> Storyboard:
        """What is painted: the document, or a border drag's preview."""
        if isinstance(self._gesture, BorderDrag) and self._gesture.preview is not None:
            return self._gesture.preview
        return self._doc.storyboard

    def playhead(self) -> float:
        return self._playhead

    def set_playhead(self, seconds: float) -> None:
        """Move the playhead (e.g. from the preview player); does not emit ``playhead_moved``."""
        seconds = min(max(float(seconds), 0.0), float(self._doc.storyboard.total))
        if seconds != self._playhead:
            self._playhead = seconds
            self.update()

    def zoom(self) -> float:
        return self._view.zoom

    def zoom_to_fit(self) -> None:
        self._set_view(View(self.width(), self.height(), 1.0, 0.0))

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        anchor = self.width() / 2 if anchor_x is None else anchor_x
        self._set_view(zoom_about(self._view, self._doc.storyboard.total, factor, anchor))

    def cancel_gesture(self) -> bool:
        """Abandon the drag in progress (Esc). Returns False when there was none."""
        gesture, self._gesture = self._gesture, None
        if gesture is None:
            return False
        gesture.cancel()
        if isinstance(gesture, RulerScrub):
            self._user_playhead(gesture.seconds)
        self.update()
        return True

    def refresh_thumbnails(self) -> None:
        """Call when the thumbnail provider has a new picture (they are fetched at paint)."""
        self.update()

    def geometry_layout(self) -> Layout:
        """Where everything is right now (widget pixels)."""
        sb = self.displayed_storyboard
        return compute_layout([s.duration for s in sb.shots], self._view)

    def paint_state(self) -> PaintState:
        gesture = self._gesture
        state = PaintState(
            storyboard=self.displayed_storyboard,
            current=self.current_shot_index(),
            focused=self.hasFocus(),
            playhead=self._playhead,
            active_border=self._hover_border,
            thumbnail=self._thumbnail(),
        )
        if isinstance(gesture, BorderDrag):
            state.snap_seconds, state.active_border = gesture.snap_seconds, gesture.border
        elif isinstance(gesture, ReorderDrag) and gesture.active:
            state.dragged, state.drag_offset = gesture.index, gesture.offset
            state.drop_x = gesture.drop_x
        return state

    def tooltip_at(self, pos: QPoint) -> str:
        hit = self.geometry_layout().hit(pos.x(), pos.y())
        sb = self._doc.storyboard
        if hit.kind is HitKind.SHOT:
            shot = sb.shots[hit.index]
            start = sb.shot_start(hit.index)
            head = f"Shot {hit.index + 1}" + (f": {shot.title}" if shot.title else "")
            span = f"{shot.duration} s ({timecode(start)} – {timecode(start + shot.duration)})"
            prompt = shot.prompt.strip() or "No prompt yet"
            return f"{head}\n{span}\n{prompt[:400]}"
        if hit.kind is HitKind.BORDER:
            return (
                f"Drag to trade seconds between shot {hit.index + 1} and shot {hit.index + 2}"
                " (or select a shot and press + / -)"
            )
        if hit.kind is HitKind.RULER:
            return "Click or drag to move the playhead (, and . step one frame)"
        return ""

    # ----- accessibility (see accessibility.ShotView) -----

    def shot_count(self) -> int:
        return len(self._doc.storyboard.shots)

    def shot_accessible_name(self, index: int) -> str:
        """``Shot 2 of 4, 3 seconds, <title or prompt start>``."""
        return accessibility.shot_name(self._doc.storyboard, index)

    def shot_accessible_description(self, index: int) -> str:
        return accessibility.shot_description(self._doc.storyboard, index)

    def shot_rect(self, index: int) -> QRect:
        b = self.geometry_layout().blocks[index]
        return QRect(round(b.x), round(b.y), round(b.w), round(b.h))

    def shot_index_at(self, pos: QPoint) -> int:
        hit = self.geometry_layout().hit(pos.x(), pos.y())
        return hit.index if hit.kind in (HitKind.SHOT, HitKind.BORDER) else -1

    def current_shot_index(self) -> int:
        """The selected shot's index (0 while the selection catches up with an edit)."""
        try:
            return self._selection.current_index
        except KeyError:
            return 0

    # ----- painting and geometry -----

    def sizeHint(self) -> QSize:
        return QSize(640, 160)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_timeline(painter, self.geometry_layout(), self.paint_state(), self._theme())
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._set_view(View(self.width(), self.height(), self._view.zoom, self._view.scroll))

    def _theme(self) -> Theme:
        return Theme.from_palette(self.palette())

    def _set_view(self, view: View) -> None:
        self._view = clamp_view(view, self._doc.storyboard.total)
        self.update()

    def _thumbnail(self) -> QPixmap | None:
        ref = self._doc.storyboard.start_frame
        if ref is None or self._thumbnails is None:
            return None
        return self._thumbnails(ref)

    def _user_playhead(self, seconds: float) -> None:
        if seconds != self._playhead:
            self._playhead = seconds
            self.playhead_moved.emit(seconds)
            self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        accessibility.notify_current(self, self.current_shot_index())
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # ----- document and selection -----

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if not change.kinds & _RELEVANT:
            return
        if self._gesture is not None:  # the gesture's original is stale: drop it
            self.cancel_gesture()
        self._playhead = min(self._playhead, float(change.after.total))
        if change.before.total != change.after.total:
            self._set_view(self._view)
        self._update_accessible_text()
        self.update()

    def _on_selection_current_changed(self, shot_id: str) -> None:
        self._update_accessible_text()
        accessibility.notify_current(self, self.current_shot_index())
        self.update()

    def _update_accessible_text(self) -> None:
        index = self.current_shot_index()
        self.setAccessibleName(self.shot_accessible_name(index))
        self.setAccessibleDescription(self.shot_accessible_description(index))
