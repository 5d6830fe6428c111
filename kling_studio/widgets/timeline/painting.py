"""Timeline painting: ruler, shot blocks, outlines, playhead and drag feedback.

Stateless functions over a :class:`Layout` and a :class:`PaintState`, so a benchmark can paint
into a ``QImage`` without a widget. Colours come from :class:`~.palette.Theme`; one block is
painted by :func:`~.blocks.paint_block`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QPixmap

from kling_studio.domain.storyboard import Storyboard
from kling_studio.widgets.timeline.blocks import paint_block
from kling_studio.widgets.timeline.geometry import Layout, Rect, timecode
from kling_studio.widgets.timeline.palette import (
    ACCENT_H,
    PLAYHEAD,
    RADIUS,
    Theme,
    bold_font,
    small_font,
)

__all__ = ["PaintState", "Theme", "paint_timeline"]


@dataclass
class PaintState:
    """What to draw besides geometry: which storyboard (document or preview) and feedback."""

    storyboard: Storyboard
    current: int = 0
    focused: bool = False
    playhead: float | None = None
    snap_seconds: int | None = None  # snap guide during a border drag
    active_border: int = -1  # hovered or dragged border
    dragged: int = -1  # shot being reordered (dimmed in place)
    drag_offset: float = 0.0  # ghost block offset
    drop_x: float | None = None  # reorder drop indicator
    thumbnail: QPixmap | None = None  # shot 1's start frame


def paint_timeline(p: QPainter, layout: Layout, state: PaintState, theme: Theme) -> None:
    """Paint everything; ``p`` must be active on a device at least ``layout.view`` big."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(QRectF(0, 0, layout.view.width, layout.view.height), theme.background)
    _paint_ruler(p, layout, theme)
    for i in range(len(state.storyboard.shots)):
        opacity = 0.35 if i == state.dragged else 1.0
        thumb = state.thumbnail if i == 0 else None
        paint_block(p, layout.blocks[i], i, state.storyboard, theme, thumb, opacity)
        if i == state.current:
            _paint_selection(p, layout.blocks[i], theme, state.focused)
    _paint_grips(p, layout, theme, state.active_border)
    if state.dragged >= 0 and state.drop_x is not None:
        block = layout.blocks[state.dragged]
        ghost = Rect(block.x + state.drag_offset, block.y - 3, block.w, block.h)
        _paint_shadow(p, ghost)
        paint_block(p, ghost, state.dragged, state.storyboard, theme, None, 1.0)
        _paint_drop(p, layout, state.drop_x, theme)
    if state.playhead is not None:
        _paint_playhead(p, layout, state.playhead)
    if state.snap_seconds is not None:  # above the playhead: it is what the user is doing
        _paint_guide(p, layout, state.snap_seconds, theme)


def _paint_ruler(p: QPainter, layout: Layout, theme: Theme) -> None:
    r = layout.ruler
    p.fillRect(QRectF(r.x, r.y, r.w, r.h), theme.ruler)
    p.setPen(QPen(theme.tick, 1))
    p.drawLine(QPointF(r.x, r.bottom - 0.5), QPointF(r.right, r.bottom - 0.5))
    font = small_font(p)
    p.setFont(font)
    fm = QFontMetrics(font)
    last_right = -1e9
    for tick in layout.ticks:
        length = 8 if tick.major else 4
        p.setPen(QPen(theme.tick, 1))
        p.drawLine(QPointF(tick.x, r.bottom - length), QPointF(tick.x, r.bottom))
        if not tick.label:
            continue
        advance = fm.horizontalAdvance(tick.label)
        x = tick.x + 3
        if x + advance > r.right:  # the last label sits left of its tick instead of clipped
            x = tick.x - 3 - advance
        if x > last_right:
            p.setPen(theme.ruler_text)
            p.drawText(QPointF(x, r.y + fm.ascent() + 2), tick.label)
            last_right = x + advance + 6


def _paint_selection(p: QPainter, b: Rect, theme: Theme, focused: bool) -> None:
    rect = QRectF(b.x + 1.5, b.y, max(1.0, b.w - 3), b.h).adjusted(-1, -1, 1, 1)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(theme.selection, 2.5))
    p.drawRoundedRect(rect, RADIUS + 1, RADIUS + 1)
    if focused:  # keyboard focus ring inside the selection
        pen = QPen(theme.text, 1, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRoundedRect(rect.adjusted(4, 4 + ACCENT_H, -4, -4), RADIUS - 2, RADIUS - 2)


def _paint_grips(p: QPainter, layout: Layout, theme: Theme, active: int) -> None:
    band = layout.blocks[0]
    for b in range(len(layout.blocks) - 1):
        x = layout.border_x(b)
        hot = b == active
        w, h = (4.0, 28.0) if hot else (2.0, 16.0)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(theme.selection if hot else theme.text_dim)
        cy = band.y + band.h / 2
        p.drawRoundedRect(QRectF(x - w / 2, cy - h / 2, w, h), w / 2, w / 2)


def _paint_shadow(p: QPainter, b: Rect) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    for grow, alpha in ((4, 25), (2, 45)):
        p.setBrush(QColor(0, 0, 0, alpha))
        rect = QRectF(b.x + 1.5, b.y + 3, b.w - 3, b.h).adjusted(-grow, -grow, grow, grow)
        p.drawRoundedRect(rect, RADIUS + grow, RADIUS + grow)


def _paint_drop(p: QPainter, layout: Layout, x: float, theme: Theme) -> None:
    band = layout.blocks[0]
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(theme.selection)
    p.drawRect(QRectF(x - 1.5, band.y - 4, 3, band.h + 8))
    for y, dy in ((band.y - 4, 6), (band.bottom + 4, -6)):
        p.drawPolygon([QPointF(x - 6, y), QPointF(x + 6, y), QPointF(x, y + dy)])


def _label_box(p: QPainter, layout: Layout, x: float, text: str, color: QColor) -> None:
    font = bold_font(small_font(p))
    fm = QFontMetrics(font)
    w, h = fm.horizontalAdvance(text) + 10, layout.ruler.h - 6
    left = min(max(x - w / 2, 1), layout.view.width - w - 1)
    box = QRectF(left, 3, w, h)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawRoundedRect(box, 3, 3)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def _paint_guide(p: QPainter, layout: Layout, seconds: int, theme: Theme) -> None:
    x = layout.x_at(seconds)
    pen = QPen(theme.selection, 1.5, Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.drawLine(QPointF(x, layout.ruler.y), QPointF(x, layout.view.height))
    _label_box(p, layout, x, f"{seconds} s", theme.selection)


def _paint_playhead(p: QPainter, layout: Layout, seconds: float) -> None:
    x = layout.x_at(seconds)
    p.setPen(QPen(PLAYHEAD, 1.5))
    p.drawLine(QPointF(x, layout.ruler.y + 4), QPointF(x, layout.view.height))
    _label_box(p, layout, x, timecode(seconds), PLAYHEAD)
