"""Types shared by the request builder and the request parser.

A :class:`KlingRequest` is the exact HTTP call the app will make for a storyboard: which endpoint,
which path, and the JSON body byte-for-byte as Kling's classic ``/v1`` API expects it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kling_studio.domain.storyboard import Asset

VIDEO_ENDPOINTS = ("text2video", "image2video", "omni-video")

MediaResolver = Callable[[Asset], "str | None"]
"""Returns the value Kling receives for an asset: its URL, or its raw Base64 (no ``data:``)."""


class RequestBuildError(ValueError):
    """The storyboard cannot be expressed as a request; the message says what to change."""


@dataclass(frozen=True, slots=True)
class KlingRequest:
    """One create call on Kling's classic ``/v1`` video API.

    Attributes:
        endpoint: ``text2video``, ``image2video`` or ``omni-video``.
        path: the URL path, ``/v1/videos/<endpoint>``.
        model_name: the official ``model_name`` the body carries.
        body: the exact JSON body (element ids are Python ints, so ``json.dumps`` keeps every
            digit of a 64-bit id).
    """

    endpoint: str
    path: str
    model_name: str
    body: dict[str, Any]

    def to_json(self) -> str:
        """The body as compact UTF-8 JSON, as it goes on the wire."""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":"))


def path_for(endpoint: str) -> str:
    return f"/v1/videos/{endpoint}"


def url_only(asset: Asset) -> str | None:
    """The default media resolver: assets are sent by URL only (never inlined)."""
    return asset.url
