"""Real H.264 test takes for the preview tests, written with PyAV (no binary fixtures)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

WIDTH, HEIGHT, FPS = 320, 180, 24
# One flat colour per second, so a frame tells which authored shot it belongs to.
SHOT_COLOURS = ((220, 40, 40), (40, 200, 60), (40, 80, 230))


def write_take(path: Path, *, seconds: int = 3, audio: bool = True) -> Path:
    """A ``seconds`` s 320×180 24 fps H.264 MP4 (optionally with AAC), shot ``i`` = colour ``i``."""
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        sound = out.add_stream("aac", rate=44100) if audio else None
        for i in range(seconds * FPS):
            frame = np.empty((HEIGHT, WIDTH, 3), np.uint8)
            frame[:] = SHOT_COLOURS[(i // FPS) % len(SHOT_COLOURS)]
            frame[:, : (i % FPS) * WIDTH // FPS] //= 2  # a wipe, so frames differ within a shot
            for packet in video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if sound is not None:
            _write_tone(out, sound, seconds)
    return path


def _write_tone(out: av.container.OutputContainer, sound: av.AudioStream, seconds: int) -> None:
    rate, chunk = 44100, 1024
    for start in range(0, rate * seconds, chunk):
        t = np.arange(start, start + chunk) / rate
        samples = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate, frame.pts = rate, start
        for packet in sound.encode(frame):
            out.mux(packet)
    for packet in sound.encode():
        out.mux(packet)
