"""The live estimate with its what-ifs ("sound off saves 4 units").

Each what-if re-prices a modified storyboard built with ``Storyboard.model_validate`` (so it is a
storyboard that can exist). A what-if is offered only when the model in the catalog allows the
change (mode offered, audio in that mode, 4K or audio with a reference video, allowed totals) and
the card prices the result; otherwise it is left out, never shown as a zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from kling_studio.domain.catalog import Catalog, ModelEntry
from kling_studio.domain.findings import Fix
from kling_studio.domain.pricing.billing import Estimate, WhatIf, billing_of, price
from kling_studio.domain.pricing.card import RateCard
from kling_studio.domain.storyboard import Shot, Storyboard

_OTHER_MODE = {"std": "pro", "pro": "std", "4k": "pro"}


def estimate(storyboard: Storyboard, catalog: Catalog, card: RateCard | None) -> Estimate:
    """The price of ``storyboard`` on ``card``, with a breakdown and cheaper/dearer alternatives.

    Pure and cheap enough to run on every edit. ``card=None`` (a provider without public
    prices) gives ``known=False`` with the reason.
    """
    base = price(storyboard, catalog, card)
    entry = catalog.kling(storyboard.settings.model)
    if not base.known or entry is None or card is None:
        return base
    found: list[WhatIf] = []
    for fix, alt in _alternatives(storyboard, entry):
        other = price(alt, catalog, card)
        if other.known:
            found.append(_diff(base, other, fix))
    return base.model_copy(update={"what_ifs": tuple(found)})


def _diff(base: Estimate, other: Estimate, fix: Fix) -> WhatIf:
    def delta(new: float | None, old: float | None) -> float | None:
        if new is None or old is None:
            return None
        return float(Decimal(str(new)) - Decimal(str(old)))

    assert other.money is not None
    return WhatIf(
        label=fix.label, delta_units=delta(other.units, base.units),
        delta_money=delta(other.money, base.money) or 0.0, new_units=other.units,
        new_total=other.money, fix=fix,
    )  # fmt: skip


def _alternatives(sb: Storyboard, entry: ModelEntry) -> list[tuple[Fix, Storyboard]]:
    out: list[tuple[Fix, Storyboard]] = []
    bill = billing_of(sb, entry)
    video = bill.query.video_input
    s = sb.settings
    if bill.query.sound:
        out += _alt(sb, Fix(label="Sound off", action="sound_off"), sound=False)
    elif entry.takes("sound") and _sound_ok(entry, s.mode, video):
        out += _alt(sb, Fix(label="Sound on", action="sound_on"), sound=True)
    modes = entry.enum("mode")
    for target in (_OTHER_MODE.get(s.mode), "4k" if s.mode != "4k" else None):
        if target is None or target not in modes:
            continue
        if bill.query.sound and not _sound_ok(entry, target, video):
            continue  # e.g. kling-v2-6 has audio in pro only
        if target == "4k" and video and not entry.constraints.mode_4k_with_reference_video:
            continue
        fix = Fix(label=f"Switch to {_mode_label(entry, target)}", action="set_mode", value=target)
        out += _alt(sb, fix, mode=target)
    if not bill.base_edit:  # a video edit bills its input video, not the total
        for total in _shorter_totals(sb, entry):
            label = f"Total {total} s ({sb.total - total} s shorter)"
            out += _shrunk(sb, Fix(label=label, action="set_total", value=total), total)
    return out


def _sound_ok(entry: ModelEntry, mode: str, video_input: bool) -> bool:
    c = entry.constraints
    if c.sound_modes and mode not in c.sound_modes:
        return False
    return not (video_input and not c.sound_with_reference_video)


def _mode_label(entry: ModelEntry, mode: str) -> str:
    p = entry.param("mode")
    return mode if p is None else p.label_for(mode)


def _allowed_totals(sb: Storyboard, entry: ModelEntry) -> tuple[int, ...]:
    c = entry.constraints
    if sb.reference_video is not None and c.durations_with_reference_video:
        return c.durations_with_reference_video
    no_refs = not (sb.reference_images or sb.elements or sb.reference_video)
    if no_refs and c.durations_without_references:
        return c.durations_without_references
    return entry.durations


def _shorter_totals(sb: Storyboard, entry: ModelEntry) -> list[int]:
    allowed = _allowed_totals(sb, entry)
    shorter = [d for d in allowed if d < sb.total]
    wanted = {sb.total - 1} if sb.total - 1 in allowed else set()
    if shorter:
        wanted.add(max(shorter))  # the next length a 5/10-only model accepts
    return sorted(wanted, reverse=True)


def _alt(sb: Storyboard, fix: Fix, **settings: Any) -> list[tuple[Fix, Storyboard]]:
    try:
        new = sb.settings.model_validate({**dict(sb.settings), **settings})
        return [(fix, _rebuild(sb, settings=new))]
    except ValidationError:
        return []


def _shrunk(sb: Storyboard, fix: Fix, total: int) -> list[tuple[Fix, Storyboard]]:
    """``sb`` with ``total`` seconds, taking the cut from the last shots (each keeps >= 1 s)."""
    cut = sb.total - total
    durations = [s.duration for s in sb.shots]
    for i in reversed(range(len(durations))):
        take = min(cut, durations[i] - 1)
        durations[i] -= take
        cut -= take
    if cut:
        return []
    shots = tuple(
        Shot.model_validate({**dict(s), "duration": d})
        for s, d in zip(sb.shots, durations, strict=True)
    )
    try:
        return [(fix, _rebuild(sb, total=total, shots=shots))]
    except ValidationError:
        return []


def _rebuild(sb: Storyboard, **changes: Any) -> Storyboard:
    # Nested models are passed as instances: pydantic keeps them without re-validating, and the
    # storyboard's own invariants still run.
    return Storyboard.model_validate({**dict(sb), **changes})
