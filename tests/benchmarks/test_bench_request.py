"""Speed of building a create request: it runs on every "Generate" and for every cost preview."""

from __future__ import annotations

import base64
import json
from typing import Any

from kling_studio.domain.requests import build_request
from kling_studio.domain.storyboard import Storyboard
from tests.domain.test_requests_build import CATALOG, asset, inline_from, storyboard


def omni_six_shots_seven_references() -> tuple[Storyboard, dict[str, str]]:
    """A 15 s, 6-shot kling-v3-omni storyboard with 7 local reference images (all inlined)."""
    images = [asset(f"ref{i}.png") for i in range(7)]
    # ~100 KB of Base64 per image, as a resolver reading small PNGs would return.
    inlined = {a.hash: base64.b64encode(a.hash.encode() * 1600).decode() for a in images}
    shots = [
        (f"Shot {i}: <<<image_{i}>>> walks through the market, handheld.", 2) for i in range(1, 6)
    ]
    sb = storyboard(
        settings={"model": "kling-v3-omni", "mode": "pro", "sound": True, "aspect_ratio": "9:16"},
        shots=[*shots, ("Shot 6: everyone from <<<image_6>>> and <<<image_7>>> waves.", 5)],
        reference_images=[a.hash for a in images],
        assets=images,
    )
    return sb, inlined


def test_build_omni_six_shots_seven_inlined_references(benchmark: Any) -> None:
    sb, inlined = omni_six_shots_seven_references()
    media = inline_from(inlined)
    req = benchmark(build_request, sb, CATALOG, external_task_id="bench-1", media=media)
    body = json.loads(req.to_json())
    assert len(body["multi_prompt"]) == 6
    assert [i["image_url"] for i in body["image_list"]] == [inlined[h] for h in sb.reference_images]
    assert body["duration"] == "15"
