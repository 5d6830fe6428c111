"""What the animatic shows for a shot, and how it is painted.

:func:`card_for` decides *which picture* stands for a shot (start frame, end frame, first
reference image or a placeholder); :func:`paint_card` draws it with a slow Ken-Burns move and a
caption band that stays readable over any picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPixmap,
    QRadialGradient,
    QTextLayout,
    QTextOption,
)

from kling_studio.domain.storyboard import Storyboard

Source = Literal["start_frame", "end_frame", "reference", "placeholder"]
ZOOM = 0.08  # Ken-Burns zoom over a whole shot: enough to feel alive, not enough to distract
PROMPT_LINES = 3


@dataclass(frozen=True)
class Card:
    """One shot's card: its picture (an asset hash or none) and its caption."""

    index: int
    count: int
    title: str
    prompt: str
    source: Source
    asset: str | None

    @property
    def heading(self) -> str:
        """``Shot 2 · Pour`` (just ``Shot 2`` when the shot has no title)."""
        return f"Shot {self.index + 1}" + (f" · {self.title}" if self.title else "")


def card_for(sb: Storyboard, index: int, *, final: bool = False) -> Card:
    """The card of shot ``index``; ``final`` asks for the last shot's closing picture."""
    shot = sb.shots[index]
    prompt = shot.prompt.strip() or (sb.prompt.strip() if len(sb.shots) == 1 else "")
    source: Source = "placeholder"
    asset: str | None = None
    if final and index == len(sb.shots) - 1 and sb.end_frame:
        source, asset = "end_frame", sb.end_frame
    elif index == 0 and sb.start_frame:
        source, asset = "start_frame", sb.start_frame
    elif sb.reference_images:  # Omni: the first reference stands in for the look of the video
        source, asset = "reference", sb.reference_images[0]
    return Card(index, len(sb.shots), shot.title.strip(), prompt, source, asset)


def fit_aspect(avail: QRectF, aspect_ratio: str) -> QRectF:
    """The largest rect of ``aspect_ratio`` (``"16:9"``, ``"9:16"``…) centred in ``avail``."""
    try:
        rw, rh = (float(x) for x in aspect_ratio.split(":"))
        ratio = rw / rh if rw > 0 and rh > 0 else 16 / 9
    except ValueError:  # unreadable: the rules report it; the preview stays 16:9
        ratio = 16 / 9
    w = max(1.0, min(avail.width(), avail.height() * ratio))
    h = w / ratio
    return QRectF(avail.center().x() - w / 2, avail.center().y() - h / 2, w, h)


def shot_hue(index: int) -> int:
    """A distinct, pleasant hue per shot (golden-angle steps around the colour wheel)."""
    return (215 + index * 137) % 360


def ken_burns(rect: QRectF, index: int, progress: float) -> tuple[float, QPointF]:
    """Zoom factor and pan offset for a shot at ``progress`` (0-1); direction alternates."""
    eased = progress * progress * (3 - 2 * progress)  # smoothstep: no jolt at the cut
    scale = 1.0 + ZOOM * eased
    sign = 1.0 if index % 2 == 0 else -1.0
    pan = QPointF(sign * rect.width() * 0.025 * eased, -rect.height() * 0.012 * eased)
    return scale, pan


def paint_picture(
    p: QPainter, rect: QRectF, card: Card, pixmap: QPixmap | None, progress: float
) -> None:
    """The picture (or placeholder) filling ``rect``, moved by the Ken-Burns zoom."""
    scale, pan = ken_burns(rect, card.index, progress)
    p.save()
    p.translate(rect.center() + pan)
    p.scale(scale, scale)
    p.translate(-rect.center())
    if pixmap is not None and not pixmap.isNull():
        src = _cover(QRectF(pixmap.rect()), rect)
        p.drawPixmap(rect, pixmap, src)
    else:
        _paint_placeholder(p, rect, card)
    p.restore()


def _cover(src: QRectF, dst: QRectF) -> QRectF:
    """The centred part of ``src`` with ``dst``'s aspect ratio (fill, crop the overflow)."""
    ratio = dst.width() / max(dst.height(), 1.0)
    w, h = src.width(), src.height()
    if w / max(h, 1.0) > ratio:
        cw = h * ratio
        return QRectF(src.x() + (w - cw) / 2, src.y(), cw, h)
    ch = w / ratio
    return QRectF(src.x(), src.y() + (h - ch) / 2, w, ch)


def _paint_placeholder(p: QPainter, rect: QRectF, card: Card) -> None:
    hue = shot_hue(card.index)
    grad = QLinearGradient(rect.topLeft(), rect.bottomRight())
    grad.setColorAt(0.0, QColor.fromHsl(hue, 120, 86))
    grad.setColorAt(1.0, QColor.fromHsl((hue + 40) % 360, 110, 34))
    p.fillRect(rect, grad)
    glow = QRadialGradient(
        rect.center() - QPointF(rect.width() * 0.18, rect.height() * 0.2), rect.width() * 0.6
    )
    glow.setColorAt(0.0, QColor(255, 255, 255, 60))
    glow.setColorAt(1.0, QColor(255, 255, 255, 0))
    p.fillRect(rect, glow)
    font = QFont()
    font.setPixelSize(max(24, int(rect.height() * 0.42)))
    font.setWeight(QFont.Weight.Black)
    p.setFont(font)
    p.setPen(QColor(255, 255, 255, 46))
    above_caption = QRectF(rect.x(), rect.y(), rect.width(), rect.height() * 0.78)
    p.drawText(above_caption, Qt.AlignmentFlag.AlignCenter, str(card.index + 1))


