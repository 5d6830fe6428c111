"""Autosave and crash recovery, kept apart from the user's files.

Snapshots go to ``<data dir>/recovery/<project key>/autosave-<UTC time>.json`` (the last
:data:`KEEP`), written atomically; the user's project is never touched. A clean save or quit calls
:func:`clear_for`; whatever is left at the next start was left by a crash (or a quit without
saving) and :func:`pending_recoveries` offers it — unless the saved project is newer, or the
session that wrote it is still running (a second instance of the app).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from kling_studio.domain.document import StoryboardFormatError, dump_document, parse_document
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project.bundle import Project
from kling_studio.project.dirs import data_dir
from kling_studio.project.locations import TAKES, scratch_dir
from kling_studio.project.projectfile import ProjectError
from kling_studio.project.storage import atomic_write_bytes

KEEP = 5
SNAPSHOT_FORMAT = "kling-studio.autosave"
_PREFIX = "autosave-"
_OWNER = "owner.json"
Origin = Literal["bundle", "storyboard", "untitled"]


def recovery_root() -> Path:
    return data_dir() / "recovery"


@dataclass(frozen=True)
class Recovery:
    """A snapshot left behind by a session that did not save or quit cleanly."""

    key: str
    snapshot: Path
    time: datetime
    origin: Origin
    original: Path | None  # the bundle or storyboard file it belongs to; None: never saved
    title: str
    untitled_id: str

    def load(self) -> Storyboard:
        """The storyboard as it was at the snapshot."""
        try:
            doc = json.loads(self.snapshot.read_bytes())
            return parse_document(doc["storyboard"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            why = str(exc) if isinstance(exc, StoryboardFormatError) else "unreadable"
            raise ProjectError(f"{self.snapshot.name}: the snapshot is damaged ({why})") from None

    def open_project(self) -> tuple[Project, Storyboard]:
        """The project to continue in (its original when it still exists) and the storyboard.

        The recovered storyboard is not saved: the app shows it as unsaved changes.
        """
        storyboard = self.load()
        project = Project.untitled(storyboard)
        if self.original is not None and self.original.exists():
            try:
                project = Project.open(self.original)
            except ProjectError as exc:
                # The snapshot is worth more than the unreadable file: continue without it.
                project.warnings.append(
                    f"{exc}\nThe recovered storyboard was opened as a new, unsaved project."
                )
        if self.origin != "bundle":
            project.adopt_scratch(self.untitled_id)  # imports/takes made before the crash
        project.add_recovery_key(self.key)  # so clear_for() also removes this snapshot
        return project, storyboard


def autosave(project: Project, storyboard: Storyboard, *, keep: int = KEEP) -> Path:
    """Write a snapshot for ``project`` and keep only the newest ``keep``; returns its path."""
    folder = recovery_root() / project.recovery_key
    if keep < 1:
        raise ValueError("keep at least one snapshot")
    path, now = _free_name(folder, datetime.now(UTC))
    origin: Origin = "bundle" if project.path else "storyboard" if project.source else "untitled"
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "version": 1,
        "time": now.isoformat(),
        "origin": origin,
        "original": str(project.path or project.source) if origin != "untitled" else None,
        "title": storyboard.title,
        "untitled_id": project.untitled_id,
        "storyboard": dump_document(storyboard),
    }
    atomic_write_bytes(path, json.dumps(snapshot, ensure_ascii=False).encode("utf-8"))
    if _owner_pid(folder) != os.getpid():
        atomic_write_bytes(folder / _OWNER, json.dumps({"pid": os.getpid()}).encode())
    for old in _snapshots(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return path


def pending_recoveries() -> list[Recovery]:
    """Snapshots worth offering, newest first."""
    found: list[Recovery] = []
    root = recovery_root()
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not folder.is_dir() or _owned_by_other_live_process(folder):
            continue
        recovery = _newest_readable(folder)
        if recovery is not None and _newer_than_saved(recovery):
            found.append(recovery)
    found.sort(key=lambda r: r.time, reverse=True)
    return found


def discard(recovery: Recovery) -> None:
    """Forget a recovery (all snapshots of that project).

    An unsaved project's scratch folder goes too, unless it holds takes (paid results are never
    deleted behind the user's back).
    """
    shutil.rmtree(recovery.snapshot.parent, ignore_errors=True)
    if recovery.origin != "bundle":
        scratch = scratch_dir(recovery.untitled_id)
        takes = scratch / TAKES
        if scratch.is_dir() and not (takes.is_dir() and any(takes.iterdir())):
            shutil.rmtree(scratch, ignore_errors=True)


def clear_for(project: Project) -> None:
    """Remove the project's snapshots: call after a successful save or a clean quit."""
    for key in project.recovery_keys:
        shutil.rmtree(recovery_root() / key, ignore_errors=True)


# ----- internals -----


def _free_name(folder: Path, now: datetime) -> tuple[Path, datetime]:
    while True:
        path = folder / f"{_PREFIX}{now:%Y%m%dT%H%M%S.%fZ}.json"
        if not path.exists():
            return path, now
        now += timedelta(microseconds=1)  # two snapshots in one microsecond: keep them ordered


def _snapshots(folder: Path) -> list[Path]:
    """Snapshot files, oldest first (their names sort by time)."""
    return sorted(p for p in folder.glob(f"{_PREFIX}*.json") if p.is_file())


def _newest_readable(folder: Path) -> Recovery | None:
    for path in reversed(_snapshots(folder)):
        recovery = _read_header(folder.name, path)
        if recovery is not None:
            return recovery
    return None


def _read_header(key: str, path: Path) -> Recovery | None:
    try:
        doc: Any = json.loads(path.read_bytes())
        if doc.get("format") != SNAPSHOT_FORMAT:
            return None
        original = doc.get("original")
        return Recovery(
            key=key,
            snapshot=path,
            time=datetime.fromisoformat(doc["time"]),
            origin=doc["origin"],
            original=Path(original) if original else None,
            title=str(doc.get("title", "")),
            untitled_id=str(doc["untitled_id"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a torn or foreign file: try the previous snapshot


def _newer_than_saved(recovery: Recovery) -> bool:
    if recovery.original is None:
        return True
    saved = recovery.original / "project.json" if recovery.origin == "bundle" else recovery.original
    try:
        mtime = datetime.fromtimestamp(saved.stat().st_mtime, UTC)
    except OSError:
        return True  # the saved file is gone: the snapshot is all there is
    return recovery.time > mtime


def _owner_pid(folder: Path) -> int | None:
    try:
        return int(json.loads((folder / _OWNER).read_bytes())["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _owned_by_other_live_process(folder: Path) -> bool:
    pid = _owner_pid(folder)
    return pid is not None and pid != os.getpid() and _alive(pid)


def _alive(pid: int) -> bool:
    if os.name == "nt":
        # os.kill(pid, 0) would *terminate* the process on Windows; offer the recovery instead.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def iter_snapshot_files() -> Iterator[Path]:
    """Every snapshot on disk (for diagnostics and tests)."""
    root = recovery_root()
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir():
                yield from _snapshots(folder)
