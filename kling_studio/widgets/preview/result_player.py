"""Plays a generated take against the authored shot boundaries.

A seek bar marks where each authored shot should start, so a user sees at once whether the model
kept the timing; "Loop shot" repeats one shot, and frame steps inspect a cut. QtMultimedia is
loaded lazily (:mod:`kling_studio.widgets.preview.media`): constructing this widget never needs
it (the app builds three players in hidden tabs at start; loading it costs ~25 ms), it loads when
a player is first shown or given a take, and without it the widget explains what to install
instead of crashing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from kling_studio.qt.playback import Boundary, shot_at, timecode
from kling_studio.widgets.preview.controls import ResultControls
from kling_studio.widgets.preview.media import Multimedia, load_multimedia
from kling_studio.widgets.preview.seekbar import ShotSeekBar

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaPlayer, QVideoSink

DEFAULT_FPS = 24.0
NO_TAKE = "No take loaded. Generate the storyboard, then pick a take to watch it here."


class Take(NamedTuple):
    """A result video and the authored shot boundaries it should be judged against."""

    path: Path | str
    boundaries: Sequence[Boundary]
    label: str = ""


class ResultPlayer(QWidget):
    """Video + seek bar with shot markers, play/pause, loop one shot, frame steps.

    Keyboard: Space play/pause, Left/Right (or ,/.) one frame back/forward, Home to the start.

    Signals:
        position_changed(float): playback position in seconds.
        playing_changed(bool): playback started or stopped.
        seeked(float): a seek was asked for (user or API), in seconds; drives linked players.
        error_changed(str): the message shown instead of the video ("" when cleared).
    """

    position_changed = Signal(float)
    playing_changed = Signal(bool)
    seeked = Signal(float)
    error_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Result player")
        self._mm: Multimedia | None = None
        self._mm_tried = False
        self._player: QMediaPlayer | None = None
        self._video: Any = None
        self._audio: Any = None
        self._devices: Any = None
        self._boundaries: list[Boundary] = []
        self._loop: int | None = None
        self._fps = DEFAULT_FPS
        self._error = ""
        self._message = QLabel(NO_TAKE)
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setMinimumHeight(80)
        self._stack = QStackedLayout()
        self._stack.addWidget(self._message)
        self.seekbar = ShotSeekBar(self)
        self.controls = ResultControls(self)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        col.addLayout(self._stack, 1)
        col.addWidget(self.seekbar)
        col.addWidget(self.controls)
        self.seekbar.seek_requested.connect(self.seek)
        self.controls.connect_to(self)
        self._set_enabled(False)

    # ----- public API -----

    @property
    def available(self) -> bool:
        """False when QtMultimedia cannot be loaded on this machine."""
        return self._multimedia() is not None

    @property
    def error_text(self) -> str:
        return self._error

    @property
    def position(self) -> float:
        return self._player.position() / 1000.0 if self._player else 0.0

    @property
    def duration(self) -> float:
        return self._player.duration() / 1000.0 if self._player else 0.0

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def is_playing(self) -> bool:
        return self._player is not None and self._player.isPlaying()

    @property
    def loop_shot(self) -> int | None:
        return self._loop

    @property
    def boundaries(self) -> list[Boundary]:
        return list(self._boundaries)

    def media_player(self) -> QMediaPlayer | None:
        return self._player

    def video_sink(self) -> QVideoSink | None:
        """The sink the frames on screen arrive in (None until a take is loaded)."""
        return self._video.videoSink() if self._video is not None else None

    def shot_markers(self) -> list[float]:
        """Seconds at which the seek bar shows a shot boundary."""
        return self.seekbar.markers()

    def load(self, path: Path | str, boundaries: Sequence[Boundary], label: str = "") -> None:
        """Show a take; ``boundaries`` are the authored ``(start_s, end_s, label)`` per shot."""
        self._boundaries = list(boundaries)
        self._loop = None
        self.seekbar.set_boundaries(self._boundaries)
        self.seekbar.set_loop_range(None)
        self.controls.set_shots([b[2] for b in self._boundaries])
        self.setToolTip(label)
        if self._multimedia() is None:
            return
        file = Path(path)
        if not file.is_file():
            self._show_error(f"The take's video file is missing: {file}")
            return
        player = self._ensure_player()
        self._show_error("")
        self._fps = DEFAULT_FPS
        player.setSource(QUrl.fromLocalFile(str(file.resolve())))

    def play(self) -> None:
        if self._player is not None and not self._error:
            self._player.play()

    def pause(self) -> None:
        if self._player is not None:
            self._player.pause()

    def toggle(self) -> None:
        self.pause() if self.is_playing else self.play()

    def seek(self, seconds: float) -> None:
        if self._player is None:
            return
        ms = round(max(0.0, seconds) * 1000)
        if self._loop is not None:  # seeking into another shot moves the loop with it
            self._set_loop(shot_at([e - s for s, e, _ in self._boundaries], ms / 1000))
        self._player.setPosition(ms)
        self.seeked.emit(ms / 1000.0)

    def step_frames(self, frames: int) -> None:
        """Pause and move ``frames`` frames (negative = back) at the video's frame rate."""
        if self._player is None:
            return
        self.pause()
        current = math.floor(self._player.position() * self._fps / 1000 + 1e-6)
        target = max(0, current + frames)
        # 1 ms into the frame: at a frame's exact start the backend still shows the one before.
        self.seek((math.floor(target * 1000 / self._fps) + 1) / 1000)

    def set_loop_shot(self, index: int | None) -> None:
        """Loop shot ``index`` (None stops looping); starts at the shot if outside it."""
        if index is not None and not 0 <= index < len(self._boundaries):
            index = None
        self._set_loop(index)
        if index is not None and self._player is not None:
            start, end, _ = self._boundaries[index]
            if not start <= self.position < end:
                self._player.setPosition(int(start * 1000))

    # ----- internals -----

    def _set_loop(self, index: int | None) -> None:
        self._loop = index
        span = None if index is None else self._boundaries[index][:2]
        self.seekbar.set_loop_range(span)
        self.controls.show_loop(index)

    def _multimedia(self) -> Multimedia | None:
        """QtMultimedia, loaded on first need; when it cannot load, the reason is shown."""
        if not self._mm_tried:
            self._mm_tried = True
            loaded = load_multimedia()
            if isinstance(loaded, str):
                self._show_error(loaded)
            else:
                self._mm = loaded
        return self._mm

    def _ensure_player(self) -> QMediaPlayer:
        if self._player is not None:
            return self._player
        assert self._mm is not None
        qmm, qmw = self._mm.core, self._mm.widgets
        self._player = qmm.QMediaPlayer(self)
        self._video = qmw.QVideoWidget(self)
        self._video.setAccessibleName("Video")
        self._stack.addWidget(self._video)
        self._player.setVideoOutput(self._video)
        self._devices = qmm.QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._on_devices_audio_outputs_changed)
        self._on_devices_audio_outputs_changed()
        self._player.positionChanged.connect(self._on_player_position_changed)
        self._player.durationChanged.connect(self._on_player_duration_changed)
        self._player.playbackStateChanged.connect(self._on_player_playback_state_changed)
        self._player.mediaStatusChanged.connect(self._on_player_media_status_changed)
        self._player.errorOccurred.connect(self._on_player_error_occurred)
        return self._player

    def _show_error(self, text: str) -> None:
        self._error = text
        self._message.setText(text or NO_TAKE)
        show_video = not text and self._video is not None
        self._stack.setCurrentWidget(self._video if show_video else self._message)
        self._set_enabled(show_video)
        self.error_changed.emit(text)

    def _set_enabled(self, on: bool) -> None:
        self.seekbar.setEnabled(on)
        self.controls.setEnabled(on)

    def _on_devices_audio_outputs_changed(self) -> None:
        # A QAudioOutput without a device warns on every play and plays nothing: attach one
        # once the system has an output (at start or when one is plugged in).
        assert self._mm is not None and self._player is not None
        if self._audio is None and self._mm.core.QMediaDevices.audioOutputs():
            self._audio = self._mm.core.QAudioOutput(self)
            self._player.setAudioOutput(self._audio)

    def _on_player_position_changed(self, ms: int) -> None:
        seconds = ms / 1000.0
        if self._loop is not None and self.is_playing:
            start, end, _ = self._boundaries[self._loop]
            half_frame = 0.5 / self._fps
            if seconds >= end - half_frame:
                self._player.setPosition(int(start * 1000))  # type: ignore[union-attr]
                return
        self.seekbar.set_position(seconds)
        self.controls.show_time(
            timecode(seconds, round(self._fps)), timecode(self.duration, round(self._fps))
        )
        self.position_changed.emit(seconds)

    def _on_player_duration_changed(self, ms: int) -> None:
        self.seekbar.set_duration(ms / 1000.0)
        self.controls.show_time(
            timecode(self.position, round(self._fps)), timecode(ms / 1000.0, round(self._fps))
        )

    def _on_player_playback_state_changed(self, _state: object) -> None:
        self.controls.show_playing(self.is_playing)
        self.playing_changed.emit(self.is_playing)

    def _on_player_media_status_changed(self, status: object) -> None:
        assert self._mm is not None and self._player is not None
        statuses = self._mm.core.QMediaPlayer.MediaStatus
        if status == statuses.LoadedMedia:
            rate = self._player.metaData().value(self._mm.core.QMediaMetaData.Key.VideoFrameRate)
            self._fps = float(rate) if isinstance(rate, (int, float)) and rate > 0 else DEFAULT_FPS
            self._show_error("")
            if self._player.playbackState() == self._player.PlaybackState.StoppedState:
                self._player.pause()  # paused, not stopped: the first frame shows, seeks render
        elif status == statuses.EndOfMedia and self._loop is not None:
            self._player.setPosition(int(self._boundaries[self._loop][0] * 1000))
            self._player.play()

    def _on_player_error_occurred(self, _error: object, text: str) -> None:
        self._show_error(f"This take cannot be played: {text or 'unknown error'}.")

    # ----- keyboard -----

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self._multimedia()  # a user looking at the player learns at once if video cannot play
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Comma):
            self.step_frames(-1)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Period):
            self.step_frames(1)
        elif key == Qt.Key.Key_Home:
            self.seek(0.0)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
