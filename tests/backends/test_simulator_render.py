"""The slate renderer: exact durations, sizes per mode/aspect ratio, distinct shots, audio."""

from __future__ import annotations

import base64
import io
import threading
import time
from pathlib import Path

import av
import httpx
import numpy as np
import pytest
from PIL import Image

from kling_studio.backends.simulator import (
    SimulatorConfig,
    SimulatorServer,
    render_storyboard_video,
)
from kling_studio.backends.simulator.render import RenderCancelledError

pytestmark = pytest.mark.timeout(120)


def frames_of(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


@pytest.mark.parametrize(
    ("mode", "ratio", "size"),
    [
        ("std", "16:9", (1280, 720)),
        ("std", "9:16", (720, 1280)),
        ("std", "1:1", (720, 720)),
        ("pro", "16:9", (1920, 1080)),
        ("pro", "9:16", (1080, 1920)),
        ("pro", "1:1", (1080, 1080)),
    ],
)
def test_size_follows_mode_and_aspect_ratio(
    tmp_path: Path, mode: str, ratio: str, size: tuple[int, int]
) -> None:
    out = tmp_path / "v.mp4"
    info = render_storyboard_video(out, shots=[("a", 1), ("b", 1)], aspect_ratio=ratio, mode=mode)
    assert (info.width, info.height) == size and info.downscaled_from is None
    with av.open(str(out)) as c:
        stream = c.streams.video[0]
        assert (stream.width, stream.height) == size
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert c.duration is not None and c.duration / 1e6 == pytest.approx(2.0, abs=0.01)
        assert sum(1 for _ in c.decode(video=0)) == 48 == info.frames


def test_4k_is_rendered_at_1080p_and_reported(tmp_path: Path) -> None:
    info = render_storyboard_video(tmp_path / "v.mp4", shots=[("a", 1)], mode="4k", draft=True)
    assert info.downscaled_from == "4k"
    info = render_storyboard_video(tmp_path / "w.mp4", shots=[("a", 1)], mode="4k")
    assert (info.width, info.height, info.downscaled_from) == (1920, 1080, "4k")


def test_each_shot_has_its_own_slate_and_the_timecode_moves(tmp_path: Path) -> None:
    out = tmp_path / "v.mp4"
    render_storyboard_video(out, shots=[("first shot", 2), ("second shot", 2)], draft=False)
    frames = frames_of(out)
    assert len(frames) == 96
    top = slice(0, frames[0].shape[0] // 2)  # the slate, above the timecode box
    mean_1 = frames[24][top].reshape(-1, 3).mean(axis=0)
    mean_2 = frames[72][top].reshape(-1, 3).mean(axis=0)
    assert np.linalg.norm(mean_1 - mean_2) > 40, (mean_1, mean_2)
    # Within a shot only the timecode box changes from one frame to the next.
    box = slice(int(frames[0].shape[0] * 0.8), None)
    assert not np.array_equal(frames[30][box], frames[31][box])
    assert np.abs(frames[30][top].astype(int) - frames[31][top].astype(int)).max() < 40


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(spectrum.argmax())])


def test_sound_is_an_aac_track_with_a_tone_per_shot(tmp_path: Path) -> None:
    out = tmp_path / "v.mp4"
    info = render_storyboard_video(out, shots=[("a", 2), ("b", 3)], sound=True, draft=True)
    assert info.has_audio
    with av.open(str(out)) as c:
        stream = c.streams.audio[0]
        assert stream.codec_context.name == "aac"
        rate = stream.codec_context.sample_rate
        pcm = np.concatenate([f.to_ndarray()[0] for f in c.decode(audio=0)])
    assert len(pcm) / rate == pytest.approx(5.0, abs=0.05)
    first = _dominant_hz(pcm[int(0.5 * rate) : int(1.5 * rate)], rate)
    second = _dominant_hz(pcm[int(3.0 * rate) : int(4.0 * rate)], rate)
    assert abs(first - second) > 30, (first, second)


def test_no_audio_track_when_sound_is_off(tmp_path: Path) -> None:
    out = tmp_path / "v.mp4"
    assert not render_storyboard_video(out, shots=[("a", 3)], sound=False, draft=True).has_audio
    with av.open(str(out)) as c:
        assert not c.streams.audio


def test_draft_keeps_duration_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "v.mp4"
    info = render_storyboard_video(out, shots=[("a", 4), ("b", 3)], aspect_ratio="9:16", draft=True)
    assert (info.width, info.height, info.frames, info.duration) == (108, 192, 28, 7.0)
    with av.open(str(out)) as c:
        assert c.duration is not None and c.duration / 1e6 == pytest.approx(7.0, abs=0.01)


def test_invalid_shots_are_refused(tmp_path: Path) -> None:
    for shots in ([], [("a", 0)]):
        with pytest.raises(ValueError, match="at least one"):
            render_storyboard_video(tmp_path / "v.mp4", shots=shots)


def test_a_cancelled_render_leaves_no_file(tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RenderCancelledError):
        render_storyboard_video(tmp_path / "v.mp4", shots=[("a", 3)], cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def _png_b64(width: int, height: int) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 200)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


@pytest.mark.parametrize(
    ("endpoint", "body", "size"),
    [
        ("text2video", {"prompt": "x", "mode": "pro", "aspect_ratio": "9:16"}, (1080, 1920)),
        ("text2video", {"prompt": "x", "mode": "std", "aspect_ratio": "1:1"}, (720, 720)),
        # image2video has no aspect_ratio: the output follows the start frame.
        ("image2video", {"image": _png_b64(400, 720), "prompt": "x"}, (720, 1280)),
    ],
)
def test_full_renders_through_the_api(
    endpoint: str, body: dict[str, str], size: tuple[int, int]
) -> None:
    config = SimulatorConfig(render=True, timeline=(0.0, 0.1))
    with SimulatorServer(config) as sim, httpx.Client(base_url=sim.base_url, timeout=30) as c:
        c.headers["Authorization"] = f"Bearer {config.api_key}"
        full = {"model_name": "kling-v3", "duration": "3", **body}
        task_id = c.post(f"/v1/videos/{endpoint}", json=full).json()["data"]["task_id"]
        deadline = time.monotonic() + 60
        while (data := c.get(f"/v1/videos/{endpoint}/{task_id}").json()["data"])[
            "task_status"
        ] != "succeed":
            assert time.monotonic() < deadline and data["task_status"] != "failed", data
            time.sleep(0.05)
        content = c.get(data["task_result"]["videos"][0]["url"]).content
    with av.open(io.BytesIO(content), mode="r") as mp4:
        stream = mp4.streams.video[0]
        assert (stream.width, stream.height) == size
        assert mp4.duration is not None and mp4.duration / 1e6 == pytest.approx(3.0, abs=0.01)
