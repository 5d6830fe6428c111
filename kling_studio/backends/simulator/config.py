"""Configuration of one simulator instance."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _token(prefix: str, nbytes: int) -> str:
    return f"{prefix}{secrets.token_urlsafe(nbytes)}"


@dataclass(frozen=True)
class SimulatorConfig:
    """How a :class:`~kling_studio.backends.simulator.SimulatorServer` behaves.

    Credentials default to fresh random values per instance; ``repr`` never shows them.

    Attributes:
        host: interface to listen on (keep the default loopback unless you know why).
        port: TCP port; 0 picks a free one (read ``SimulatorServer.base_url``).
        api_key: the single console API key accepted as ``Authorization: Bearer <api_key>``.
        access_key: the ``iss`` of accepted HS256 JWTs.
        secret_key: the key those JWTs are signed with.
        require_auth: False accepts any (or no) ``Authorization`` header.
        timeline: seconds a task spends in ``submitted``, then in ``processing``, before its
            final state (a task stays ``processing`` until its video file exists).
        latency: seconds added before every response.
        render: True renders full-size slate videos; False renders tiny (192×108, 4 fps) MP4s of
            the same duration and streams, for fast test suites.
        data_dir: where results are written; None uses a temporary directory removed at stop.
        result_ttl: seconds after creation until a task's result URLs answer 403 (expired).
    """

    host: str = "127.0.0.1"
    port: int = 0
    api_key: str = field(default_factory=lambda: _token("sim-", 24), repr=False)
    access_key: str = field(default_factory=lambda: _token("sim-ak-", 12), repr=False)
    secret_key: str = field(default_factory=lambda: _token("sim-sk-", 32), repr=False)
    require_auth: bool = True
    timeline: tuple[float, float] = (0.3, 1.0)
    latency: float = 0.0
    render: bool = True
    data_dir: Path | str | None = None
    result_ttl: float = 30 * 24 * 3600.0

    def __post_init__(self) -> None:
        if len(self.timeline) != 2 or min(self.timeline) < 0:
            raise ValueError("timeline must be two non-negative numbers of seconds")
        if self.latency < 0 or self.result_ttl < 0:
            raise ValueError("latency and result_ttl must not be negative")
        if len(self.secret_key.encode()) < 32:
            # PyJWT warns on every HS256 check with a shorter key (RFC 7518 §3.2 wants >= 256 bits).
            raise ValueError("secret_key must be at least 32 bytes long")
        if not self.api_key or not self.access_key:
            raise ValueError("api_key and access_key must not be empty")
