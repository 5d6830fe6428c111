"""Speed of the simulator's renderer: a result must not keep a user waiting.

Target on the 2-core dev machine: a 15 s, 3-shot 720p clip in < 5 s. Run with
``pytest tests/benchmarks/test_bench_render.py --benchmark-enable``; or, for a plain figure,
``python -m tests.benchmarks.test_bench_render``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest

from kling_studio.backends.simulator import RenderInfo, render_storyboard_video

SHOTS = [
    ("Wide shot: a lighthouse on a cliff at dawn, waves crashing, slow push-in.", 5),
    ("Medium shot: the keeper, an old man in a yellow raincoat, climbs the spiral stairs.", 5),
    ('Close-up: he lights the lamp; warm glow on his face. He says: "Right on time."', 5),
]


def render(path: Path, mode: str, sound: bool = True) -> RenderInfo:
    return render_storyboard_video(path, shots=SHOTS, aspect_ratio="16:9", mode=mode, sound=sound)


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize(("mode", "size"), [("std", (1280, 720)), ("pro", (1920, 1080))])
def test_render_15s_three_shots(
    benchmark: Any, tmp_path: Path, mode: str, size: tuple[int, int]
) -> None:
    out = tmp_path / "clip.mp4"
    info = benchmark.pedantic(render, args=(out, mode), rounds=1, iterations=1)
    assert (info.width, info.height) == size
    assert info.frames == 360 and info.duration == 15.0 and info.has_audio
    assert out.stat().st_size > 0


def main() -> None:
    """Print wall-clock seconds per render (best of 3) for scripts."""
    with TemporaryDirectory() as folder:
        for mode in ("std", "pro"):
            for sound in (False, True):
                best = float("inf")
                for _ in range(3):
                    started = time.perf_counter()
                    render(Path(folder) / "clip.mp4", mode, sound)
                    best = min(best, time.perf_counter() - started)
                label = f"{mode} 15s 3 shots sound={'on' if sound else 'off'}"
                sys.stdout.write(f"{label}: {best:.2f} s\n")


if __name__ == "__main__":
    main()
