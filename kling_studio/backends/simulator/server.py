"""The offline Kling API simulator: a real HTTP server on this machine.

It speaks the official classic ``/v1`` video API (kling-api.md §1-§4): the create endpoints,
task query by ``task_id`` or ``external_task_id``, task lists, status timelines, Kling error
envelopes with their official HTTP statuses, and downloadable MP4 results. A new user can run
the whole app against it without an account; tests use it as real loopback HTTP.

Example::

    with SimulatorServer(SimulatorConfig(render=False)) as sim:
        httpx.post(f"{sim.base_url}/v1/videos/text2video", json=body,
                   headers={"Authorization": f"Bearer {sim.config.api_key}"})
"""

from __future__ import annotations

import contextlib
import socket
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from kling_studio.backends.simulator.api import SimulatedApi
from kling_studio.backends.simulator.config import SimulatorConfig
from kling_studio.backends.simulator.faults import Faults
from kling_studio.backends.simulator.handler import SimHTTPServer
from kling_studio.backends.simulator.state import TaskStore
from kling_studio.backends.simulator.worker import RenderWorker
from kling_studio.resources import load_catalog, load_rate_card


class SimulatorServer:
    """One simulator instance, served from background threads of this process.

    Attributes:
        config: the configuration it runs with (credentials included).
        faults: the fault-injection API (see :class:`~.faults.Faults`).
    """

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.faults = Faults()
        self._store = TaskStore()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._httpd: SimHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._worker: RenderWorker | None = None

    # ----- lifecycle -----

    def start(self) -> SimulatorServer:
        """Bind the port and start serving; returns self. Raises OSError if the port is taken."""
        if self._httpd is not None:
            raise RuntimeError("the simulator is already running")
        data_dir = self._data_dir()
        worker = RenderWorker(self._store, data_dir, draft=not self.config.render)
        api = SimulatedApi(
            config=self.config,
            store=self._store,
            faults=self.faults,
            worker=worker,
            catalog=load_catalog(),
            card=load_rate_card("kling"),
        )
        try:
            httpd = SimHTTPServer((self.config.host, self.config.port), api)
        except OSError:
            worker.stop()
            self._cleanup_tmp()
            raise
        self._httpd, self._worker = httpd, worker
        api.base_url = self.base_url
        worker.start()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="sim-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections, cancel renders and remove the temporary data."""
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            for sock in list(httpd.open_sockets):
                _hang_up(sock)
            httpd.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
        self._cleanup_tmp()

    def _cleanup_tmp(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _data_dir(self) -> Path:
        if self.config.data_dir is not None:
            path = Path(self.config.data_dir)
            path.mkdir(parents=True, exist_ok=True)
            return path
        self._tmp = tempfile.TemporaryDirectory(prefix="kling-sim-")
        return Path(self._tmp.name)

    # ----- what tests and the app read -----

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the simulator is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (what a client uses as its base URL)."""
        host = self.config.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    @property
    def data_dir(self) -> Path:
        if self._worker is None:
            raise RuntimeError("the simulator is not running")
        return self._worker.data_dir

    def tasks(self) -> list[dict[str, Any]]:
        """Every task created so far, oldest first, as plain dicts (see ``Task.snapshot``)."""
        now = time.monotonic()
        with self._store.lock:
            return [t.snapshot(now) for t in self._store.all()]

    def count_tasks(self, external_task_id: str | None = None) -> int:
        """How many tasks were created (for ``external_task_id``, when given)."""
        if external_task_id is None:
            return len(self._store.all())
        return self._store.count_external(external_task_id)


def _hang_up(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
