"""check() runs on every keystroke: time it on a full 6-shot Omni storyboard with 7 references."""

from __future__ import annotations

from typing import Any

from kling_studio.domain.rules import check
from kling_studio.domain.storyboard import Storyboard
from tests.domain.strategies import CATALOG, PROVIDERS, board, image


def six_shot_omni_with_seven_references() -> Storyboard:
    prompts = tuple(
        f"Shot {i + 1}: <<<image_{i % 5 + 1}>>> walks past <<<element_{i % 2 + 1}>>> "
        + "in warm morning light, slow dolly, " * 8
        for i in range(6)
    )
    return board(
        durations=(2, 3, 2, 3, 2, 3),
        prompts=prompts,
        model="kling-v3-omni",
        provider="kling",
        mode="pro",
        sound=True,
        reference_images=tuple(image(i) for i in range(5)),
        elements=("829836802793406551", "829836802793406552"),
    )


def test_bench_check_six_shots_seven_references(benchmark: Any) -> None:
    sb = six_shot_omni_with_seven_references()
    assert len(sb.reference_images) + len(sb.elements) == 7
    findings = benchmark(check, sb, CATALOG, PROVIDERS)
    assert findings == (), findings
