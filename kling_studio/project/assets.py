"""Content-addressed asset storage: ``assets/<sha256>.<format>``, each content stored once."""

from __future__ import annotations

from pathlib import Path

from kling_studio.domain.storyboard import Asset
from kling_studio.project.files import CopyMismatchError, copy_hashed
from kling_studio.project.media import MediaError, probe
from kling_studio.project.projectfile import ProjectError


def store_asset(folder: Path, src: Path) -> Asset:
    """Probe ``src`` and copy it into ``folder`` unless the same content is already there.

    The copy is hashed on the way and must match the probe, so a file edited during the import
    never ends up stored under the wrong hash.
    """
    asset = probe(src)
    dest = folder / f"{asset.hash}.{asset.format}"
    if dest.is_file() and dest.stat().st_size == asset.bytes:
        return asset
    try:
        copy_hashed(src, dest, expected=asset.hash)
    except CopyMismatchError:
        raise MediaError(f"{src.name}: the file changed while it was imported; try again") from None
    except OSError as exc:
        raise ProjectError(
            f"{src.name}: could not be copied into the project ({exc.strerror or exc})"
        ) from None
    return asset


def find_asset(folder: Path, asset: Asset) -> Path | None:
    """The stored file for ``asset`` in ``folder`` (any extension), or None."""
    exact = folder / f"{asset.hash}.{asset.format}"
    if exact.is_file():
        return exact
    others = sorted(folder.glob(f"{asset.hash}.*")) if folder.is_dir() else []
    return next((p for p in others if p.is_file() and not p.name.startswith(".")), None)
