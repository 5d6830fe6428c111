"""Shared helpers of the Kling client and job-engine tests (not fixtures: plain functions).

Everything runs against the real simulator over loopback HTTP; request bodies carry real images
generated here.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PIL import Image

from kling_studio.backends.kling import Credentials, KlingClient, RetryPolicy
from kling_studio.backends.simulator import SimulatorConfig, SimulatorServer

T = TypeVar("T")

FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)


def arun(coro: Coroutine[Any, Any, T]) -> T:
    """Run one scenario on a fresh event loop (the suite has no asyncio plugin)."""
    return asyncio.run(coro)


def fast_sim(**options: Any) -> SimulatorServer:
    """A simulator with tiny renders and a short timeline; use it as ``with fast_sim() as sim``."""
    config = {"render": False, "timeline": (0.05, 0.15), **options}
    return SimulatorServer(SimulatorConfig(**config))


def api_key_of(sim: SimulatorServer) -> Credentials:
    return Credentials(api_key=sim.config.api_key)


def jwt_of(sim: SimulatorServer, **kwargs: Any) -> Credentials:
    return Credentials(access_key=sim.config.access_key, secret_key=sim.config.secret_key, **kwargs)


def client_for(
    sim: SimulatorServer, creds: Credentials | None = None, **kwargs: Any
) -> KlingClient:
    kwargs.setdefault("retry", FAST_RETRY)
    return KlingClient(sim.base_url, creds or api_key_of(sim), **kwargs)


def png_base64(
    width: int = 640, height: int = 360, color: tuple[int, int, int] = (30, 90, 160)
) -> str:
    """A real PNG, as the raw Base64 Kling wants (no ``data:`` prefix)."""
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


@dataclass(frozen=True)
class Req:
    """A create request (what ``domain.requests.KlingRequest`` looks like to the engine)."""

    endpoint: str
    body: dict[str, Any]
    model_name: str = ""

    @property
    def path(self) -> str:
        return f"/v1/videos/{self.endpoint}"


def text2video(duration: int = 5, prompt: str = "A lighthouse at dawn, slow push-in.") -> Req:
    body = {
        "model_name": "kling-v3",
        "prompt": prompt,
        "mode": "std",
        "aspect_ratio": "16:9",
        "duration": str(duration),
    }
    return Req("text2video", body, "kling-v3")


def image2video() -> Req:
    body = {
        "model_name": "kling-v3",
        "prompt": "The lake ripples; mist drifts.",
        "mode": "std",
        "duration": "5",
        "image": png_base64(),
    }
    return Req("image2video", body, "kling-v3")


def omni_video() -> Req:
    body = {
        "model_name": "kling-v3-omni",
        "mode": "std",
        "aspect_ratio": "16:9",
        "duration": "5",
        "sound": "off",
        "prompt": "The woman from <<<image_1>>> walks into the café.",
        "image_list": [{"image_url": png_base64(color=(200, 120, 60))}],
    }
    return Req("omni-video", body, "kling-v3-omni")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sim_file(sim: SimulatorServer, task_id: str) -> Path:
    """The simulator's own copy of a task's result video."""
    return Path(sim.data_dir) / f"{task_id}.mp4"
