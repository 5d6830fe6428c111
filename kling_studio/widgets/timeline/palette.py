"""Timeline colours and fonts, derived from the widget's palette and font.

Block fills follow the theme (dark fills under light text on dark palettes, pastel fills under
dark text on light ones), and each shot has a hue of its own that follows it when reordered.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPainter, QPalette

PAD = 6.0
ACCENT_H = 4.0
RADIUS = 5.0
PLAYHEAD = QColor("#e5484d")  # reads on dark and light backgrounds alike


@dataclass(frozen=True)
class Theme:
    """Colours derived once per palette."""

    dark: bool
    background: QColor
    ruler: QColor
    ruler_text: QColor
    tick: QColor
    text: QColor
    text_dim: QColor
    selection: QColor

    @classmethod
    def from_palette(cls, pal: QPalette) -> Theme:
        text = pal.color(QPalette.ColorRole.Text)
        dim = QColor(text)
        dim.setAlpha(185)
        tick = QColor(pal.color(QPalette.ColorRole.WindowText))
        tick.setAlpha(120)
        return cls(
            dark=pal.color(QPalette.ColorRole.Window).lightness() < 128,
            background=pal.color(QPalette.ColorRole.Base),
            ruler=pal.color(QPalette.ColorRole.Window),
            ruler_text=pal.color(QPalette.ColorRole.WindowText),
            tick=tick,
            text=text,
            text_dim=dim,
            selection=pal.color(QPalette.ColorRole.Highlight),
        )

    def fill(self, hue: int) -> QColor:
        return QColor.fromHsl(hue, 70, 64) if self.dark else QColor.fromHsl(hue, 150, 224)

    def accent(self, hue: int) -> QColor:
        return QColor.fromHsl(hue, 165, 140) if self.dark else QColor.fromHsl(hue, 150, 120)


def shot_hue(shot_id: str) -> int:
    """A stable hue per shot id; consecutive ids (s1, s2, …) get well separated hues."""
    digits = shot_id.lstrip("s")
    n = int(digits) if digits.isdigit() else zlib.crc32(shot_id.encode())
    return int(205 + n * 137.508) % 360  # golden angle


def small_font(p: QPainter) -> QFont:
    font = QFont(p.font())
    font.setPointSizeF(max(6.5, font.pointSizeF() - 1.5))
    return font


def bold_font(font: QFont) -> QFont:
    out = QFont(font)
    out.setBold(True)
    return out
