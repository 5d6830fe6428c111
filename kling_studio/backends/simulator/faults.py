"""Fault injection: make the simulator misbehave the ways the real API and networks do.

Every method queues a rule; counted rules apply to the next ``count`` matching requests and are
then used up. When several queued rules match a request, the oldest applies first. All methods
are thread-safe and may be called while clients are talking to the server.

Request selectors (``endpoint=``): ``"create"`` (POST /v1/videos/*), ``"query"`` (GET one task),
``"list"`` (GET a task list), ``"download"`` (GET /results/…), ``"any"``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

Selector = Literal["create", "query", "list", "download", "any"]
Route = Literal["create", "query", "list", "download"]
_SELECTORS = ("create", "query", "list", "download", "any")

# Official HTTP status of every Kling code (kling-api.md §4) and its usual message.
KLING_CODES: dict[int, tuple[int, str]] = {
    1000: (401, "Authentication failed"),
    1001: (401, "Authorization is empty"),
    1002: (401, "Authorization is invalid"),
    1003: (401, "Authorization is not yet valid"),
    1004: (401, "Authorization has expired"),
    1100: (429, "Account exception"),
    1101: (429, "Account in arrears (postpaid)"),
    1102: (429, "Resource pack depleted or expired"),
    1103: (403, "Unauthorized access to requested resource, such as API/model"),
    1200: (400, "Invalid request parameters"),
    1201: (400, "Invalid parameters, such as incorrect key or illegal value"),
    1202: (404, "The requested method is invalid"),
    1203: (404, "The requested resource does not exist, such as model"),
    1300: (400, "Trigger strategy of the platform"),
    1301: (400, "Trigger the content security policy of the platform"),
    1302: (429, "The API request is too fast, exceeding the platform's rate limit"),
    1303: (429, "parallel task over resource pack limit"),
    1304: (429, "Trigger the platform's IP whitelisting policy"),
    5000: (500, "Server internal error"),
    5001: (503, "Server temporarily unavailable, usually due to maintenance"),
    5002: (504, "Server internal timeout, usually due to a backlog"),
}


def http_status_for(code: int) -> int:
    """The HTTP status the real API answers a Kling ``code`` with (400 for unlisted codes)."""
    return KLING_CODES.get(code, (400, ""))[0]


@dataclass
class Rule:
    """One queued fault (what the server reads when it applies it)."""

    kind: str
    endpoint: Selector
    count: int
    code: int = 0
    status: int = 0
    message: str = ""
    retry_after: float | None = None
    seconds: float = 0.0
    at_bytes: int = 0

    def matches(self, route: Route) -> bool:
        return self.endpoint in ("any", route)


# Faults that replace the whole exchange before the request is handled.
BEFORE = ("http_error", "status_burst", "drop_connection", "html_error")


class Faults:
    """The fault-injection API of one simulator (``sim.faults``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self._failures: list[str] = []
        self._rate: float | None = None
        self._expired = False

    # ----- the public API -----

    def http_error(
        self, code: int, count: int = 1, endpoint: Selector = "any", message: str | None = None
    ) -> None:
        """Answer with a Kling error envelope and the official HTTP status for ``code``."""
        text = message or KLING_CODES.get(code, (400, "Error"))[1]
        self._add(Rule("http_error", endpoint, count, code=code, message=text))

    def status_burst(
        self,
        status: int,
        count: int = 1,
        endpoint: Selector = "any",
        retry_after: float | None = None,
    ) -> None:
        """Answer with a bare HTTP ``status`` (no Kling envelope), optionally with Retry-After."""
        if not 400 <= status <= 599:
            raise ValueError("status_burst takes an HTTP error status (400-599)")
        self._add(Rule("status_burst", endpoint, count, status=status, retry_after=retry_after))

    def drop_connection(self, count: int = 1, endpoint: Selector = "any") -> None:
        """Close the connection without any response (nothing is created)."""
        self._add(Rule("drop_connection", endpoint, count))

    def lose_create_response(self, count: int = 1) -> None:
        """Create the task, then close the connection instead of answering."""
        self._add(Rule("lose_create_response", "create", count))

    def hold_create(self, seconds: float, count: int = 1) -> None:
        """Create the task, then wait ``seconds`` before answering."""
        self._add(Rule("hold_create", "create", count, seconds=seconds))

    def malformed_json(self, count: int = 1, endpoint: Selector = "any") -> None:
        """Handle the request normally (a create does create its task), but cut the JSON short."""
        self._add(Rule("malformed_json", endpoint, count))

    def html_error(self, count: int = 1, endpoint: Selector = "any", status: int = 502) -> None:
        """Answer like a broken gateway: an HTML error page with ``status``."""
        self._add(Rule("html_error", endpoint, count, status=status))

    def fail_tasks(
        self, count: int = 1, message: str = "Failure to pass the risk control system"
    ) -> None:
        """The next ``count`` created tasks end ``failed`` with ``task_status_msg = message``."""
        with self._lock:
            self._failures.extend([message] * count)

    def slow_download(self, bytes_per_second: float | None) -> None:
        """Throttle every download to ``bytes_per_second`` (None or 0 removes the limit)."""
        with self._lock:
            self._rate = bytes_per_second or None

    def truncate_download(self, count: int = 1, at_bytes: int = 1024) -> None:
        """Announce the full length but close the connection after ``at_bytes`` body bytes."""
        self._add(Rule("truncate_download", "download", count, at_bytes=at_bytes))

    def expire_results(self) -> None:
        """From now on every result URL answers 403 like an expired CDN link."""
        with self._lock:
            self._expired = True

    def clear(self) -> None:
        """Remove every queued fault, throttle and expiry."""
        with self._lock:
            self._rules.clear()
            self._failures.clear()
            self._rate = None
            self._expired = False

    # ----- what the server asks -----

    def take(self, route: Route, kinds: tuple[str, ...]) -> Rule | None:
        """Use up one application of the oldest queued rule of ``kinds`` matching ``route``."""
        with self._lock:
            for rule in self._rules:
                if rule.kind in kinds and rule.matches(route):
                    rule.count -= 1
                    if rule.count <= 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def take_failure(self) -> str | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    @property
    def download_rate(self) -> float | None:
        with self._lock:
            return self._rate

    @property
    def expired(self) -> bool:
        with self._lock:
            return self._expired

    def _add(self, rule: Rule) -> None:
        if rule.endpoint not in _SELECTORS:
            raise ValueError(f"endpoint must be one of {', '.join(_SELECTORS)}")
        if rule.count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._rules.append(rule)
