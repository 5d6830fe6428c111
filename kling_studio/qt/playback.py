"""A wall-clock playhead for previews, plus the small timing helpers the preview widgets share.

:class:`PlaybackClock` advances a position in seconds from *elapsed wall time*
(``QElapsedTimer``), not by counting timer ticks: a late or skipped tick never slows the
playhead, it only lowers the frame rate of the redraw.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from kling_studio.domain.storyboard import Storyboard

TIMECODE_FPS = 24
TICK_MS = 33  # ~30 redraws per second is smooth for cards and cheap on 2 shared cores

Boundary = tuple[float, float, str]


def timecode(seconds: float, fps: int = TIMECODE_FPS) -> str:
    """``HH:MM:SS:FF`` for a position in seconds (frames counted at ``fps``)."""
    frames = max(0, int(seconds * fps + 1e-6))
    ff = frames % fps
    total_s = frames // fps
    return f"{total_s // 3600:02d}:{total_s // 60 % 60:02d}:{total_s % 60:02d}:{ff:02d}"


def shot_at(durations: list[int] | list[float], seconds: float) -> int:
    """Index of the shot playing at ``seconds``; the very end belongs to the last shot."""
    start = 0.0
    for i, d in enumerate(durations):
        start += d
        if seconds < start:
            return i
    return len(durations) - 1


def shot_boundaries(sb: Storyboard) -> list[Boundary]:
    """``(start_s, end_s, label)`` of every authored shot, for markers on a result's seek bar."""
    out: list[Boundary] = []
    for i, shot in enumerate(sb.shots):
        start = float(sb.shot_start(i))
        label = f"Shot {i + 1}" + (f" · {shot.title}" if shot.title else "")
        out.append((start, start + shot.duration, label))
    return out


class PlaybackClock(QObject):
    """A play/pause/seek playhead over ``[0, duration]`` seconds, driven by wall time.

    Signals:
        position_changed(float): the playhead moved (ticks while playing, seeks, clamping).
        playing_changed(bool): playback started or stopped.
        finished(): the end was reached without looping.
    """

    position_changed = Signal(float)
    playing_changed = Signal(bool)
    finished = Signal()

    def __init__(self, duration: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._duration = max(0.0, float(duration))
        self._position = 0.0
        self._anchor = 0.0  # position when the elapsed timer was (re)started
        self._elapsed = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.loop = False

    @property
    def position(self) -> float:
        return self._position

    @property
    def duration(self) -> float:
        return self._duration

    @property
    def is_playing(self) -> bool:
        return self._timer.isActive()

    def set_duration(self, duration: float) -> None:
        """Change the length (a storyboard edit); the playhead is clamped, playback goes on."""
        self._duration = max(0.0, float(duration))
        if self._position > self._duration:
            self.seek(self._duration)

    def play(self) -> None:
        if self.is_playing or self._duration <= 0:
            return
        if self._position >= self._duration:  # play at the end starts over, like any player
            self._set_position(0.0)
        self._restart_anchor()
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if not self.is_playing:
            return
        self._advance()
        self._timer.stop()
        self.playing_changed.emit(False)

    def toggle(self) -> None:
        if self.is_playing:
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        """Pause and return to the start."""
        self.pause()
        self.seek(0.0)

    def seek(self, seconds: float) -> None:
        self._set_position(min(max(0.0, float(seconds)), self._duration))
        self._restart_anchor()

    def _restart_anchor(self) -> None:
        self._anchor = self._position
        self._elapsed.start()

    def _advance(self) -> None:
        pos = self._anchor + self._elapsed.elapsed() / 1000.0
        if pos < self._duration:
            self._set_position(pos)
        elif self.loop and self._duration > 0:
            self._set_position(pos % self._duration)
            self._anchor = self._position
            self._elapsed.start()
        else:
            self._set_position(self._duration)
            self._timer.stop()
            self.playing_changed.emit(False)
            self.finished.emit()

    def _set_position(self, seconds: float) -> None:
        if seconds != self._position:
            self._position = seconds
            self.position_changed.emit(seconds)

    def _on_timer_timeout(self) -> None:
        self._advance()
