"""The built-in offline Kling API simulator (classic ``/v1`` video API on 127.0.0.1).

Public API:

* :class:`SimulatorServer` / :class:`SimulatorConfig`: run one in-process (``with`` or
  ``start()``/``stop()``), read ``base_url``, inject faults through ``sim.faults``.
* :func:`run_simulator`: the blocking standalone server behind ``kling-studio simulator``.
* :func:`render_storyboard_video` / :class:`RenderInfo`: the slate-video renderer it uses.
"""

from kling_studio.backends.simulator.config import SimulatorConfig
from kling_studio.backends.simulator.faults import KLING_CODES, Faults, http_status_for
from kling_studio.backends.simulator.render import RenderInfo, render_storyboard_video
from kling_studio.backends.simulator.server import SimulatorServer
from kling_studio.backends.simulator.standalone import run_simulator

__all__ = [
    "KLING_CODES",
    "Faults",
    "RenderInfo",
    "SimulatorConfig",
    "SimulatorServer",
    "http_status_for",
    "render_storyboard_video",
    "run_simulator",
]
