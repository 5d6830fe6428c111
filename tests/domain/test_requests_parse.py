"""Received body -> Storyboard + the findings the real API would answer (1200/1201), round trips."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kling_studio.domain import rules
from kling_studio.domain.findings import Finding, has_errors
from kling_studio.domain.requests import (
    api_error,
    build_request,
    check_request,
    parse_request,
)
from kling_studio.domain.storyboard import Asset, Storyboard
from tests.domain.test_requests_build import (
    CATALOG,
    DOC_PNG_B64,
    INTELLIGENCE_PROMPT,
    KLING_MODELS,
    LIGHTHOUSE_SHOTS,
    asset,
    entry,
    golden,
    inline_from,
)

START = asset("lighthouse_start.png")
ANNA = asset("anna_front.png")
CAFE = asset("cafe.png", width=1024, height=768)
HANDHELD = asset("ref_handheld.mp4", "video", duration=6.4)
KNOWN: dict[str, Asset] = {
    "https://cdn.example.com/lighthouse_start.png": START,
    "https://cdn.example.com/anna_front.png": ANNA,
    DOC_PNG_B64: CAFE,
    "https://cdn.example.com/ref_handheld.mp4": HANDHELD,
}


def probe(value: str) -> Asset | None:
    """What a media probe would say about a value (URL or Base64); None when unreadable."""
    return KNOWN.get(value)


def parse(endpoint: str, body: Any) -> tuple[Storyboard | None, list[Finding]]:
    return parse_request(endpoint, body, CATALOG, probe)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def only_error(endpoint: str, body: Any) -> Finding:
    sb, findings = parse(endpoint, body)
    assert sb is None
    found = errors(findings)
    assert len(found) == 1, found
    return found[0]


def lighthouse_body() -> dict[str, Any]:
    return copy.deepcopy(golden("kling_8a_text2video_multishot.json")["body"])


def strict_body() -> dict[str, Any]:
    return copy.deepcopy(golden("vercel_strict_text2video.json")["body"])


# ----- golden bodies read back -----


def test_8a_body_reads_back_into_the_three_shot_storyboard() -> None:
    sb, findings = parse("text2video", lighthouse_body())
    assert findings == []
    assert sb is not None
    assert sb.settings.model == "kling-v3"
    assert (sb.settings.mode, sb.settings.sound, sb.total) == ("pro", True, 10)
    assert [(s.prompt, s.duration) for s in sb.shots] == LIGHTHOUSE_SHOTS
    assert sb.settings.negative_prompt == "blurry, watermark, text overlay"


def test_8a_image2video_body_probes_the_start_frame_and_keeps_its_url() -> None:
    sb, findings = parse("image2video", golden("kling_8a_image2video_multishot.json")["body"])
    assert findings == []
    assert sb is not None
    assert sb.start_frame == START.hash
    assert sb.asset(START.hash).url == "https://cdn.example.com/lighthouse_start.png"


def test_intelligence_body_keeps_the_prompt() -> None:
    sb, findings = parse("text2video", golden("kling_8a_text2video_intelligence.json")["body"])
    assert findings == []
    assert sb is not None
    assert sb.settings.shot_type == "intelligence"
    assert sb.prompt == INTELLIGENCE_PROMPT
    assert sb.total == 10


def test_8b_omni_body_reads_back_into_references_in_order() -> None:
    sb, findings = parse("omni-video", golden("kling_8b_omni_references.json")["body"])
    assert findings == []
    assert sb is not None
    assert sb.reference_images == (ANNA.hash, CAFE.hash)
    assert sb.asset(CAFE.hash).url is None  # it came inline
    assert sb.reference_video is not None
    assert sb.reference_video.refer_type == "feature"
    assert not sb.reference_video.keep_original_sound
    assert (sb.settings.model, sb.total, sb.settings.sound) == ("kling-v3-omni", 8, False)


def test_build_of_the_parsed_8b_body_is_the_same_body() -> None:
    body = golden("kling_8b_omni_references.json")["body"]
    sb, _ = parse("omni-video", body)
    assert sb is not None
    again = build_request(
        sb,
        CATALOG,
        external_task_id="proj42-scene08-take1",
        media=inline_from({CAFE.hash: DOC_PNG_B64}),
    )
    assert again.body == body


# ----- body-level problems, in the API's words -----


def test_integer_duration_is_the_classic_400() -> None:
    body = strict_body() | {"duration": 5}
    f = only_error("text2video", body)
    assert (f.code, f.path) == ("API1200", "duration")
    assert f.message == 'duration must be a string, e.g. "5"'


def test_duration_the_model_does_not_offer() -> None:
    f = only_error("text2video", strict_body() | {"duration": "7"})
    assert f.code == "API1201"
    assert '"7"' in f.message
    assert '"5", "10"' in f.message


def test_unknown_model_for_the_endpoint() -> None:
    f = only_error("text2video", strict_body() | {"model_name": "kling-v3-omni"})
    assert (f.code, f.path) == ("API1201", "model_name")
    assert "kling-v3-omni is not supported on text2video" in f.message
    assert "kling-v3" in f.message.partition("use one of")[2]


def test_missing_model_name_means_the_api_default() -> None:
    body = strict_body()
    del body["model_name"]
    f = only_error("text2video", body)
    assert "kling-v1 (the default)" in f.message


def test_multi_shot_without_shot_type() -> None:
    body = lighthouse_body()
    del body["shot_type"]
    f = only_error("text2video", body)
    assert f.message == "shot_type is required when multi_shot is true"


def test_customize_without_multi_prompt() -> None:
    body = lighthouse_body()
    del body["multi_prompt"]
    f = only_error("text2video", body)
    assert (f.code, f.path) == ("API1200", "multi_prompt")


def test_multi_shot_as_a_string_is_refused() -> None:
    f = only_error("text2video", lighthouse_body() | {"multi_shot": "true"})
    assert f.path == "multi_shot"
    assert "boolean" in f.message


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"index": 5}, "multi_prompt", "indexes must be 1 to 3"),
        ({"duration": 4}, "multi_prompt[0].duration", "must be a string"),
        ({"duration": "0"}, "multi_prompt[0].duration", "whole number of seconds >= 1"),
        ({"duration": "2.5"}, "multi_prompt[0].duration", "whole number of seconds"),
        ({"index": "1"}, "multi_prompt[0].index", "must be an integer"),
    ],
)
def test_malformed_multi_prompt_items(change: dict[str, Any], path: str, words: str) -> None:
    body = lighthouse_body()
    body["multi_prompt"][0] |= change
    f = only_error("text2video", body)
    assert f.path == path
    assert words in f.message


def test_shot_durations_must_add_up_to_duration() -> None:
    body = lighthouse_body()
    body["multi_prompt"][0]["duration"] = "5"
    f = only_error("text2video", body)
    assert f.message == (
        'the multi_prompt durations add up to 11 s but duration is "10"; they must be equal'
    )


def test_more_than_six_shots() -> None:
    body = lighthouse_body() | {"duration": "7"}
    body["multi_prompt"] = [{"index": i, "prompt": "x", "duration": "1"} for i in range(1, 8)]
    f = only_error("text2video", body)
    assert f.message == "multi_prompt takes at most 6 items (got 7)"


def test_prompt_missing_when_required() -> None:
    body = strict_body()
    del body["prompt"]
    assert only_error("text2video", body).message == "prompt is required when multi_shot is false"
    intelligent = golden("kling_8a_text2video_intelligence.json")["body"] | {"prompt": ""}
    assert "intelligence" in only_error("text2video", intelligent).message


def test_prompt_lengths_are_the_api_limits() -> None:
    f = only_error("text2video", strict_body() | {"prompt": "x" * 2501})
    assert f.message == "prompt must be at most 2500 characters (got 2501)"
    body = lighthouse_body()
    body["multi_prompt"][2]["prompt"] = "y" * 513
    f = only_error("text2video", body)
    assert (f.path, f.code) == ("multi_prompt[2].prompt", "API1201")
    assert "at most 512 characters" in f.message


def test_sound_must_be_on_or_off() -> None:
    f = only_error("text2video", lighthouse_body() | {"sound": True})
    assert f.message == "sound must be a string"
    f = only_error("text2video", lighthouse_body() | {"sound": "yes"})
    assert f.message == 'sound must be one of "on", "off" (got "yes")'


def test_data_uri_images_are_refused() -> None:
    body = golden("kling_8a_image2video_multishot.json")["body"]
    body = body | {"image": "data:image/png;base64," + DOC_PNG_B64}
    f = only_error("image2video", body)
    assert (f.code, f.path) == ("API1201", "image")
    assert 'without a "data:" prefix' in f.message


def test_unreadable_image_and_missing_image() -> None:
    body = golden("kling_8a_image2video_multishot.json")["body"]
    f = only_error("image2video", body | {"image": "https://cdn.example.com/404.png"})
    assert f.message.startswith("image could not be read as image")
    del body["image"]
    assert only_error("image2video", body).path == "image"


def test_overlong_image_url_is_a_finding_not_a_crash() -> None:
    body = golden("kling_8a_image2video_multishot.json")["body"]
    long_url = "https://cdn.example.com/" + "a" * 5000
    f = parse_request("image2video", body | {"image": long_url}, CATALOG, lambda v: START)[1][0]
    assert (f.severity, f.path) == ("error", "image")


def test_reference_video_must_be_a_url() -> None:
    body = copy.deepcopy(golden("kling_8b_omni_references.json")["body"])
    body["video_list"][0]["video_url"] = DOC_PNG_B64
    f = only_error("omni-video", body)
    assert f.path == "video_list[0].video_url"
    assert "Base64" in f.message


def test_omni_needs_aspect_ratio_without_a_first_frame() -> None:
    body = copy.deepcopy(golden("kling_8b_omni_references.json")["body"])
    del body["aspect_ratio"]
    assert only_error("omni-video", body).path == "aspect_ratio"
    body["image_list"][1]["type"] = "first_frame"
    sb, findings = parse("omni-video", body)
    assert findings == []
    assert sb is not None
    assert sb.start_frame == CAFE.hash
    assert sb.reference_images == (ANNA.hash,)


def test_base_video_editing_takes_its_length_from_the_video() -> None:
    body = copy.deepcopy(golden("kling_8b_omni_references.json")["body"])
    body["video_list"][0]["refer_type"] = "base"
    del body["aspect_ratio"]
    sb, findings = parse("omni-video", body)
    assert [f.path for f in findings] == ["duration"]  # a warning: the API ignores it
    assert not has_errors(findings)
    assert sb is not None
    assert sb.total == 6  # the 6.4 s input, rounded


def test_fields_the_endpoint_ignores_are_warnings_only() -> None:
    body = strict_body() | {"cfg_scale": 0.5, "image": "https://x.example/a.png", "foo": 1}
    sb, findings = parse("text2video", body)
    assert sb is not None
    assert {f.path for f in findings} == {"cfg_scale", "image", "foo"}
    assert all(f.severity == "warning" and f.code == "API1200" for f in findings)
    assert "it is ignored" in findings[0].message


def test_quoted_element_id_is_read_with_a_warning() -> None:
    body = golden("kling_8a_image2video_multishot.json")["body"]
    body = body | {"element_list": [{"element_id": "829836802793406551"}, {"element_id": 7}]}
    sb, findings = parse("image2video", body)
    assert sb is not None
    assert [e.element_id for e in sb.elements] == ["829836802793406551", "7"]
    assert [f.path for f in findings] == ["element_list[0].element_id"]
    f = only_error("image2video", body | {"element_list": [{"element_id": 1.5}]})
    assert f.path == "element_list[0].element_id"


@pytest.mark.parametrize("body", [[], "x", None, 3])
def test_body_must_be_an_object(body: Any) -> None:
    assert only_error("text2video", body).message == "the request body must be a JSON object"


def test_api_error_picks_the_first_error() -> None:
    _, findings = parse("text2video", strict_body() | {"duration": 5, "foo": 1})
    assert api_error(findings) == (1200, 'duration must be a string, e.g. "5"')
    assert api_error([]) is None
    rule = Finding(code="KS-X", severity="error", path="total", message="too long")
    assert api_error([rule]) == (1201, "too long")


def test_check_request_reports_body_errors_without_rules() -> None:
    found = check_request("text2video", strict_body() | {"duration": 5}, CATALOG, probe)
    assert [f.code for f in found] == ["API1200"]


@pytest.mark.parametrize(
    "name",
    [
        "kling_8a_text2video_multishot.json",
        "kling_8a_image2video_multishot.json",
        "kling_8a_text2video_intelligence.json",
        "kling_8b_omni_references.json",
        "vercel_strict_text2video.json",
    ],
)
def test_golden_bodies_pass_the_whole_check(name: str) -> None:
    want = golden(name)
    assert errors(check_request(want["endpoint"], want["body"], CATALOG, probe)) == []


def test_check_request_adds_the_rules_errors() -> None:
    body = golden("kling_8b_omni_references.json")["body"] | {"sound": "on"}
    sb, findings = parse("omni-video", body)
    assert sb is not None
    assert findings == []
    found = check_request("omni-video", body, CATALOG, probe)
    assert has_errors(found)
    assert api_error(found) is not None


# ----- round trip -----

_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)


def _split(draw: Callable[..., Any], total: int, parts: int) -> list[int]:
    if parts == 1:
        return [total]
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def buildable(draw: Callable[..., Any]) -> tuple[Storyboard, dict[str, Asset]]:
    """A storyboard close to valid for a random kling model, plus how its media is sent."""
    model = draw(st.sampled_from(KLING_MODELS))
    e = entry(model)
    omni = e.kling is not None and "omni-video" in e.kling.endpoints
    mode = draw(st.sampled_from(e.enum("mode")))
    images = [asset(f"img{i}.png", url=f"https://cdn.example.com/{i}.png") for i in range(4)]
    images += [asset(f"local{i}.png") for i in range(3)]
    video = asset("ref.mp4", "video", url="https://cdn.example.com/ref.mp4")
    fields: dict[str, Any] = {"assets": [*images, video]}
    pick = st.sampled_from(images)
    refer = draw(st.sampled_from([None, "feature", "base"])) if e.takes("reference_video") else None
    multi_ok = e.takes("multi_shot") and refer != "base"
    multi = multi_ok and draw(st.booleans())
    if e.takes("start_frame") and not multi and refer != "base" and draw(st.booleans()):
        fields["start_frame"] = draw(pick).hash
        if e.takes("end_frame") and draw(st.booleans()):
            fields["end_frame"] = draw(pick.filter(lambda a: a.hash != fields["start_frame"])).hash
    if omni:
        refs = draw(st.lists(pick, max_size=2, unique_by=lambda a: a.hash))
        fields["reference_images"] = [a.hash for a in refs]
        if refer:
            fields["reference_video"] = {"asset": video.hash, "refer_type": refer}
    durations = e.durations
    if refer and e.constraints.durations_with_reference_video:
        durations = e.constraints.durations_with_reference_video
    if not omni or not (refer or fields.get("reference_images") or fields.get("start_frame")):
        durations = e.constraints.durations_without_references or durations
    total = 5 if refer == "base" else draw(st.sampled_from(durations))
    count = draw(st.integers(2, min(e.constraints.max_shots, total))) if multi else 1
    intelligence = multi and draw(st.booleans())
    prompts = draw(st.lists(_TEXT, min_size=count, max_size=count))
    fields["shots"] = [
        {"id": f"s{i}", "prompt": p, "duration": d}
        for i, (p, d) in enumerate(zip(prompts, _split(draw, total, count), strict=True))
    ]
    sound_ok = mode in e.constraints.sound_modes and (
        not refer or e.constraints.sound_with_reference_video
    )
    sound = sound_ok and draw(st.booleans())
    if e.takes("elements") and (omni or "start_frame" in fields):
        ids = st.integers(0, 2**63 - 1).map(lambda i: {"element_id": str(i)})
        fields["elements"] = draw(st.lists(ids, max_size=2, unique_by=lambda x: x["element_id"]))
    if e.takes("voices") and sound and not fields.get("elements"):
        voice = st.sampled_from(["voice-abc", "voice-xyz"]).map(lambda v: {"voice_id": v})
        fields["voices"] = draw(st.lists(voice, max_size=2, unique_by=lambda v: v["voice_id"]))
    if e.takes("negative_prompt") and draw(st.booleans()):
        fields["settings_negative"] = draw(_TEXT)
    fields |= {
        "total": total,
        "prompt": draw(_TEXT) if intelligence else "",
        "settings": {
            "model": model,
            "mode": mode,
            "sound": sound,
            "aspect_ratio": draw(st.sampled_from(e.enum("aspect_ratio"))),
            "shot_type": "intelligence" if intelligence else "customize",
            "watermark": draw(st.booleans()),
            "negative_prompt": fields.pop("settings_negative", ""),
        },
    }
    sb = Storyboard.model_validate(fields)
    inlined = {a.hash: f"QkFTRTY0{a.hash[:16]}" for a in images if a.url is None}
    return sb, {inlined.get(a.hash, a.url or ""): a for a in sb.assets}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(buildable())
def test_build_then_parse_round_trips(case: tuple[Storyboard, dict[str, Asset]]) -> None:
    sb, media = case
    assume(not has_errors(rules.check(sb, CATALOG)))
    by_hash = {a.hash: v for v, a in media.items()}
    req = build_request(sb, CATALOG, external_task_id="t-1", media=lambda a: by_hash[a.hash])

    def seen(value: str) -> Asset | None:
        found = media.get(value)
        return None if found is None else Asset.model_validate(found.model_dump() | {"url": None})

    found = check_request(req.endpoint, req.body, CATALOG, seen)
    assert errors(found) == []
    back, findings = parse_request(req.endpoint, req.body, CATALOG, seen)
    assert findings == []
    assert back is not None
    assert (back.settings.model, back.settings.mode) == (sb.settings.model, sb.settings.mode)
    assert back.settings.shot_type == sb.settings.shot_type
    editing = sb.reference_video is not None and sb.reference_video.refer_type == "base"
    if not editing:
        assert back.total == sb.total
    if sb.settings.shot_type == "intelligence":
        assert back.prompt == sb.prompt
    else:
        assert [(s.prompt, s.duration) for s in back.shots] == [
            (s.prompt, s.duration) for s in sb.shots
        ]
    slots = ("start_frame", "end_frame", "reference_images", "reference_video", "elements")
    assert req.body["external_task_id"] == "t-1"
    assert [getattr(back, s) for s in slots] == [getattr(sb, s) for s in slots]
    assert back.voices == sb.voices
    # URLs travel as URLs, inlined files come back without one.
    assert {(a.hash, a.url) for a in back.assets} <= {(a.hash, a.url) for a in sb.assets}
    assert back.settings.watermark == sb.settings.watermark
    assert back.settings.negative_prompt == sb.settings.negative_prompt
    if "sound" in req.body:
        assert back.settings.sound == sb.settings.sound


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_FIELDS = sorted(
    {p.name.partition(".")[0] for m in CATALOG.surface("kling") for p in m.parameters}
    | {"model_name", "image_url", "video_url", "index"}
)


_GOLDEN_BODIES = [
    (golden(name)["endpoint"], golden(name)["body"])
    for name in (
        "kling_8a_text2video_multishot.json",
        "kling_8a_image2video_multishot.json",
        "kling_8a_text2video_intelligence.json",
        "kling_8b_omni_references.json",
        "vercel_strict_text2video.json",
    )
]
_ITEM_KEYS = [
    "index",
    "prompt",
    "duration",
    "image_url",
    "type",
    "video_url",
    "refer_type",
    "keep_original_sound",
    "element_id",
    "voice_id",
    "enabled",
]


@st.composite
def damaged_bodies(draw: Callable[..., Any]) -> tuple[str, dict[str, Any]]:
    """A golden body with a few top-level fields and list-item members replaced by any JSON."""
    endpoint, body = draw(st.sampled_from(_GOLDEN_BODIES))
    body = copy.deepcopy(body) | draw(st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=3))
    for value in body.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value[0] |= draw(st.dictionaries(st.sampled_from(_ITEM_KEYS), _JSON, max_size=2))
    if draw(st.booleans()):
        endpoint = draw(st.sampled_from(["text2video", "image2video", "omni-video"]))
    return endpoint, body


@settings(max_examples=200, deadline=None)
@given(damaged_bodies())
def test_any_json_body_gets_findings_never_an_exception(case: tuple[str, dict[str, Any]]) -> None:
    endpoint, body = case
    found = check_request(endpoint, body, CATALOG, probe)
    sb, parsed = parse_request(endpoint, body, CATALOG, probe)
    assert (sb is None) == has_errors(parsed)
    assert all(f.message for f in found)
