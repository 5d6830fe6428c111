"""Streaming result downloads from the simulator: Range resume, expiry, type and size checks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from kling_studio.backends.kling import KlingClient, KlingDownloadError, TaskInfo
from kling_studio.backends.kling.transfer import _check_type
from kling_studio.backends.simulator import SimulatorServer
from tests.backends.kling_support import (
    arun,
    client_for,
    fast_sim,
    sha256_file,
    sim_file,
    text2video,
)


async def _finished(client: KlingClient, duration: int = 5) -> TaskInfo:
    task = await client.create(text2video(duration))
    for _ in range(200):
        info = await client.get("text2video", task.task_id)
        if info.terminal:
            return info
        await asyncio.sleep(0.02)
    raise AssertionError("the simulator never finished the task")


def test_full_download_matches_the_servers_file(tmp_path: Path) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                info = await _finished(client)
                seen: list[tuple[int, int | None]] = []
                part = tmp_path / ".take.part"
                result = await client.stream_download(
                    info.videos[0].url, part, on_progress=lambda d, t: seen.append((d, t))
                )
            original = sim_file(sim, info.task_id)
            assert result.size == original.stat().st_size
            assert result.sha256 == sha256_file(original) == sha256_file(part)
            assert result.content_type == "video/mp4"
            assert seen[-1] == (result.size, result.size)

    arun(scenario())


def test_truncated_download_resumes_with_range(tmp_path: Path) -> None:
    async def scenario(sim: SimulatorServer) -> None:
        async with client_for(sim) as client:
            info = await _finished(client, duration=10)
            url = info.videos[0].url
            original = sim_file(sim, info.task_id)
            size = original.stat().st_size
            cut = size // 3
            sim.faults.truncate_download(count=1, at_bytes=cut)
            part = tmp_path / ".take.part"
            with pytest.raises(KlingDownloadError) as err:
                await client.stream_download(url, part)
            assert err.value.retryable and not err.value.expired
            assert part.stat().st_size == cut  # what arrived is kept on disk
            result = await client.stream_download(url, part, resume_from=cut)
        assert result.resumed is True
        assert result.size == size
        assert result.sha256 == sha256_file(original)  # hash covers the kept prefix too

    with fast_sim() as sim:
        arun(scenario(sim))


def test_expired_result_link_is_a_clear_non_retryable_error(tmp_path: Path) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                info = await _finished(client)
                sim.faults.expire_results()
                part = tmp_path / ".take.part"
                with pytest.raises(KlingDownloadError) as err:
                    await client.stream_download(info.videos[0].url, part)
            assert err.value.expired and not err.value.retryable
            message = str(err.value)
            assert "HTTP 403" in message and "expired" in message
            assert "30 days" in message
            assert not part.exists()

    arun(scenario())


def test_size_cap_refuses_before_writing(tmp_path: Path) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                info = await _finished(client)
                part = tmp_path / ".take.part"
                with pytest.raises(KlingDownloadError, match="over the 0 MB download limit"):
                    await client.stream_download(info.videos[0].url, part, max_bytes=1000)
            assert not part.exists()

    arun(scenario())


def test_credentials_are_never_sent_to_result_links(tmp_path: Path) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                info = await _finished(client)
                seen: list[httpx.Request] = []
                client._http.event_hooks["request"].append(_record(seen))
                await client.stream_download(info.videos[0].url, tmp_path / ".p")
            assert len(seen) == 1
            assert "authorization" not in seen[0].headers

    arun(scenario())


def _record(seen: list[httpx.Request]):  # type: ignore[no-untyped-def]
    async def hook(request: httpx.Request) -> None:
        seen.append(request)

    return hook


@pytest.mark.parametrize(
    ("ctype", "words"),
    [
        ("text/html; charset=utf-8", "returned a web page (text/html) instead of a video"),
        ("image/png", "returned image/png, not an MP4 video"),
    ],
)
def test_content_type_check_rejects_pages_and_other_files(ctype: str, words: str) -> None:
    with pytest.raises(KlingDownloadError, match=words.replace("(", r"\(").replace(")", r"\)")):
        _check_type(httpx.Response(200, headers={"content-type": ctype}))
    for ok in ("video/mp4", "application/octet-stream"):
        _check_type(httpx.Response(200, headers={"content-type": ok}))
