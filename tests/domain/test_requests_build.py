"""Storyboard -> exact Kling /v1 bodies: goldens from kling-api.md §8 and vercel/ai, and invariants.

The helpers at the top (storyboards, assets, resolvers) are shared with the parser tests and the
benchmark.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from kling_studio.domain import rules
from kling_studio.domain.catalog import Catalog, ModelEntry
from kling_studio.domain.findings import has_errors
from kling_studio.domain.requests import (
    KlingRequest,
    RequestBuildError,
    build_request,
    choose_endpoint,
    url_only,
)
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.resources import load_catalog
from tests.domain.strategies import storyboards

GOLDEN = Path(__file__).parent / "golden"

# The 5x5 PNG of kling-api.md §8b, as the raw Base64 the document sends.
DOC_PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAYAAACNbyblAAAAHElEQVQI12P4//8/w38GIAXDIBKE0DHxgljNBAAO9TX"
    "L0Y4OHwAAAABJRU5ErkJggg=="
)

LIGHTHOUSE_SHOTS = [
    ("Wide shot: a lighthouse on a cliff at dawn, waves crashing, slow push-in.", 4),
    ("Medium shot: the keeper, an old man in a yellow raincoat, climbs the spiral stairs.", 3),
    ('Close-up: he lights the lamp; warm glow on his face. He says: "Right on time."', 3),
]
INTELLIGENCE_PROMPT = (
    'A lighthouse keeper climbs to the lamp at dawn and lights it; he says: "Right on time."'
)
OMNI_PROMPT = (
    "Following the handheld camera movement of <<<video_1>>>, the woman from <<<image_1>>> "
    "walks into the café from <<<image_2>>> and sits by the window. Warm morning light. "
    "Avoid: text, watermark."
)


def golden(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    return data


def asset(name: str, kind: str = "image", url: str | None = None, **meta: Any) -> Asset:
    """An asset with plausible probed metadata (a 1280x720 PNG / a 5 s 1280x720 MP4)."""
    defaults: dict[str, Any] = (
        {"format": "png", "bytes": 200_000, "width": 1280, "height": 720}
        if kind == "image"
        else {"format": "mp4", "bytes": 5_000_000, "width": 1280, "height": 720}
        | {"duration": 5.0, "fps": 24.0}
    )
    return Asset.model_validate(
        {
            "hash": hashlib.sha256(name.encode()).hexdigest(),
            "kind": kind,
            "url": url,
            "name": name,
            **defaults,
            **meta,
        }
    )


def storyboard(**fields: Any) -> Storyboard:
    """A storyboard from plain data; ``shots`` may be (prompt, seconds) pairs."""
    shots = fields.pop("shots", [("A sunset over the ocean", 5)])
    fields["shots"] = [
        s if isinstance(s, dict) else {"id": f"s{i}", "prompt": s[0], "duration": s[1]}
        for i, s in enumerate(shots, start=1)
    ]
    fields.setdefault("total", sum(s["duration"] for s in fields["shots"]))
    return Storyboard.model_validate(fields)


def lighthouse(**settings: Any) -> Storyboard:
    """kling-api.md §8a: three customize shots, kling-v3 pro, sound on, 16:9, 10 s."""
    base = {
        "model": "kling-v3",
        "mode": "pro",
        "sound": True,
        "aspect_ratio": "16:9",
        "negative_prompt": "blurry, watermark, text overlay",
    }
    return storyboard(settings=base | settings, shots=LIGHTHOUSE_SHOTS)


def cafe() -> tuple[Storyboard, dict[str, str]]:
    """kling-api.md §8b: Omni, one URL image, one local image, a feature video; and inlines."""
    anna = asset("anna_front.png", url="https://cdn.example.com/anna_front.png")
    local = asset("cafe.png", width=1024, height=768)
    video = asset("ref_handheld.mp4", "video", url="https://cdn.example.com/ref_handheld.mp4")
    sb = storyboard(
        settings={"model": "kling-v3-omni", "mode": "pro", "sound": False, "aspect_ratio": "16:9"},
        shots=[(OMNI_PROMPT, 8)],
        reference_images=[anna.hash, local.hash],
        reference_video={"asset": video.hash, "refer_type": "feature"},
        assets=[anna, local, video],
    )
    return sb, {local.hash: DOC_PNG_B64}


def inline_from(inlined: dict[str, str]) -> Any:
    """A media resolver: the asset's URL, else its Base64 from ``inlined``."""

    def media(a: Asset) -> str | None:
        return a.url or inlined.get(a.hash)

    return media


CATALOG = load_catalog()
KLING_MODELS = [m.vendor_id for m in CATALOG.surface("kling")]


