"""Hypothesis strategies and plain builders for storyboards, shared by the domain tests.

``storyboards()`` draws valid :class:`Storyboard` objects over every storyboard model of the
shipped catalog (plus, rarely, an unknown one): 1-6 shots with random whole-second durations,
random modes, aspect ratios, sound, prompts of random length with random ``<<<…_N>>>`` tags,
random assets in random slots, elements and voices, all within the structural caps. Many of them
break model rules on purpose: the rules must describe them, never crash on them.

``board()``, ``image()`` and ``video()`` build one storyboard by hand for unit tests;
``catalog_with()`` changes one model's limits to prove rules read them from the catalog.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.findings import Finding
from kling_studio.domain.storyboard import (
    MAX_ELEMENTS,
    MAX_REFERENCE_IMAGES,
    MAX_SHOTS,
    MAX_TOTAL,
    MAX_VOICES,
    Asset,
    Storyboard,
)
from kling_studio.resources import load_catalog, load_providers

CATALOG = load_catalog()
PROVIDERS = load_providers()
MODEL_NAMES = tuple(m.vendor_id for m in CATALOG.storyboard_models())
PROVIDER_NAMES = PROVIDERS.names()

_SETTINGS = {
    "model",
    "provider",
    "aspect_ratio",
    "mode",
    "sound",
    "negative_prompt",
    "cfg_scale",
    "shot_type",
    "watermark",
}
_MB = 1024 * 1024

# ----------------------------------------------------------------------------- plain builders


def image(n: int = 1, **fields: Any) -> Asset:
    """A valid 1280×720 PNG asset; ``n`` makes the hash unique."""
    data: dict[str, Any] = {
        "hash": f"{n:04x}" * 8,
        "kind": "image",
        "format": "png",
        "bytes": 2 * _MB,
        "width": 1280,
        "height": 720,
        "name": f"image{n}.png",
    }
    data.update(fields)
    return Asset.model_validate(data)


def video(n: int = 100, **fields: Any) -> Asset:
    """A valid 5 s 1280×720 25 fps MP4 asset reachable by URL."""
    data: dict[str, Any] = {
        "hash": f"{n:04x}" * 8,
        "kind": "video",
        "format": "mp4",
        "bytes": 20 * _MB,
        "width": 1280,
        "height": 720,
        "duration": 5.0,
        "fps": 25.0,
        "url": f"https://cdn.example.com/clip{n}.mp4",
        "name": f"clip{n}.mp4",
    }
    data.update(fields)
    return Asset.model_validate(data)


def board(
    durations: tuple[int, ...] = (5,),
    prompts: tuple[str, ...] | None = None,
    **fields: Any,
) -> Storyboard:
    """A storyboard; settings may be given flat (``model=…``), slots as Asset objects.

    ``reference_video`` takes an Asset (``refer_type=`` sets its use); ``elements`` and
    ``voices`` take plain id strings.
    """
    settings = {k: fields.pop(k) for k in list(fields) if k in _SETTINGS}
    prompts = prompts or tuple(f"shot {i + 1}: a red fox runs" for i in range(len(durations)))
    assets: dict[str, Asset] = {a.hash: a for a in fields.pop("assets", ())}
    data: dict[str, Any] = {
        "total": sum(durations),
        "shots": [
            {"id": f"s{i + 1}", "prompt": p, "duration": d}
            for i, (p, d) in enumerate(zip(prompts, durations, strict=True))
        ],
        "settings": settings,
    }
    for slot in ("start_frame", "end_frame", "static_mask"):
        if fields.get(slot) is not None:
            asset = fields.pop(slot)
            assets[asset.hash] = asset
            data[slot] = asset.hash
    if "reference_images" in fields:
        refs = fields.pop("reference_images")
        assets.update((a.hash, a) for a in refs)
        data["reference_images"] = [a.hash for a in refs]
    if fields.get("reference_video") is not None:
        asset = fields.pop("reference_video")
        assets[asset.hash] = asset
        data["reference_video"] = {
            "asset": asset.hash,
            "refer_type": fields.pop("refer_type", "feature"),
        }
    data["elements"] = [{"element_id": e} for e in fields.pop("elements", ())]
    data["voices"] = [{"voice_id": v} for v in fields.pop("voices", ())]
    data.update(fields)
    data["assets"] = list(assets.values())
    return Storyboard.model_validate(data)


def catalog_with(
    model: str,
    params: dict[str, dict[str, Any]] | None = None,
    constraints: dict[str, Any] | None = None,
) -> Catalog:
    """The shipped catalog with one model's parameters (by key) or constraints changed."""
    models = []
    for m in CATALOG.models:
        data = m.model_dump()
        if m.surface == "kling" and m.vendor_id == model:
            for p in data["parameters"]:
                p.update((params or {}).get(p["key"], {}))
            data["constraints"].update(constraints or {})
        models.append(data)
    return Catalog.model_validate({"models": models})


def found(findings: tuple[Finding, ...], code: str, path: str | None = None) -> list[Finding]:
    """The findings of ``code`` (at ``path``, when given)."""
    return [f for f in findings if f.code == code and (path is None or f.path == path)]


