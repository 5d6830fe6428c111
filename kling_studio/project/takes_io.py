"""Writing a new take to disk and finding takes that ``project.json`` does not list yet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kling_studio.domain.document import describe_validation_error
from kling_studio.project.files import copy_hashed
from kling_studio.project.media import MediaError, probe
from kling_studio.project.projectfile import ProjectError
from kling_studio.project.storage import atomic_write_bytes
from kling_studio.project.takes import Take, TakeError, TakeRecord, dump_record, read_record


def new_take(
    takes_dir: Path,
    video: Path,
    fields: dict[str, Any],
    request: dict[str, Any],
    response: dict[str, Any],
) -> Take:
    """Copy ``video`` to ``<id>.mp4``, then write the ``<id>.json`` sidecar (in that order)."""
    _validate(fields | {"sha256": "0" * 64, "bytes": 0})  # fail before copying anything
    for name, value in (("request", request), ("response", response)):
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise ProjectError(f"take {name}: not JSON data ({exc})") from None
    take_id = fields["id"]
    dest, sidecar = takes_dir / f"{take_id}.mp4", takes_dir / f"{take_id}.json"
    if sidecar.exists():
        raise ProjectError(f"takes/{sidecar.name}: a take with this id already exists")
    try:
        digest, size = copy_hashed(video, dest)
    except OSError as exc:
        raise ProjectError(f"{video.name}: could not be stored ({exc.strerror or exc})") from None
    take = _validate(fields | {"sha256": digest, "bytes": size, **_video_meta(dest)})
    record = TakeRecord(take=take, request=request, response=response)
    atomic_write_bytes(sidecar, dump_record(record))
    return take


def _validate(data: dict[str, Any]) -> Take:
    try:
        return Take.model_validate(data)
    except ValidationError as exc:
        raise ProjectError(describe_validation_error(exc, prefix="take")) from None


def _video_meta(path: Path) -> dict[str, Any]:
    # A paid result is kept even when it cannot be probed: the metadata is a convenience.
    try:
        asset = probe(path)
    except MediaError:
        return {}
    return asset.model_dump(include={"width", "height", "duration", "fps"})


def adopt_takes(
    takes_dir: Path, listed: tuple[Take, ...]
) -> tuple[tuple[Take, ...], tuple[str, ...]]:
    """``listed`` plus every complete take on disk that is not listed, oldest first.

    Returns the takes and the warnings about sidecars that could not be used.
    """
    takes = list(listed)
    known = {t.id for t in takes}
    warnings: list[str] = []
    sidecars = sorted(takes_dir.glob("*.json")) if takes_dir.is_dir() else []
    for sidecar in sidecars:
        if sidecar.name.startswith(".") or sidecar.stem in known:
            continue
        try:
            take = read_record(sidecar).take
        except TakeError as exc:
            warnings.append(f"{exc} (take skipped)")
            continue
        if take.id != sidecar.stem:
            warnings.append(f"takes/{sidecar.name}: names the take {take.id!r} (take skipped)")
        elif not (takes_dir / take.video_name).is_file():
            warnings.append(f"takes/{sidecar.name}: its video is missing (take skipped)")
        else:
            takes.append(take)
            known.add(take.id)
    takes.sort(key=lambda t: t.created)
    return tuple(takes), tuple(warnings)
