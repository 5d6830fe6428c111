"""The bin's list: how one asset looks (thumbnail with a findings badge, name, details, usage,
first finding), what its item holds, and dragging items out as asset hashes.

Also draws the stand-in pictures shown while a thumbnail loads (or for links, which have none).
"""

# Qt virtual overrides keep their camelCase names.
# ruff: noqa: N802

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from kling_studio.domain.storyboard import Asset
from kling_studio.widgets.assets.advice import Advice, details, tooltip
from kling_studio.widgets.assets.mime import ASSET_MIME, asset_mime
from kling_studio.widgets.inspector.common import ERROR_COLOR, KIND_COLORS, WARNING_COLOR

HASH_ROLE = Qt.ItemDataRole.UserRole + 1
DETAILS_ROLE = Qt.ItemDataRole.UserRole + 2
USAGE_ROLE = Qt.ItemDataRole.UserRole + 3
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 4
KIND_ROLE = Qt.ItemDataRole.UserRole + 5
USED_ROLE = Qt.ItemDataRole.UserRole + 6  # bool: the storyboard uses it
FINDING_ROLE = Qt.ItemDataRole.UserRole + 7  # the first finding's message, or ""

THUMB = QSize(96, 64)
ROW_H = THUMB.height() + 20  # four text lines beside the thumbnail
_PAD = 6
_BADGE = 18


def badge_color(severity: str) -> QColor | None:
    return {"error": ERROR_COLOR, "warning": WARNING_COLOR}.get(severity)


def placeholder(kind: str, size: QSize, palette: QPalette, label: str = "") -> QPixmap:
    """A flat tile in the kind's colour with a short label (``IMAGE``, ``VIDEO``, ``LINK``)."""
    pixmap = QPixmap(size)
    base = QColor(KIND_COLORS.get(kind, palette.color(QPalette.ColorRole.Mid)))
    base.setAlpha(60)
    pixmap.fill(palette.color(QPalette.ColorRole.Base))
    painter = QPainter(pixmap)
    painter.fillRect(pixmap.rect(), base)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, label or kind.upper())
    painter.end()
    return pixmap


def fit(source: QSize, box: QRect) -> QRect:
    """``source`` scaled to fit inside ``box``, centred."""
    scaled = source.scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = box.x() + (box.width() - scaled.width()) // 2
    y = box.y() + (box.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


def paint_badge(painter: QPainter, center_x: int, top: int, severity: str) -> None:
    color = badge_color(severity)
    if color is None:
        return
    rect = QRectF(center_x - _BADGE / 2, top, _BADGE, _BADGE)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("white"))
    painter.setBrush(color)
    painter.drawEllipse(rect)
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "!")
    painter.restore()


class AssetDelegate(QStyledItemDelegate):
    """Paints a bin row; all data comes from the item's roles (see the ``*_ROLE`` constants)."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(220, ROW_H)  # the list stretches rows to its width

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # selection / hover background from the style
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        thumb_box = QRect(rect.x() + _PAD, rect.y() + _PAD, THUMB.width(), THUMB.height())
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if not isinstance(pixmap, QPixmap) or pixmap.isNull():
            pixmap = placeholder(str(index.data(KIND_ROLE) or ""), THUMB, palette)
        painter.fillRect(thumb_box, palette.color(QPalette.ColorRole.Dark))
        painter.drawPixmap(fit(pixmap.size(), thumb_box), pixmap)
        paint_badge(
            painter,
            thumb_box.right() - _BADGE // 2 + 2,
            thumb_box.y() - 2,
            str(index.data(SEVERITY_ROLE) or ""),
        )
        self._paint_text(painter, rect, thumb_box, palette, selected, index)

    def _paint_text(
        self,
        painter: QPainter,
        rect: QRect,
        thumb_box: QRect,
        palette: QPalette,
        selected: bool,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = palette.color(role)
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        left = thumb_box.right() + 10
        width = max(10, rect.right() - left - _PAD)
        font = QFont(painter.font())
        used = bool(index.data(USED_ROLE))
        finding = badge_color(str(index.data(SEVERITY_ROLE) or ""))
        lines = (
            (str(index.data(Qt.ItemDataRole.DisplayRole) or ""), True, text_color),
            (str(index.data(DETAILS_ROLE) or ""), False, muted),
            (str(index.data(USAGE_ROLE) or ""), False, _accent(text_color, selected, used)),
            (str(index.data(FINDING_ROLE) or ""), False, text_color if selected else finding),
        )
        painter.save()
        y = rect.y() + _PAD
        for text, bold, color in lines:
            if not text or color is None:
                continue
            font.setBold(bold)
            painter.setFont(font)
            metrics = painter.fontMetrics()
            painter.setPen(color)
            mode = Qt.TextElideMode.ElideMiddle if bold else Qt.TextElideMode.ElideRight
            elided = metrics.elidedText(text, mode, width)
            painter.drawText(QRect(left, y, width, metrics.height()), 0, elided)
            y += metrics.height() + 2
        painter.restore()


def _accent(text: QColor, selected: bool, used: bool) -> QColor:
    if selected:
        return text
    if not used:
        muted = QColor(text)
        muted.setAlphaF(0.65)
        return muted
    return QColor(KIND_COLORS["image"])


def fill_item(item: QListWidgetItem, asset: Asset, adv: Advice, used: bool) -> None:
    """Put what the delegate paints (and the tooltip) into ``item``'s roles."""
    item.setData(HASH_ROLE, asset.hash)
    item.setData(KIND_ROLE, "link" if asset.url and not asset.bytes else asset.kind)
    item.setData(DETAILS_ROLE, details(asset))
    item.setData(USAGE_ROLE, adv.note)
    item.setData(SEVERITY_ROLE, adv.severity)
    item.setData(USED_ROLE, used)
    item.setData(FINDING_ROLE, adv.findings[0].message if adv.findings else "")
    item.setToolTip(tooltip(asset, adv))


class AssetList(QListWidget):
    """The bin's list: drags its items out as asset hashes; drops are handled by the bin."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(AssetDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def supportedDropActions(self) -> Qt.DropAction:
        # Copy only: a target answering "move" would otherwise remove the item from the bin.
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ASSET_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        hashes = [str(i.data(HASH_ROLE)) for i in items]
        return asset_mime(hashes, [i.text() for i in items])
