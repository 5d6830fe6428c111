"""HTTP/1.1 request handling of the simulator: routes, auth, faults, envelopes, downloads."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kling_studio.backends.simulator.api import (
    MAX_BODY_BYTES,
    ApiError,
    SimulatedApi,
    envelope,
    error_envelope,
)
from kling_studio.backends.simulator.auth import check_authorization
from kling_studio.backends.simulator.download import send_result
from kling_studio.backends.simulator.faults import BEFORE, Route, Rule, http_status_for
from kling_studio.domain.requests import VIDEO_ENDPOINTS

log = logging.getLogger(__name__)

_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


class SimHTTPServer(ThreadingHTTPServer):
    """A threading server with a real listen backlog and no join on daemon handler threads."""

    request_queue_size = 128
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], api: SimulatedApi) -> None:
        self.api = api
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.open_sockets: set[Any] = set()
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-response are normal (timeouts, cancelled downloads).
        log.debug("simulator connection error from %s", client_address, exc_info=True)


class Handler(BaseHTTPRequestHandler):
    """One connection; keeps it alive between requests like a real API front end."""

    protocol_version = "HTTP/1.1"
    server_version = "KlingSimulator/1.0"
    sys_version = ""
    timeout = 60
    server: SimHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.open_sockets.add(self.connection)

    def finish(self) -> None:
        self.server.open_sockets.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("simulator: " + format, *args)

    # ----- routing -----

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        raw = self._read_body()
        self._delay()
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.split("/") if p]
        route = _route(method, parts)
        try:
            if raw is None:
                self.close_connection = True  # the unread body would corrupt the next request
                raise ApiError(1200, f"the request body is larger than {MAX_BODY_BYTES >> 20} MB")
            if route is None:
                raise ApiError(1202, f"{method} {url.path} is not a method of this API")
            if route == "download":
                self._download(parts[1], parse_qs(url.query), head=method == "HEAD")
                return
            rule = self.server.api.faults.take(route, BEFORE)
            if rule is not None:
                self._apply(rule)
                return
            self._authorize()
            self._api(route, parts, raw, parse_qs(url.query))
        except ApiError as exc:
            self._json(exc.status, error_envelope(exc.code, exc.message))
        except OSError:
            self.close_connection = True  # the client hung up, or a result file vanished
        except Exception:
            log.exception("simulator bug while handling %s %s", method, url.path)
            self._json(500, error_envelope(5000, "simulator internal error (see its log)"))

    def _api(
        self, route: Route, parts: list[str], raw: bytes, params: dict[str, list[str]]
    ) -> None:
        api = self.server.api
        if route == "create":
            task = api.create(parts[2], raw)
            self._created(api.created_json(task))
        elif route == "query":
            self._ok(route, envelope(api.query(parts[2], parts[3])))
        else:
            self._ok(route, envelope(api.list(parts[2], params)))

    def _created(self, data: dict[str, Any]) -> None:
        faults = self.server.api.faults
        rule = faults.take("create", ("lose_create_response", "hold_create", "malformed_json"))
        if rule is not None and rule.kind == "lose_create_response":
            self._drop()
            return
        if rule is not None and rule.kind == "hold_create":
            time.sleep(rule.seconds)
        if rule is not None and rule.kind == "malformed_json":
            self._malformed(envelope(data))
            return
        self._json(200, envelope(data))

    def _ok(self, route: Route, payload: dict[str, Any]) -> None:
        if self.server.api.faults.take(route, ("malformed_json",)) is not None:
            self._malformed(payload)
        else:
            self._json(200, payload)

    def _authorize(self) -> None:
        cfg = self.server.api.config
        if not cfg.require_auth:
            return
        error = check_authorization(
            self.headers.get("Authorization"),
            api_key=cfg.api_key,
            access_key=cfg.access_key,
            secret_key=cfg.secret_key,
        )
        if error is not None:
            raise ApiError(error.code, error.message, 401)

    def _download(self, name: str, params: dict[str, list[str]], *, head: bool) -> None:
        api = self.server.api
        rule = api.faults.take("download", BEFORE)
        if rule is not None:
            self._apply(rule)
            return
        send_result(self, api, name, (params.get("token") or [""])[-1], head=head)

    # ----- faults -----

    def _apply(self, rule: Rule) -> None:
        if rule.kind == "http_error":
            self._json(http_status_for(rule.code), error_envelope(rule.code, rule.message))
        elif rule.kind == "status_burst":
            headers = {} if rule.retry_after is None else {"Retry-After": f"{rule.retry_after:g}"}
            text = f"{rule.status} {_reason(rule.status)}\n".encode()
            self.send_raw(rule.status, text, "text/plain; charset=utf-8", headers)
        elif rule.kind == "html_error":
            self.send_raw(rule.status, _HTML_502, "text/html")
        else:
            self._drop()

    def _drop(self) -> None:
        """Hang up without a byte of response (the client sees a dropped connection)."""
        self.close_connection = True

    def _malformed(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_raw(200, body[: max(1, len(body) // 2)], "application/json")

    # ----- low level -----

    def _read_body(self) -> bytes | None:
        """The request body; None when it is too large to read."""
        length = self.headers.get("Content-Length")
        if not length or not length.isdigit():
            return b""
        if int(length) > MAX_BODY_BYTES:
            return None
        return self.rfile.read(int(length))

    def _delay(self) -> None:
        latency = self.server.api.config.latency
        if latency > 0:
            time.sleep(latency)

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_raw(status, body, "application/json; charset=utf-8")

    def send_raw(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _reason(status: int) -> str:
    return BaseHTTPRequestHandler.responses.get(status, ("Error",))[0]


def _route(method: str, parts: list[str]) -> Route | None:
    if len(parts) == 2 and parts[0] == "results" and method in ("GET", "HEAD"):
        return "download"
    if len(parts) < 3 or parts[:2] != ["v1", "videos"] or parts[2] not in VIDEO_ENDPOINTS:
        return None
    if method == "POST" and len(parts) == 3:
        return "create"
    if method == "GET" and len(parts) == 3:
        return "list"
    if method == "GET" and len(parts) == 4:
        return "query"
    return None
