"""Authorization as the real ``/v1`` API checks it: API key or AK/SK JWT, codes 1000-1004."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from kling_studio.backends.simulator import SimulatorConfig, SimulatorServer
from kling_studio.backends.simulator.auth import check_authorization

pytestmark = pytest.mark.timeout(60)

BODY = {"model_name": "kling-v3", "prompt": "A fox"}
WRONG_SECRET = "a-wrong-secret-that-is-long-enough-for-hs256"


def now() -> int:
    return int(time.time())


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(SimulatorConfig(render=False)) as server:
        yield server


def token(sim: SimulatorServer, *, secret: str | None = None, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": sim.config.access_key, "exp": now + 1800, "nbf": now - 5, **claims}
    return jwt.encode(payload, secret or sim.config.secret_key, algorithm="HS256")


def post(sim: SimulatorServer, authorization: str | None) -> httpx.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return httpx.post(f"{sim.base_url}/v1/videos/text2video", json=BODY, headers=headers)


def test_the_api_key_and_a_valid_jwt_are_accepted(sim: SimulatorServer) -> None:
    assert post(sim, f"Bearer {sim.config.api_key}").status_code == 200
    assert post(sim, f"Bearer {token(sim)}").status_code == 200
    r = httpx.get(
        f"{sim.base_url}/v1/videos/text2video", headers={"Authorization": f"Bearer {token(sim)}"}
    )
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda sim: None, 1001),
        (lambda sim: "", 1001),
        (lambda sim: "Bearer", 1002),
        (lambda sim: f"Basic {sim.config.api_key}", 1002),
        (lambda sim: "Bearer sim-not-the-key", 1000),
        (lambda sim: f"Bearer {token(sim, secret=WRONG_SECRET)}", 1002),
        (lambda sim: f"Bearer {token(sim, iss='someone-else')}", 1000),
        (lambda sim: f"Bearer {token(sim, nbf=now() + 600)}", 1003),
        (lambda sim: f"Bearer {token(sim, exp=now() - 10, nbf=now() - 100)}", 1004),
        (lambda sim: "Bearer abc.def.ghi", 1002),
    ],
)  # fmt: skip
def test_refusals_are_401_with_the_official_code(
    sim: SimulatorServer, make: Any, code: int
) -> None:
    before = sim.count_tasks()
    r = post(sim, make(sim))
    assert r.status_code == 401
    payload = r.json()
    assert payload["code"] == code and payload["request_id"]
    assert sim.config.api_key not in r.text and sim.config.secret_key not in r.text
    assert sim.count_tasks() == before


def test_a_jwt_without_exp_is_invalid(sim: SimulatorServer) -> None:
    bare = jwt.encode({"iss": sim.config.access_key}, sim.config.secret_key, algorithm="HS256")
    assert post(sim, f"Bearer {bare}").json()["code"] == 1002


def test_auth_can_be_switched_off() -> None:
    with SimulatorServer(SimulatorConfig(render=False, require_auth=False)) as sim:
        assert post(sim, None).status_code == 200


def test_downloads_need_no_authorization_only_their_token() -> None:
    # Result URLs are CDN links: the app downloads them without credentials.
    with SimulatorServer(SimulatorConfig(render=False, timeline=(0.0, 0.0))) as sim:
        auth = {"Authorization": f"Bearer {sim.config.api_key}"}
        task_id = post(sim, auth["Authorization"]).json()["data"]["task_id"]
        url = f"{sim.base_url}/v1/videos/text2video/{task_id}"
        deadline = time.monotonic() + 20
        while (data := httpx.get(url, headers=auth).json()["data"])["task_status"] != "succeed":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert httpx.get(url).status_code == 401
        assert httpx.get(data["task_result"]["videos"][0]["url"]).status_code == 200


def test_check_authorization_never_echoes_the_token() -> None:
    error = check_authorization(
        "Bearer leaked-secret-value", api_key="k", access_key="a", secret_key="s" * 32
    )
    assert error is not None and "leaked-secret-value" not in error.message


def test_short_secret_keys_are_refused_up_front() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        SimulatorConfig(secret_key="short")


def test_config_repr_hides_credentials() -> None:
    config = SimulatorConfig()
    assert config.api_key not in repr(config) and config.secret_key not in repr(config)