def paint_overlay(p: QPainter, rect: QRectF, card: Card, tc: str) -> None:
    """Caption band (heading + prompt) at the bottom, timecode and shot counter on top."""
    # Type scales with the card; narrow (portrait) cards are limited by their width.
    unit = min(max(9.0, min(rect.height() / 24, rect.width() / 22)), 30.0)
    _paint_caption(p, rect, card, unit)
    pill_font = QFont("monospace")
    pill_font.setStyleHint(QFont.StyleHint.Monospace)
    pill_font.setPixelSize(int(unit * 0.95))
    pill_font.setBold(True)
    counter_font = QFont()
    counter_font.setPixelSize(int(unit * 0.9))
    counter_font.setBold(True)
    counter = f"SHOT {card.index + 1} / {card.count}"
    margin = unit * 0.8
    room = rect.width() - 3 * margin
    tc_w, counter_w = _pill_width(tc, pill_font), _pill_width(counter, counter_font)
    if tc_w <= room:
        _pill(p, QPointF(rect.left() + margin, rect.top() + margin), tc, pill_font, left=True)
    if tc_w + counter_w <= room:  # a narrow card keeps the timecode, drops the counter
        _pill(
            p,
            QPointF(rect.right() - margin, rect.top() + margin),
            counter,
            counter_font,
            left=False,
        )


def _paint_caption(p: QPainter, rect: QRectF, card: Card, unit: float) -> None:
    head_font = QFont()
    head_font.setPixelSize(int(unit * 1.35))
    head_font.setBold(True)
    body_font = QFont()
    body_font.setPixelSize(int(unit * 1.0))
    pad = unit * 1.1
    width = rect.width() - 2 * pad
    prompt = card.prompt or "No prompt yet: describe what happens in this shot."
    max_lines = PROMPT_LINES if rect.height() >= 240 else (2 if rect.height() >= 150 else 1)
    lines = _wrap(prompt, body_font, width, max_lines)
    head_h = QFontMetricsF(head_font).height()
    body_h = QFontMetricsF(body_font).lineSpacing()
    band_h = pad * 1.9 + head_h + unit * 0.35 + body_h * len(lines)
    band = QRectF(rect.left(), rect.bottom() - band_h - pad, rect.width(), band_h + pad)
    scrim = QLinearGradient(band.topLeft(), band.bottomLeft())
    scrim.setColorAt(0.0, QColor(8, 9, 12, 0))
    scrim.setColorAt(0.35, QColor(8, 9, 12, 170))
    scrim.setColorAt(1.0, QColor(8, 9, 12, 225))
    p.fillRect(band, scrim)
    y = rect.bottom() - pad - body_h * len(lines) - unit * 0.35 - head_h
    p.setFont(head_font)
    p.setPen(QColor("#ffffff"))
    heading = QFontMetricsF(head_font).elidedText(card.heading, Qt.TextElideMode.ElideRight, width)
    p.drawText(QRectF(rect.left() + pad, y, width, head_h), Qt.AlignmentFlag.AlignLeft, heading)
    y += head_h + unit * 0.35
    p.setFont(body_font)
    p.setPen(QColor(235, 237, 242, 225) if card.prompt else QColor(235, 237, 242, 140))
    for line in lines:
        p.drawText(QRectF(rect.left() + pad, y, width, body_h), Qt.AlignmentFlag.AlignLeft, line)
        y += body_h


def _wrap(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """Word-wrap ``text`` to ``max_lines`` lines of ``width`` px; the last one is elided."""
    text = " ".join(text.split())
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    spans: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [text[s : s + n].strip() for s, n in spans[:max_lines]]
    if len(spans) > max_lines:
        rest = text[spans[max_lines - 1][0] :]
        lines[-1] = QFontMetricsF(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return lines


def _pill_width(text: str, font: QFont) -> float:
    fm = QFontMetricsF(font)
    return fm.horizontalAdvance(text) + fm.height() * 0.9


def _pill(p: QPainter, anchor: QPointF, text: str, font: QFont, *, left: bool) -> None:
    fm = QFontMetricsF(font)
    w, h = _pill_width(text, font), fm.height() * 1.45
    x = anchor.x() if left else anchor.x() - w
    box = QRectF(x, anchor.y(), w, h)
    path = QPainterPath()
    path.addRoundedRect(box, h / 2, h / 2)
    p.fillPath(path, QColor(10, 11, 14, 165))
    p.setFont(font)
    p.setPen(QColor("#f4f5f7"))
    p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def paint_progress(
    p: QPainter, rect: QRectF, durations: list[int], position: float, accent: QColor
) -> None:
    """One segment per shot, as wide as its duration: done, current (partly filled), to come."""
    total = float(sum(durations)) or 1.0
    gap = 4.0
    usable = rect.width() - gap * (len(durations) - 1)
    x = rect.left()
    start = 0.0
    for d in durations:
        w = usable * d / total
        seg = QRectF(x, rect.top(), w, rect.height())
        r = rect.height() / 2
        back = QPainterPath()
        back.addRoundedRect(seg, r, r)
        p.fillPath(back, QColor(255, 255, 255, 40))
        done = min(max((position - start) / d, 0.0), 1.0)
        if done > 0:
            fill = QPainterPath()
            fill.addRoundedRect(
                QRectF(seg.x(), seg.y(), max(seg.height(), w * done), seg.height()), r, r
            )
            p.fillPath(fill, accent if done < 1.0 else QColor(235, 237, 242, 190))
        x += w + gap
        start += d
