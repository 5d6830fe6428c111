"""Exact Kling ``/v1`` request bodies from storyboards, and the reverse check.

* :func:`build_request` turns a storyboard into the exact create call (endpoint, path, body).
* :func:`parse_request` reads a received body back into a storyboard, reporting what the real
  API would refuse; :func:`check_request` adds the rules' errors (the simulator uses both).
"""

from kling_studio.domain.requests.build import build_request, choose_endpoint
from kling_studio.domain.requests.check import api_error, check_request
from kling_studio.domain.requests.inputs import Probe
from kling_studio.domain.requests.model import (
    VIDEO_ENDPOINTS,
    KlingRequest,
    MediaResolver,
    RequestBuildError,
    path_for,
    url_only,
)
from kling_studio.domain.requests.parse import parse_request

__all__ = [
    "VIDEO_ENDPOINTS",
    "KlingRequest",
    "MediaResolver",
    "Probe",
    "RequestBuildError",
    "api_error",
    "build_request",
    "check_request",
    "choose_endpoint",
    "parse_request",
    "path_for",
    "url_only",
]
