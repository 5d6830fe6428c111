"""Each injected fault does what the contract says, seen through plain httpx."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kling_studio.backends.simulator import SimulatorConfig, SimulatorServer

pytestmark = pytest.mark.timeout(60)

BODY = {"model_name": "kling-v3", "prompt": "A fox"}


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(SimulatorConfig(render=False, timeline=(0.0, 0.05))) as server:
        yield server


@pytest.fixture
def client(sim: SimulatorServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {sim.config.api_key}"}
    with httpx.Client(base_url=sim.base_url, headers=headers, timeout=10) as c:
        yield c


def create(client: httpx.Client, **extra: Any) -> httpx.Response:
    return client.post("/v1/videos/text2video", json={**BODY, **extra})


def result_url(client: httpx.Client) -> str:
    task_id = create(client).json()["data"]["task_id"]
    deadline = time.monotonic() + 20
    while (data := client.get(f"/v1/videos/text2video/{task_id}").json()["data"])[
        "task_status"
    ] != "succeed":
        assert time.monotonic() < deadline, data
        time.sleep(0.02)
    url: str = data["task_result"]["videos"][0]["url"]
    return url


def test_http_error_answers_count_times_then_recovers(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    sim.faults.http_error(code=1303, count=2, endpoint="create")
    for _ in range(2):
        r = create(client)
        assert r.status_code == 429
        assert r.json()["code"] == 1303 and "parallel task" in r.json()["message"]
    assert sim.count_tasks() == 0
    assert client.get("/v1/videos/text2video").status_code == 200  # other routes unaffected
    assert create(client).status_code == 200


@pytest.mark.parametrize(
    ("code", "status"),
    [(1302, 429), (1303, 429), (1102, 429), (1103, 403), (1301, 400), (5000, 500),
     (5001, 503), (5002, 504), (1004, 401), (1203, 404)],
)  # fmt: skip
def test_http_error_uses_the_official_status_of_each_code(
    sim: SimulatorServer, client: httpx.Client, code: int, status: int
) -> None:
    sim.faults.http_error(code=code, endpoint="any", message="injected")
    r = client.get("/v1/videos/text2video")
    assert (r.status_code, r.json()["code"], r.json()["message"]) == (status, code, "injected")


def test_status_burst_is_bare_and_may_say_retry_after(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    sim.faults.status_burst(status=503, count=1, endpoint="query", retry_after=2)
    sim.faults.status_burst(status=429, count=1, endpoint="query")
    first = client.get("/v1/videos/text2video/1")
    assert first.status_code == 503 and first.headers["retry-after"] == "2"
    with pytest.raises(json.JSONDecodeError):
        first.json()
    second = client.get("/v1/videos/text2video/1")
    assert second.status_code == 429 and "retry-after" not in second.headers
    assert client.get("/v1/videos/text2video/1").json()["code"] == 1203  # back to normal


def test_drop_connection_answers_nothing_and_creates_nothing(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    sim.faults.drop_connection(count=1, endpoint="create")
    with pytest.raises(httpx.RemoteProtocolError):
        create(client, external_task_id="dropped")
    assert sim.count_tasks("dropped") == 0
    assert create(client, external_task_id="dropped").status_code == 200


def test_lose_create_response_creates_the_task_but_hangs_up(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    sim.faults.lose_create_response()
    with pytest.raises(httpx.RemoteProtocolError):
        create(client, external_task_id="lost-1")
    assert sim.count_tasks("lost-1") == 1
    # The way to recover: ask by external_task_id instead of resubmitting.
    found = client.get("/v1/videos/text2video/lost-1").json()["data"]
    assert found["task_info"]["external_task_id"] == "lost-1"
    assert create(client, external_task_id="lost-1").json()["code"] == 1201


def test_hold_create_creates_first_and_answers_late(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    sim.faults.hold_create(0.6)
    answers: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: answers.append(create(client, external_task_id="held"))
    )
    thread.start()
    deadline = time.monotonic() + 5
    while sim.count_tasks("held") == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert not answers  # the task exists while its create call is still waiting
    thread.join()
    assert answers[0].status_code == 200
    assert answers[0].json()["data"]["task_info"]["external_task_id"] == "held"


def test_malformed_json_cuts_the_body_but_handles_the_request(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    sim.faults.malformed_json(count=1, endpoint="create")
    r = create(client, external_task_id="half")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()
    assert sim.count_tasks("half") == 1
    sim.faults.malformed_json(count=1, endpoint="query")
    with pytest.raises(json.JSONDecodeError):
        client.get("/v1/videos/text2video/half").json()
    assert client.get("/v1/videos/text2video/half").json()["code"] == 0


def test_html_error_looks_like_a_broken_gateway(sim: SimulatorServer, client: httpx.Client) -> None:
    sim.faults.html_error(count=1, endpoint="list")
    r = client.get("/v1/videos/text2video")
    assert r.status_code == 502 and r.headers["content-type"].startswith("text/html")
    assert b"502 Bad Gateway" in r.content
    assert client.get("/v1/videos/text2video").status_code == 200


def test_fail_tasks_ends_the_next_tasks_failed(sim: SimulatorServer, client: httpx.Client) -> None:
    sim.faults.fail_tasks(count=1, message="Failure to pass the risk control system")
    failing = create(client).json()["data"]["task_id"]
    fine = create(client).json()["data"]["task_id"]
    time.sleep(0.1)
    deadline = time.monotonic() + 20
    while True:
        bad = client.get(f"/v1/videos/text2video/{failing}").json()["data"]
        good = client.get(f"/v1/videos/text2video/{fine}").json()["data"]
        if bad["task_status"] == "failed" and good["task_status"] == "succeed":
            break
        assert time.monotonic() < deadline, (bad, good)
        time.sleep(0.02)
    assert bad["task_status_msg"] == "Failure to pass the risk control system"
    assert bad["final_unit_deduction"] == "0" and "task_result" not in bad


def test_slow_download_is_throttled(sim: SimulatorServer, client: httpx.Client) -> None:
    url = result_url(client)
    size = len(client.get(url).content)
    rate = size / 0.5  # the whole file should take about half a second
    sim.faults.slow_download(rate)
    started = time.monotonic()
    assert len(client.get(url).content) == size
    assert time.monotonic() - started >= 0.45
    sim.faults.slow_download(None)


def test_truncate_download_stops_short_of_the_announced_length(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    url = result_url(client)
    sim.faults.truncate_download(count=1, at_bytes=1000)
    received = 0
    with pytest.raises(httpx.RemoteProtocolError), client.stream("GET", url) as r:
        assert int(r.headers["content-length"]) > 1000
        for chunk in r.iter_bytes():
            received += len(chunk)
    assert received == 1000
    assert client.get(url).status_code == 200


def test_expire_results_turns_every_url_into_a_403(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    url = result_url(client)
    sim.faults.expire_results()
    r = client.get(url)
    assert r.status_code == 403 and b"expired" in r.content
    sim.faults.clear()
    assert client.get(url).status_code == 200


def test_faults_on_any_reach_downloads_and_oldest_rule_applies_first(
    sim: SimulatorServer, client: httpx.Client
) -> None:
    url = result_url(client)
    sim.faults.status_burst(status=500, count=1, endpoint="any")
    sim.faults.http_error(code=5001, count=1, endpoint="any")
    assert client.get(url).status_code == 500
    assert client.get("/v1/videos/text2video").status_code == 503
    assert client.get(url).status_code == 200


def test_invalid_fault_arguments_are_refused(sim: SimulatorServer) -> None:
    with pytest.raises(ValueError):
        sim.faults.http_error(code=1303, count=0)
    with pytest.raises(ValueError):
        sim.faults.status_burst(status=200)
    with pytest.raises(ValueError):
        sim.faults.drop_connection(endpoint="everything")  # type: ignore[arg-type]
