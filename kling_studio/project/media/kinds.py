"""What kind of media a file is, decided from its name and first bytes, before it is read.

The extension gives a first guess so the size cap can be checked before a single byte is read;
the file's magic bytes then win over the name (a JPEG saved as ``.png`` is still a JPEG), and
formats nobody can use are refused with a sentence that says what to do instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Kind = Literal["image", "video", "audio"]

MB = 1024 * 1024
GB = 1024 * MB
# Deliberately above every Kling limit: the prober reads what the user has, and the rules then
# explain the Kling limit. The caps only keep absurd files from being hashed and copied.
MAX_BYTES: dict[Kind, int] = {"image": 50 * MB, "video": 2 * GB, "audio": 200 * MB}
PLURAL: dict[Kind, str] = {"image": "images", "video": "videos", "audio": "audio files"}

IMAGE_EXT = frozenset(
    {"jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif", "bmp", "tif", "tiff", "avif"}
)
VIDEO_EXT = frozenset({"mp4", "mov", "m4v", "webm", "mkv", "avi", "3gp", "mpg", "mpeg", "ts"})
AUDIO_EXT = frozenset({"mp3", "wav", "m4a", "aac", "flac", "ogg", "oga", "opus"})
# Picture formats people have that no decoder here reads: name them, say what works.
UNSUPPORTED = {
    "heic": "HEIC images",
    "heif": "HEIF images",
    "svg": "SVG drawings",
    "psd": "Photoshop files",
    **{raw: "camera RAW files" for raw in ("cr2", "cr3", "nef", "arw", "dng", "orf", "rw2", "raf")},
}
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
_RIFF: dict[bytes, Kind] = {b"WEBP": "image", b"WAVE": "audio", b"AVI ": "video"}
HEAD_BYTES = 64


class MediaError(ValueError):
    """A file that cannot be imported; ``str(err)`` names the file and says why."""


def extension(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def kind_from_name(path: Path) -> Kind | None:
    """The kind the extension promises; raises for formats known to be unusable."""
    ext = extension(path)
    if ext in UNSUPPORTED:
        raise unsupported(path, UNSUPPORTED[ext])
    if ext in IMAGE_EXT:
        return "image"
    if ext in VIDEO_EXT:
        return "video"
    if ext in AUDIO_EXT:
        return "audio"
    return None


def unsupported(path: Path, what: str) -> MediaError:
    return MediaError(f"{path.name}: {what} are not supported — Kling takes JPG or PNG")


def sniff(path: Path, head: bytes) -> Kind | None:
    """The kind the first bytes announce, or None when they announce nothing we know."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            raise unsupported(path, "HEIC images")
        if brand in (b"avif", b"avis"):
            return "image"
        return "audio" if brand in (b"M4A ", b"M4B ") else "video"
    if head[:4] == b"RIFF":
        return _RIFF.get(head[8:12])
    return _sniff_plain(head)


def _sniff_plain(head: bytes) -> Kind | None:
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM")):
        return "image"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska / WebM
        return "video"
    if head.startswith((b"ID3", b"OggS", b"fLaC")):
        return "audio"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # MPEG audio frame sync
        return "audio"
    return None


def check_size(path: Path, size: int, kind: Kind) -> None:
    """Refuse files over the cap for their kind (from ``stat``, before any read)."""
    cap = MAX_BYTES[kind]
    if size > cap:
        raise MediaError(
            f"{path.name}: {human_size(size)} is too large to import; Kling Studio takes "
            f"{PLURAL[kind]} up to {human_size(cap)} (Kling's own limit is lower)"
        )


def human_size(n: int) -> str:
    if n >= GB:
        return f"{n / GB:.1f} GB".replace(".0 ", " ")
    if n >= MB:
        return f"{n / MB:.1f} MB".replace(".0 ", " ")
    return f"{n} bytes"
