"""Result downloads, answered like a CDN: byte ranges, hotlink tokens, expiring links."""

from __future__ import annotations

import hmac
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kling_studio.backends.simulator.worker import result_path

if TYPE_CHECKING:
    from kling_studio.backends.simulator.api import SimulatedApi
    from kling_studio.backends.simulator.handler import Handler

_NAME = re.compile(r"^([0-9]{1,24})(-wm)?\.mp4$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 256 * 1024

_FORBIDDEN = (
    b"<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
    b"<center><h1>403 Forbidden</h1></center>\r\n"
    b"<center>The link has expired or is not valid.</center>\r\n"
    b"<hr><center>simulated CDN</center>\r\n</body>\r\n</html>\r\n"
)
_NOT_FOUND = (
    b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"
)


def send_result(handler: Handler, api: SimulatedApi, name: str, token: str, *, head: bool) -> None:
    """Answer ``GET /results/<name>?token=…`` (200, 206, 403, 404 or 416)."""
    match = _NAME.match(name)
    task = api.store.get(match.group(1)) if match else None
    if match is None or task is None or task.render_state != "done":
        handler.send_raw(404, _NOT_FOUND, "text/html")
        return
    watermarked = match.group(2) is not None
    path = result_path(api.worker.data_dir, task.task_id, watermarked=watermarked)
    expired = api.faults.expired or time.monotonic() - task.created_at > api.config.result_ttl
    valid = hmac.compare_digest(token.encode(), task.token.encode())
    if expired or not valid or (watermarked and not task.plan.watermark):
        handler.send_raw(403, _FORBIDDEN, "text/html")
        return
    if not path.is_file():
        handler.send_raw(404, _NOT_FOUND, "text/html")
        return
    _send_file(handler, api, path, head=head)


def _byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """(first, last) for a single satisfiable range; None: send everything; "bad": 416."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None  # several ranges or another unit: ignoring Range is allowed (RFC 9110)
    first, last = match.groups()
    if not first:
        if not last or int(last) == 0:
            return "bad"
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "bad"
    return start, end


def _send_file(handler: Handler, api: SimulatedApi, path: Path, *, head: bool) -> None:
    size = path.stat().st_size
    span = _byte_range(handler.headers.get("Range"), size)
    if span == "bad":
        handler.send_response(416)
        handler.send_header("Content-Range", f"bytes */{size}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    first, last = span if isinstance(span, tuple) else (0, size - 1)
    length = last - first + 1
    handler.send_response(206 if isinstance(span, tuple) else 200)
    handler.send_header("Content-Type", "video/mp4")
    handler.send_header("Accept-Ranges", "bytes")
    handler.send_header("Content-Length", str(length))
    if isinstance(span, tuple):
        handler.send_header("Content-Range", f"bytes {first}-{last}/{size}")
    handler.end_headers()
    if head:
        return
    rule = api.faults.take("download", ("truncate_download",))
    limit = min(length, rule.at_bytes) if rule is not None else length
    with path.open("rb") as f:
        f.seek(first)
        _stream(handler, f, limit, api.faults.download_rate)
    if limit < length:
        handler.close_connection = True  # the announced length is never reached


def _stream(handler: Handler, f: BinaryIO, limit: int, rate: float | None) -> None:
    chunk = _CHUNK if rate is None else max(1, int(rate / 20))
    sent = 0
    started = time.monotonic()
    while sent < limit:
        data = f.read(min(chunk, limit - sent))
        if not data:
            break
        handler.wfile.write(data)
        sent += len(data)
        if rate is not None:
            # Sleep until the bytes sent so far are "due" at the throttled rate.
            ahead = sent / rate - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