# ------------------------------------------------------------------------------- strategies

_HEX = "0123456789abcdef"
_TAGS = st.builds(
    lambda kind, n: f"<<<{kind}_{n}>>>",
    st.sampled_from(["image", "element", "voice", "video"]),
    st.integers(0, 9),
)


def prompts(max_len: int = 700) -> st.SearchStrategy[str]:
    """Text of random length (often near the 512/2500 limits) with random tags mixed in."""
    lengths = st.one_of(
        st.integers(0, 40), st.integers(500, 520), st.integers(0, max_len), st.just(0)
    )
    return st.builds(
        lambda n, tags, blank: (" " if blank else "") + "a" * n + " ".join(tags),
        lengths,
        st.lists(_TAGS, max_size=3),
        st.booleans(),
    )


@st.composite
def assets(draw: st.DrawFn, kind: str | None = None) -> Asset:
    """An asset of any kind (or ``kind``), with metadata in and out of Kling's limits."""
    k = kind or draw(st.sampled_from(["image", "image", "video", "audio"]))
    formats = {"image": ["png", "jpg", "jpeg", "webp"], "video": ["mp4", "mov", "mkv"]}
    maybe = st.none() | st.integers(100, 4200)
    timed = k != "image"
    return Asset(
        hash=draw(st.text(_HEX, min_size=64, max_size=64)),
        kind=k,
        format=draw(st.sampled_from(formats.get(k, ["mp3", "wav"]))),
        bytes=draw(st.integers(0, 300 * _MB)),
        width=draw(maybe),
        height=draw(maybe),
        duration=draw(st.none() | st.floats(0, 20, allow_nan=False)) if timed else None,
        fps=draw(st.none() | st.floats(1, 120, allow_nan=False)) if timed else None,
        url=draw(st.none() | st.just("https://cdn.example.com/f")),
        name=draw(st.sampled_from(["", "file"])),
    )


@st.composite
def durations(draw: st.DrawFn) -> tuple[int, ...]:
    """1-6 whole-second shots summing to a total of at most 15 s."""
    n = draw(st.integers(1, MAX_SHOTS))
    total = draw(st.integers(n, MAX_TOTAL))
    if n == 1:
        return (total,)
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=n - 1, max_size=n - 1)))
    edges = [0, *cuts, total]
    return tuple(b - a for a, b in itertools.pairwise(edges))


@st.composite
def storyboards(draw: st.DrawFn, models: tuple[str, ...] = MODEL_NAMES) -> Storyboard:
    """A valid storyboard that may break any model or provider rule."""
    lengths = draw(durations())
    pool = draw(st.lists(assets(), max_size=12, unique_by=lambda a: a.hash))
    settings = {
        "model": draw(st.sampled_from((*models, "kling-v9"))),
        "provider": draw(st.sampled_from((*PROVIDER_NAMES, "kling", "kling", "nowhere"))),
        "aspect_ratio": draw(st.sampled_from(["16:9", "9:16", "1:1", "4:3"])),
        "mode": draw(st.sampled_from(["std", "pro", "4k", "8k"])),
        "sound": draw(st.booleans()),
        "negative_prompt": draw(st.sampled_from(["", "blur", "n" * 2600])),
        "cfg_scale": draw(st.none() | st.floats(0, 1)),
        "shot_type": draw(st.sampled_from(["customize", "customize", "intelligence"])),
    }
    data: dict[str, Any] = {
        "total": sum(lengths),
        "prompt": draw(prompts(2600)),
        "shots": [
            {"id": f"s{i}", "prompt": draw(prompts()), "duration": d} for i, d in enumerate(lengths)
        ],
        "settings": settings,
        "assets": pool,
        "elements": [
            {"element_id": str(e)}
            for e in draw(st.sets(st.integers(1, 2**63), max_size=MAX_ELEMENTS))
        ],
        "voices": [
            {"voice_id": v} for v in draw(st.lists(st.sampled_from("abc"), max_size=MAX_VOICES))
        ],
    }
    if pool:
        data |= draw(_slots(pool))
    return Storyboard.model_validate(data)


@st.composite
def _slots(draw: st.DrawFn, pool: list[Asset]) -> dict[str, Any]:
    hashes = [a.hash for a in pool]
    images = [a.hash for a in pool if a.kind == "image"] or hashes
    videos = [a.hash for a in pool if a.kind == "video"] or hashes
    # Mostly the right kind of asset for the slot, sometimes any asset, often nothing.
    frame = st.none() | st.sampled_from(images) | st.sampled_from(hashes)
    video = st.builds(
        lambda h, t, keep: {"asset": h, "refer_type": t, "keep_original_sound": keep},
        st.sampled_from(videos) | st.sampled_from(hashes),
        st.sampled_from(["feature", "base"]),
        st.booleans(),
    )
    return {
        "start_frame": draw(frame),
        "end_frame": draw(frame),
        "static_mask": draw(st.none() | frame),
        "reference_images": draw(
            st.lists(st.sampled_from(images), unique=True, max_size=MAX_REFERENCE_IMAGES)
        ),
        "reference_video": draw(st.none() | video),
    }
