"""The simulator as a client sees it: real HTTP on 127.0.0.1, real MP4s probed with PyAV."""

from __future__ import annotations

import base64
import io
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import av
import httpx
import pytest
from PIL import Image

from kling_studio.backends.simulator import SimulatorConfig, SimulatorServer

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(SimulatorConfig(render=False, timeline=(0.1, 0.2))) as server:
        yield server


@pytest.fixture
def client(sim: SimulatorServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {sim.config.api_key}"}
    with httpx.Client(base_url=sim.base_url, headers=headers, timeout=10) as c:
        yield c


def png_b64(width: int, height: int, colour: tuple[int, int, int] = (200, 40, 40)) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def storyboard_body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model_name": "kling-v3",
        "multi_shot": True,
        "shot_type": "customize",
        "prompt": "",
        "multi_prompt": [
            {"index": 1, "prompt": "Wide shot: a lighthouse at dawn.", "duration": "4"},
            {"index": 2, "prompt": "The keeper climbs the stairs.", "duration": "3"},
            {"index": 3, "prompt": "He lights the lamp.", "duration": "3"},
        ],
        "mode": "pro",
        "sound": "on",
        "aspect_ratio": "16:9",
        "duration": "10",
    }
    body.update(extra)
    return body


def wait_final(client: httpx.Client, endpoint: str, ident: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        r = client.get(f"/v1/videos/{endpoint}/{ident}")
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()["data"]
        if data["task_status"] in ("succeed", "failed"):
            return data
        time.sleep(0.05)
    raise AssertionError(f"task {ident} did not finish")


def mp4_facts(content: bytes) -> tuple[float, int, int, bool]:
    """(duration, width, height, has_audio) read from the bytes with PyAV."""
    with av.open(io.BytesIO(content), mode="r") as c:
        video = c.streams.video[0]
        assert c.duration is not None
        return c.duration / 1_000_000, video.width, video.height, bool(c.streams.audio)


def create(client: httpx.Client, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(f"/v1/videos/{endpoint}", json=body)
    assert r.status_code == 200, r.text
    payload: dict[str, Any] = r.json()
    return payload


def test_storyboard_round_trip_create_query_succeed_download(client: httpx.Client) -> None:
    created = create(client, "text2video", storyboard_body(external_task_id="scene7-take1"))
    assert created["code"] == 0 and created["message"] == "SUCCEED" and created["request_id"]
    data = created["data"]
    assert data["task_status"] == "submitted"
    assert data["task_id"].isdigit() and len(data["task_id"]) >= 18
    assert data["task_info"] == {"external_task_id": "scene7-take1"}
    assert data["created_at"] == data["updated_at"] > 1_700_000_000_000

    by_id = client.get(f"/v1/videos/text2video/{data['task_id']}").json()["data"]
    assert by_id["task_id"] == data["task_id"]
    final = wait_final(client, "text2video", "scene7-take1")
    assert final["task_status"] == "succeed", final
    assert final["final_unit_deduction"] == "12"  # pro + audio: 1.2 units/s x 10 s
    assert final["updated_at"] > final["created_at"]
    video = final["task_result"]["videos"][0]
    assert video["duration"] == "10.0" and video["watermark_url"] == ""
    assert video["url"].startswith(f"{client.base_url}/results/")

    full = client.get(video["url"])
    assert full.status_code == 200
    assert full.headers["content-type"] == "video/mp4"
    assert full.headers["accept-ranges"] == "bytes"
    assert int(full.headers["content-length"]) == len(full.content)
    duration, _, _, has_audio = mp4_facts(full.content)
    assert duration == pytest.approx(10.0, abs=0.05) and has_audio

    tail = client.get(video["url"], headers={"Range": "bytes=1000-"})
    assert tail.status_code == 206
    assert (
        tail.headers["content-range"] == f"bytes 1000-{len(full.content) - 1}/{len(full.content)}"
    )
    assert tail.content == full.content[1000:]
    middle = client.get(video["url"], headers={"Range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == full.content[10:20]
    beyond = client.get(video["url"], headers={"Range": f"bytes={len(full.content)}-"})
    assert beyond.status_code == 416


@pytest.mark.parametrize(
    ("endpoint", "body", "seconds", "units", "audio"),
    [
        ("text2video", {"model_name": "kling-v3", "prompt": "A fox"}, 5, "3", False),
        (
            "image2video",
            {"model_name": "kling-v3", "image": png_b64(640, 360), "prompt": "It moves",
             "duration": "7", "mode": "std", "sound": "on"},
            7, "6.3", True,
        ),
        (
            "omni-video",
            {"model_name": "kling-v3-omni", "prompt": "The cat of <<<image_1>>> naps",
             "image_list": [{"image_url": png_b64(400, 400)}], "aspect_ratio": "1:1",
             "duration": "8", "mode": "pro", "sound": "off"},
            8, "6.4", False,
        ),
    ],
)  # fmt: skip
def test_each_endpoint_renders_the_requested_video(
    client: httpx.Client,
    endpoint: str,
    body: dict[str, Any],
    seconds: int,
    units: str,
    audio: bool,
) -> None:
    task_id = create(client, endpoint, body)["data"]["task_id"]
    final = wait_final(client, endpoint, task_id)
    assert final["task_status"] == "succeed", final
    assert final["final_unit_deduction"] == units
    video = final["task_result"]["videos"][0]
    duration, _, _, has_audio = mp4_facts(client.get(video["url"]).content)
    assert duration == pytest.approx(seconds, abs=0.05)
    assert has_audio is audio
    assert video["duration"] == f"{seconds}.0"


def test_a_task_is_found_only_on_the_endpoint_that_created_it(client: httpx.Client) -> None:
    body = {"model_name": "kling-v3", "prompt": "A fox", "external_task_id": "fox-1"}
    task_id = create(client, "text2video", body)["data"]["task_id"]
    for ident in (task_id, "fox-1"):
        r = client.get(f"/v1/videos/image2video/{ident}")
        assert r.status_code == 404
        assert r.json()["code"] == 1203 and "not found" in r.json()["message"]
    assert client.get("/v1/videos/text2video/123456789").json()["code"] == 1203


def test_duplicate_external_task_id_is_refused_and_creates_nothing(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    body = {"model_name": "kling-v3", "prompt": "A fox", "external_task_id": "once"}
    create(client, "text2video", body)
    again = client.post("/v1/videos/text2video", json=body)
    assert again.status_code == 400
    assert again.json()["code"] == 1201 and "already exists" in again.json()["message"]
    assert sim.count_tasks("once") == 1 and sim.count_tasks() == 1


def test_list_pages_newest_first_within_bounds(client: httpx.Client) -> None:
    ids = [
        create(client, "text2video", {"model_name": "kling-v3", "prompt": f"shot {i}"})["data"][
            "task_id"
        ]
        for i in range(5)
    ]
    create(
        client, "omni-video", {"model_name": "kling-v3-omni", "prompt": "x", "aspect_ratio": "1:1"}
    )
    pages = []
    for n in (1, 2, 3, 4):
        page = client.get(f"/v1/videos/text2video?pageNum={n}&pageSize=2").json()["data"]
        pages.append([t["task_id"] for t in page])
    assert pages == [ids[4:2:-1], ids[2:0:-1], ids[:1], []]
    assert len(client.get("/v1/videos/text2video").json()["data"]) == 5  # default pageSize 30
    for query in ("pageNum=0", "pageNum=1001", "pageSize=0", "pageSize=501", "pageSize=abc"):
        r = client.get(f"/v1/videos/text2video?{query}")
        assert r.status_code == 400 and r.json()["code"] == 1201, query


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"{not json", 1200, "not valid JSON"),
        (b"[1, 2]", 1200, "JSON object"),
    ],
)
def test_unreadable_bodies_are_1200(
    client: httpx.Client, content: bytes, code: int, words: str
) -> None:
    r = client.post("/v1/videos/text2video", content=content)
    assert r.status_code == 400
    assert r.json()["code"] == code and words in r.json()["message"]


@pytest.mark.parametrize(
    ("endpoint", "body", "status", "code", "words"),
    [
        ("text2video", storyboard_body(duration="11"), 400, 1201, "add up to 10 s"),
        ("text2video", storyboard_body(duration=10), 400, 1200, "must be a string"),
        ("text2video", {"model_name": "kling-v9", "prompt": "x"}, 404, 1203, "does not exist"),
        ("text2video", {"model_name": "kling-v3-omni", "prompt": "x"}, 400, 1201, "not supported"),
        ("text2video", {"model_name": "kling-v3", "prompt": "x", "mode": "8k"}, 400, 1201, "mode"),
        (
            "image2video",
            {"model_name": "kling-v3", "image": "data:image/png;base64," + png_b64(400, 400)},
            400, 1201, "data:",
        ),
        ("image2video", {"model_name": "kling-v3", "image": "@@@"}, 400, 1201, "could not be read"),
        ("image2video", {"model_name": "kling-v3", "prompt": "x"}, 400, 1200, "image"),
    ],
)  # fmt: skip
def test_invalid_bodies_get_the_real_api_codes(
    sim: SimulatorServer,
    client: httpx.Client,
    endpoint: str,
    body: dict[str, Any],
    status: int,
    code: int,
    words: str,
) -> None:
    r = client.post(f"/v1/videos/{endpoint}", json=body)
    assert r.status_code == status, r.text
    payload = r.json()
    assert payload["code"] == code and words in payload["message"], payload
    assert payload["request_id"]
    assert sim.count_tasks() == 0


def test_unknown_routes_and_methods_are_1202(client: httpx.Client) -> None:
    for method, path in (
        ("GET", "/v1/videos/motion-control/1"),
        ("DELETE", "/v1/videos/text2video/1"),
        ("POST", "/v1/videos/text2video/1"),
        ("GET", "/v2/tasks"),
    ):
        r = client.request(method, path)
        assert r.status_code == 404 and r.json()["code"] == 1202, (method, path)


def test_watermark_gives_a_second_downloadable_variant(client: httpx.Client) -> None:
    body = {"model_name": "kling-v3", "prompt": "x", "watermark_info": {"enabled": True}}
    task_id = create(client, "text2video", body)["data"]["task_id"]
    final = wait_final(client, "text2video", task_id)
    assert final["watermark_info"] == {"enabled": True}
    video = final["task_result"]["videos"][0]
    plain, marked = client.get(video["url"]), client.get(video["watermark_url"])
    assert plain.status_code == marked.status_code == 200
    assert plain.content != marked.content
    assert mp4_facts(marked.content)[0] == pytest.approx(5.0, abs=0.05)


def test_4k_is_rendered_smaller_and_says_so(client: httpx.Client) -> None:
    body = {"model_name": "kling-v3", "prompt": "x", "mode": "4k"}
    task_id = create(client, "text2video", body)["data"]["task_id"]
    final = wait_final(client, "text2video", task_id)
    assert final["final_unit_deduction"] == "15"  # 3 units/s x 5 s
    assert "4k" in final["task_result"]["videos"][0]["simulator_note"]


def test_result_urls_need_their_token_and_expire() -> None:
    config = SimulatorConfig(render=False, timeline=(0.0, 0.0), result_ttl=1.5)
    with SimulatorServer(config) as sim, httpx.Client(base_url=sim.base_url) as c:
        c.headers["Authorization"] = f"Bearer {config.api_key}"
        started = time.monotonic()
        task_id = create(c, "text2video", {"model_name": "kling-v3", "prompt": "x"})["data"][
            "task_id"
        ]
        url = wait_final(c, "text2video", task_id)["task_result"]["videos"][0]["url"]
        assert c.get(url).status_code == 200
        forged = c.get(url.split("?")[0] + "?token=guess")
        assert forged.status_code == 403 and "text/html" in forged.headers["content-type"]
        time.sleep(max(0.0, started + 1.6 - time.monotonic()))
        expired = c.get(url)
        assert expired.status_code == 403 and b"expired" in expired.content


def test_concurrent_creates_all_get_distinct_tasks(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    def one(i: int) -> str:
        body = {"model_name": "kling-v3", "prompt": f"p{i}", "external_task_id": f"c{i}"}
        with httpx.Client(base_url=sim.base_url, headers=client.headers, timeout=20) as c:
            task_id: str = create(c, "text2video", body)["data"]["task_id"]
            return task_id

    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(one, range(20)))
    assert len(set(ids)) == 20 and sim.count_tasks() == 20
    assert sorted(t["task_id"] for t in sim.tasks()) == sorted(ids)


def test_latency_is_added_to_every_response() -> None:
    with SimulatorServer(SimulatorConfig(render=False, latency=0.3)) as sim:
        started = time.monotonic()
        assert httpx.get(f"{sim.base_url}/v1/videos/text2video").status_code == 401
        assert time.monotonic() - started >= 0.3


def test_an_oversized_body_is_refused_without_reading_it(sim: SimulatorServer) -> None:
    with socket.create_connection(("127.0.0.1", sim.port), timeout=10) as s:
        s.sendall(
            b"POST /v1/videos/text2video HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + sim.config.api_key.encode() + b"\r\n"
            b"Content-Length: 999999999\r\n\r\n{"
        )
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400") and b'"code": 1200' in answer


def test_a_taken_port_fails_cleanly_and_stop_is_idempotent(sim: SimulatorServer) -> None:
    other = SimulatorServer(SimulatorConfig(render=False, port=sim.port))
    with pytest.raises(OSError):
        other.start()
    assert not other.running
    other.stop()
    data_dir = sim.data_dir
    sim.stop()
    sim.stop()
    assert not data_dir.exists()  # the temporary results folder is removed


def test_intelligence_storyboards_get_planned_shots(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    body = {
        "model_name": "kling-v3",
        "multi_shot": True,
        "shot_type": "intelligence",
        "prompt": "A lighthouse at dawn. The keeper climbs. He lights the lamp.",
        "duration": "9",
    }
    task_id = create(client, "text2video", body)["data"]["task_id"]
    final = wait_final(client, "text2video", task_id)
    assert [seconds for _, seconds in sim.tasks()[0]["shots"]] == [3, 3, 3]
    content = client.get(final["task_result"]["videos"][0]["url"]).content
    assert mp4_facts(content)[0] == pytest.approx(9.0, abs=0.05)
