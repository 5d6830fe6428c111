"""Storyboards for the pricing tests, built the way the app builds them (``model_validate``)."""

from __future__ import annotations

from typing import Any

from kling_studio.domain.storyboard import Storyboard

VIDEO_HASH = "f" * 16


def image_hash(i: int) -> str:
    return f"{i:016x}"


def board(
    model: str = "kling-v3",
    *,
    mode: str = "std",
    sound: bool = False,
    shots: tuple[int, ...] = (5,),
    voices: int = 0,
    images: int = 0,
    video: str | None = None,
    video_seconds: float | None = 6.0,
    provider: str = "kling",
) -> Storyboard:
    """A storyboard with ``shots`` (seconds each), ``voices`` voices, ``images`` reference
    images and, when ``video`` is "feature" or "base", a reference video of ``video_seconds``.
    """
    assets: list[dict[str, Any]] = [
        {"hash": image_hash(i), "kind": "image", "format": "png", "bytes": 1000}
        for i in range(images)
    ]
    data: dict[str, Any] = {
        "settings": {"model": model, "mode": mode, "sound": sound, "provider": provider},
        "total": sum(shots),
        "shots": [
            {"id": f"s{i}", "prompt": f"Shot {i + 1}", "duration": d} for i, d in enumerate(shots)
        ],
        "voices": [{"voice_id": f"voice-{i}"} for i in range(voices)],
        "reference_images": [image_hash(i) for i in range(images)],
    }
    if video is not None:
        assets.append(
            {
                "hash": VIDEO_HASH,
                "kind": "video",
                "format": "mp4",
                "bytes": 10_000,
                "duration": video_seconds,
            }
        )
        data["reference_video"] = {"asset": VIDEO_HASH, "refer_type": video}
    data["assets"] = assets
    return Storyboard.model_validate(data)
