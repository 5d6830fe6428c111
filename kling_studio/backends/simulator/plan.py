"""From an accepted body's storyboard to what the simulator renders and charges."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from kling_studio.backends.simulator.state import RenderPlan
from kling_studio.domain.catalog import Catalog
from kling_studio.domain.pricing import RateCard, price
from kling_studio.domain.storyboard import Storyboard

_RATIOS = {"16:9": 16 / 9, "9:16": 9 / 16, "1:1": 1.0}


def nearest_ratio(width: int, height: int) -> str:
    """The Kling aspect ratio closest to a picture's (compared on a log scale)."""
    r = math.log(width / height)
    return min(_RATIOS, key=lambda k: abs(math.log(_RATIOS[k]) - r))


def _output_ratio(sb: Storyboard) -> str:
    """The output follows the start frame (or the edited video) when there is one."""
    source = sb.start_frame
    video = sb.reference_video
    if source is None and video is not None and video.refer_type == "base":
        source = video.asset
    if source is not None:
        asset = sb.asset(source)
        if asset.width and asset.height:
            return nearest_ratio(asset.width, asset.height)
    return sb.settings.aspect_ratio if sb.settings.aspect_ratio in _RATIOS else "16:9"


def planned_shots(prompt: str, total: int) -> tuple[tuple[str, int], ...]:
    """Stand-in for Kling's "intelligence" shot planning: one shot per sentence (at most 6).

    Sentences are grouped into as many shots as there are (capped by 6 and by the seconds
    available) and the total is shared out as evenly as whole seconds allow.
    """
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", prompt.strip()) if s] or [prompt]
    count = max(1, min(len(sentences), 6, total))
    groups = [sentences[i * len(sentences) // count : (i + 1) * len(sentences) // count]
              for i in range(count)]  # fmt: skip
    base, extra = divmod(total, count)
    return tuple(
        (f"[AI-planned] {' '.join(group)}", base + (1 if i < extra else 0))
        for i, group in enumerate(groups)
    )


def render_plan(sb: Storyboard, catalog: Catalog) -> RenderPlan:
    entry = catalog.kling(sb.settings.model)
    sound = sb.settings.sound and (entry is None or entry.takes("sound"))
    if sb.settings.shot_type == "intelligence" and sb.multi_shot:
        shots = planned_shots(sb.prompt, sb.total)
    else:
        shots = tuple((s.prompt or sb.prompt, s.duration) for s in sb.shots)
    return RenderPlan(
        shots=shots,
        aspect_ratio=_output_ratio(sb),
        mode=sb.settings.mode,
        sound=sound,
        watermark=sb.settings.watermark,
    )


def units_text(sb: Storyboard, catalog: Catalog, card: RateCard | None) -> str:
    """``final_unit_deduction`` for the task: "12", "9.6"; "0" when the card has no price."""
    estimate = price(sb, catalog, card)
    if not estimate.known or estimate.units is None:
        return "0"
    return f"{Decimal(str(estimate.units)).normalize():f}"
