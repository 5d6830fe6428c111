"""Speed of the live estimate (it runs on every edit)."""

from __future__ import annotations

from typing import Any

from kling_studio.domain.pricing import estimate
from kling_studio.resources import load_catalog, load_rate_card
from tests.domain.pricing_boards import board


def test_bench_estimate_six_shot_omni_with_seven_references(benchmark: Any) -> None:
    catalog = load_catalog()
    card = load_rate_card("kling")
    sb = board("kling-v3-omni", mode="pro", sound=True, shots=(3, 2, 2, 3, 2, 3), images=7)
    est = benchmark(estimate, sb, catalog, card)
    assert est.known
    assert est.units == 15.0
    assert len(est.what_ifs) == 4  # sound off, std, 4K, 14 s
