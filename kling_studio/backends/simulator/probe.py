"""Probe the images and videos a create body attaches, for the body check.

* raw Base64 → decoded and read with Pillow (format, width, height, size);
* an http(s) URL on this machine (127.0.0.1, localhost, ::1) → fetched and read (Pillow for
  images, PyAV for videos), so a test or a local file server can feed real media;
* any other URL → never fetched (the simulator makes no non-loopback network calls): an Asset
  with unknown metadata (no size, no dimensions, format from the extension or ``"unknown"``).

The kind of an unfetched URL comes from its extension, else from where the body put it (a
``video_list`` entry is a video, everything else an image).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import urlsplit

import av
import httpx
from PIL import Image, UnidentifiedImageError

from kling_studio.domain.storyboard import Asset

Kind = Literal["image", "video"]
MAX_FETCH_BYTES = 256 * 1024 * 1024
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_IMAGE_EXT = frozenset({"jpg", "jpeg", "png", "webp", "gif", "bmp", "tif", "tiff", "heic"})
# Pillow's names for formats Kling knows under another name (phone JPEGs are often "MPO").
_FORMATS = {"mpo": "jpeg"}
_VIDEO_EXT = frozenset({"mp4", "mov", "m4v", "webm", "mkv", "avi"})


def video_values(body: Any) -> set[str]:
    """Every ``video_list[].video_url`` string of a body (those values are videos)."""
    found: set[str] = set()
    items = body.get("video_list") if isinstance(body, dict) else None
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("video_url"), str):
            found.add(item["video_url"])
    return found


def make_probe(videos: set[str] | frozenset[str] = frozenset()) -> Callable[[str], Asset | None]:
    """A ``probe(url_or_base64)`` for :func:`check_request`; ``videos`` are known video values."""

    def probe(value: str) -> Asset | None:
        return probe_media(value, expect="video" if value in videos else "image")

    return probe


def probe_media(value: str, *, expect: Kind = "image") -> Asset | None:
    """The probed Asset for a URL or raw Base64 value, or None when it cannot be read."""
    if value.startswith(("http://", "https://")):
        host = (urlsplit(value).hostname or "").lower()
        if host in LOOPBACK:
            return _fetch(value, expect)
        return _unfetched(value, expect)
    data = _b64(value)
    return None if data is None else _read_bytes(data, None, expect)


def _b64(value: str) -> bytes | None:
    text = "".join(value.split())
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True) or None
    except (binascii.Error, ValueError):
        return None


def _extension(url: str) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower().lstrip(".")
    return suffix if suffix.isalnum() and 0 < len(suffix) <= 16 else ""


def _unfetched(url: str, expect: Kind) -> Asset:
    ext = _extension(url)
    kind: Kind = "image" if ext in _IMAGE_EXT else "video" if ext in _VIDEO_EXT else expect
    return Asset(
        hash=hashlib.sha256(url.encode()).hexdigest(),
        kind=kind,
        format=ext or "unknown",
        bytes=0,
        url=url,
    )


def _fetch(url: str, expect: Kind) -> Asset | None:
    buf = io.BytesIO()
    try:
        with (
            httpx.Client(timeout=10.0, follow_redirects=False, trust_env=False) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                return None
            for chunk in response.iter_bytes():
                buf.write(chunk)
                if buf.tell() > MAX_FETCH_BYTES:
                    break
    except httpx.HTTPError:
        return None
    return _read_bytes(buf.getvalue(), url, expect)


def _read_bytes(data: bytes, url: str | None, expect: Kind) -> Asset | None:
    digest = hashlib.sha256(data).hexdigest()
    common: dict[str, Any] = {"hash": digest, "bytes": len(data), "url": url}
    image = _read_image(data)
    if image is not None:
        fmt, width, height = image
        return Asset(kind="image", format=fmt, width=width, height=height, **common)
    if url is None:
        return None  # Base64 is accepted for images only
    video = _read_video(data)
    if video is not None:
        width, height, duration, fps = video
        fmt = _extension(url) if _extension(url) in _VIDEO_EXT else "mp4"
        return Asset(
            kind="video", format=fmt, width=width, height=height, duration=duration, fps=fps,
            **common,
        )  # fmt: skip
    if expect == "video" and len(data) > MAX_FETCH_BYTES:
        return Asset(kind="video", format=_extension(url) or "unknown", **common)
    return None


def _read_image(data: bytes) -> tuple[str, int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = _FORMATS.get((img.format or "").lower(), (img.format or "").lower())
            size = img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return (fmt or "unknown"), size[0], size[1]


def _read_video(data: bytes) -> tuple[int, int, float | None, float | None] | None:
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            duration = container.duration / 1_000_000 if container.duration else None
            fps = float(stream.average_rate) if stream.average_rate else None
            return stream.width, stream.height, duration, fps
    except (av.error.FFmpegError, OSError):
        return None
