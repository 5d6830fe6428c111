"""The ``project.json`` format: versioned, migrated, and explained precisely when it is wrong.

``{"format": "kling-studio.project", "version": 1, "storyboard": <storyboard document>,
"takes": [<Take>…], "created": "<ISO time>", "app_version": "0.1.0"}``. The storyboard keeps its
own format and version (see :mod:`kling_studio.domain.document`); ``MIGRATIONS`` upgrades the
project envelope one version at a time, exactly like the storyboard's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kling_studio.domain.document import (
    MAX_FILE_BYTES,
    StoryboardFormatError,
    describe_validation_error,
    dump_document,
    parse_document,
)
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.project.takes import Take

FORMAT = "kling-studio.project"
VERSION = 1
FILE_NAME = "project.json"

Migration = Callable[[dict[str, Any]], dict[str, Any]]
# version N -> N+1; none yet (version 1 is the first released project format).
MIGRATIONS: dict[int, Migration] = {}


class ProjectError(ValueError):
    """A project that cannot be opened or saved; ``str(err)`` names the file and the field."""


@dataclass(frozen=True)
class ProjectData:
    """The contents of a ``project.json`` once read and validated."""

    storyboard: Storyboard
    takes: tuple[Take, ...]
    created: datetime
    app_version: str
    library: tuple[Asset, ...] = ()  # every imported asset, used in a slot or not


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="ignore")  # unknown keys: written by a later minor version

    storyboard: dict[str, Any]
    takes: list[Take] = Field(default_factory=list)
    library: list[Asset] = Field(default_factory=list)
    created: AwareDatetime | None = None
    app_version: str = Field(default="", max_length=64)


def app_version() -> str:
    try:
        return metadata.version("kling-studio")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"


def dump_project(data: ProjectData) -> bytes:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "storyboard": dump_document(data.storyboard),
        "takes": [t.model_dump(mode="json") for t in data.takes],
        "library": [a.model_dump(mode="json") for a in data.library],
        "created": data.created.isoformat(),
        "app_version": data.app_version,
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def parse_project(raw: bytes, where: str) -> ProjectData:
    """Validate the bytes of a ``project.json``; ``where`` names the file in messages."""
    if len(raw) > MAX_FILE_BYTES:
        raise ProjectError(f"{where}: {len(raw) / 1e6:.1f} MB is too large for a project file")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ProjectError(f"{where}: not UTF-8 text; it is not a project file") from None
    except json.JSONDecodeError as exc:
        raise ProjectError(
            f"{where}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise ProjectError(f"{where}: the JSON is nested too deeply") from None
    return parse_project_doc(doc, where)


def parse_project_doc(doc: Any, where: str) -> ProjectData:
    if not isinstance(doc, dict):
        raise ProjectError(f"{where}: holds a JSON {type(doc).__name__}, not a project object")
    if doc.get("format") != FORMAT:
        got = json.dumps(doc.get("format"))[:60]
        raise ProjectError(f"{where}: format: expected {FORMAT!r}, got {got}")
    doc = upgrade(doc, where)
    try:
        env = _Envelope.model_validate(doc)
    except ValidationError as exc:
        raise ProjectError(f"{where}: {_describe(exc)}") from None
    try:
        storyboard = parse_document(env.storyboard)
    except StoryboardFormatError as exc:
        raise ProjectError(f"{where}: {_in_storyboard(str(exc))}") from None
    ids = [t.id for t in env.takes]
    if len(set(ids)) != len(ids):
        raise ProjectError(f"{where}: takes: two takes share the id {_first_dup(ids)!r}")
    return ProjectData(
        storyboard=storyboard,
        takes=tuple(env.takes),
        library=tuple(env.library),
        created=env.created or datetime.now(UTC),
        app_version=env.app_version,
    )


def upgrade(doc: dict[str, Any], where: str) -> dict[str, Any]:
    """Bring a project envelope to :data:`VERSION`, or explain why it cannot be."""
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProjectError(f"{where}: version: expected a whole number, got {json.dumps(version)}")
    if version > VERSION:
        raise ProjectError(
            f"{where}: version: this project was written by a newer Kling Studio (project "
            f"format {version}; this one reads up to {VERSION}). Update the app to open it."
        )
    if version < 1:
        raise ProjectError(f"{where}: version: {version} is not a valid project format version")
    while version < VERSION:
        doc = MIGRATIONS[version](doc)
        version = doc["version"]
    return doc


def _describe(exc: ValidationError) -> str:
    # describe_validation_error names fields under a prefix; the envelope's fields are top-level.
    # It also reports the location ("storyboard",) as the bare prefix (it takes "storyboard" for
    # the document root), and the envelope has no root-level checks, so that is what it means.
    lines = describe_validation_error(exc, prefix="project").splitlines()
    return "\n".join(
        "storyboard: " + line.removeprefix("project: ")
        if line.startswith("project: ")
        else line.removeprefix("project.")
        for line in lines
    )


def _in_storyboard(message: str) -> str:
    """Re-root the storyboard document's field paths under the project's ``storyboard`` key."""
    lines = []
    for line in message.splitlines():
        field, sep, _ = line.partition(": ")
        if line.startswith("…"):
            lines.append(line)
        elif sep and " " not in field:
            lines.append(f"storyboard.{line}")
        else:
            lines.append(f"storyboard: {line}")
    return "\n".join(lines)


def _first_dup(ids: list[str]) -> str:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            return i
        seen.add(i)
    return ""
