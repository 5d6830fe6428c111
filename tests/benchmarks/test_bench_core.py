"""Core budget (issue: p99 < 1 ms): validate + estimate + build request for a 6-shot storyboard
with 7 references, and catalog load (< 50 ms). Figures come from pytest-benchmark and from
``python -m tests.benchmarks.test_bench_core`` (prints p50/p99 over 5000 runs)."""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from kling_studio.domain.catalog import parse_catalog
from kling_studio.domain.pricing import estimate
from kling_studio.domain.requests import build_request
from kling_studio.domain.rules import check
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.resources import load_rate_card, resources_dir
from tests.benchmarks.test_bench_rules import six_shot_omni_with_seven_references
from tests.domain.strategies import CATALOG, PROVIDERS

CARD = load_rate_card("kling")
INLINE = {f"{i:04x}" * 8: "iVBORw0KGgo" + "A" * 4000 for i in range(8)}


def media(asset: Asset) -> str | None:
    return asset.url or INLINE.get(asset.hash)


def everything(sb: Storyboard) -> tuple[Any, ...]:
    findings = check(sb, CATALOG, PROVIDERS)
    est = estimate(sb, CATALOG, CARD)
    req = build_request(sb, CATALOG, media=media)
    return findings, est, req


def read_catalog_files() -> list[dict[str, Any]]:
    folder = resources_dir() / "catalog"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def test_bench_validate_estimate_build(benchmark: Any) -> None:
    sb = six_shot_omni_with_seven_references()
    findings, est, req = benchmark(everything, sb)
    assert findings == () and est.known and req.endpoint == "omni-video"
    assert len(req.body["image_list"]) == 5 and len(req.body["element_list"]) == 2


def test_bench_catalog_load(benchmark: Any) -> None:
    catalog = benchmark(lambda: parse_catalog(read_catalog_files()))
    assert len(catalog.models) == 49


def main() -> None:
    sb = six_shot_omni_with_seven_references()
    for _ in range(200):
        everything(sb)
    samples = []
    for _ in range(5000):
        t0 = time.perf_counter()
        everything(sb)
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    p50, p99 = statistics.median(samples), samples[int(len(samples) * 0.99)]
    print(f"validate+estimate+build: p50 {p50:.0f} µs, p99 {p99:.0f} µs (n=5000)")
    loads = []
    for _ in range(20):
        t0 = time.perf_counter()
        parse_catalog(read_catalog_files())
        loads.append((time.perf_counter() - t0) * 1e3)
    print(f"catalog load (read + validate 49 models): median {statistics.median(loads):.1f} ms")


if __name__ == "__main__":
    main()
