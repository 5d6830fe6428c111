"""Project bundles: a ``Name.kstudio/`` folder with ``project.json``, ``assets/`` and ``takes/``.

``assets/`` holds imported files named by content (``<sha256>.<format>``), so a file imported
twice, under any name, is stored once. ``takes/`` holds result videos with their sidecars (see
:mod:`kling_studio.project.takes`). ``project.json`` is written only by :meth:`Project.save` /
:meth:`Project.save_as`, always atomically; autosave lives elsewhere (see ``recovery``).

A project that was never saved (new, or opened from a plain storyboard ``.json``) creates nothing
where the user did not ask for it: imports and takes go to a scratch folder in the app's data
dir until *Save As* copies them into a bundle.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kling_studio.domain.document import StoryboardFormatError
from kling_studio.domain.document import load_storyboard_text as _load_storyboard
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.project.assets import find_asset, store_asset
from kling_studio.project.files import copy_folder, install_folder, staging_dir
from kling_studio.project.locations import (
    ASSETS,
    SUFFIX,
    TAKES,
    bundle_path,
    json_or_none,
    path_key,
    read_capped,
    scratch_dir,
)
from kling_studio.project.projectfile import (
    FILE_NAME,
    FORMAT,
    ProjectData,
    ProjectError,
    app_version,
    dump_project,
    parse_project,
)
from kling_studio.project.storage import atomic_write_bytes
from kling_studio.project.takes import Take, TakeError, TakeRecord, new_take_id, read_record
from kling_studio.project.takes_io import adopt_takes, new_take

_UNTITLED_ID = re.compile(r"^[0-9a-f]{32}$")


class Project:
    """An open project: where it lives, its last saved storyboard, its assets and takes.

    The storyboard being edited is owned by the document (Qt layer); a project receives it on
    :meth:`save`. ``warnings`` lists problems found while opening that did not stop it (a take
    sidecar that could not be read, for instance), for the app to show.
    """

    def __init__(
        self,
        *,
        path: Path | None,
        source: Path | None,
        storyboard: Storyboard,
        takes: tuple[Take, ...] = (),
        created: datetime | None = None,
        warnings: tuple[str, ...] = (),
        library: tuple[Asset, ...] = (),
    ) -> None:
        self._path = path
        self._source = source
        self.storyboard = storyboard
        self._takes = list(takes)
        self._library: dict[str, Asset] = {a.hash: a for a in library}
        self.created = created or datetime.now(UTC)
        self.warnings = list(warnings)
        self.untitled_id = uuid.uuid4().hex
        self._former_keys: set[str] = set()

    # ----- opening -----

    @classmethod
    def untitled(cls, storyboard: Storyboard) -> Project:
        """A new, never-saved project (nothing is written anywhere yet)."""
        return cls(path=None, source=None, storyboard=storyboard)

    @classmethod
    def create(cls, path: Path, storyboard: Storyboard) -> Project:
        """Create a new bundle at ``path`` (``.kstudio`` is appended when missing)."""
        root = bundle_path(path)
        if root.exists() and not (root.is_dir() and not any(root.iterdir())):
            raise ProjectError(f"{root.name}: already exists; choose another name")
        project = cls(path=root, source=root / FILE_NAME, storyboard=storyboard)
        project._write(root, storyboard)
        return project

    @classmethod
    def open(cls, path: Path) -> Project:
        """Open a bundle folder, its ``project.json``, or a plain storyboard file.

        A plain storyboard file gives an unsaved project: nothing is created on disk and
        :meth:`save` asks for a location (use :meth:`save_as`).
        """
        p = Path(path).absolute()
        if p.is_dir():
            return cls._open_bundle(p)
        raw = read_capped(p)
        doc = json_or_none(raw)
        if isinstance(doc, dict) and doc.get("format") == FORMAT:
            if p.name != FILE_NAME:
                raise ProjectError(f"{p.name}: is a project file; open the folder that holds it")
            return cls._open_bundle(p.parent)
        try:
            storyboard = _load_storyboard(raw)
        except StoryboardFormatError as exc:
            raise ProjectError(f"{p.name}: {exc}") from None
        return cls(path=None, source=p, storyboard=storyboard)

    @classmethod
    def _open_bundle(cls, root: Path) -> Project:
        file = root / FILE_NAME
        if not file.is_file():
            raise ProjectError(f"{root.name}: not a Kling Studio project (it has no {FILE_NAME})")
        data = parse_project(read_capped(file), where=f"{root.name}/{FILE_NAME}")
        takes, warnings = adopt_takes(root / TAKES, data.takes)
        return cls(
            path=root,
            source=file,
            storyboard=data.storyboard,
            takes=takes,
            created=data.created,
            warnings=warnings,
            library=data.library,
        )

    def adopt_scratch(self, untitled_id: str) -> None:
        """Reattach the scratch folder of an earlier unsaved session (crash recovery)."""
        if not _UNTITLED_ID.match(untitled_id):
            raise ProjectError(f"{untitled_id!r} is not an unsaved-project id")
        self._former_keys.add(f"untitled-{self.untitled_id}")
        self.untitled_id = untitled_id
        if self._path is None:
            takes, warnings = adopt_takes(scratch_dir(untitled_id) / TAKES, tuple(self._takes))
            self._takes, self.warnings = list(takes), self.warnings + list(warnings)

    # ----- where things are -----

    @property
    def path(self) -> Path | None:
        """The bundle folder, or None for a project that has never been saved."""
        return self._path

    @property
    def source(self) -> Path | None:
        """The file this project was read from (a ``project.json`` or a storyboard file)."""
        return self._source

    @property
    def saved_file(self) -> Path | None:
        """The file a user would call "the saved project" (whose age recovery compares with)."""
        return self._path / FILE_NAME if self._path is not None else self._source

    @property
    def name(self) -> str:
        if self._path is not None:
            return self._path.name.removesuffix(SUFFIX)
        return self._source.stem if self._source is not None else "Untitled"

    @property
    def recovery_key(self) -> str:
        """Stable per location; ``untitled-<id>`` for a project with no file at all."""
        where = self._path or self._source
        return path_key(where) if where is not None else f"untitled-{self.untitled_id}"

    @property
    def recovery_keys(self) -> frozenset[str]:
        """Every key this project has autosaved under (it changes on *Save As*)."""
        return frozenset({self.recovery_key, f"untitled-{self.untitled_id}", *self._former_keys})

    def add_recovery_key(self, key: str) -> None:
        """Also clear snapshots stored under ``key`` (a recovered session's) on clear."""
        self._former_keys.add(key)

    def _files_dir(self, *, create: bool) -> Path | None:
        root = self._path if self._path is not None else scratch_dir(self.untitled_id)
        if create:
            (root / ASSETS).mkdir(parents=True, exist_ok=True)
            (root / TAKES).mkdir(parents=True, exist_ok=True)
        return root if root.is_dir() else None

    @property
    def takes_dir(self) -> Path:
        """The folder result videos go to (created on first use)."""
        root = self._files_dir(create=True)
        assert root is not None  # just created
        return root / TAKES

    # ----- saving -----

    def save(self, storyboard: Storyboard) -> None:
        """Write ``project.json`` atomically; an unsaved project needs :meth:`save_as`."""
        if self._path is None:
            raise ProjectError("This project has not been saved yet: choose where (Save As).")
        self._write(self._path, storyboard)

    def save_as(self, path: Path, storyboard: Storyboard, *, overwrite: bool = False) -> None:
        """Write a complete bundle at ``path`` (assets and takes copied) and switch to it.

        The bundle is built in a hidden folder next to ``path`` and renamed into place, so a
        failure leaves no half-written project. ``overwrite`` replaces an existing *project*
        bundle only; any other existing, non-empty folder is refused.
        """
        dest = bundle_path(path)
        if self._path is not None and dest.resolve() == self._path.resolve():
            self.save(storyboard)
            return
        self._check_destination(dest, overwrite=overwrite)
        src = self._files_dir(create=False)
        staging = staging_dir(dest)
        try:
            if src is not None:
                copy_folder(src / ASSETS, staging / ASSETS)
                copy_folder(src / TAKES, staging / TAKES)
            self._write(staging, storyboard)
            install_folder(staging, dest, overwrite=overwrite)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise ProjectError(f"{dest.name}: could not save ({exc.strerror or exc})") from None
        self._former_keys.add(self.recovery_key)
        was_scratch = self._path is None
        self._path, self._source = dest, dest / FILE_NAME
        if was_scratch and src is not None:
            shutil.rmtree(src, ignore_errors=True)  # everything now lives in the bundle

    def _check_destination(self, dest: Path, *, overwrite: bool) -> None:
        here = self._files_dir(create=False)
        if here is not None and here.resolve() in dest.resolve().parents:
            raise ProjectError(f"{dest.name}: a project cannot be saved inside itself")
        if not dest.exists() or (dest.is_dir() and not any(dest.iterdir())):
            return
        if not overwrite:
            raise ProjectError(f"{dest.name}: already exists; choose another name")
        if not (dest / FILE_NAME).is_file():
            raise ProjectError(f"{dest.name}: exists and is not a Kling Studio project")

    def _write(self, root: Path, storyboard: Storyboard) -> None:
        for asset in storyboard.assets:  # a URL given later, or an asset added elsewhere
            self._library[asset.hash] = asset
        data = ProjectData(
            storyboard, tuple(self._takes), self.created, app_version(), self.library
        )
        try:
            (root / ASSETS).mkdir(parents=True, exist_ok=True)
            (root / TAKES).mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(root / FILE_NAME, dump_project(data))
        except OSError as exc:
            raise ProjectError(f"{root.name}: could not save ({exc.strerror or exc})") from None
        self.storyboard = storyboard

    # ----- assets -----

    def import_asset(self, src: Path) -> Asset:
        """Probe ``src`` and store it in ``assets/`` unless the same content is already there.

        Raises:
            MediaError: the file is unsupported, damaged, too large or changed while copied.
            ProjectError: the project folder cannot be written.
        """
        root = self._files_dir(create=True)
        assert root is not None
        asset = store_asset(root / ASSETS, Path(src))
        self._library.setdefault(asset.hash, asset)
        return asset

    @property
    def library(self) -> tuple[Asset, ...]:
        """Every asset imported into the project (saved with it), used in a slot or not."""
        return tuple(self._library.values())

    def remember_asset(self, asset: Asset) -> None:
        """Keep an asset that was not imported from a file (a URL) in the library."""
        self._library[asset.hash] = asset

    def asset_path(self, asset: Asset) -> Path | None:
        """The stored file of ``asset`` in this project, or None when it is not here."""
        root = self._files_dir(create=False)
        if root is None:
            return None
        return find_asset(root / ASSETS, asset)

    # ----- takes -----

    @property
    def takes(self) -> tuple[Take, ...]:
        """Every take of the project, oldest first."""
        return tuple(self._takes)

    def add_take(
        self,
        video: Path,
        *,
        job_id: str,
        model: str,
        request: Mapping[str, Any],
        response: Mapping[str, Any],
        provider: str = "kling",
        endpoint: str = "",
        task_id: str | None = None,
        estimate_units: float | None = None,
        charged_units: float | None = None,
        created: datetime | None = None,
        take_id: str | None = None,
    ) -> Take:
        """Copy a downloaded result into ``takes/`` with its record; returns the new Take.

        The take is on disk when this returns (the next open adopts it even if the project is
        not saved again); ``project.json`` lists it from the next save on.
        """
        created = created or datetime.now(UTC)
        take_id = take_id or new_take_id(created)
        if any(t.id == take_id for t in self._takes):
            raise ProjectError(f"takes: a take with the id {take_id!r} already exists")
        fields: dict[str, Any] = {
            "id": take_id,
            "job_id": job_id,
            "task_id": task_id,
            "provider": provider,
            "model": model,
            "endpoint": endpoint,
            "created": created,
            "estimate_units": estimate_units,
            "charged_units": charged_units,
        }
        take = new_take(self.takes_dir, Path(video), fields, dict(request), dict(response))
        self._takes.append(take)
        return take

    def take_path(self, take: Take) -> Path | None:
        """The take's video file, or None when it is missing."""
        root = self._files_dir(create=False)
        video = root / TAKES / take.video_name if root is not None else None
        return video if video is not None and video.is_file() else None

    def take_record(self, take: Take) -> TakeRecord:
        """The take's sidecar: the exact request and response that produced it."""
        root = self._files_dir(create=False)
        if root is None:
            raise ProjectError(f"takes/{take.record_name}: missing")
        try:
            return read_record(root / TAKES / take.record_name)
        except TakeError as exc:
            raise ProjectError(str(exc)) from None

    def __repr__(self) -> str:
        return f"Project({self.name!r}, path={self._path}, takes={len(self._takes)})"
