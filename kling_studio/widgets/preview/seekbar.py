"""A seek bar for a generated take, with the authored shot boundaries marked on it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kling_studio.qt.playback import Boundary

PAD = 8.0
TRACK_H = 6.0


class ShotSeekBar(QWidget):
    """Track + playhead; a tick at every shot boundary and the shot number over each span.

    Signals:
        seek_requested(float): the user pressed or dragged on the bar (seconds).
    """

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._duration = 0.0
        self._position = 0.0
        self._boundaries: list[Boundary] = []
        self._loop: tuple[float, float] | None = None
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Seek bar with shot markers")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, 34)

    def set_duration(self, seconds: float) -> None:
        self._duration = max(0.0, seconds)
        self.update()

    def set_position(self, seconds: float) -> None:
        self._position = seconds
        self.update()

    def set_boundaries(self, boundaries: Sequence[Boundary]) -> None:
        self._boundaries = list(boundaries)
        self.update()

    def set_loop_range(self, span: tuple[float, float] | None) -> None:
        self._loop = span
        self.update()

    def markers(self) -> list[float]:
        """Seconds of every boundary tick (each shot's start and end, once)."""
        return sorted({t for start, end, _ in self._boundaries for t in (start, end)})

    def span(self) -> float:
        """Seconds the bar spans: the take, or the authored total if that is longer."""
        authored = max((end for _, end, _ in self._boundaries), default=0.0)
        return max(self._duration, authored, 1e-3)

    def x_for(self, seconds: float) -> float:
        """Pixel x of a time on the bar."""
        track = self._track()
        return track.left() + track.width() * min(max(seconds / self.span(), 0.0), 1.0)

    def _track(self) -> QRectF:
        return QRectF(PAD, self.height() - PAD - TRACK_H - 4, self.width() - 2 * PAD, TRACK_H)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        accent = pal.color(pal.ColorRole.Highlight)
        text = pal.color(pal.ColorRole.WindowText)
        track = self._track()
        self._paint_track(p, track, accent)
        font = QFont(self.font())
        font.setPixelSize(10)
        p.setFont(font)
        for i, (start, end, label) in enumerate(self._boundaries):
            x0, x1 = self.x_for(start), self.x_for(end)
            top = QRectF(x0, 0, x1 - x0, track.top() - 3)
            p.setPen(text)
            p.drawText(
                top,
                Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignBottom,
                str(i + 1) if (x1 - x0) < 60 else label,
            )
        p.setPen(QColor(text.red(), text.green(), text.blue(), 170))
        for t in self.markers():
            x = self.x_for(t)
            p.drawLine(QPointF(x, track.top() - 5), QPointF(x, track.bottom() + 5))
        head = QPointF(self.x_for(self._position), track.center().y())
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#ffffff"))
        p.drawEllipse(head, 6.5, 6.5)
        p.setBrush(accent)
        p.drawEllipse(head, 4.5, 4.5)
        p.end()

    def _paint_track(self, p: QPainter, track: QRectF, accent: QColor) -> None:
        back = QPainterPath()
        back.addRoundedRect(track, TRACK_H / 2, TRACK_H / 2)
        mid = self.palette().color(self.palette().ColorRole.Mid)
        p.fillPath(back, mid)
        if self._loop is not None:
            x0, x1 = self.x_for(self._loop[0]), self.x_for(self._loop[1])
            loop = QColor(accent)
            loop.setAlpha(90)
            p.fillRect(QRectF(x0, track.top() - 3, x1 - x0, track.height() + 6), loop)
        done = QPainterPath()
        done.addRoundedRect(
            QRectF(
                track.left(), track.top(), self.x_for(self._position) - track.left(), track.height()
            ),
            TRACK_H / 2,
            TRACK_H / 2,
        )
        p.fillPath(done, accent)

    def _seek_to(self, x: float) -> None:
        track = self._track()
        frac = (x - track.left()) / max(track.width(), 1.0)
        self.seek_requested.emit(min(max(frac, 0.0), 1.0) * self.span())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._seek_to(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._seek_to(event.position().x())
