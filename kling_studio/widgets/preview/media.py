"""Lazy access to QtMultimedia, and the narrow silencing of its harmless log lines.

QtMultimedia is imported only when a take is actually shown, so the rest of the app starts (and
imports) without it: on Linux it needs the PulseAudio client library (``libpulse.so.0``), and a
machine without it must still be able to storyboard.

Log lines measured on Debian 12, PySide6 6.11.3, FFmpeg backend 7.1.5, no sound server, no GPU:

* ``qt.multimedia.symbolsresolver`` (WARNING) "Couldn't load/resolve pipewire-0.3 / va-x11 /
  va-drm / va library": optional PipeWire and VA-API libraries probed when the library loads;
  without them Qt uses PulseAudio and software decoding, which is what we want. Silenced.
* ``qt.multimedia.ffmpeg.mediadataholder`` (WARNING) "Could not open media. FFmpeg error
  description: …": an unreadable file; the same failure reaches ``QMediaPlayer.errorOccurred``,
  which the player shows to the user. Silenced.
* In the ``default`` category (so not filterable without hiding every other warning of the app),
  listed in :data:`HEADLESS_WARNINGS` for test runners to ignore by exact text:
  "PulseAudioService: pa_context_connect() failed" (no sound server; once per process, when audio
  devices are first listed) and "… No RHI backend. Using CPU conversion." (no GPU: offscreen or
  a bare VM; once per thread, when the first frame is converted). The ``offscreen`` platform
  adds "This plugin does not support propagateSizeHints()" / "… raise()" when the video
  widget's native window is shown or raised. None of them appears on a desktop with a sound
  server and a GPU.
* "No audio device detected" (``default``, on every play with a ``QAudioOutput`` but no device)
  is avoided instead: the player only attaches audio once a device exists.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import NamedTuple

from PySide6.QtCore import QLoggingCategory

LOG_RULES = "\n".join(
    (
        "qt.multimedia.symbolsresolver.warning=false",
        "qt.multimedia.ffmpeg.mediadataholder.warning=false",
    )
)

HEADLESS_WARNINGS = (
    r"^PulseAudioService: pa_context_connect\(\) failed$",
    r"No RHI backend\. Using CPU conversion\.$",
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$",
)

PULSE_HINT = "Video playback needs the PulseAudio client library (Debian: libpulse0)."


class Multimedia(NamedTuple):
    """The two QtMultimedia modules, once importable."""

    core: ModuleType  # PySide6.QtMultimedia
    widgets: ModuleType  # PySide6.QtMultimediaWidgets


def load_multimedia() -> Multimedia | str:
    """The QtMultimedia modules, or a sentence for the user saying why video cannot play.

    The log rules are set first because some of the lines are printed while the library loads.
    ``QLoggingCategory.setFilterRules`` replaces earlier rules set through the API: a composition
    root that sets its own rules must include :data:`LOG_RULES`.
    """
    QLoggingCategory.setFilterRules(LOG_RULES)
    try:
        core = importlib.import_module("PySide6.QtMultimedia")
        widgets = importlib.import_module("PySide6.QtMultimediaWidgets")
    except ImportError as exc:
        return describe_import_error(exc)
    return Multimedia(core, widgets)


def describe_import_error(exc: ImportError) -> str:
    """A message a user can act on for a failed QtMultimedia import."""
    if "libpulse" in str(exc):
        return PULSE_HINT
    return f"Video playback is unavailable: QtMultimedia could not be loaded ({exc})."
