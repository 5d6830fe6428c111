"""Read a media file's metadata and content hash without decoding it in full.

Order matters: the size cap is checked from ``stat`` before anything is opened, the first bytes
decide the kind, the decoder reads only headers (plus one frame for video/audio, so a damaged
file is caught at import rather than at upload), and only then is the file hashed.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_studio.domain.storyboard import Asset
from kling_studio.project.media.kinds import (
    HEAD_BYTES,
    MAX_BYTES,
    Kind,
    MediaError,
    check_size,
    extension,
    kind_from_name,
    sniff,
)

if TYPE_CHECKING:
    # PyAV and Pillow cost ~60 ms to import: loaded on first probe (a worker thread), not when
    # the app starts.
    import av.container
    from PIL import Image

CHUNK = 1024 * 1024
# Pillow's names for formats Kling knows under another name (phone JPEGs are often "MPO").
_PIL_FORMATS = {"mpo": "jpeg"}
_MOV_FAMILY = frozenset({"mp4", "mov", "m4v", "3gp", "m4a"})
# A stream that never yields a frame within this many packets is treated as undecodable.
MAX_PACKETS = 256
_ATTACHED_PIC = 1024  # AV_DISPOSITION_ATTACHED_PIC: cover art, not a video


def probe(path: Path) -> Asset:
    """The :class:`Asset` for a local file (``name`` = the file's name, ``url`` = None).

    Raises:
        MediaError: unreadable, unsupported, damaged or oversized files, with a message that names
            the file and says what is wrong.
    """
    size = _stat_size(path)
    kind = kind_from_name(path)
    if kind is not None:
        check_size(path, size, kind)
    kind = _final_kind(path, kind, size)
    meta = _probe_image(path) if kind == "image" else _probe_av(path, kind)
    digest, hashed = sha256_file(path, limit=MAX_BYTES[kind])
    return Asset.model_validate({**meta, "hash": digest, "bytes": hashed, "name": path.name})


def sha256_file(path: Path, limit: int | None = None) -> tuple[str, int]:
    """(hex SHA-256, byte count) read in 1 MB chunks; stops with MediaError past ``limit``."""
    h = hashlib.sha256()
    count = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
                count += len(chunk)
                if limit is not None and count > limit:
                    raise MediaError(f"{path.name}: the file grew past {limit} bytes while read")
    except OSError as exc:
        raise MediaError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    return h.hexdigest(), count


def _stat_size(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise MediaError(f"{path.name}: no such file") from None
    except OSError as exc:
        raise MediaError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise MediaError(f"{path.name}: is a folder, not a media file")
    if st.st_size == 0:
        raise MediaError(f"{path.name}: the file is empty")
    return st.st_size


def _final_kind(path: Path, guess: Kind | None, size: int) -> Kind:
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise MediaError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    kind = sniff(path, head) or guess
    if kind is None:
        raise MediaError(f"{path.name}: not an image, video or audio file")
    if kind != guess:
        check_size(path, size, kind)
    return kind


# ----- images -----


def _probe_image(path: Path) -> dict[str, Any]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt = (img.format or "").lower()
            width, height = img.size
            if fmt in ("jpeg", "mpo") and not _jpeg_ends_cleanly(path):
                _decode_small(img)  # only suspicious files pay for a (reduced) decode
            else:
                img.verify()  # PNG: walks every chunk and checks its CRC
    except Image.DecompressionBombError:
        raise MediaError(f"{path.name}: the picture is too large to open safely") from None
    except UnidentifiedImageError:
        raise MediaError(
            f"{path.name}: the file is damaged or not an image (unrecognised picture data)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        why = _why(exc)
        raise MediaError(f"{path.name}: the file is damaged or not an image ({why})") from None
    fmt = _PIL_FORMATS.get(fmt, fmt) or "unknown"
    return {"kind": "image", "format": fmt, "width": width, "height": height}


def _jpeg_ends_cleanly(path: Path) -> bool:
    """True when the file ends with an End-Of-Image marker (allowing trailing padding)."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        end = fh.tell()
        fh.seek(max(0, end - 64))
        tail = fh.read().rstrip(b"\x00\r\n ")
    return tail.endswith(b"\xff\xd9")


def _decode_small(img: Image.Image) -> None:
    # draft() makes libjpeg decode at 1/8 scale: the whole file is still parsed, so truncation
    # and broken data surface, at a fraction of the cost of a full decode.
    img.draft("RGB", (max(1, img.width // 8), max(1, img.height // 8)))
    img.load()


def _why(exc: BaseException) -> str:
    text = str(exc)
    if "truncated" in text:
        return "it ends before the picture does"
    if "crc" in text.lower() or "broken" in text.lower():
        return "the picture data is corrupted"
    return text.split(":", maxsplit=1)[0][:80] or type(exc).__name__


# ----- video and audio -----


def _probe_av(path: Path, kind: Kind) -> dict[str, Any]:
    what = "a video" if kind == "video" else "audio"
    stream_name = "a video stream" if kind == "video" else "an audio stream"
    damaged = f"{path.name}: the file is damaged or not {what} (could not read {stream_name})"
    import av

    try:
        with av.open(str(path)) as container:
            return _read_container(path, container, kind, damaged)
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError, IndexError):
        raise MediaError(damaged) from None


def _read_container(
    path: Path, container: av.container.InputContainer, kind: Kind, damaged: str
) -> dict[str, Any]:
    videos = [s for s in container.streams.video if not int(s.disposition) & _ATTACHED_PIC]
    if kind == "video" and not videos and container.streams.audio:
        kind = "audio"  # an .mp4 holding only sound is audio, whatever its name says
    if kind == "video" and videos:
        stream: Any = videos[0]
    elif kind == "audio" and container.streams.audio:
        stream = container.streams.audio[0]
    else:
        raise MediaError(damaged)
    if first_frame(container, stream) is None:
        raise MediaError(damaged)
    meta: dict[str, Any] = {
        "kind": kind,
        "format": _container_format(path, container.format.name, kind),
        "duration": _duration(container, stream),
    }
    if kind == "video":
        rate = stream.average_rate or stream.guessed_rate
        meta.update(width=stream.width or None, height=stream.height or None)
        meta["fps"] = round(float(rate), 3) if rate else None
    return meta


def first_frame(container: av.container.InputContainer, stream: Any) -> Any:
    """The first frame that decodes, or None (bounded, so junk cannot keep us busy)."""
    for n, packet in enumerate(container.demux(stream)):
        for frame in packet.decode():
            return frame
        if n >= MAX_PACKETS:
            return None
    return None


def _duration(container: av.container.InputContainer, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        seconds = float(stream.duration * Fraction(stream.time_base))
    elif container.duration is not None:
        import av

        seconds = container.duration / av.time_base
    else:
        return None
    return round(seconds, 3) if seconds >= 0 else None


def _container_format(path: Path, names: str, kind: Kind) -> str:
    ext = extension(path)
    family = names.split(",")
    if "mp4" in family or "mov" in family:
        if ext in _MOV_FAMILY:
            return ext
        return "mp4" if kind == "video" else "m4a"
    if "matroska" in family or "webm" in family:
        return "webm" if ext == "webm" else "mkv"
    return family[0][:16]
