"""A received Kling ``/v1`` body -> Storyboard, with the problems the real API would answer.

The simulator uses this to accept or reject create calls the way Kling does (1200 / 1201), and to
price accepted bodies from the storyboard they describe. Body-level problems (types, enums,
required fields, malformed ``multi_prompt``) are found here; model-level rules (allowed totals,
reference counts, media limits …) are :mod:`kling_studio.domain.rules`' job, see
:func:`check_request`.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kling_studio.domain.catalog import Catalog, ModelEntry
from kling_studio.domain.findings import Finding
from kling_studio.domain.requests.inputs import Attachments, Probe, read_attachments
from kling_studio.domain.requests.model import VIDEO_ENDPOINTS
from kling_studio.domain.requests.reader import INVALID_REQUEST, Reader
from kling_studio.domain.requests.shots import SECONDS, max_chars, read_shots
from kling_studio.domain.storyboard import MAX_TOTAL, MIN_TOTAL, Storyboard

# The API's own defaults when model_name is left out (kling-api.md §2).
_DEFAULT_MODEL = {
    "text2video": "kling-v1",
    "image2video": "kling-v1",
    "omni-video": "kling-video-o1",
}


def parse_request(
    endpoint: str, body: Any, catalog: Catalog, probe: Probe
) -> tuple[Storyboard | None, list[Finding]]:
    """Read a create body sent to ``/v1/videos/<endpoint>`` back into a storyboard.

    Args:
        endpoint: ``text2video``, ``image2video`` or ``omni-video``.
        body: the decoded JSON body.
        catalog: the model catalog.
        probe: turns an image/video URL or raw Base64 into a probed Asset (None: unreadable).

    Returns:
        The storyboard the body describes (None when the body has any error) and the findings,
        codes ``API1200``/``API1201`` with wire paths; warnings are fields the API ignores.
    """
    r = Reader()
    if endpoint not in VIDEO_ENDPOINTS:
        r.error("endpoint", f"/v1/videos/{endpoint} is not a video creation endpoint", "API1202")
        return None, r.findings
    if not isinstance(body, dict):
        r.error("body", "the request body must be a JSON object", INVALID_REQUEST)
        return None, r.findings
    # JSON null means "not sent" everywhere, as for the real API's optional fields.
    body = {k: v for k, v in body.items() if v is not None}
    entry = _model(r, endpoint, body, catalog)
    if entry is None:
        return None, r.findings
    _ignored_fields(r, body, entry, endpoint)
    media = read_attachments(r, body, entry, endpoint, probe)
    settings = _settings(r, body, entry, endpoint, media)
    total = _total(r, body, entry, media)
    story = read_shots(r, body, entry, endpoint, total)
    if r.failed or total is None or story is None:
        return None, r.findings
    settings["shot_type"] = story.pop("shot_type", "customize")
    data = {
        "title": str(body.get("external_task_id") or "Received request")[:200],
        "settings": settings,
        "total": total,
        **story,
        "start_frame": media.start_frame,
        "end_frame": media.end_frame,
        "static_mask": media.static_mask,
        "elements": media.elements,
        "voices": media.voices,
        "reference_images": media.reference_images,
        "reference_video": media.reference_video,
        "assets": list(media.assets.values()),
    }
    try:
        return Storyboard.model_validate(data), r.findings
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "body"
        r.error(where, f"invalid request: {where}: {err['msg']}")
        return None, r.findings


def _model(r: Reader, endpoint: str, body: dict[str, Any], catalog: Catalog) -> ModelEntry | None:
    name = r.string(body, "model_name")
    if "model_name" in body and name is None:
        return None
    name = name or _DEFAULT_MODEL[endpoint]
    entry = catalog.kling(name)
    if entry is None or entry.kling is None or endpoint not in entry.kling.endpoints:
        offered = ", ".join(
            m.vendor_id
            for m in catalog.storyboard_models()
            if m.kling and endpoint in m.kling.endpoints
        )
        shown = name if "model_name" in body else f"{name} (the default)"
        r.error(
            "model_name",
            f"model_name {shown} is not supported on {endpoint}; use one of: {offered}",
        )
        return None
    return entry


def _ignored_fields(r: Reader, body: dict[str, Any], entry: ModelEntry, endpoint: str) -> None:
    """Warn about fields the model does not take here: the real API silently ignores them."""
    known = {"model_name"}
    known.update(p.name.partition(".")[0] for p in entry.parameters if entry.takes(p.key, endpoint))
    for key in body:
        if key not in known:
            r.warn(
                key, f"{key} is not a parameter of {entry.vendor_id} on {endpoint}; it is ignored"
            )


def _param_default(entry: ModelEntry, key: str, fallback: str) -> str:
    param = entry.param(key)
    return str(param.default) if param is not None and param.default is not None else fallback


def _settings(
    r: Reader, body: dict[str, Any], entry: ModelEntry, endpoint: str, media: Attachments
) -> dict[str, Any]:
    def takes(key: str) -> bool:
        return entry.takes(key, endpoint)

    mode = r.string(body, "mode", allowed=entry.enum("mode")) if takes("mode") else None
    sound = r.string(body, "sound", allowed=("on", "off")) if takes("sound") else None
    ratio = None
    if takes("aspect_ratio"):
        ratio = r.string(body, "aspect_ratio", allowed=entry.enum("aspect_ratio"))
        framed = media.start_frame is not None or media.editing
        if "aspect_ratio" not in body and endpoint == "omni-video" and not framed:
            r.missing("aspect_ratio", " unless a first_frame image or a base video is given")
    negative = None
    if takes("negative_prompt"):
        negative = r.string(body, "negative_prompt", max_chars=max_chars(entry, "negative_prompt"))
    cfg = None
    param = entry.param("cfg_scale")
    if param is not None and takes("cfg_scale"):
        cfg = r.number(body, "cfg_scale", param.minimum, param.maximum)
    for key in ("external_task_id", "callback_url"):
        if takes(key):
            r.string(body, key)
    return {
        "model": entry.vendor_id,
        "mode": mode or _param_default(entry, "mode", "std"),
        "sound": sound == "on",
        "aspect_ratio": ratio or _param_default(entry, "aspect_ratio", "16:9"),
        "negative_prompt": negative or "",
        "cfg_scale": cfg,
        "watermark": _watermark(r, body) if takes("watermark") else False,
    }


def _watermark(r: Reader, body: dict[str, Any]) -> bool:
    value = body.get("watermark_info")
    if value is None:
        return False
    if not isinstance(value, dict):
        r.error(
            "watermark_info",
            'watermark_info must be an object such as {"enabled": true}',
            INVALID_REQUEST,
        )
        return False
    return bool(r.boolean(value, "enabled", "watermark_info.enabled"))


def _total(r: Reader, body: dict[str, Any], entry: ModelEntry, media: Attachments) -> int | None:
    if media.editing:
        # Editing bills (and lasts) the rounded input duration; a sent duration is ignored.
        if "duration" in body:
            r.warn("duration", "duration is ignored when editing a base video (refer_type base)")
        seconds = media.video_seconds
        return min(MAX_TOTAL, max(MIN_TOTAL, int(seconds + 0.5))) if seconds else 5
    value = r.string(body, "duration", example="5")
    if value is None:
        return None if "duration" in body else int(_param_default(entry, "duration", "5"))
    allowed = entry.enum("duration")
    if allowed and value not in allowed:
        r.error(
            "duration",
            f'duration "{value}" is not supported by {entry.vendor_id}; use one of: '
            + ", ".join(f'"{a}"' for a in allowed),
        )
        return None
    if not SECONDS.match(value) or not MIN_TOTAL <= int(value) <= MAX_TOTAL:
        r.error("duration", f'duration must be a whole number of seconds, e.g. "5" (got "{value}")')
        return None
    return int(value)
