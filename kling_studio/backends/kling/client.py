"""The async client of Kling's classic ``/v1`` video API.

One long-lived :class:`httpx.AsyncClient` per base URL, explicit timeouts, typed replies and
typed errors. Reads (task queries, lists) are retried by the :class:`RetryPolicy`. Create calls
are retried only when the request certainly did not create a task (Kling refused it with a
retryable code, or the connection never opened); when the request may have reached Kling, the
call raises :class:`CreateOutcomeUnknownError` and the caller asks by ``external_task_id`` first.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import ssl
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import httpx

from kling_studio.backends.kling.auth import Credentials
from kling_studio.backends.kling.crash import crashpoint
from kling_studio.backends.kling.envelope import parse_envelope
from kling_studio.backends.kling.errors import (
    REMINT_CODES,
    CreateOutcomeUnknownError,
    KlingApiError,
    KlingError,
    KlingNetworkError,
    KlingProtocolError,
)
from kling_studio.backends.kling.models import DownloadResult, TaskInfo
from kling_studio.backends.kling.retry import RetryPolicy
from kling_studio.backends.kling.transfer import ProgressCallback, stream_to_file

log = logging.getLogger(__name__)

REGIONS: dict[str, str] = {
    "global": "https://api-singapore.klingai.com",
    "beijing": "https://api-beijing.klingai.com",
}
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=60.0, pool=30.0)
DOWNLOAD_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=60.0)
DEFAULT_MAX_DOWNLOAD = 2 * 1024**3
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_ENDPOINT = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# A create answered with one of these bare statuses was refused by a gateway before reaching Kling.
_CREATE_SAFE_STATUSES = frozenset({429, 503})


class CreateRequest(Protocol):
    """What :meth:`KlingClient.create` sends (``domain.requests.KlingRequest`` satisfies it)."""

    @property
    def endpoint(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def body(self) -> dict[str, Any]: ...


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context shared by every client.

    Building one (loading the CA bundle) costs ~20 ms of CPU; doing it once, ideally in a worker
    thread (``await asyncio.to_thread(tls_context)``), keeps new clients from stalling the loop.
    """
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - httpx depends on certifi
        return ssl.create_default_context()


