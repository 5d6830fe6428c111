"""Small PNG previews for the asset bin: images, the first frame of a video, an audio waveform.

Large JPEGs are decoded at a reduced scale (``draft``), so a 24-megapixel photo costs about as
much as a 3-megapixel one; videos are scaled while converting the frame, never at full size.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_studio.project.media.kinds import Kind, MediaError
from kling_studio.project.media.probe import first_frame

if TYPE_CHECKING:
    # numpy, PyAV and Pillow take ~180 ms to import together: they load with the first thumbnail
    # (on a worker thread), not when the app starts.
    from PIL import Image

AUDIO_SECONDS = 120  # a waveform of the first two minutes is plenty for a 256 px picture
_WAVE_RATE = 4000


def make_thumbnail(path: Path, kind: Kind, max_side: int = 256) -> bytes:
    """PNG bytes of a preview at most ``max_side`` pixels on its longer side.

    Raises:
        MediaError: the file cannot be decoded.
    """
    if max_side < 1:
        raise ValueError("max_side must be at least 1")
    if kind == "image":
        picture = _image(path, max_side)
    elif kind == "video":
        picture = _video(path, max_side)
    else:
        picture = _waveform(path, max_side)
    buf = io.BytesIO()
    picture.save(buf, "PNG", optimize=False, compress_level=1)
    return buf.getvalue()


def _image(path: Path, max_side: int) -> Image.Image:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.draft("RGB", (max_side, max_side))  # JPEG only: decode at 1/2…1/8 scale
            img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
            # Phones store portrait photos sideways plus an EXIF flag; show what the user sees.
            out = ImageOps.exif_transpose(img)
            return _displayable(out)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise MediaError(f"{path.name}: the file is damaged or not an image") from None


def _displayable(img: Image.Image) -> Image.Image:
    has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    return img.convert("RGBA" if has_alpha else "RGB")


def _fit(width: int, height: int, max_side: int) -> tuple[int, int]:
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _video(path: Path, max_side: int) -> Image.Image:
    damaged = f"{path.name}: the file is damaged or not a video (could not read a video stream)"
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise MediaError(damaged)
            frame = first_frame(container, container.streams.video[0])
            if frame is None:
                raise MediaError(damaged)
            width, height = _fit(frame.width, frame.height, max_side)
            image: Image.Image = frame.reformat(width, height, format="rgb24").to_image()
            return image
    except (av.error.FFmpegError, OSError, ValueError):
        raise MediaError(damaged) from None


def _waveform(path: Path, max_side: int) -> Image.Image:
    from PIL import Image, ImageDraw

    width, height = max_side, max(1, max_side // 2)
    peaks = _peaks(path, width)
    img = Image.new("RGB", (width, height), (32, 34, 40))
    draw = ImageDraw.Draw(img)
    mid = height / 2
    for x, peak in enumerate(peaks):
        half = max(0.5, float(peak) * (mid - 1))
        draw.line([(x, mid - half), (x, mid + half)], fill=(120, 200, 255))
    return img


def _peaks(path: Path, columns: int) -> Any:
    damaged = f"{path.name}: the file is damaged or not audio (could not read an audio stream)"
    import av
    import numpy as np

    chunks: list[Any] = []
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise MediaError(damaged)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=_WAVE_RATE)
            budget = AUDIO_SECONDS * _WAVE_RATE
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
                    budget -= out.samples
                if budget <= 0:
                    break
    except (av.error.FFmpegError, OSError, ValueError):
        raise MediaError(damaged) from None
    if not chunks:
        raise MediaError(damaged)
    samples = np.abs(np.concatenate(chunks))
    edges = np.linspace(0, len(samples), columns + 1).astype(int)
    peaks = np.array([samples[a:b].max() if b > a else 0.0 for a, b in itertools.pairwise(edges)])
    top = float(peaks.max()) or 1.0
    return peaks / top
