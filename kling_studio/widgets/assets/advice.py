"""What the rules say about each asset, and how the panel describes assets and slots.

An asset the storyboard uses is judged where it is used (the storyboard's own findings for its
slots). An unused asset is judged as if it were attached to the slot it would most likely go to
(a start frame for an image, the reference video for a video) on a one-shot storyboard with the
current settings, so the bin can warn *before* the user drags a 240-px image onto a slot. The
wording is the rules' own: there is one source of messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.findings import Finding
from kling_studio.domain.providers import ProviderProfile, ProviderProfiles
from kling_studio.domain.rules import check
from kling_studio.domain.rules.media import asset_path
from kling_studio.domain.storyboard import Asset, Storyboard

# The slots of the panel, in display order: (key, user's name, undo text, kind it takes).
SLOTS: tuple[tuple[str, str, str, str], ...] = (
    ("start_frame", "Start frame", "Set start frame", "image"),
    ("end_frame", "End frame", "Set end frame", "image"),
    ("static_mask", "Static mask", "Set static mask", "image"),
    ("reference_images", "Reference image", "Add reference image", "image"),
    ("reference_video", "Reference video", "Set reference video", "video"),
)
SLOT_NAMES = {key: name for key, name, _, _ in SLOTS}
UNDO_TEXT = {key: text for key, _, text, _ in SLOTS}
SLOT_KIND = {key: kind for key, _, _, kind in SLOTS}
_NOUNS = {
    "start_frame": "start frame",
    "end_frame": "end frame",
    "static_mask": "static mask",
    "reference_images": "reference images",
    "reference_video": "reference video",
}
_MB = 1024 * 1024


def slot_key(path: str) -> str:
    """``reference_images[2]`` -> ``reference_images``; ``reference_video.asset`` -> …video."""
    return path.split("[", 1)[0].split(".", 1)[0].rstrip("+")


def usage(sb: Storyboard, ref: str) -> list[str]:
    """Where the storyboard uses an asset: ``Start frame``, ``Image 2 <<<image_2>>>`` …"""
    out: list[str] = []
    for path, used in sb.slot_refs():
        if used != ref:
            continue
        if path.startswith("reference_images["):
            n = int(path[17:-1]) + 1
            out.append(f"Image {n} <<<image_{n}>>>")
        else:
            out.append(SLOT_NAMES[slot_key(path)])
    return out


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < _MB:
        return f"{n / 1024:.0f} KB"
    return f"{n / _MB:.1f} MB"


def details(asset: Asset) -> str:
    """``6000×4000 · JPEG · 2.1 MB``, ``320×240 · 12 s · MP4 · 310 KB``, ``link · PNG``."""
    parts: list[str] = []
    if asset.width and asset.height:
        parts.append(f"{asset.width}×{asset.height}")
    if asset.duration is not None:
        parts.append(f"{asset.duration:.1f} s".replace(".0 s", " s"))
    parts.append(asset.format.upper())
    if asset.bytes:
        parts.append(size_text(asset.bytes))
    elif asset.url:
        parts.insert(0, "link")
    return " · ".join(parts)


def missing_slot_reason(catalog: Catalog, model: str, key: str) -> str:
    """``Kling V3 takes no reference images — switch to Kling V3 Omni``."""
    entry = catalog.kling(model)
    name = entry.name if entry is not None else model
    others = [m.name for m in catalog.storyboard_models() if m.takes(key)]
    reason = f"{name} takes no {_NOUNS[key]}"
    return f"{reason} — switch to {others[0]}" if others else reason


def model_takes(catalog: Catalog, model: str, key: str) -> bool:
    entry = catalog.kling(model)
    return entry is not None and entry.takes(key)


@dataclass(frozen=True)
class Advice:
    """The findings about one asset and a sentence saying where it is or could be used."""

    findings: tuple[Finding, ...] = ()
    note: str = ""

    @property
    def severity(self) -> str:
        """``error``, ``warning`` or ``""``."""
        if any(f.severity == "error" for f in self.findings):
            return "error"
        return "warning" if self.findings else ""


def advise(
    sb: Storyboard,
    assets: list[Asset] | tuple[Asset, ...],
    catalog: Catalog,
    providers: ProviderProfile | ProviderProfiles | None = None,
) -> dict[str, Advice]:
    """Advice for every asset of ``assets`` (hash -> Advice), for ``sb``'s model."""
    used_paths: dict[str, list[str]] = {}
    for path, ref in sb.slot_refs():
        used_paths.setdefault(ref, []).append(path)
    current = check(sb, catalog, providers) if used_paths else ()
    out: dict[str, Advice] = {}
    for asset in assets:
        paths = used_paths.get(asset.hash)
        if paths:
            out[asset.hash] = Advice(
                findings_about(current, asset, paths), ", ".join(usage(sb, asset.hash))
            )
        else:
            out[asset.hash] = _trial(sb, asset, catalog, providers)
    return out


def findings_about(
    findings: tuple[Finding, ...], asset: Asset, paths: list[str]
) -> tuple[Finding, ...]:
    """The findings about ``asset`` where it sits at ``paths`` (its slots, the slot keys)."""
    wanted = {asset_path(asset)}
    for p in paths:
        wanted |= {p, slot_key(p)}
    return tuple(f for f in findings if f.path in wanted)


def trial_slot(catalog: Catalog, model: str, kind: str) -> str | None:
    """Where an unused asset of ``kind`` would most likely go with ``model``."""
    if kind == "video":
        return "reference_video"
    if kind != "image":
        return None
    for key in ("start_frame", "reference_images", "end_frame"):
        if model_takes(catalog, model, key):
            return key
    return "start_frame"


def _trial(
    sb: Storyboard,
    asset: Asset,
    catalog: Catalog,
    providers: ProviderProfile | ProviderProfiles | None,
) -> Advice:
    key = trial_slot(catalog, sb.settings.model, asset.kind)
    if key is None:
        return Advice(note="Unused · a storyboard takes images and videos, not audio")
    settings = {**sb.settings.model_dump(), "shot_type": "customize"}
    ref: object = [asset.hash] if key == "reference_images" else asset.hash
    if key == "reference_video":
        ref = {"asset": asset.hash}
    trial = Storyboard.model_validate(
        {
            "total": 5,
            "shots": [{"id": "s1", "duration": 5}],
            "settings": settings,
            "assets": [asset.model_dump()],
            key: ref,
        }
    )
    path = "reference_images[0]" if key == "reference_images" else key
    findings = findings_about(check(trial, catalog, providers), asset, [path])
    where = SLOT_NAMES[key].lower()
    return Advice(findings, f"Unused · checked as a {where}")


def tooltip(asset: Asset, advice: Advice) -> str:
    """Name, details, where it is used, then each finding on its own line."""
    lines = [asset.name or asset.hash[:12], details(asset)]
    if asset.url:
        lines.append(f"URL: {asset.url}")
    if advice.note:
        lines.append(advice.note)
    if advice.findings:
        lines.append("")
        lines += [f"{'⛔' if f.severity == 'error' else '⚠'} {f.message}" for f in advice.findings]
    return "\n".join(lines)