def check_base_url(url: str) -> str:
    """``url`` without a trailing slash; https only, except plain http to this machine.

    Raises:
        ValueError: another scheme, or http to a remote host (credentials would travel in clear).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return url.strip().rstrip("/")
    if parts.scheme == "http" and host in _LOOPBACK:
        return url.strip().rstrip("/")
    raise ValueError(
        f"base URL {url!r} is not allowed: use https:// (plain http only to 127.0.0.1, "
        "localhost or [::1], e.g. the simulator)"
    )


def region_url(region: str) -> str:
    try:
        return REGIONS[region]
    except KeyError:
        raise ValueError(f"unknown region {region!r}; choose {', '.join(REGIONS)}") from None


def _endpoint(endpoint: str) -> str:
    if not _ENDPOINT.match(endpoint):
        raise ValueError(f"not a Kling endpoint name: {endpoint!r}")
    return endpoint


def _network_error(exc: httpx.TransportError) -> KlingNetworkError:
    never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    what = "connecting to Kling" if never_sent else "talking to Kling"
    return KlingNetworkError(
        f"Network {kind} while {what} ({type(exc).__name__}); check the connection.",
        sent=not never_sent,
    )


class KlingClient:
    """Async client of one Kling API host.

    Args:
        base_url: ``REGIONS[...]``, a custom https URL, or http://127.0.0.1:PORT (simulator).
        credentials: signs every API call (never sent with result downloads).
        timeout: httpx timeouts of API calls.
        retry: the backoff policy.
        transport: an httpx transport (unit tests of response mapping only).
        sleep: the coroutine used to wait between tries.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._creds = credentials
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout or DEFAULT_TIMEOUT,
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": "kling-studio/0.1"},
            verify=tls_context(),
        )

    async def __aenter__(self) -> KlingClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def __repr__(self) -> str:
        return f"KlingClient({self.base_url!r}, {self._creds!r})"

    # ----- API calls -----

    async def create(self, request: CreateRequest) -> TaskInfo:
        """Send one create call and return the new task.

        Raises:
            CreateOutcomeUnknownError: the request may have reached Kling; ask by external_task_id.
            KlingApiError: Kling refused it (nothing was created).
            KlingNetworkError: the connection never opened (nothing was sent).
        """
        endpoint = _endpoint(request.endpoint)
        data = await self._call("POST", f"/v1/videos/{endpoint}", body=request.body, create=True)
        if not isinstance(data, dict) or not data.get("task_id"):
            raise CreateOutcomeUnknownError(
                KlingError("Kling accepted the create call but sent no task id")
            )
        return TaskInfo.from_data(data)

    async def get(self, endpoint: str, task_id: str) -> TaskInfo:
        """The task ``task_id`` (Kling's id or our external_task_id) of ``endpoint``."""
        path = f"/v1/videos/{_endpoint(endpoint)}/{quote(task_id, safe='')}"
        data = await self._call("GET", path)
        if not isinstance(data, dict):
            raise KlingProtocolError(
                "a task reply without a task", http_status=200, content_type="", head=str(data)
            )
        return TaskInfo.from_data(data)

    async def find(self, endpoint: str, external_task_id: str) -> TaskInfo | None:
        """The task created with ``external_task_id``, or None when Kling has none."""
        try:
            return await self.get(endpoint, external_task_id)
        except KlingApiError as exc:
            if exc.http_status == 404 or exc.code == 1203:
                return None
            raise

    async def list(self, endpoint: str, page: int = 1, size: int = 30) -> list[TaskInfo]:
        """One page of the account's tasks on ``endpoint`` (newest first, as Kling orders)."""
        params = {"pageNum": str(page), "pageSize": str(size)}
        data = await self._call("GET", f"/v1/videos/{_endpoint(endpoint)}", params=params)
        if not isinstance(data, list):
            raise KlingProtocolError(
                "a list reply that is not a list", http_status=200, content_type="", head=""
            )
        return [TaskInfo.from_data(d) for d in data if isinstance(d, dict)]

    async def stream_download(
        self,
        url: str,
        dest_tmp: Path,
        *,
        resume_from: int = 0,
        max_bytes: int = DEFAULT_MAX_DOWNLOAD,
        on_progress: ProgressCallback | None = None,
    ) -> DownloadResult:
        """Stream a result file into ``dest_tmp`` (appending from ``resume_from`` with Range).

        No credential is sent: result URLs are pre-signed CDN links.
        """
        return await stream_to_file(
            self._http,
            url,
            dest_tmp,
            resume_from=resume_from,
            max_bytes=max_bytes,
            on_progress=on_progress,
            timeout=DOWNLOAD_TIMEOUT,
        )

    # ----- transport -----

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        create: bool = False,
    ) -> Any:
        attempt = 0
        reminted = False
        while True:
            attempt += 1
            try:
                return await self._once(method, path, body, params, create)
            except KlingApiError as exc:
                if exc.code in REMINT_CODES and not reminted and self._creds.invalidate():
                    log.info("Kling refused the token (%s); re-minting it", exc.code)
                    reminted = True
                    continue
                error: KlingError = exc
            except KlingProtocolError as exc:
                if create and exc.http_status not in _CREATE_SAFE_STATUSES:
                    raise CreateOutcomeUnknownError(exc) from None
                error = exc
            except KlingNetworkError as exc:
                if create and exc.sent:
                    raise CreateOutcomeUnknownError(exc) from None
                error = exc
            if not self._retry.should_retry(error, attempt):
                raise error
            wait = self._retry.delay(attempt, error.retry_after)
            log.info(
                "%s %s failed (%s); retry %d in %.2f s",
                method,
                path,
                type(error).__name__,
                attempt,
                wait,
            )
            await self._sleep(wait)

    async def _once(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        params: Mapping[str, str] | None,
        create: bool,
    ) -> Any:
        headers = {"Authorization": self._creds.authorization()}
        extensions = {"trace": _after_post_sent} if create else None
        try:
            response = await self._http.request(
                method, path, json=body, params=params, headers=headers, extensions=extensions
            )
        except httpx.TransportError as exc:
            raise _network_error(exc) from None
        log.debug("%s %s -> HTTP %d", method, path, response.status_code)
        return parse_envelope(response, self._creds.secrets())


async def _after_post_sent(event: str, info: Mapping[str, Any]) -> None:
    # httpcore trace: the request body is on the wire, the response not read yet.
    if event == "http11.send_request_body.complete":
        crashpoint("after_post_sent")