def entry(model: str, catalog: Catalog = CATALOG) -> ModelEntry:
    found = catalog.kling(model)
    assert found is not None
    return found


def wire_fields(model: str, endpoint: str) -> set[str]:
    """Every top-level body field ``model`` takes on ``endpoint``, per the catalog."""
    e = entry(model)
    names = {p.name.partition(".")[0] for p in e.parameters if e.takes(p.key, endpoint)}
    return names | {"model_name"}


# ----- goldens (compared as parsed JSON) -----


def test_8a_three_shot_text2video_is_the_documented_body() -> None:
    want = golden("kling_8a_text2video_multishot.json")
    req = build_request(lighthouse(), CATALOG, external_task_id="proj42-scene07-take1")
    assert (req.endpoint, req.path) == (want["endpoint"], "/v1/videos/text2video")
    assert req.body == want["body"]
    assert json.loads(req.to_json()) == want["body"]


def test_8a_image2video_variant_sends_the_start_frame_and_no_aspect_ratio() -> None:
    want = golden("kling_8a_image2video_multishot.json")
    start = asset("lighthouse_start.png", url="https://cdn.example.com/lighthouse_start.png")
    sb = lighthouse().model_dump()
    sb |= {"start_frame": start.hash, "assets": [start.model_dump()]}
    req = build_request(
        Storyboard.model_validate(sb), CATALOG, external_task_id="proj42-scene07-take1"
    )
    assert req.endpoint == want["endpoint"] == "image2video"
    assert req.path == "/v1/videos/image2video"
    assert req.body == want["body"]


def test_8a_intelligence_variant_sends_the_storyboard_prompt_and_no_multi_prompt() -> None:
    want = golden("kling_8a_text2video_intelligence.json")
    sb = lighthouse(shot_type="intelligence").model_dump() | {"prompt": INTELLIGENCE_PROMPT}
    req = build_request(
        Storyboard.model_validate(sb), CATALOG, external_task_id="proj42-scene07-take1"
    )
    assert req.endpoint == want["endpoint"]
    assert req.body == want["body"]


def test_intelligence_with_a_single_shot_is_still_multi_shot() -> None:
    sb = storyboard(
        settings={"model": "kling-v3", "shot_type": "intelligence"},
        prompt="A fox runs through snow",
        shots=[("", 8)],
    )
    body = build_request(sb, CATALOG).body
    assert body["multi_shot"] is True
    assert body["shot_type"] == "intelligence"
    assert body["prompt"] == "A fox runs through snow"
    assert "multi_prompt" not in body


def test_8b_omni_inlines_the_local_image_as_raw_base64() -> None:
    want = golden("kling_8b_omni_references.json")
    sb, inlined = cafe()
    req = build_request(
        sb, CATALOG, external_task_id="proj42-scene08-take1", media=inline_from(inlined)
    )
    assert (req.endpoint, req.path) == ("omni-video", "/v1/videos/omni-video")
    assert req.model_name == "kling-v3-omni"
    assert req.body == want["body"]


def test_vercel_strict_body_is_exact() -> None:
    want = golden("vercel_strict_text2video.json")
    sb = storyboard(settings={"model": "kling-v2-6", "mode": "std", "aspect_ratio": "16:9"})
    req = build_request(sb, CATALOG)
    assert req.endpoint == want["endpoint"]
    assert req.body == want["body"]
    assert next(iter(req.body)) == "model_name"


def _vercel_partial(case: str) -> tuple[Storyboard, dict[str, Any]]:
    part: dict[str, Any] = golden("vercel_partial_bodies.json")[case]
    if case == "multi_shot_customize":
        shots = [("A sunrise over mountains", 4), ("A bird flying across the sky", 3)]
        return storyboard(settings={"model": "kling-v3"}, shots=shots), part
    if case == "voice_list":
        settings = {"model": "kling-v3", "sound": True}
        return storyboard(settings=settings, voices=[{"voice_id": "voice-abc"}]), part
    if case == "element_list":
        start = asset("start.png", url="https://cdn.example.com/start.png")
        elements = [{"element_id": "101"}, {"element_id": "202"}]
        sb = storyboard(start_frame=start.hash, assets=[start], elements=elements)
        return sb, part
    return storyboard(settings={"watermark": True}), part


@pytest.mark.parametrize(
    "case", ["multi_shot_customize", "voice_list", "element_list", "watermark"]
)
def test_vercel_partial_bodies_are_subsets(case: str) -> None:
    sb, part = _vercel_partial(case)
    body = build_request(sb, CATALOG).body
    assert {k: body.get(k) for k in part} == part


