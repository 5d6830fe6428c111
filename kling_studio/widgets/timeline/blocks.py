"""Painting one shot block: accent strip, number badge, title, prompt, length, thumbnail."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPixmap, QTextLayout

from kling_studio.domain.storyboard import Storyboard
from kling_studio.widgets.timeline.geometry import Rect
from kling_studio.widgets.timeline.palette import (
    ACCENT_H,
    PAD,
    RADIUS,
    Theme,
    bold_font,
    shot_hue,
    small_font,
)


def paint_block(
    p: QPainter,
    b: Rect,
    index: int,
    sb: Storyboard,
    theme: Theme,
    thumb: QPixmap | None,
    opacity: float,
) -> None:
    """Paint shot ``index`` of ``sb`` into ``b`` (``thumb``: shot 1's start frame, if any)."""
    shot = sb.shots[index]
    hue = shot_hue(shot.id)
    rect = QRectF(b.x + 1.5, b.y, max(1.0, b.w - 3), b.h)
    p.save()
    p.setOpacity(opacity)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(theme.accent(hue))
    p.drawRoundedRect(rect, RADIUS, RADIUS)
    p.setBrush(theme.fill(hue))
    p.drawRoundedRect(rect.adjusted(0, ACCENT_H, 0, 0), RADIUS, RADIUS)
    p.setClipRect(rect)
    inner = rect.adjusted(PAD, ACCENT_H + PAD - 2, -PAD, -PAD + 2)
    if thumb is not None and not thumb.isNull() and inner.width() > 60:
        inner = _paint_thumbnail(p, thumb, inner)
    _paint_block_text(p, inner, index, sb, theme, hue)
    p.restore()


def _paint_thumbnail(p: QPainter, thumb: QPixmap, inner: QRectF) -> QRectF:
    h = inner.height()
    w = min(h * thumb.width() / max(1, thumb.height()), inner.width() * 0.45)
    target = QRectF(inner.x(), inner.y(), w, h)
    scaled = _scaled(thumb, int(w), int(h))
    p.drawPixmap(target.topLeft(), scaled)
    return inner.adjusted(w + PAD, 0, 0, 0)


_scaled_cache: dict[tuple[int, int, int], QPixmap] = {}


def _scaled(pix: QPixmap, w: int, h: int) -> QPixmap:
    """Scale once per size: smooth scaling a large frame on every paint costs milliseconds."""
    key = (pix.cacheKey(), w, h)
    hit = _scaled_cache.get(key)
    if hit is None:
        if len(_scaled_cache) > 16:
            _scaled_cache.clear()
        hit = pix.scaled(
            w,
            h,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        ).copy(0, 0, w, h)
        _scaled_cache[key] = hit
    return hit


def _paint_block_text(
    p: QPainter, r: QRectF, index: int, sb: Storyboard, theme: Theme, hue: int
) -> None:
    shot = sb.shots[index]
    base = p.font()
    bold, small = bold_font(base), small_font(p)
    fm_bold, fm, fm_small = QFontMetrics(bold), QFontMetrics(base), QFontMetrics(small)
    badge_w = max(18.0, fm_small.horizontalAdvance(str(index + 1)) + 10)
    badge = QRectF(r.x(), r.y(), badge_w, fm_small.height() + 4)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(theme.accent(hue))
    p.drawRoundedRect(badge, 3, 3)
    p.setFont(bold_font(small))
    p.setPen(QColor("white"))  # on the saturated accent in both themes
    p.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(index + 1))
    duration = f"{shot.duration} s"
    if r.width() < badge_w + 8 + fm_bold.horizontalAdvance(duration):
        p.setFont(bold)  # narrow block: number and length only, stacked
        p.setPen(theme.text)
        p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, duration)
        return
    title_x = badge.right() + 6
    title = shot.title or f"Shot {index + 1}"
    p.setFont(bold)
    p.setPen(theme.text)
    elided = fm_bold.elidedText(title, Qt.TextElideMode.ElideRight, int(r.right() - title_x))
    p.drawText(QPointF(title_x, badge.center().y() + fm_bold.ascent() / 2 - 1), elided)
    footer_h = fm_bold.height()
    body = QRectF(r.x(), badge.bottom() + 4, r.width(), r.bottom() - footer_h - badge.bottom() - 6)
    p.setFont(base)
    p.setPen(theme.text_dim)
    prompt = " ".join(shot.prompt.split()) or "No prompt yet"
    _draw_wrapped(p, fm, prompt, body)
    p.setFont(bold)
    p.setPen(theme.text)
    p.drawText(r, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, duration)
    start = sb.shot_start(index)
    span = f"{start}–{start + shot.duration} s"
    if r.width() > fm_bold.horizontalAdvance(duration) + fm_small.horizontalAdvance(span) + 16:
        p.setFont(small)
        p.setPen(theme.text_dim)
        p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, span)


def _draw_wrapped(p: QPainter, fm: QFontMetrics, text: str, r: QRectF) -> None:
    """Word-wrap into as many lines as fit; the last one is elided."""
    max_lines = int(r.height() // fm.lineSpacing())
    if max_lines <= 0 or r.width() < 10:
        return
    layout = QTextLayout(text, p.font())
    layout.beginLayout()
    starts: list[int] = []
    while len(starts) < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(r.width())
        starts.append(line.textStart())
    layout.endLayout()
    y = r.y() + fm.ascent()
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        chunk = text[start:end].rstrip()
        if n == len(starts) - 1:  # whatever is left goes on the last line, elided
            chunk = fm.elidedText(text[start:], Qt.TextElideMode.ElideRight, int(r.width()))
        p.drawText(QPointF(r.x(), y), chunk)
        y += fm.lineSpacing()
