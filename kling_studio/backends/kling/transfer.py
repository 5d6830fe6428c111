"""Streaming a result video to a partial file, resumable with HTTP Range.

Memory stays flat (one chunk at a time); the SHA-256 is computed while the bytes arrive (the
kept prefix of a resumed file is hashed in a worker thread first); the size cap is enforced both
from ``Content-Length`` and while streaming. The file is written unbuffered so that whatever was
received is on disk even if the process dies, and fsynced before returning.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import httpx

from kling_studio.backends.kling.errors import KlingDownloadError, sanitise
from kling_studio.backends.kling.models import DownloadResult

ProgressCallback = Callable[[int, int | None], None]
"""Called as ``(bytes on disk, total bytes or None)`` after every chunk."""

ALLOWED_TYPES = frozenset({"video/mp4", "application/octet-stream"})
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_EXPIRED_STATUSES = frozenset({401, 403, 404, 410})
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")


def _hash_prefix(path: Path, length: int) -> Any:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        remaining = length
        while remaining > 0:
            block = fh.read(min(1024 * 1024, remaining))
            if not block:
                break
            digest.update(block)
            remaining -= len(block)
    return digest


def _fsync_close(fh: BinaryIO) -> None:
    fh.flush()
    os.fsync(fh.fileno())
    fh.close()


def _error_excerpt(body: bytes) -> str:
    """The gist of an error body: a JSON ``message``, an HTML page's text, or the first bytes."""
    text = body[:2000].decode("utf-8", "replace")
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    if isinstance(doc, dict) and doc.get("message"):
        return sanitise(str(doc["message"]))
    if "<" in text:
        title = _TITLE.search(text)
        text = title.group(1) if title else _TAGS.sub(" ", text)
    return sanitise(text)


async def _check_status(response: httpx.Response, resume_from: int) -> int:
    """The offset the body starts at (0 or ``resume_from``); raises for unusable answers."""
    status = response.status_code
    if status == 206 and resume_from > 0:
        match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
        if match is None or int(match.group(1)) != resume_from:
            raise KlingDownloadError(
                "The server answered the resumed download with the wrong byte range; "
                "the download restarts from the beginning.",
                retryable=True,
                restart=True,
            )
        return resume_from
    if status == 200:
        return 0
    body = await response.aread()
    if status == 416:
        raise KlingDownloadError(
            "The server refused to resume the download; it restarts from the beginning.",
            retryable=True,
            restart=True,
        )
    if status in _EXPIRED_STATUSES:
        raise KlingDownloadError(
            f"The result link has expired or is no longer valid (HTTP {status}: "
            f"{_error_excerpt(body)}). Kling keeps results for 30 days and its links expire: "
            "Resume asks Kling for a fresh link.",
            expired=True,
        )
    raise KlingDownloadError(
        f"The result download failed (HTTP {status}: {_error_excerpt(body)}).",
        retryable=status >= 500 or status in (408, 429),
    )


def _check_type(response: httpx.Response) -> None:
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype in ALLOWED_TYPES:
        return
    if "html" in ctype or "text" in ctype or "json" in ctype:
        raise KlingDownloadError(
            f"The result link returned a web page ({ctype}) instead of a video; the link may "
            "have expired or need a login. Nothing was saved."
        )
    raise KlingDownloadError(
        f"The result link returned {ctype or 'an unlabelled file'}, not an MP4 video; "
        "nothing was saved."
    )


def _total(response: httpx.Response, start: int) -> int | None:
    length = response.headers.get("content-length")
    if length is None or not length.isdigit():
        return None
    return start + int(length)


async def stream_to_file(
    http: httpx.AsyncClient,
    url: str,
    dest_tmp: Path,
    *,
    resume_from: int,
    max_bytes: int,
    on_progress: ProgressCallback | None,
    timeout: httpx.Timeout,
) -> DownloadResult:
    """Download ``url`` into ``dest_tmp``; see :meth:`KlingClient.stream_download`."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise KlingDownloadError(f"Not a downloadable result link: {sanitise(url, 80)!r}")
    headers = {"Accept-Encoding": "identity"}
    if resume_from > 0:
        headers["Range"] = f"bytes={resume_from}-"
    try:
        async with http.stream(
            "GET", url, headers=headers, timeout=timeout, follow_redirects=True
        ) as response:
            start = await _check_status(response, resume_from)
            _check_type(response)
            total = _total(response, start)
            if total is not None and total > max_bytes:
                raise KlingDownloadError(
                    f"The result is {total / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB "
                    "download limit; nothing was saved."
                )
            digest = (
                await asyncio.to_thread(_hash_prefix, dest_tmp, start)
                if start
                else hashlib.sha256()
            )
            fh: BinaryIO = dest_tmp.open("r+b" if start else "wb", buffering=0)
            try:
                fh.seek(start)
                fh.truncate()
                done = start
                async for chunk in response.aiter_raw():  # as it arrives: keep every byte
                    done += len(chunk)
                    if done > max_bytes:
                        raise KlingDownloadError(
                            f"The result grew past the {max_bytes / 1e6:.0f} MB download "
                            "limit; the download was stopped."
                        )
                    fh.write(chunk)
                    digest.update(chunk)
                    if on_progress is not None:
                        on_progress(done, total)
            finally:
                await asyncio.to_thread(_fsync_close, fh)
            if total is not None and done != total:
                raise KlingDownloadError(
                    f"The download stopped at {done} of {total} bytes; it resumes from there.",
                    retryable=True,
                )
            ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return DownloadResult(
                size=done, sha256=digest.hexdigest(), content_type=ctype, resumed=start > 0
            )
    except httpx.TransportError as exc:
        raise KlingDownloadError(
            f"The download was interrupted ({type(exc).__name__}); it resumes from the bytes "
            "already on disk.",
            retryable=True,
        ) from None
