"""File operations the bundle needs: verified atomic copies and whole-folder swaps.

Every file that lands in a bundle is written under a temporary name in the destination folder
and renamed into place, so a crash never leaves a half-copied file under its final name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path

CHUNK = 1024 * 1024


class CopyMismatchError(OSError):
    """The bytes copied do not hash to what the source was probed as (it changed meanwhile)."""


def copy_hashed(src: Path, dest: Path, expected: str | None = None) -> tuple[str, int]:
    """Copy ``src`` to ``dest`` atomically, hashing on the way; returns (sha256, bytes).

    Raises:
        CopyMismatchError: ``expected`` is given and the copied bytes hash differently.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    h = hashlib.sha256()
    count = 0
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            while chunk := inp.read(CHUNK):
                h.update(chunk)
                out.write(chunk)
                count += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        digest = h.hexdigest()
        if expected is not None and digest != expected:
            raise CopyMismatchError(f"{src.name} changed while it was being copied")
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest, count


def copy_folder(src: Path, dest: Path) -> None:
    """Copy the regular files of ``src`` (not temp files) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    if not src.is_dir():
        return
    for item in src.iterdir():
        if item.is_file() and not item.name.startswith("."):
            shutil.copy2(item, dest / item.name)


def install_folder(staging: Path, dest: Path, *, overwrite: bool) -> None:
    """Move a fully written ``staging`` folder to ``dest`` (replacing it if ``overwrite``)."""
    old: Path | None = None
    if dest.exists():
        if dest.is_dir() and not any(dest.iterdir()):
            dest.rmdir()
        elif overwrite:
            old = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
            os.replace(dest, old)
        else:
            raise FileExistsError(dest)
    try:
        os.replace(staging, dest)
    except BaseException:
        if old is not None:
            os.replace(old, dest)  # put the user's previous folder back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def staging_dir(dest: Path) -> Path:
    """A fresh hidden folder next to ``dest`` to build it in."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{dest.name}.saving-", dir=dest.parent))
