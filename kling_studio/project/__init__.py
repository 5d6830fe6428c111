"""Files a user keeps: project bundles, imported media, takes, autosave/recovery and settings."""

from kling_studio.project.bundle import Project
from kling_studio.project.media import MediaError, make_thumbnail, probe
from kling_studio.project.projectfile import ProjectError
from kling_studio.project.recovery import autosave, clear_for, discard, pending_recoveries
from kling_studio.project.settings import AppSettings, load_settings, save_settings

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
