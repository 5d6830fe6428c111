"""Files a user keeps: project bundles, imported media, takes, autosave/recovery and settings.

The names load on first use (PEP 562), so the app's first frame can read ``project.dirs``
without importing pydantic, PIL or PyAV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_studio.lazy import lazy_getattr

if TYPE_CHECKING:
    from kling_studio.project.bundle import Project
    from kling_studio.project.media import MediaError, make_thumbnail, probe
    from kling_studio.project.projectfile import ProjectError
    from kling_studio.project.recovery import autosave, clear_for, discard, pending_recoveries
    from kling_studio.project.settings import AppSettings, load_settings, save_settings

_HOMES = {
    "AppSettings": "settings",
    "MediaError": "media",
    "Project": "bundle",
    "ProjectError": "projectfile",
    "autosave": "recovery",
    "clear_for": "recovery",
    "discard": "recovery",
    "load_settings": "settings",
    "make_thumbnail": "media",
    "pending_recoveries": "recovery",
    "probe": "media",
    "save_settings": "settings",
}

__all__ = [
    "AppSettings",
    "MediaError",
    "Project",
    "ProjectError",
    "autosave",
    "clear_for",
    "discard",
    "load_settings",
    "make_thumbnail",
    "pending_recoveries",
    "probe",
    "save_settings",
]


__getattr__ = lazy_getattr(__name__, _HOMES, globals())
