"""The animatic: the storyboard played at its authored timing, before any money is spent.

Each shot is a card (start frame, end frame, first reference image or a placeholder) with its
number, title and prompt in a caption band, a per-shot progress bar and the global timecode. The
playhead is a :class:`~kling_studio.qt.playback.PlaybackClock` (wall time, not tick counting);
the widget follows the document live, so retiming shots while paused redraws at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kling_studio.qt.document import ASSETS, SHOTS, TIMING, DocumentChange, StoryboardDocument
from kling_studio.qt.playback import PlaybackClock, shot_at, timecode
from kling_studio.widgets.preview.card import (
    Card,
    card_for,
    fit_aspect,
    paint_overlay,
    paint_picture,
    paint_progress,
)

ImageProvider = Callable[[str], "QImage | None"]
SEEK_STEP = 1.0
END_FADE = 1.0  # the end frame fades in over the last second of the last shot (or its half)
BAR_H = 5.0
MARGIN = 10.0


class AnimaticPlayer(QWidget):
    """Plays the storyboard as timed cards.

    Keyboard: Space play/pause, Left/Right -/+1 s, Home to the start, End to the end.
    Clicking the picture toggles playback; clicking the progress bar seeks.

    Signals:
        position_changed(float): the playhead moved (seconds); drives the timeline playhead.
        shot_changed(int): the playhead entered another shot (its index).
        playing_changed(bool): playback started or stopped.
    """

    position_changed = Signal(float)
    shot_changed = Signal(int)
    playing_changed = Signal(bool)

    def __init__(
        self,
        doc: StoryboardDocument,
        image_for: ImageProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._image_for = image_for or (lambda _hash: None)
        self._images: dict[str, QImage | None] = {}
        self._scaled: dict[tuple[str, int, int], QPixmap] = {}
        self._clock = PlaybackClock(doc.storyboard.total, self)
        self._shot = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Animatic preview")
        self.setMinimumSize(QSize(240, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._build_transport()
        self._clock.position_changed.connect(self._on_clock_position_changed)
        self._clock.playing_changed.connect(self._on_clock_playing_changed)
        doc.changed.connect(self._on_doc_changed)

    def _build_transport(self) -> None:
        self._play_btn = self._button("Play", "Play / pause (Space)", self.toggle)
        self._play_btn.setIcon(self._icon(QStyle.StandardPixmap.SP_MediaPlay))
        self._stop_btn = self._button("Stop", "Stop and go back to the start", self.stop)
        self._stop_btn.setIcon(self._icon(QStyle.StandardPixmap.SP_MediaStop))
        self._loop_btn = self._button("Loop", "Loop the animatic", self.set_loop)
        self._loop_btn.setCheckable(True)
        for btn in (self._play_btn, self._stop_btn):
            btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        row = QHBoxLayout()
        row.setContentsMargins(int(MARGIN), 0, int(MARGIN), int(MARGIN) // 2)
        for btn in (self._play_btn, self._stop_btn, self._loop_btn):
            row.addWidget(btn)
        row.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addStretch(1)  # the card is painted in the space above the buttons
        col.addLayout(row)

    def _icon(self, pixmap: QStyle.StandardPixmap) -> QIcon:
        return self.style().standardIcon(pixmap)

    def _button(self, text: str, tip: str, slot: Callable[..., None]) -> QToolButton:
        btn = QToolButton(self)
        btn.setText(text)
        btn.setToolTip(tip)
        btn.setAccessibleName(tip)
        btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the animatic
        btn.clicked.connect(slot)
        return btn

    # ----- public API -----

    @property
    def position(self) -> float:
        return self._clock.position

    @property
    def is_playing(self) -> bool:
        return self._clock.is_playing

    @property
    def loop(self) -> bool:
        return self._clock.loop

    @property
    def current_shot(self) -> int:
        return self._shot

    def set_loop(self, on: bool) -> None:
        self._clock.loop = bool(on)
        self._loop_btn.setChecked(bool(on))

    def play(self) -> None:
        self._clock.play()

    def pause(self) -> None:
        self._clock.pause()

    def toggle(self) -> None:
        self._clock.toggle()

    def stop(self) -> None:
        self._clock.stop()

    def seek(self, seconds: float) -> None:
        self._clock.seek(seconds)

    def seek_shot(self, index: int) -> None:
        """Move the playhead to the start of shot ``index``."""
        sb = self._doc.storyboard
        self.seek(sb.shot_start(max(0, min(index, len(sb.shots) - 1))))

    def current_card(self) -> Card:
        """The card on screen (what the caption says, which picture it shows)."""
        return card_for(self._doc.storyboard, self._shot, final=self._end_fade() >= 1.0)

    def current_card_title(self) -> str:
        return self.current_card().heading

    def refresh_images(self) -> None:
        """Ask the image provider again (e.g. a thumbnail finished loading)."""
        self._images.clear()
        self._scaled.clear()
        self.update()

    # ----- state -----

    def _durations(self) -> list[int]:
        return [s.duration for s in self._doc.storyboard.shots]

    def _shot_progress(self) -> float:
        sb = self._doc.storyboard
        shot = sb.shots[self._shot]
        return min(max((self.position - sb.shot_start(self._shot)) / shot.duration, 0.0), 1.0)

    def _end_fade(self) -> float:
        """0-1 opacity of the end frame over the last shot's final moment."""
        sb = self._doc.storyboard
        if sb.end_frame is None or self._shot != len(sb.shots) - 1:
            return 0.0
        fade = min(END_FADE, sb.shots[-1].duration / 2)
        return min(max((self.position - (sb.total - fade)) / fade, 0.0), 1.0)

    def _sync_shot(self) -> None:
        shot = shot_at(self._durations(), self.position)
        if shot != self._shot:
            self._shot = shot
            self.shot_changed.emit(shot)

    def _pixmap(self, asset: str | None, size: QSize) -> QPixmap | None:
        """The asset's picture pre-scaled to cover ``size`` (scaling once, not every frame)."""
        if asset is None:
            return None
        if asset not in self._images:
            image = self._image_for(asset)
            self._images[asset] = image if image is not None and not image.isNull() else None
        image = self._images[asset]
        if image is None:
            return None
        key = (asset, size.width(), size.height())
        if key not in self._scaled:
            if len(self._scaled) > 16:  # resizes leave stale sizes behind
                self._scaled.clear()
            scaled = image.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._scaled[key] = QPixmap.fromImage(scaled)
        return self._scaled[key]

    # ----- slots -----

    def _on_clock_position_changed(self, seconds: float) -> None:
        self._sync_shot()
        self.position_changed.emit(seconds)
        self.update()

    def _on_clock_playing_changed(self, playing: bool) -> None:
        self._play_btn.setText("Pause" if playing else "Play")
        self._play_btn.setIcon(
            self._icon(
                QStyle.StandardPixmap.SP_MediaPause
                if playing
                else QStyle.StandardPixmap.SP_MediaPlay
            )
        )
        self.playing_changed.emit(playing)

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if ASSETS in change.kinds:
            self._images.clear()
            self._scaled.clear()
        if change.kinds & {SHOTS, TIMING}:
            self._clock.set_duration(change.after.total)
            self._sync_shot()
        self.update()

    # ----- painting -----

    def _stage(self) -> tuple[QRectF, QRectF]:
        """(card rect in the storyboard's aspect ratio, progress bar rect)."""
        buttons = self._play_btn.sizeHint().height() + MARGIN
        avail = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -buttons - BAR_H - MARGIN)
        card = fit_aspect(avail, self._doc.storyboard.settings.aspect_ratio)
        bar = QRectF(card.left(), card.bottom() + MARGIN * 0.8, card.width(), BAR_H)
        return card, bar

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
            | QPainter.RenderHint.TextAntialiasing
        )
        p.fillRect(self.rect(), QColor("#111214"))
        card_rect, bar_rect = self._stage()
        sb = self._doc.storyboard
        card = card_for(sb, self._shot)
        clip = QPainterPath()
        clip.addRoundedRect(card_rect, 8, 8)
        p.setClipPath(clip)
        progress = self._shot_progress()
        dpr = self.devicePixelRatioF()
        size = QSize(int(card_rect.width() * dpr), int(card_rect.height() * dpr))
        paint_picture(p, card_rect, card, self._pixmap(card.asset, size), progress)
        fade = self._end_fade()
        if fade > 0:
            final = card_for(sb, self._shot, final=True)
            p.setOpacity(fade)
            paint_picture(p, card_rect, final, self._pixmap(final.asset, size), progress)
            p.setOpacity(1.0)
            card = final if fade >= 1.0 else card
        paint_overlay(p, card_rect, card, timecode(self.position))
        p.setClipping(False)
        accent = self.palette().color(self.palette().ColorRole.Highlight)
        paint_progress(p, bar_rect, self._durations(), self.position, accent)
        p.end()

    # ----- input -----

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle()
        elif key == Qt.Key.Key_Left:
            self.seek(self.position - SEEK_STEP)
        elif key == Qt.Key.Key_Right:
            self.seek(self.position + SEEK_STEP)
        elif key == Qt.Key.Key_Home:
            self.seek(0.0)
        elif key == Qt.Key.Key_End:
            self.seek(self._doc.storyboard.total)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        card_rect, bar_rect = self._stage()
        pos = event.position()
        hit_bar = bar_rect.adjusted(0, -MARGIN * 0.6, 0, MARGIN * 0.6)
        if event.button() == Qt.MouseButton.LeftButton and hit_bar.contains(pos):
            frac = (pos.x() - bar_rect.left()) / max(bar_rect.width(), 1.0)
            self.seek(frac * self._doc.storyboard.total)
        elif event.button() == Qt.MouseButton.LeftButton and card_rect.contains(pos):
            self.toggle()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)
