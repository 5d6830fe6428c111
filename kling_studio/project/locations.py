"""Names and places: bundle paths, recovery keys, scratch folders, capped reads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kling_studio.domain.document import MAX_FILE_BYTES
from kling_studio.project.dirs import data_dir
from kling_studio.project.projectfile import ProjectError

SUFFIX = ".kstudio"
ASSETS = "assets"
TAKES = "takes"


def bundle_path(path: Path) -> Path:
    """``path`` with the ``.kstudio`` suffix (added when missing), made absolute."""
    path = Path(path).absolute()
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


def path_key(path: Path) -> str:
    """A stable, file-system-safe key for a project location (used by recovery)."""
    return "p-" + hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:24]


def scratch_dir(untitled_id: str) -> Path:
    """Where an unsaved project keeps its imports and takes until *Save As*."""
    return data_dir() / "unsaved" / untitled_id


def read_capped(path: Path) -> bytes:
    """The bytes of a storyboard or project file; failures are :class:`ProjectError`."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProjectError(f"{path.name}: too large to be a storyboard or project file")
        return path.read_bytes()
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such file or folder") from None
    except PermissionError:
        raise ProjectError(f"{path.name}: permission denied") from None
    except OSError as exc:
        raise ProjectError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
