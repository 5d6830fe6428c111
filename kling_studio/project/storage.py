"""Reading and writing storyboard files on disk: size-capped reads, atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kling_studio.domain.document import (
    MAX_FILE_BYTES,
    StoryboardFormatError,
    dump_storyboard_text,
    load_storyboard_text,
)
from kling_studio.domain.storyboard import Storyboard


def read_storyboard(path: Path) -> Storyboard:
    """Load a storyboard file; every failure is a :class:`StoryboardFormatError` naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise StoryboardFormatError(
                f"{path.name} is {size / 1e6:.1f} MB; a storyboard file is at most "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoryboardFormatError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StoryboardFormatError(f"{path}: is a folder, not a storyboard file") from None
    except PermissionError:
        raise StoryboardFormatError(f"{path}: permission denied") from None
    except OSError as exc:
        raise StoryboardFormatError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return load_storyboard_text(data)
    except StoryboardFormatError as exc:
        raise StoryboardFormatError(f"{path.name}: {exc}") from None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, then ``os.replace``.

    A crash at any point leaves either the old file or the new one, never a torn mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_storyboard(path: Path, sb: Storyboard) -> None:
    atomic_write_bytes(path, dump_storyboard_text(sb).encode("utf-8"))
