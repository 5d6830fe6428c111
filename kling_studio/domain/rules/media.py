"""Media rules: each attached file's probed metadata against its parameter's ``media`` limits,
and whether the file can reach the provider at all (``KS603``, ``KS7xx``).

Limits come from the catalog (``Parameter.media``); metadata from the asset (probed on import).
Unknown metadata is a warning ("could not be checked"), never a silent pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from kling_studio.domain.catalog import MediaLimits, Parameter
from kling_studio.domain.findings import Finding, Fix
from kling_studio.domain.rules import text
from kling_studio.domain.rules.codes import finding
from kling_studio.domain.rules.context import Ctx
from kling_studio.domain.rules.slots import SLOTS
from kling_studio.domain.storyboard import Asset


def asset_path(asset: Asset) -> str:
    return f"assets[{asset.hash[:12]}]"


def check_media(ctx: Ctx) -> Iterator[Finding]:
    by_url: set[str] = set()  # assets already told to get a URL
    sent: dict[str, Asset] = {}
    for path, ref in ctx.sb.slot_refs():
        key = path.split("[", 1)[0].split(".", 1)[0]
        param = ctx.param(key)
        if param is None:
            continue  # KS401 already says the model does not take this slot
        asset = ctx.assets[ref]
        sent[asset.hash] = asset
        yield from _slot(ctx, key if key == "reference_video" else path, param, asset, by_url)
    yield from _provider_urls(ctx, sent, by_url)


def _slot(
    ctx: Ctx, path: str, param: Parameter, asset: Asset, by_url: set[str]
) -> Iterator[Finding]:
    name = text.slot(path)
    if param.file_kinds and asset.kind not in param.file_kinds:
        kinds = text.join([f"an {k}" if k[0] in "aeiou" else f"a {k}" for k in param.file_kinds])
        article = "an" if asset.kind[0] in "aeiou" else "a"
        yield finding(
            "KS701",
            path,
            f"{name} is {article} {asset.kind}; {ctx.model} needs {kinds} here.",
            _drop(path),
        )
        return
    limits = param.media
    if limits is None:
        return
    yield from _file(ctx, path, name, limits, asset)
    missing: list[str] = []
    needs: list[str] = []
    yield from _picture(ctx, path, name, limits, asset, missing, needs)
    yield from _timing(ctx, path, name, limits, asset, missing, needs)
    if limits.formats and asset.format == "unknown":
        # e.g. a signed CDN link without an extension: unknown is not wrong.
        missing.insert(0, "file format")
        needs.insert(0, text.join([f.upper() for f in limits.formats], "or"))
    if missing:
        verb = "is" if len(missing) == 1 and " and " not in missing[0] else "are"
        yield finding(
            "KS709",
            path,
            f"{name} could not be checked: its {text.join(missing, 'and')} {verb} unknown "
            f"({ctx.model} needs {text.join(needs, 'and')}). Re-import the file so its "
            "metadata can be read.",
        )
    if limits.url_only and asset.url is None:
        by_url.add(asset.hash)
        yield finding(
            "KS603",
            asset_path(asset),
            f"{ctx.model} only takes {name.lower()}s by URL: upload the file "
            f"{_called(asset)}somewhere reachable and paste its https URL into the asset.",
        )


def _file(ctx: Ctx, path: str, name: str, limits: MediaLimits, asset: Asset) -> Iterator[Finding]:
    if limits.formats and asset.format not in limits.formats and asset.format != "unknown":
        formats = text.join([f.upper() for f in limits.formats])
        yield finding(
            "KS702",
            path,
            f"{name} is a {asset.format.upper()} file; {ctx.model} takes {formats}.",
        )
    if limits.max_bytes is not None and asset.bytes > limits.max_bytes:
        yield finding(
            "KS703",
            path,
            f"{name} is {text.megabytes(asset.bytes)}; {ctx.model} allows at most "
            f"{text.megabytes(limits.max_bytes)}.",
        )


def _picture(
    ctx: Ctx,
    path: str,
    name: str,
    limits: MediaLimits,
    asset: Asset,
    missing: list[str],
    needs: list[str],
) -> Iterator[Finding]:
    lo, hi = limits.min_side, limits.max_side
    lo_ratio, hi_ratio = limits.min_aspect, limits.max_aspect
    if lo is None and hi is None and lo_ratio is None and hi_ratio is None:
        return
    w, h = asset.width, asset.height
    if w is None or h is None:
        missing.append("width and height")
        needs.append(_range(lo, hi, "px per side"))
        return
    if lo is not None and min(w, h) < lo:
        side = f"{w} px wide" if w <= h else f"{h} px tall"
        yield finding(
            "KS704", path, f"{name} is {side}; {ctx.model} needs at least {lo} px per side."
        )
    if hi is not None and max(w, h) > hi:
        side = f"{w} px wide" if w >= h else f"{h} px tall"
        yield finding(
            "KS705", path, f"{name} is {side}; {ctx.model} allows at most {hi} px per side."
        )
    r = w / h
    if (lo_ratio is not None and r < lo_ratio) or (hi_ratio is not None and r > hi_ratio):
        yield finding(
            "KS706",
            path,
            f"{name} is {w}×{h} px ({text.ratio(w, h)}); {ctx.model} allows shapes from "
            f"{text.ratio_range(lo_ratio, hi_ratio)}.",
        )


def _timing(
    ctx: Ctx,
    path: str,
    name: str,
    limits: MediaLimits,
    asset: Asset,
    missing: list[str],
    needs: list[str],
) -> Iterator[Finding]:
    checks = (
        ("KS707", "duration", asset.duration, limits.min_duration, limits.max_duration, "s"),
        ("KS708", "frame rate", asset.fps, limits.min_fps, limits.max_fps, "fps"),
    )
    for code, what, value, lo, hi, unit in checks:
        if lo is None and hi is None:
            continue
        wanted = _range(lo, hi, unit)
        if value is None:
            missing.append(what)
            needs.append(wanted)
        elif (lo is not None and value < lo) or (hi is not None and value > hi):
            shown = f"runs at {text.number(value)} fps"
            if unit == "s":
                shown = f"is {text.number(value)} s long"
            yield finding(code, path, f"{name} {shown}; {ctx.model} needs {wanted}.")


def _provider_urls(ctx: Ctx, sent: dict[str, Asset], by_url: set[str]) -> Iterator[Finding]:
    p = ctx.profile
    if p is None or not p.needs_urls:
        return
    for asset in sent.values():
        if asset.url is None and asset.hash not in by_url:
            yield finding(
                "KS710",
                asset_path(asset),
                f"{p.label} takes files only by URL: upload the file {_called(asset)}somewhere "
                "reachable and paste its https URL into the asset.",
            )


def _range(lo: float | int | None, hi: float | int | None, unit: str) -> str:
    if lo is not None and hi is not None:
        return f"{text.number(lo)}–{text.number(hi)} {unit}"
    if lo is not None:
        return f"at least {text.number(lo)} {unit}"
    return f"at most {text.number(hi or 0)} {unit}"


def _called(asset: Asset) -> str:
    return f"“{asset.name}” " if asset.name else ""


def _drop(path: str) -> Fix | None:
    if path.startswith("reference_images["):
        i = int(path[17:-1])
        return Fix(label=f"Remove image {i + 1}", action="drop_reference_image", index=i)
    return SLOTS[path][1] if path in SLOTS else None
