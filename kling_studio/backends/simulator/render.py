"""The simulator's MP4 renderer: one slate per shot, exact duration, optional AAC tone track.

The output is a real H.264/AAC MP4 with the duration, frame size and audio the request asked
for, so everything downstream (download, probing, preview, the timeline) sees what a real Kling
result would give it. Each shot gets its own background colour, its number, its prompt and a tone
of its own, which makes shot boundaries visible and audible when a user scrubs the result.

Speed: each slate is drawn once; per frame only the timecode/progress luma is patched (see
:mod:`.slate`) and libx264 ``ultrafast`` encodes with its own threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from kling_studio.backends.simulator.slate import (
    Layout,
    SlateText,
    draw_slate,
    make_layout,
    stamp,
    timecode,
)

SAMPLE_RATE = 48_000
DRAFT_FPS = 4
_LONG_SIDE = {"std": 1280, "pro": 1920}
_SHORT_SIDE = {"std": 720, "pro": 1080}
_MODE_LABEL = {"std": "std 720p", "pro": "pro 1080p", "4k": "4k"}


class RenderCancelledError(Exception):
    """The render was stopped (the simulator is shutting down)."""


@dataclass(frozen=True)
class RenderInfo:
    """What was rendered.

    Attributes:
        downscaled_from: "4k" when a 4K request was rendered at 1080p to stay fast, else None.
    """

    width: int
    height: int
    duration: float
    frames: int
    has_audio: bool
    downscaled_from: str | None = None


def frame_size(mode: str, aspect_ratio: str, *, draft: bool = False) -> tuple[int, int, str | None]:
    """(width, height, downscaled_from) for a mode and an aspect ratio.

    4K is rendered at 1080p: a real 3840×2160 H.264 encode would take minutes on a laptop, and
    the point of the simulator is the workflow, not the pixels. The caller reports the downscale.
    """
    downscaled = "4k" if mode == "4k" else None
    key = "pro" if mode == "4k" else mode if mode in _LONG_SIDE else "std"
    long, short = (192, 108) if draft else (_LONG_SIDE[key], _SHORT_SIDE[key])
    if aspect_ratio == "9:16":
        return short, long, downscaled
    if aspect_ratio == "1:1":
        return short, short, downscaled
    return long, short, downscaled


def _tone(
    start: int, count: int, freq: float, shot_start: int, shot_end: int
) -> npt.NDArray[np.float32]:
    """Samples [start, start+count) of a sine at ``freq`` with 10 ms fades at the shot's edges."""
    n = np.arange(start, start + count, dtype=np.float64)
    wave = 0.2 * np.sin(2 * np.pi * freq * n / SAMPLE_RATE)
    fade = SAMPLE_RATE // 100
    edge = np.minimum(n - shot_start, shot_end - 1 - n)
    wave *= np.clip(edge / fade, 0.0, 1.0)
    return wave.astype(np.float32)


class _Audio:
    """Feeds the AAC encoder in step with the video, one tone per shot."""

    def __init__(self, container: av.container.OutputContainer, bounds: list[int]) -> None:
        self.stream = container.add_stream("aac", rate=SAMPLE_RATE, layout="mono")
        self.container = container
        self.bounds = bounds  # sample index where each shot starts, plus the end
        self.done = 0

    def feed_until(self, sample: int) -> None:
        while self.done < sample:
            shot = max(i for i in range(len(self.bounds) - 1) if self.bounds[i] <= self.done)
            start, end = self.bounds[shot], self.bounds[shot + 1]
            count = min(sample, end) - self.done
            freq = 220.0 * 2 ** (shot * 4 / 12)  # a major third apart: clearly different notes
            frame = av.AudioFrame.from_ndarray(
                _tone(self.done, count, freq, start, end)[None, :], format="fltp", layout="mono"
            )
            frame.sample_rate = SAMPLE_RATE
            frame.pts = self.done
            frame.time_base = Fraction(1, SAMPLE_RATE)
            self.container.mux(self.stream.encode(frame))
            self.done += count

    def flush(self) -> None:
        self.container.mux(self.stream.encode(None))


def render_storyboard_video(
    path: str | os.PathLike[str],
    *,
    shots: Sequence[tuple[str, int]],
    aspect_ratio: str = "16:9",
    mode: str = "std",
    sound: bool = False,
    fps: int = 24,
    draft: bool = False,
    watermark: str | None = None,
    cancel: threading.Event | None = None,
) -> RenderInfo:
    """Render ``shots`` ((prompt, whole seconds) each) to an MP4 at ``path``.

    ``draft`` renders the same container and duration at 192×108 and 4 fps (for tests). The file
    appears atomically: it is written next to ``path`` and renamed when complete.

    Raises:
        ValueError: no shots, or a shot shorter than one second.
        RenderCancelledError: ``cancel`` was set; nothing is left on disk.
    """
    if not shots or any(seconds < 1 for _, seconds in shots):
        raise ValueError("a video needs at least one shot of at least one second")
    fps = DRAFT_FPS if draft else fps
    width, height, downscaled = frame_size(mode, aspect_ratio, draft=draft)
    total = sum(seconds for _, seconds in shots)
    target = Path(path)
    partial = target.with_name(f".{target.name}.part")
    try:
        frames = _encode(
            partial, shots, (width, height), fps, sound, mode, aspect_ratio, watermark, cancel
        )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return RenderInfo(width, height, float(total), frames, sound, downscaled)


def _encode(
    path: Path,
    shots: Sequence[tuple[str, int]],
    size: tuple[int, int],
    fps: int,
    sound: bool,
    mode: str,
    aspect_ratio: str,
    watermark: str | None,
    cancel: threading.Event | None,
) -> int:
    width, height = size
    total_frames = sum(seconds for _, seconds in shots) * fps
    layout = make_layout(width, height)
    label = _MODE_LABEL.get(mode, mode)
    caption = f"{aspect_ratio}  ·  {label}  ·  sound {'on' if sound else 'off'}"
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        # A keyframe every second keeps seeking in a preview player instant.
        video.options = {"preset": "ultrafast", "g": str(fps), "crf": "26"}
        bounds = [0]
        for _, seconds in shots:
            bounds.append(bounds[-1] + seconds * SAMPLE_RATE)
        audio = _Audio(container, bounds) if sound else None
        frame_no = 0
        for index, (prompt, seconds) in enumerate(shots):
            text = SlateText(index, len(shots), prompt, seconds, caption, watermark)
            slate = draw_slate(width, height, text, layout)
            for local in range(seconds * fps):
                if cancel is not None and cancel.is_set():
                    raise RenderCancelledError
                _write_frame(container, video, slate, layout, local, frame_no, total_frames, fps)
                frame_no += 1
                if audio is not None:
                    audio.feed_until(frame_no * SAMPLE_RATE // fps)
        container.mux(video.encode(None))
        if audio is not None:
            audio.flush()
    return frame_no


def _write_frame(
    container: av.container.OutputContainer,
    video: av.VideoStream,
    slate: npt.NDArray[np.uint8],
    layout: Layout,
    local: int,
    frame_no: int,
    total_frames: int,
    fps: int,
) -> None:
    progress = (frame_no + 1) / total_frames
    stamp(slate, layout, timecode(local, fps), timecode(frame_no, fps), progress)
    frame = av.VideoFrame.from_ndarray(slate, format="yuv420p")
    frame.pts = frame_no
    frame.time_base = Fraction(1, fps)
    container.mux(video.encode(frame))