# ----- shape of the body -----


def test_single_customize_shot_sends_its_prompt_and_no_multi_shot_fields() -> None:
    sb = storyboard(settings={"model": "kling-v3"}, shots=[("A red kite over dunes", 6)])
    body = build_request(sb, CATALOG).body
    assert body["prompt"] == "A red kite over dunes"
    assert not {"multi_shot", "shot_type", "multi_prompt"} & set(body)
    assert body["duration"] == "6"


def test_model_name_comes_first_and_external_task_id_last() -> None:
    body = build_request(lighthouse(watermark=True), CATALOG, external_task_id="t-1").body
    keys = list(body)
    assert keys[0] == "model_name"
    assert keys[-2:] == ["watermark_info", "external_task_id"]
    assert body["watermark_info"] == {"enabled": True}


def test_no_watermark_or_external_id_unless_asked() -> None:
    body = build_request(lighthouse(), CATALOG).body
    assert "watermark_info" not in body
    assert "external_task_id" not in body


def test_64_bit_element_id_survives_json_exactly() -> None:
    start = asset("s.png", url="https://cdn.example.com/s.png")
    sb = storyboard(
        start_frame=start.hash, assets=[start], elements=[{"element_id": "829836802793406551"}]
    )
    req = build_request(sb, CATALOG)
    assert req.endpoint == "image2video"
    assert '"element_id":829836802793406551' in req.to_json()
    assert '"element_id": 829836802793406551' in json.dumps(req.body)
    decoded = json.loads(req.to_json())["element_list"][0]["element_id"]
    assert decoded == 829836802793406551
    assert float(decoded) != decoded  # a double would have rounded it


def test_image2video_frames_mask_elements_and_voices() -> None:
    a, b, m = (asset(n, url=f"https://cdn.example.com/{n}") for n in ("a.png", "b.png", "m.png"))
    sb = storyboard(
        settings={"model": "kling-v3", "sound": True, "aspect_ratio": "9:16"},
        start_frame=a.hash,
        end_frame=b.hash,
        static_mask=m.hash,
        voices=[{"voice_id": "v1"}, {"voice_id": "v2"}],
        assets=[a, b, m],
    )
    req = build_request(sb, CATALOG)
    assert req.endpoint == "image2video"
    assert req.body["image"] == a.url
    assert req.body["image_tail"] == b.url
    assert req.body["static_mask"] == m.url
    assert req.body["voice_list"] == [{"voice_id": "v1"}, {"voice_id": "v2"}]
    assert "aspect_ratio" not in req.body


def test_end_frame_alone_makes_an_image2video_request() -> None:
    b = asset("b.png", url="https://cdn.example.com/b.png")
    req = build_request(storyboard(end_frame=b.hash, assets=[b]), CATALOG)
    assert req.endpoint == "image2video"
    assert req.body["image_tail"] == b.url
    assert "image" not in req.body


def test_choose_endpoint() -> None:
    img = asset("i.png", url="https://x.example/i.png")
    plain = storyboard()
    framed = storyboard(start_frame=img.hash, assets=[img])
    assert choose_endpoint(plain, entry("kling-v3")) == "text2video"
    assert choose_endpoint(framed, entry("kling-v3")) == "image2video"
    assert choose_endpoint(plain, entry("kling-v3-omni")) == "omni-video"
    assert choose_endpoint(framed, entry("kling-video-o1")) == "omni-video"


def test_omni_image_list_order_is_references_then_first_then_end_frame() -> None:
    refs = [asset(f"r{i}.png", url=f"https://cdn.example.com/r{i}.png") for i in range(3)]
    first = asset("first.png", url="https://cdn.example.com/first.png")
    last = asset("last.png", url="https://cdn.example.com/last.png")
    sb = storyboard(
        settings={"model": "kling-v3-omni"},
        end_frame=last.hash,
        start_frame=first.hash,
        reference_images=[r.hash for r in refs],
        elements=[{"element_id": "7"}],
        assets=[last, first, *reversed(refs)],
    )
    body = build_request(sb, CATALOG).body
    assert body["image_list"] == [
        {"image_url": "https://cdn.example.com/r0.png"},
        {"image_url": "https://cdn.example.com/r1.png"},
        {"image_url": "https://cdn.example.com/r2.png"},
        {"image_url": "https://cdn.example.com/first.png", "type": "first_frame"},
        {"image_url": "https://cdn.example.com/last.png", "type": "end_frame"},
    ]
    assert body["element_list"] == [{"element_id": 7}]
    assert "aspect_ratio" not in body  # the first frame decides it


