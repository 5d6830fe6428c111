"""Read-only access to the data shipped with the app (catalog, rate cards, examples, schema).

The data lives in the repository's top-level ``resources/`` folder; a built wheel or a PyInstaller
bundle carries it as ``kling_studio/_resources``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kling_studio.domain.catalog import Catalog
    from kling_studio.domain.pricing import RateCard
    from kling_studio.domain.providers import ProviderProfiles


def resources_dir() -> Path:
    """The folder holding the shipped data, wherever the package was installed from."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_resources", here.parent / "resources"):
        if (candidate / "catalog").is_dir():
            return candidate
    raise FileNotFoundError("the app's resources folder is missing; reinstall Kling Studio")


def read_json(relative: str) -> Any:
    return json.loads((resources_dir() / relative).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalog of every surface, merged from ``resources/catalog/*.json``."""
    # Imported here: the app's first frame lists examples without loading pydantic.
    from kling_studio.domain.catalog import parse_catalog

    folder = resources_dir() / "catalog"
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return parse_catalog(parts)


def examples_dir() -> Path:
    return resources_dir() / "examples"


@lru_cache(maxsize=1)
def load_providers() -> ProviderProfiles:
    """Provider profiles (official Kling, simulator, fal, Picsart …) from ``providers.json``."""
    from kling_studio.domain.providers import ProviderProfiles

    return ProviderProfiles.model_validate(read_json("providers.json"))


def load_rate_card(provider: str, override: Path | None = None) -> RateCard | None:
    """The rate card for ``provider``, with a user override file applied when one is given.

    Returns None when no card exists for the provider (the estimate then says "no price known").
    """
    from kling_studio.domain.pricing import RateCard, apply_override

    path = resources_dir() / "rate_cards" / f"{provider}.json"
    card = (
        RateCard.model_validate(read_json(f"rate_cards/{provider}.json"))
        if path.is_file()
        else None
    )
    if override is not None and override.is_file():
        data = json.loads(override.read_text(encoding="utf-8"))
        card = apply_override(card, data)
    return card


_EXAMPLE_LABELS = {
    "v3-ad-3-shots": ("Product ad — 3 shots, Kling V3", "Start frame, native audio, Pro, 10 s"),
    "omni-references": (
        "Café morning — Kling V3 Omni",
        "Two reference images and a reference video, 8 s",
    ),
    "single-shot-i2v": ("Lake at dawn — single shot", "Image-to-video from a start frame, 5 s"),
}


def list_examples() -> list[tuple[str, str, Path]]:
    """(label, detail, path) of every bundled example storyboard."""
    out: list[tuple[str, str, Path]] = []
    for path in sorted(examples_dir().glob("*.json")):
        label, detail = _EXAMPLE_LABELS.get(path.stem, (path.stem.replace("-", " "), ""))
        out.append((label, detail, path))
    return out
