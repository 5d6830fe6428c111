"""Turn one HTTP answer of the Kling API into its ``data``, or into a typed error.

A Kling answer is a JSON envelope ``{"code": 0, "message": …, "request_id": …, "data": …}``.
Anything else (an HTML error page from a proxy, malformed or truncated JSON, an empty body, JSON
that is not an envelope) becomes a :class:`KlingProtocolError` that says what came back, with the
first bytes sanitised and any credential redacted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import httpx

from kling_studio.backends.kling.errors import KlingApiError, KlingProtocolError
from kling_studio.backends.kling.retry import parse_retry_after

_HEAD_BYTES = 200


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``<redacted>``."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, "<redacted>")
    return text


def _describe(body: bytes, content_type: str) -> str:
    stripped = body.lstrip()
    if not stripped:
        return "an empty reply"
    if "html" in content_type or stripped[:1] == b"<":
        return "an HTML page"
    if "json" in content_type or stripped[:1] in (b"{", b"["):
        return "malformed JSON"
    return "data that is not JSON"


def parse_envelope(response: httpx.Response, secrets: Iterable[str] = ()) -> Any:
    """The ``data`` of a successful Kling answer.

    Raises:
        KlingApiError: the envelope carries a non-zero code.
        KlingProtocolError: the answer is not a Kling envelope.
    """
    secrets = tuple(secrets)
    status = response.status_code
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    body = response.content
    retry_after = parse_retry_after(response.headers.get("retry-after"))

    def protocol_error(what: str) -> KlingProtocolError:
        head = redact(body[:_HEAD_BYTES].decode("utf-8", "replace"), secrets)
        err = KlingProtocolError(what, http_status=status, content_type=content_type, head=head)
        err.retry_after = retry_after
        return err

    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        raise protocol_error(_describe(body, content_type)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("code"), int):
        raise protocol_error("JSON that is not a Kling envelope")
    code = doc["code"]
    if code != 0:
        err = KlingApiError(
            code,
            status,
            redact(str(doc.get("message") or ""), secrets),
            str(doc.get("request_id") or ""),
        )
        err.retry_after = retry_after
        raise err
    if status >= 400:
        raise protocol_error(f"HTTP {status} with a success envelope")
    return doc.get("data")
