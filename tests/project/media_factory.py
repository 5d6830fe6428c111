"""Real media files generated on the spot (Pillow / PyAV), for probing and import tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image


def make_image(path: Path, width: int, height: int, fmt: str = "JPEG", **save: object) -> Path:
    """A photo-like image (gradients plus noise, so JPEGs have realistic sizes).

    Built from uint8 ramps and a tiled noise block: a 24-megapixel picture takes well under a
    second to make.
    """
    xs = np.linspace(0, 255, width).astype(np.uint8)[None, :]
    ys = np.linspace(0, 255, height).astype(np.uint8)[:, None]
    noise = np.random.default_rng(width * 7 + height).integers(0, 24, (256, 256, 3), np.uint8)
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[..., 0] = np.broadcast_to(xs, (height, width))
    pixels[..., 1] = np.broadcast_to(ys, (height, width))
    pixels[..., 2] = xs + ys  # wraps around: diagonal bands
    reps = (height // 256 + 1, width // 256 + 1, 1)
    pixels += np.tile(noise, reps)[:height, :width]
    Image.fromarray(pixels).save(path, fmt, **save)
    return path


def make_video(
    path: Path, seconds: float = 12.0, fps: int = 24, size: tuple[int, int] = (320, 240)
) -> Path:
    """An H.264 MP4 whose frames change brightness (so the first frame is a real picture)."""
    width, height = size
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        ramp = np.linspace(0, 255, width, dtype=np.uint8)[None, :, None]
        for i in range(round(seconds * fps)):
            pixels = np.broadcast_to(ramp, (height, width, 3)).copy()
            pixels[..., 2] = (i * 5) % 256
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def make_audio(path: Path, seconds: float = 2.0, rate: int = 44100) -> Path:
    """A 440 Hz tone; WAV (PCM) or MP3 (LAME) by the file's extension."""
    codec, fmt = ("libmp3lame", "s16p") if path.suffix == ".mp3" else ("pcm_s16le", "s16")
    t = np.arange(round(seconds * rate)) / rate
    tone = (np.sin(2 * np.pi * 440 * t) * 12000).astype(np.int16)
    with av.open(str(path), "w") as container:
        stream: Any = container.add_stream(codec, rate=rate, layout="mono")
        step = 1152
        for start in range(0, len(tone), step):
            chunk = tone[start : start + step].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format=fmt, layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