def test_omni_base_video_editing_has_no_duration_and_no_aspect_ratio() -> None:
    video = asset("edit.mp4", "video", url="https://cdn.example.com/edit.mp4")
    sb = storyboard(
        settings={"model": "kling-v3-omni", "mode": "std"},
        shots=[("Make it snow", 5)],
        reference_video={"asset": video.hash, "refer_type": "base", "keep_original_sound": True},
        assets=[video],
    )
    body = build_request(sb, CATALOG).body
    assert body["video_list"] == [
        {"video_url": video.url, "refer_type": "base", "keep_original_sound": "yes"}
    ]
    assert body["sound"] == "off"
    assert "duration" not in body
    assert "aspect_ratio" not in body


def test_omni_multi_shot_customize() -> None:
    sb = storyboard(settings={"model": "kling-v3-omni"}, shots=[("one", 2), ("two", 3)])
    body = build_request(sb, CATALOG).body
    assert body["multi_shot"] is True
    assert body["prompt"] == ""
    assert [s["duration"] for s in body["multi_prompt"]] == ["2", "3"]
    assert body["duration"] == "5"


@pytest.mark.parametrize(
    ("model", "mode", "sound"),
    [
        ("kling-v2-6", "std", None),  # V2.6 std has no audio option at all
        ("kling-v2-6", "pro", "on"),
        ("kling-v3", "std", "on"),
        ("kling-v2-5-turbo", "pro", None),
        ("kling-video-o1", "pro", None),
    ],
)
def test_sound_is_sent_only_where_the_model_and_mode_have_it(
    model: str, mode: str, sound: str | None
) -> None:
    settings = {"model": model, "mode": mode, "sound": True}
    body = build_request(storyboard(settings=settings), CATALOG).body
    assert body.get("sound") == sound


def test_sound_off_is_sent_explicitly_where_sound_exists() -> None:
    body = build_request(storyboard(settings={"model": "kling-v3"}), CATALOG).body
    assert body["sound"] == "off"


def test_negative_prompt_and_cfg_scale_only_where_taken() -> None:
    settings = {"negative_prompt": "blur", "cfg_scale": 0.3}
    v16 = build_request(storyboard(settings=settings | {"model": "kling-v1-6"}), CATALOG).body
    v3 = build_request(storyboard(settings=settings | {"model": "kling-v3"}), CATALOG).body
    omni = build_request(storyboard(settings=settings | {"model": "kling-v3-omni"}), CATALOG).body
    assert (v16["negative_prompt"], v16["cfg_scale"]) == ("blur", 0.3)
    assert v3["negative_prompt"] == "blur"
    assert "cfg_scale" not in v3
    assert "negative_prompt" not in omni
    assert "cfg_scale" not in omni
    empty = build_request(storyboard(settings={"model": "kling-v1-6"}), CATALOG).body
    assert "negative_prompt" not in empty
    assert "cfg_scale" not in empty


def _everything_for(model: str) -> Storyboard:
    """Every setting set, and every attachment the model takes somewhere."""
    e = entry(model)
    imgs = {n: asset(f"{n}.png", url=f"https://cdn.example.com/{n}.png") for n in "abcm"}
    video = asset("v.mp4", "video", url="https://cdn.example.com/v.mp4")
    multi = e.constraints.max_shots > 1
    fields: dict[str, Any] = {
        "settings": {
            "model": model,
            "mode": e.enum("mode")[-1],
            "sound": True,
            "negative_prompt": "blur",
            "cfg_scale": 0.4,
            "watermark": True,
            "aspect_ratio": "1:1",
        },
        "shots": [("one", 2), ("two", 3)] if multi else [("one", 5)],
        "assets": [*imgs.values(), video],
    }
    slots = {"start_frame": "a", "end_frame": "b", "static_mask": "m"}
    fields |= {slot: imgs[n].hash for slot, n in slots.items() if e.takes(slot)}
    if e.takes("reference_images"):
        fields["reference_images"] = [imgs["c"].hash]
    if e.takes("reference_video"):
        fields["reference_video"] = {"asset": video.hash, "refer_type": "feature"}
    if e.takes("elements"):
        fields["elements"] = [{"element_id": "829836802793406551"}]
    if e.takes("voices") and not e.takes("elements"):
        fields["voices"] = [{"voice_id": "v"}]
    return storyboard(**fields)


