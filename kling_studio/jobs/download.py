"""Fetching a finished job's video into the takes folder, safely.

The file is streamed to ``<takes dir>/.<name>.part`` (resumed with HTTP Range when a partial file
exists and the server agrees), capped in size, checked to be a video, fsynced and atomically
renamed to its final name; its size and SHA-256 go into the ledger. An expired link is refreshed
once by asking Kling for the task again.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kling_studio.backends.kling.crash import crashpoint
from kling_studio.backends.kling.errors import KlingDownloadError
from kling_studio.backends.kling.models import DownloadResult
from kling_studio.jobs.ledger import JobRow

if TYPE_CHECKING:
    # The client (httpx) loads when the first job needs one, not with the app.
    from kling_studio.backends.kling.client import KlingClient

ProgressSink = Callable[[float | None, int, int | None], None]
"""Called as ``(fraction or None, bytes, total or None)``, throttled."""

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class DownloadPolicy:
    """Limits of result downloads.

    Attributes:
        max_bytes: refuse bigger files (default 2 GB).
        attempts: tries per download (each resumes from the bytes on disk).
        retry_delay: first wait between tries (doubles each time).
        progress_interval: minimum seconds between two progress reports.
    """

    max_bytes: int = 2 * 1024**3
    attempts: int = 5
    retry_delay: float = 1.0
    progress_interval: float = 0.25


def take_name(row: JobRow) -> str:
    """The final file name of a job's video: ``job00012-kling-v3-<task id>.mp4``."""
    task = _SAFE.sub("_", row.task_id or row.external_task_id)[:64]
    model = _SAFE.sub("_", row.model)[:40]
    return f"job{row.id:05d}-{model}-{task}.mp4"


def paths_for(row: JobRow) -> tuple[Path, Path]:
    """(final path, partial path) of a job's video."""
    folder = Path(row.takes_dir)
    name = take_name(row)
    return folder / name, folder / f".{name}.part"


def _sha256_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _publish_file(part: Path, final: Path) -> None:
    os.replace(part, final)
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Throttle:
    def __init__(self, sink: ProgressSink | None, interval: float) -> None:
        self._sink = sink
        self._interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        if total is None or 0 < done < total:
            crashpoint("downloading")
        if self._sink is None:
            return
        now = time.monotonic()
        if now - self._last < self._interval and done != total:
            return
        self._last = now
        self._sink(done / total if total else None, done, total)


async def fetch(
    client: KlingClient,
    row: JobRow,
    url: str,
    *,
    policy: DownloadPolicy,
    on_progress: ProgressSink | None = None,
    refresh_url: Callable[[], Awaitable[str | None]] | None = None,
) -> tuple[Path, DownloadResult]:
    """Download ``url`` as ``row``'s take; returns the final path and what was written.

    Args:
        refresh_url: an async callable returning a fresh URL (or None), called once when the
            link turns out to be expired.

    Raises:
        KlingDownloadError: the download cannot succeed (expired link, not a video, too big,
            or every try failed); the partial file is kept for the next attempt when useful.
    """
    final, part = paths_for(row)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists() and not part.exists():
        # A crash between the rename and the ledger update: the file is complete.
        size, sha = await asyncio.to_thread(_sha256_file, final)
        return final, DownloadResult(size=size, sha256=sha, content_type="video/mp4")
    throttle = _Throttle(on_progress, policy.progress_interval)
    refreshed = False
    delay = policy.retry_delay
    attempt = 0
    while True:
        attempt += 1
        resume_from = part.stat().st_size if part.exists() else 0
        try:
            result = await client.stream_download(
                url,
                part,
                resume_from=resume_from,
                max_bytes=policy.max_bytes,
                on_progress=throttle,
            )
            break
        except KlingDownloadError as exc:
            if exc.restart:
                part.unlink(missing_ok=True)
            if exc.expired and not refreshed and refresh_url is not None:
                refreshed = True
                fresh = await refresh_url()
                if fresh and fresh != url:
                    url = fresh
                    continue
            if not exc.retryable or attempt >= policy.attempts:
                if not exc.retryable and not exc.expired:
                    part.unlink(missing_ok=True)
                raise
        await asyncio.sleep(delay)
        delay *= 2
    await asyncio.to_thread(_publish_file, part, final)
    return final, result
