"""Which ``/v1/videos`` endpoint a storyboard goes to: one answer for the rules and the builder."""

from __future__ import annotations

from kling_studio.domain.catalog import ModelEntry
from kling_studio.domain.storyboard import Storyboard


def endpoint_for(storyboard: Storyboard, entry: ModelEntry) -> str:
    """Omni models have one endpoint; otherwise image2video with a frame, else text2video.

    Kling's image2video needs ``image`` or ``image_tail``, so a frame decides it; elements or a
    static mask alone do not (the rules report those as needing a start frame, and the builder
    refuses to send them on text2video).
    """
    endpoints = entry.kling.endpoints if entry.kling is not None else ()
    if "omni-video" in endpoints:
        return "omni-video"
    has_frame = storyboard.start_frame is not None or storyboard.end_frame is not None
    if has_frame and "image2video" in endpoints:
        return "image2video"
    if "text2video" in endpoints:
        return "text2video"
    return endpoints[0] if endpoints else "text2video"
