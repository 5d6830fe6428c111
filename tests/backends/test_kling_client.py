"""KlingClient against the real simulator over loopback HTTP: calls, retries, errors, auth."""

from __future__ import annotations

import socket
import time

import pytest

from kling_studio.backends.kling import (
    CreateOutcomeUnknownError,
    Credentials,
    KlingApiError,
    KlingClient,
    KlingNetworkError,
    KlingProtocolError,
    RetryPolicy,
    check_base_url,
    region_url,
)
from tests.backends.kling_support import (
    FAST_RETRY,
    api_key_of,
    arun,
    client_for,
    fast_sim,
    jwt_of,
    text2video,
)


class SleepLog:
    """Records the waits of a client between tries (and really waits)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        import asyncio

        self.waits.append(seconds)
        await asyncio.sleep(seconds)


def test_base_urls_https_or_loopback_only() -> None:
    assert check_base_url("https://api-singapore.klingai.com/") == (
        "https://api-singapore.klingai.com"
    )
    for ok in ("http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:99"):
        assert check_base_url(ok) == ok
    for bad in (
        "http://api.klingai.com",
        "ftp://127.0.0.1",
        "http://127.0.0.2.evil.com",
        "https://",
        "127.0.0.1:80",
    ):
        with pytest.raises(ValueError, match="not allowed"):
            check_base_url(bad)
    assert region_url("beijing") == "https://api-beijing.klingai.com"
    with pytest.raises(ValueError, match="unknown region"):
        region_url("mars")


def test_create_get_find_and_list_round_trip() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                req = text2video()
                req.body["external_task_id"] = "ks-ext/with space"
                created = await client.create(req)
                assert created.status == "submitted"
                assert created.external_task_id == "ks-ext/with space"
                # The id travels URL-encoded in the path.
                by_ext = await client.get("text2video", "ks-ext/with space")
                assert by_ext.task_id == created.task_id
                assert await client.find("text2video", "ks-no-such-id") is None
                for _ in range(100):
                    done = await client.get("text2video", created.task_id)
                    if done.terminal:
                        break
                    time.sleep(0.02)
                assert done.succeeded
                assert done.final_unit_deduction == "3"
                assert done.videos and done.videos[0].url.startswith(sim.base_url)
                listed = await client.list("text2video", page=1, size=10)
                assert [t.task_id for t in listed] == [created.task_id]

    arun(scenario())


@pytest.mark.parametrize("creds_kind", ["api_key", "jwt"])
def test_both_credential_kinds_are_accepted(creds_kind: str) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            creds = api_key_of(sim) if creds_kind == "api_key" else jwt_of(sim)
            async with client_for(sim, creds) as client:
                assert (await client.create(text2video())).task_id

    arun(scenario())


def test_wrong_key_gives_an_actionable_auth_error_without_retrying() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim, Credentials(api_key="wrong-key")) as client:
                with pytest.raises(KlingApiError) as info:
                    await client.create(text2video())
            assert info.value.code == 1000
            assert "Check your Kling API key" in str(info.value)
            assert sim.count_tasks() == 0

    arun(scenario())


@pytest.mark.parametrize("status", [429, 503])
def test_bare_429_and_503_bursts_on_create_are_retried_honouring_retry_after(status: int) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            sim.faults.status_burst(status=status, count=2, endpoint="create", retry_after=0.05)
            sleeps = SleepLog()
            async with client_for(sim, sleep=sleeps) as client:
                task = await client.create(text2video())
            assert task.task_id
            assert sleeps.waits == [0.05, 0.05]  # exactly what Retry-After asked
            assert sim.count_tasks() == 1

    arun(scenario())


def test_5xx_bursts_on_queries_are_retried_with_backoff() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            sleeps = SleepLog()
            async with client_for(sim, sleep=sleeps) as client:
                task = await client.create(text2video())
                sim.faults.status_burst(status=500, count=2, endpoint="query")
                sim.faults.http_error(code=5001, count=1, endpoint="query")
                assert (await client.get("text2video", task.task_id)).task_id == task.task_id
            assert len(sleeps.waits) == 3
            assert all(0 <= w <= FAST_RETRY.max_delay for w in sleeps.waits)

    arun(scenario())


@pytest.mark.parametrize("code", [1303, 1302, 5000])
def test_retryable_kling_codes_on_create_are_retried(code: int) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            sim.faults.http_error(code=code, count=2, endpoint="create")
            async with client_for(sim) as client:
                assert (await client.create(text2video())).task_id
            assert sim.count_tasks() == 1

    arun(scenario())


def test_retries_stop_after_max_attempts() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            sim.faults.http_error(code=1303, count=10, endpoint="create")
            async with client_for(sim, retry=RetryPolicy(max_attempts=3, base_delay=0.01)) as c:
                with pytest.raises(KlingApiError) as info:
                    await c.create(text2video())
            assert info.value.code == 1303
            assert "the job waits and retries" in str(info.value)
            assert sim.count_tasks() == 0

    arun(scenario())


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (1102, "Your Kling resource pack is used up or expired: buy units, then resubmit"),
        (1301, "Content policy: edit the prompt or images"),
    ],
)
def test_1102_and_1301_are_not_retried_and_say_what_to_do(code: int, words: str) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            sim.faults.http_error(code=code, count=1, endpoint="create")
            sleeps = SleepLog()
            async with client_for(sim, sleep=sleeps) as client:
                with pytest.raises(KlingApiError) as info:
                    await client.create(text2video())
            # Not retried: a retry would have succeeded (the fault was for one request only).
            assert sleeps.waits == []
            assert sim.count_tasks() == 0
            assert words in str(info.value)
            assert "nothing was charged" in str(info.value)

    arun(scenario())


def test_an_expired_jwt_is_reminted_and_the_call_succeeds() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            real = time.time
            skew = {"seconds": -3600.0}  # the first JWT is minted an hour in the past

            def clock() -> float:
                return real() + skew["seconds"]

            creds = jwt_of(sim, clock=clock)
            async with client_for(sim, creds) as client:
                stale = creds.authorization()  # cached: exp = now - 30 min
                skew["seconds"] = 0.0  # clock fixed; the cached token is still "valid" locally
                task = await client.create(text2video())
            assert task.task_id
            assert creds.mints == 2
            assert creds.authorization() != stale

    arun(scenario())


def test_a_token_refused_twice_is_not_retried_forever() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            sim.faults.http_error(code=1004, count=5, endpoint="create")
            creds = jwt_of(sim)
            async with client_for(sim, creds) as client:
                with pytest.raises(KlingApiError) as info:
                    await client.create(text2video())
            assert info.value.code == 1004
            assert creds.mints == 2  # the first token and exactly one re-mint

    arun(scenario())


def test_malformed_json_on_a_query_is_a_clear_error() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                task = await client.create(text2video())
                sim.faults.malformed_json(count=1, endpoint="query")
                with pytest.raises(KlingProtocolError) as info:
                    await client.get("text2video", task.task_id)
            assert "malformed JSON" in str(info.value)
            assert "HTTP 200" in str(info.value)

    arun(scenario())


def test_an_html_error_page_is_retried_then_reported_clearly() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                task = await client.create(text2video())
                sim.faults.html_error(count=10, endpoint="query")
                with pytest.raises(KlingProtocolError) as info:
                    await client.get("text2video", task.task_id)
                message = str(info.value)
                assert "an HTML page" in message and "HTTP 502" in message
                assert "502 Bad Gateway" in message
                sim.faults.clear()
                sim.faults.html_error(count=1, endpoint="query")
                assert (await client.get("text2video", task.task_id)).task_id == task.task_id

    arun(scenario())


@pytest.mark.parametrize("fault", ["lose_create_response", "malformed_json", "html_error"])
def test_create_whose_outcome_is_unknown_is_never_resent_blindly(fault: str) -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            getattr(sim.faults, fault)(
                count=1, **({} if fault == "lose_create_response" else {"endpoint": "create"})
            )
            req = text2video()
            req.body["external_task_id"] = "ks-unknown-outcome"
            async with client_for(sim) as client:
                with pytest.raises(CreateOutcomeUnknownError) as info:
                    await client.create(req)
                assert "asking Kling by the job's id" in str(info.value)
                found = await client.find("text2video", "ks-unknown-outcome")
            expected = 0 if fault == "html_error" else 1
            assert sim.count_tasks("ks-unknown-outcome") == expected
            assert (found is not None) == (expected == 1)

    arun(scenario())


def test_connection_refused_is_a_network_error_saying_nothing_was_sent() -> None:
    async def scenario() -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # closed as soon as we leave: nothing listens there
        async with KlingClient(
            f"http://127.0.0.1:{port}", Credentials(api_key="k"), retry=FAST_RETRY
        ) as client:
            with pytest.raises(KlingNetworkError) as info:
                await client.create(text2video())
        assert info.value.sent is False
        assert "connecting to Kling" in str(info.value)

    arun(scenario())


def test_dropped_query_connections_are_retried() -> None:
    async def scenario() -> None:
        with fast_sim() as sim:
            async with client_for(sim) as client:
                task = await client.create(text2video())
                sim.faults.drop_connection(count=2, endpoint="query")
                assert (await client.get("text2video", task.task_id)).task_id == task.task_id

    arun(scenario())
