"""Timeline speed: one full paint (target < 4 ms at 1280×160) and the geometry behind it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Asset
from kling_studio.widgets.timeline.geometry import View, compute_layout
from kling_studio.widgets.timeline.painting import PaintState, Theme, paint_timeline
from tests.widgets.timeline_support import storyboard

W, H = 1280, 160


def six_shot_state() -> PaintState:
    sb = storyboard((4, 2, 3, 1, 3, 2), titles=("Opening", "", "Chase", "", "Rooftop", "Out"))
    asset = Asset(hash="cd" * 16, kind="image", format="jpeg", bytes=1, width=1920, height=1080)
    sb = edits.attach(sb, "start_frame", asset)
    thumb = QPixmap(1920, 1080)
    thumb.fill(QColor("#884422"))
    return PaintState(sb, current=2, focused=True, playhead=7.5, active_border=1, thumbnail=thumb)


def test_bench_paint_six_shots_1280x160(benchmark: Any, qapp: QApplication) -> None:
    state = six_shot_state()
    layout = compute_layout([s.duration for s in state.storyboard.shots], View(W, H))
    theme = Theme.from_palette(QPalette(qapp.palette()))
    image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)

    def paint() -> None:
        painter = QPainter(image)
        paint_timeline(painter, layout, state, theme)
        painter.end()

    benchmark(paint)
    assert image.pixelColor(W - 2, H - 2) == theme.background  # the whole image was painted


def test_bench_geometry_and_hit_test(benchmark: Any) -> None:
    durs = (4, 2, 3, 1, 3, 2)

    def layout_and_hits() -> int:
        layout = compute_layout(durs, View(W, H, zoom=1.5, scroll=100))
        return sum(layout.hit(x, 80).index for x in range(0, W, 64))

    assert benchmark(layout_and_hits) > 0