@pytest.mark.parametrize("model", KLING_MODELS)
@pytest.mark.parametrize("rich", [False, True])
def test_no_field_a_model_does_not_take(model: str, rich: bool) -> None:
    sb = _everything_for(model) if rich else lighthouse(model=model, cfg_scale=0.5, watermark=True)
    if not rich and entry(model).constraints.max_shots == 1:
        sb = storyboard(settings=sb.settings.model_dump())
    req = build_request(sb, CATALOG, external_task_id="x-1")
    assert req.endpoint in entry(model).kling.endpoints  # type: ignore[union-attr]
    assert set(req.body) <= wire_fields(model, req.endpoint)
    assert isinstance(req.body["duration"], str)
    assert req.body["external_task_id"] == "x-1"


# ----- what cannot be built -----


def test_reference_video_without_url_is_refused_even_with_inlined_bytes() -> None:
    video = asset("clip.mp4", "video")
    sb = storyboard(
        settings={"model": "kling-v3-omni"},
        reference_video={"asset": video.hash},
        assets=[video],
    )
    with pytest.raises(RequestBuildError, match="only takes reference videos by URL") as info:
        build_request(sb, CATALOG, media=inline_from({video.hash: "AAAA"}))
    assert "clip.mp4" in str(info.value)


def test_local_image_without_url_needs_a_resolver() -> None:
    local = asset("frame.png")
    sb = storyboard(start_frame=local.hash, assets=[local])
    with pytest.raises(RequestBuildError, match="neither a URL nor readable bytes"):
        build_request(sb, CATALOG)
    body = build_request(sb, CATALOG, media=inline_from({local.hash: "iVBORw=="})).body
    assert body["image"] == "iVBORw=="


def test_a_data_uri_from_the_resolver_is_sent_as_bare_base64() -> None:
    local = asset("frame.png")
    sb = storyboard(start_frame=local.hash, assets=[local])
    body = build_request(sb, CATALOG, media=lambda a: "data:image/png;base64,iVBORw==").body
    assert body["image"] == "iVBORw=="


@pytest.mark.parametrize(
    ("model", "fields", "match"),
    [
        ("kling-v2-6", {"shots": [("a", 5), ("b", 5)]}, "one shot per request"),
        ("kling-video-o1", {"shots": [("a", 5), ("b", 5)]}, "one shot per request"),
        ("kling-v3", {"reference_images": ["IMG"]}, "does not take reference images"),
        ("kling-v2-6", {"elements": [{"element_id": "1"}]}, "does not take elements"),
        ("kling-v2-5-turbo", {"voices": [{"voice_id": "v"}]}, "does not take voices"),
        ("kling-v3-omni", {"voices": [{"voice_id": "v"}]}, "does not take voices"),
        ("kling-v3-omni", {"static_mask": "IMG"}, "does not take static mask"),
        ("kling-v3", {"reference_video": {"asset": "VID"}}, "does not take a reference video"),
    ],
)
def test_attachments_a_model_cannot_take_are_refused(
    model: str, fields: dict[str, Any], match: str
) -> None:
    img = asset("i.png", url="https://cdn.example.com/i.png")
    vid = asset("v.mp4", "video", url="https://cdn.example.com/v.mp4")
    data = json.loads(json.dumps(fields).replace("IMG", img.hash).replace("VID", vid.hash))
    sb = storyboard(settings={"model": model}, assets=[img, vid], **data)
    with pytest.raises(RequestBuildError, match=match):
        build_request(sb, CATALOG)


def test_unknown_model_is_refused_with_the_known_ones() -> None:
    with pytest.raises(RequestBuildError, match="kling-v3-omni"):
        build_request(storyboard(settings={"model": "kling-v9"}), CATALOG)


def test_request_is_frozen_and_default_media_is_url_only() -> None:
    req = build_request(storyboard(), CATALOG)
    assert isinstance(req, KlingRequest)
    with pytest.raises(AttributeError):
        req.endpoint = "omni-video"  # type: ignore[misc]
    assert url_only(asset("x.png", url="https://e.example/x.png")) == "https://e.example/x.png"
    assert url_only(asset("x.png")) is None


@settings(max_examples=120, deadline=None)
@given(storyboards())
def test_any_storyboard_is_refused_or_sends_only_fields_the_model_takes(sb: Storyboard) -> None:
    """Over the shared (mostly rule-breaking) storyboards: never a stray field or crash."""
    clean = not has_errors(rules.check(sb, CATALOG))
    try:
        req = build_request(sb, CATALOG, external_task_id="t", media=lambda a: a.url or "QUJD")
    except RequestBuildError as exc:
        assert not clean, f"a storyboard the rules accept was refused: {exc}"
        return
    assert set(req.body) <= wire_fields(req.model_name, req.endpoint)
    assert isinstance(req.body.get("duration", ""), str)
    json.loads(req.to_json())
