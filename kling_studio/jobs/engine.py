"""The engine of one process: the ledger, a runner, and the clients it needs, wired together.

Used by the CLI (and, later, the Qt job controller). Jobs sent to the *in-process* simulator are
journalled with the base URL :data:`SIMULATOR_IN_PROCESS`; whenever such a job needs a client,
a simulator is started in this process, keeping its results under ``<data dir>/simulator``.
A simulator's tasks live in its memory: a job left unfinished when its process ended cannot be
followed by the next process's simulator (the job then fails with a message saying so).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_studio.backends.kling.auth import Credentials
from kling_studio.backends.kling.credentials import load_credentials
from kling_studio.jobs.download import DownloadPolicy
from kling_studio.jobs.ledger import Ledger
from kling_studio.jobs.paths import data_dir as default_data_dir
from kling_studio.jobs.policy import PollPolicy
from kling_studio.jobs.runner import Runner

if TYPE_CHECKING:
    from kling_studio.backends.kling.client import KlingClient

log = logging.getLogger(__name__)

SIMULATOR_IN_PROCESS = "simulator:in-process"
"""The ``base_url`` recorded for jobs sent to a simulator started inside the app's process."""


class Engine:
    """Ledger + runner + clients (+ an in-process simulator on demand).

    Args:
        data_dir: where the ledger and the simulator's results live (default: the user data
            dir, or ``KLING_STUDIO_DATA_DIR``).
        concurrency: jobs allowed on Kling at once.
        credentials: returns the credentials for real (non in-process) hosts; called lazily,
            so commands that never talk to Kling never need them.
        simulator_options: extra ``SimulatorConfig`` fields for the in-process simulator.
    """

    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        concurrency: int = 5,
        poll: PollPolicy | None = None,
        download: DownloadPolicy | None = None,
        credentials: Callable[[], Credentials] = load_credentials,
        simulator_options: dict[str, Any] | None = None,
    ) -> None:
        self.data_dir = data_dir or default_data_dir()
        self.ledger = Ledger(self.data_dir / "ledger.sqlite3")
        self._credentials = credentials
        self._cached_credentials: Credentials | None = None
        self._sim_options = simulator_options or {}
        self._sim: Any = None
        self.runner = Runner(
            self.ledger, self.client, concurrency=concurrency, poll=poll, download=download
        )

    @property
    def simulator(self) -> Any:
        """The in-process ``SimulatorServer``, started on first use."""
        if self._sim is None:
            from kling_studio.backends.simulator import SimulatorConfig, SimulatorServer

            options = {"data_dir": self.data_dir / "simulator", **self._sim_options}
            self._sim = SimulatorServer(SimulatorConfig(**options)).start()
            log.info("started the in-process simulator at %s", self._sim.base_url)
        return self._sim

    @property
    def simulator_running(self) -> bool:
        return self._sim is not None

    def client(self, provider: str, base_url: str) -> KlingClient:
        """A new client for a job's provider and base URL (the runner caches and closes it)."""
        # Imported here: httpx and the client cost ~100 ms that the app's start need not pay.
        from kling_studio.backends.kling.client import KlingClient

        if base_url == SIMULATOR_IN_PROCESS:
            sim = self.simulator
            return KlingClient(sim.base_url, Credentials(api_key=sim.config.api_key))
        if self._cached_credentials is None:
            self._cached_credentials = self._credentials()
        return KlingClient(base_url, self._cached_credentials)

    async def aclose(self) -> None:
        """Stop the runner (jobs stay journalled as they are), the simulator, the ledger."""
        await self.runner.aclose()
        if self._sim is not None:
            self._sim.stop()
            self._sim = None
        self.ledger.close()

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
