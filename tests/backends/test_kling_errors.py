"""The official error table and the mapping of one HTTP answer to data or a typed error.

These are unit tests of single response-mapping functions, so they build ``httpx.Response``
objects directly; every flow test runs against the simulator.
"""

from __future__ import annotations

import json

import httpx
import pytest

from kling_studio.backends.kling import CODES, KlingApiError, KlingProtocolError
from kling_studio.backends.kling.envelope import parse_envelope
from kling_studio.backends.kling.retry import RetryPolicy, parse_retry_after
from kling_studio.backends.simulator import KLING_CODES

# kling-api.md §4: code -> HTTP status.
OFFICIAL = {
    1000: 401, 1001: 401, 1002: 401, 1003: 401, 1004: 401,
    1100: 429, 1101: 429, 1102: 429, 1103: 403,
    1200: 400, 1201: 400, 1202: 404, 1203: 404,
    1300: 400, 1301: 400, 1302: 429, 1303: 429, 1304: 429,
    5000: 500, 5001: 503, 5002: 504,
}  # fmt: skip


def _response(status: int, body: bytes, ctype: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers={"content-type": ctype, **headers})


def test_every_official_code_has_its_http_status_and_an_action() -> None:
    assert {c: i.http_status for c, i in CODES.items()} == OFFICIAL
    assert {c: s for c, (s, _) in KLING_CODES.items()} == OFFICIAL  # agrees with the simulator
    for info in CODES.values():
        assert info.action.endswith((".", "retries.", "clock is right.")), info.action


def test_only_rate_concurrency_and_server_codes_are_retryable() -> None:
    assert {c for c, i in CODES.items() if i.retryable} == {1302, 1303, 5000, 5001, 5002}


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (
            1102,
            "resource pack is used up or expired: buy units, then resubmit — nothing was charged",
        ),
        (1303, "concurrency limit is reached: the job waits and retries"),
        (1301, "Content policy: edit the prompt or images"),
        (1004, "re-minted automatically"),
    ],
)
def test_messages_tell_the_user_what_to_do(code: int, words: str) -> None:
    assert words in str(KlingApiError(code, OFFICIAL[code], "server text", "rid"))


def test_success_envelope_gives_its_data() -> None:
    body = json.dumps({"code": 0, "message": "SUCCEED", "request_id": "r", "data": {"a": 1}})
    assert parse_envelope(_response(200, body.encode(), "application/json")) == {"a": 1}


def test_error_envelope_becomes_a_typed_error_with_retry_after() -> None:
    body = json.dumps(
        {"code": 1303, "message": "parallel task over resource pack limit", "request_id": "abc"}
    ).encode()
    with pytest.raises(KlingApiError) as info:
        parse_envelope(_response(429, body, "application/json", **{"retry-after": "2"}))
    err = info.value
    assert (err.code, err.http_status, err.retryable, err.retry_after) == (1303, 429, True, 2.0)
    assert err.request_id == "abc"
    assert "parallel task over resource pack limit" in str(err)


@pytest.mark.parametrize(
    ("status", "body", "ctype", "what"),
    [
        (
            502,
            b"<html><head><title>502 Bad Gateway</title></head></html>",
            "text/html",
            "an HTML page",
        ),
        (200, b'{"code": 0, "data": {"task_id": "12', "application/json", "malformed JSON"),
        (200, b"", "application/json", "an empty reply"),
        (200, b'["not", "an", "envelope"]', "application/json", "not a Kling envelope"),
        (500, b"Internal error\x00\x1b[31m", "text/plain", "data that is not JSON"),
    ],
)
def test_non_envelopes_give_a_clear_protocol_error(
    status: int, body: bytes, ctype: str, what: str
) -> None:
    with pytest.raises(KlingProtocolError) as info:
        parse_envelope(_response(status, body, ctype))
    message = str(info.value)
    assert what in message
    assert f"HTTP {status}" in message
    assert ctype in message
    assert "\x00" not in message and "\x1b" not in message  # sanitised
    assert info.value.retryable is (status >= 500)


def test_secrets_echoed_by_a_server_are_redacted() -> None:
    page = b"<html>bad token Bearer sk-SECRET-123 rejected</html>"
    with pytest.raises(KlingProtocolError) as info:
        parse_envelope(_response(401, page, "text/html"), secrets=("sk-SECRET-123",))
    assert "sk-SECRET-123" not in str(info.value)
    assert "<redacted>" in str(info.value)


def test_retry_after_parses_seconds_and_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_uses_full_jitter_capped_and_honours_retry_after() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=4.0, max_retry_after=60.0)
    for attempt in range(1, 8):
        assert 0.0 <= policy.delay(attempt) <= min(4.0, 2 ** (attempt - 1))
    assert policy.delay(1, retry_after=7.5) == 7.5
    assert policy.delay(1, retry_after=900) == 60.0
