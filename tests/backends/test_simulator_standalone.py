"""``run_simulator``: the foreground server behind ``kling-studio simulator``."""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import httpx
import pytest

from kling_studio.backends.simulator import run_simulator

pytestmark = pytest.mark.timeout(60)


def _serve(data_dir: Path | None) -> tuple[threading.Event, threading.Thread, io.StringIO]:
    stop, out = threading.Event(), io.StringIO()
    thread = threading.Thread(
        target=run_simulator, args=("127.0.0.1", 0), daemon=True,
        kwargs={"data_dir": data_dir, "stop": stop, "out": out},
    )  # fmt: skip
    thread.start()
    deadline = time.monotonic() + 10
    while "Press Ctrl+C" not in out.getvalue():
        assert time.monotonic() < deadline and thread.is_alive(), out.getvalue()
        time.sleep(0.02)
    return stop, thread, out


def _banner(out: io.StringIO) -> dict[str, str]:
    text = out.getvalue()
    url = re.search(r"running at (http://\S+)", text)
    key = re.search(r"API key:\s+(\S+)", text)
    ak = re.search(r"Access key:\s+(\S+)", text)
    assert url and key and ak, text
    return {"url": url.group(1), "api_key": key.group(1), "access_key": ak.group(1)}


def test_banner_credentials_work_and_stop_ends_the_server(tmp_path: Path) -> None:
    stop, thread, out = _serve(None)
    banner = _banner(out)
    auth = {"Authorization": f"Bearer {banner['api_key']}"}
    body = {"model_name": "kling-v3", "prompt": "A fox"}
    r = httpx.post(f"{banner['url']}/v1/videos/text2video", json=body, headers=auth)
    assert r.status_code == 200 and r.json()["data"]["task_status"] == "submitted"
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{banner['url']}/v1/videos/text2video", headers=auth)


def test_a_data_dir_keeps_the_same_credentials_across_runs(tmp_path: Path) -> None:
    runs = []
    for _ in range(2):
        stop, thread, out = _serve(tmp_path)
        runs.append(_banner(out))
        stop.set()
        thread.join(timeout=10)
    assert runs[0]["api_key"] == runs[1]["api_key"]
    assert runs[0]["access_key"] == runs[1]["access_key"]
    creds = tmp_path / "credentials.json"
    assert creds.is_file() and (creds.stat().st_mode & 0o077) == 0
