"""SlotTile: one drop target of the slot strip (a frame, the mask, one reference, the video).

It paints its title, the attached asset's thumbnail (or a dashed *drop here* box) and a findings
badge; a ✕ button detaches. It decides nothing itself: the strip tells it what to show and
whether it accepts a drag (``accepts`` returns the reason for a refusal), and hears ``dropped``.
"""

# Qt virtual overrides keep their camelCase names.
# ruff: noqa: N802

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QToolButton, QWidget

from kling_studio.widgets.assets.delegate import fit, paint_badge, placeholder
from kling_studio.widgets.assets.mime import Dropped, read_drop

TILE = QSize(132, 112)
SMALL_TILE = QSize(132, 100)
_TITLE_H = 18
_CAPTION_H = 18

Accepts = Callable[[Dropped], str | None]


class SlotTile(QWidget):
    """A drop target for one slot (``key``; ``index`` for one reference image, else -1).

    Signals:
        dropped(Dropped): something acceptable was dropped here.
        detach_requested(): the ✕ was clicked.
    """

    dropped = Signal(object)
    detach_requested = Signal()

    def __init__(
        self,
        key: str,
        title: str,
        accepts: Accepts,
        index: int = -1,
        size: QSize = TILE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.index = index
        self.title = title
        self._accepts = accepts
        self.asset_ref: str | None = None
        self.caption = ""
        self.empty_text = "Drop here"
        self.severity = ""
        self.accepting = True
        self._pixmap: QPixmap | None = None
        self._kind = "image"
        self._hover = False
        self.setFixedSize(size)
        self.setAcceptDrops(True)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("✕")
        self.clear_button.setAutoRaise(True)
        # Drawn over the thumbnail's corner, so the title keeps the tile's whole width.
        self.clear_button.setStyleSheet(
            "QToolButton { background: rgba(0, 0, 0, 150); color: white; border-radius: 10px; }"
            "QToolButton:hover { background: rgba(208, 49, 45, 220); }"
        )
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.setFixedSize(20, 20)
        self.clear_button.clicked.connect(self.detach_requested)
        self.clear_button.hide()
        self.setAccessibleName(title)

    # ----- state -----

    def show_asset(self, ref: str | None, caption: str, kind: str, pixmap: QPixmap | None) -> None:
        self.asset_ref = ref
        self.caption = caption
        self._kind = kind
        self._pixmap = pixmap
        self.clear_button.setVisible(ref is not None)
        self.clear_button.setToolTip(f"Remove the {self.title.lower()} (Ctrl+Z brings it back)")
        self.setAccessibleDescription(caption if ref is not None else "empty")
        self.update()

    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        self._pixmap = pixmap
        self.update()

    # ----- drag and drop -----

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._judge(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._judge(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_hover(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_hover(False)
        dropped = read_drop(event.mimeData())
        if not self.accepting or not dropped or self._accepts(dropped) is not None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(dropped)

    def _judge(self, event: QDragMoveEvent) -> None:
        dropped = read_drop(event.mimeData())
        refusal = None if dropped else "Nothing usable in this drag"
        if refusal is None and not self.accepting:
            refusal = self.toolTip()
        refusal = refusal or self._accepts(dropped)
        if refusal is None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()
        self.setStatusTip(refusal or f"Drop to set the {self.title.lower()}")
        self._set_hover(refusal is None)

    def _set_hover(self, on: bool) -> None:
        if on != self._hover:
            self._hover = on
            self.update()

    # ----- painting -----

    def resizeEvent(self, event: QResizeEvent) -> None:
        box = self.thumb_rect()
        self.clear_button.move(box.right() - self.clear_button.width() - 1, box.y() + 2)

    def thumb_rect(self) -> QRect:
        return QRect(6, _TITLE_H + 2, self.width() - 12, self.height() - _TITLE_H - _CAPTION_H - 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        enabled = self.isEnabled() and self.accepting
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        border = pal.color(QPalette.ColorRole.Highlight if self._hover else QPalette.ColorRole.Mid)
        pen = QPen(border, 2 if self._hover else 1)
        if self.asset_ref is None:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        fill = pal.color(QPalette.ColorRole.Base if enabled else QPalette.ColorRole.Window)
        painter.setBrush(fill)
        painter.drawRoundedRect(frame, 6, 6)
        text = pal.color(
            QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled,
            QPalette.ColorRole.Text,
        )
        self._paint_title(painter, text)
        box = self.thumb_rect()
        if self.asset_ref is not None:
            pixmap = self._pixmap or placeholder(self._kind, box.size(), pal)
            painter.drawPixmap(fit(pixmap.size(), box), pixmap)
            paint_badge(painter, box.x() + 11, box.y() + 2, self.severity)
        else:
            muted = QColor(text)
            muted.setAlphaF(0.6)
            painter.setPen(muted)
            label = self.empty_text if enabled else "Not available"
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, label)
        painter.setPen(text)
        caption_box = QRect(6, self.height() - _CAPTION_H - 2, self.width() - 12, _CAPTION_H)
        caption = painter.fontMetrics().elidedText(
            self.caption if self.asset_ref is not None else "",
            Qt.TextElideMode.ElideMiddle,
            caption_box.width(),
        )
        painter.drawText(caption_box, Qt.AlignmentFlag.AlignCenter, caption)
        painter.end()

    def _paint_title(self, painter: QPainter, color: QColor) -> None:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        painter.setPen(color)
        box = QRect(8, 2, self.width() - 14, _TITLE_H)
        title = painter.fontMetrics().elidedText(
            self.title, Qt.TextElideMode.ElideRight, box.width()
        )
        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(self.font())
