"""TimelineDropHandler: drop files, links and bin items on the timeline to attach them.

Installed as an event filter on the timeline widget (whose code stays untouched): the first
shot's left third takes a start frame, the last shot's right third an end frame, anywhere else on
a shot a reference image (or the start frame, for models without reference images). While a drag
hovers, a translucent overlay shows the zone and says what the drop will do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QDragMoveEvent, QDropEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.storyboard import Asset
from kling_studio.qt.assets import AssetLibrary
from kling_studio.qt.document import StoryboardDocument
from kling_studio.widgets.assets import advice
from kling_studio.widgets.assets.mime import (
    Dropped,
    attach_all,
    guess_kinds,
    read_drop,
    resolve_drop,
)

ShotAt = Callable[[QPoint], int | None]
ShotRect = Callable[[int], QRect]


@dataclass(frozen=True)
class DropTarget:
    """Where a drop at some point goes: the slot, the shot under it, the zone to highlight."""

    slot: str
    shot: int
    zone: QRect
    hint: str


def target_at(
    pos: QPoint,
    shot_at: ShotAt,
    shot_rect: ShotRect,
    shots: int,
    takes_refs: bool,
    next_image: int = 1,
) -> DropTarget | None:
    """The drop target under ``pos`` (None off the shots). Pure apart from Qt value types."""
    index = shot_at(pos)
    if index is None or index < 0:
        return None
    rect = shot_rect(index)
    third = rect.width() / 3
    if index == 0 and pos.x() < rect.x() + third:
        zone = QRect(rect.x(), rect.y(), round(third), rect.height())
        return DropTarget("start_frame", index, zone, "Start frame: the first picture of the video")
    if index == shots - 1 and pos.x() >= rect.right() + 1 - third:
        zone = QRect(rect.right() + 1 - round(third), rect.y(), round(third), rect.height())
        return DropTarget("end_frame", index, zone, "End frame: the last picture of the video")
    if takes_refs:
        n = next_image
        hint = f"Reference image {n}: refer to it as <<<image_{n}>>> in shot {index + 1}'s prompt"
        return DropTarget("reference_images", index, rect, hint)
    return DropTarget("start_frame", index, rect, "Start frame: the first picture of the video")


class _Overlay(QWidget):
    """Paints the highlighted zone and its hint over the timeline; mouse goes through it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.zone = QRect()
        self.text = ""
        self.refused = False
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.zone.isNull():
            return
        painter = QPainter(self)
        pal = self.palette()
        color = QColor("#d0312d") if self.refused else pal.color(QPalette.ColorRole.Highlight)
        fill = QColor(color)
        fill.setAlpha(70)
        painter.fillRect(self.zone, fill)
        painter.setPen(color)
        painter.drawRect(self.zone.adjusted(0, 0, -1, -1))
        metrics = painter.fontMetrics()
        text = metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, self.width() - 16)
        box = metrics.boundingRect(text).adjusted(-6, -3, 6, 3)
        x = max(4, min(self.zone.x() + 4, self.width() - box.width() - 4))
        # Vertically centred in the zone: the shot's title and badge sit at its top.
        box.moveTopLeft(QPoint(x, self.zone.center().y() - box.height() // 2))
        painter.fillRect(box, pal.color(QPalette.ColorRole.ToolTipBase))
        painter.drawRect(box.adjusted(0, 0, -1, -1))  # still the zone's colour: ties them
        painter.setPen(pal.color(QPalette.ColorRole.ToolTipText))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


class TimelineDropHandler(QObject):
    """Makes a timeline widget accept drops of assets and maps its shots to slots.

    ``shot_at(pos)`` and ``shot_rect(index)`` default to the timeline's own
    ``shot_index_at``/``shot_rect`` (TimelineWidget's public API).

    Signals:
        hint_changed(str): what a drop here would do (empty when the drag leaves).
    """

    hint_changed = Signal(str)

    def __init__(
        self,
        timeline: QWidget,
        doc: StoryboardDocument,
        library: AssetLibrary,
        catalog: Catalog,
        *,
        shot_at: ShotAt | None = None,
        shot_rect: ShotRect | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or timeline)
        self._timeline = timeline
        self._doc = doc
        self._library = library
        self._catalog = catalog
        self._shot_at = shot_at or getattr(timeline, "shot_index_at")  # noqa: B009
        self._shot_rect = shot_rect or getattr(timeline, "shot_rect")  # noqa: B009
        self.hint = ""
        self.overlay = _Overlay(timeline)
        timeline.setAcceptDrops(True)
        timeline.installEventFilter(self)

    def target_at(self, pos: QPoint) -> DropTarget | None:
        sb = self._doc.storyboard
        takes = advice.model_takes(self._catalog, sb.settings.model, "reference_images")
        n = len(sb.reference_images) + 1
        return target_at(pos, self._shot_at, self._shot_rect, len(sb.shots), takes, n)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is not self._timeline:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragMoveEvent)
            self._hover(event)
            return True
        if kind == QEvent.Type.DragLeave:
            self._clear()
            return True
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            self._drop(event)
            return True
        if kind == QEvent.Type.Resize:
            self.overlay.resize(self._timeline.size())
        return False

    def _judge(self, event: QDropEvent) -> tuple[Dropped, DropTarget | None, str | None]:
        dropped = read_drop(event.mimeData())
        target = self.target_at(event.position().toPoint()) if dropped else None
        if target is None:
            return dropped, None, None
        kind = advice.SLOT_KIND[target.slot]
        kinds = guess_kinds(dropped, self._library.asset)
        refusal = None
        if kind not in kinds and None not in kinds:
            refusal = f"{advice.SLOT_NAMES[target.slot]} takes an {kind}"
        elif not advice.model_takes(
            self._catalog, self._doc.storyboard.settings.model, target.slot
        ):
            refusal = advice.missing_slot_reason(
                self._catalog, self._doc.storyboard.settings.model, target.slot
            )
        return dropped, target, refusal

    def _hover(self, event: QDragMoveEvent) -> None:
        _, target, refusal = self._judge(event)
        if target is None:
            event.ignore()
            self._clear()
            return
        if refusal is None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()
        self._show(target, refusal)

    def _drop(self, event: QDropEvent) -> None:
        dropped, target, refusal = self._judge(event)
        self._clear()
        if target is None or refusal is not None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        slot = target.slot
        resolve_drop(dropped, self._library, self._doc.storyboard, lambda a: self._attach(slot, a))

    def _attach(self, slot: str, assets: list[Asset]) -> None:
        fitting = [a for a in assets if a.kind == advice.SLOT_KIND[slot]]
        if fitting:
            self._doc.apply(attach_all(slot, fitting), advice.UNDO_TEXT[slot], initiator=self)

    def _show(self, target: DropTarget, refusal: str | None) -> None:
        overlay = self.overlay
        overlay.zone, overlay.refused = target.zone, refusal is not None
        overlay.text = refusal or target.hint
        overlay.resize(self._timeline.size())
        overlay.raise_()
        overlay.show()
        overlay.update()
        self._set_hint(overlay.text)

    def _clear(self) -> None:
        self.overlay.hide()
        self.overlay.zone = QRect()
        self._set_hint("")

    def _set_hint(self, text: str) -> None:
        if text != self.hint:
            self.hint = text
            self.hint_changed.emit(text)
