"""Probing the media a body attaches: Base64, loopback URLs (fetched), other URLs (never)."""

from __future__ import annotations

import base64
import functools
import io
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from kling_studio.backends.simulator import (
    SimulatorConfig,
    SimulatorServer,
    render_storyboard_video,
)
from kling_studio.backends.simulator.probe import make_probe, probe_media, video_values

pytestmark = pytest.mark.timeout(60)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A loopback static file server over ``tmp_path``: (folder, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def jpeg_bytes(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 90)).save(buf, format="JPEG")
    return buf.getvalue()


def test_base64_images_are_decoded_and_measured() -> None:
    data = jpeg_bytes(640, 480)
    asset = probe_media(base64.b64encode(data).decode())
    assert asset is not None
    assert (asset.kind, asset.format, asset.width, asset.height) == ("image", "jpeg", 640, 480)
    assert asset.bytes == len(data) and asset.url is None


@pytest.mark.parametrize("value", ["not base64 at all!", base64.b64encode(b"plain text").decode()])
def test_unreadable_base64_is_none(value: str) -> None:
    assert probe_media(value) is None


def test_loopback_urls_are_fetched_and_read(files: tuple[Path, str]) -> None:
    folder, base = files
    (folder / "frame.jpg").write_bytes(jpeg_bytes(800, 600))
    render_storyboard_video(folder / "clip.mp4", shots=[("a", 3)], draft=True)
    image = probe_media(f"{base}/frame.jpg")
    assert image is not None and (image.width, image.height, image.format) == (800, 600, "jpeg")
    video = probe_media(f"{base}/clip.mp4", expect="video")
    assert video is not None and video.kind == "video" and video.format == "mp4"
    assert video.duration == pytest.approx(3.0, abs=0.05) and video.fps == pytest.approx(4.0)
    assert probe_media(f"{base}/missing.png") is None


def test_other_hosts_are_never_fetched() -> None:
    # A blackholed address: fetching it would hang or fail, never yield metadata.
    asset = probe_media("https://10.255.255.1/refs/anna_front.png")
    assert asset is not None
    assert (asset.kind, asset.format, asset.width, asset.bytes) == ("image", "png", None, 0)
    assert asset.url == "https://10.255.255.1/refs/anna_front.png"


def test_kind_of_an_unfetched_url_comes_from_its_extension_or_its_place() -> None:
    body = {"video_list": [{"video_url": "https://cdn.example.com/v?sig=1"}]}
    probe = make_probe(video_values(body))
    signed = probe("https://cdn.example.com/v?sig=1")
    assert signed is not None and signed.kind == "video" and signed.format == "unknown"
    by_ext = probe("https://cdn.example.com/clip.mov")
    assert by_ext is not None and by_ext.kind == "video" and by_ext.format == "mov"


def test_omni_body_with_loopback_media_is_priced_as_video_input(files: tuple[Path, str]) -> None:
    folder, base = files
    (folder / "anna.jpg").write_bytes(jpeg_bytes(720, 720))
    render_storyboard_video(folder / "ref.mp4", shots=[("reference", 5)], mode="std")
    body = {
        "model_name": "kling-v3-omni",
        "prompt": "Following <<<video_1>>>, the woman of <<<image_1>>> walks in.",
        "image_list": [{"image_url": f"{base}/anna.jpg"}],
        "video_list": [{"video_url": f"{base}/ref.mp4", "refer_type": "feature"}],
        "mode": "pro",
        "sound": "off",
        "aspect_ratio": "16:9",
        "duration": "8",
    }
    with SimulatorServer(SimulatorConfig(render=False, timeline=(0.0, 0.0))) as sim:
        auth = {"Authorization": f"Bearer {sim.config.api_key}"}
        r = httpx.post(f"{sim.base_url}/v1/videos/omni-video", json=body, headers=auth)
        assert r.status_code == 200, r.text
        url = f"{sim.base_url}/v1/videos/omni-video/{r.json()['data']['task_id']}"
        deadline = time.monotonic() + 20
        while (data := httpx.get(url, headers=auth).json()["data"])["task_status"] != "succeed":
            assert time.monotonic() < deadline, data
            time.sleep(0.02)
    assert data["final_unit_deduction"] == "9.6"  # pro + video input: 1.2 units/s x 8 s
