"""``kling-studio simulator``: run the simulator in the foreground until Ctrl+C.

With a ``data_dir`` the credentials are kept in ``<data_dir>/credentials.json`` (mode 0600), so a
user pastes them into the app once and they keep working across restarts.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import TextIO

from kling_studio.backends.simulator.config import SimulatorConfig
from kling_studio.backends.simulator.probe import LOOPBACK
from kling_studio.backends.simulator.server import SimulatorServer

STANDALONE_TIMELINE = (2.0, 6.0)
_CREDENTIALS = "credentials.json"


def _credentials(data_dir: Path | None) -> dict[str, str]:
    """Saved credentials of this data dir, or fresh ones (saved when there is a data dir)."""
    fresh = SimulatorConfig()
    creds = {
        "api_key": fresh.api_key,
        "access_key": fresh.access_key,
        "secret_key": fresh.secret_key,
    }
    if data_dir is None:
        return creds
    path = data_dir / _CREDENTIALS
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(saved, dict) and all(isinstance(saved.get(k), str) for k in creds):
            return {k: saved[k] for k in creds}
    except (OSError, ValueError):
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(creds, f, indent=1)
    return creds


def run_simulator(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    data_dir: str | Path | None = None,
    print_credentials: bool = True,
    stop: threading.Event | None = None,
    out: TextIO | None = None,
) -> None:
    """Serve the simulator until Ctrl+C (or until ``stop`` is set).

    Args:
        host: interface to listen on; anything but loopback exposes it to the network.
        port: TCP port (0 picks a free one; the banner shows it).
        data_dir: keep results and credentials there; None uses a temporary folder.
        print_credentials: print the API key and the access/secret keys to paste into the app.
        stop: set it to end the server from another thread (tests, embedding).
        out: where the banner goes (default stdout).
    """
    stream = out or sys.stdout
    folder = Path(data_dir) if data_dir is not None else None
    creds = _credentials(folder)
    config = SimulatorConfig(
        host=host, port=port, data_dir=folder, timeline=STANDALONE_TIMELINE,
        api_key=creds["api_key"], access_key=creds["access_key"], secret_key=creds["secret_key"],
    )  # fmt: skip
    with SimulatorServer(config) as sim:
        print(f"Kling API simulator running at {sim.base_url}", file=stream)
        if host not in LOOPBACK:
            print(f"  warning: listening on {host}, reachable from other machines", file=stream)
        if print_credentials:
            print(f"  API key:    {config.api_key}", file=stream)
            print(f"  Access key: {config.access_key}", file=stream)
            print(f"  Secret key: {config.secret_key}", file=stream)
        print(f"  Results in: {sim.data_dir}", file=stream)
        print("Press Ctrl+C to stop.", file=stream, flush=True)
        event = stop or threading.Event()
        try:
            while not event.wait(0.5):
                pass
        except KeyboardInterrupt:
            print("Stopping the simulator.", file=stream, flush=True)
