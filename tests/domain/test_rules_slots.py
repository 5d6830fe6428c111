"""Frame and slot rules: which inputs a model, endpoint and provider take (KS4xx)."""

from __future__ import annotations

from kling_studio.domain.findings import Fix
from kling_studio.domain.rules import check
from tests.domain.strategies import CATALOG, PROVIDERS, board, catalog_with, found, image, video


def test_multi_shot_excludes_the_end_frame() -> None:
    sb = board(durations=(2, 3), start_frame=image(1), end_frame=image(2))
    [f] = found(check(sb, CATALOG), "KS403")
    assert f.path == "end_frame"
    assert f.message.startswith("Multi-shot excludes the end frame")
    assert f.fix == Fix(label="Drop the end frame", action="drop_end_frame")
    assert not check(board(start_frame=image(1), end_frame=image(2)), CATALOG)


def test_end_frame_with_multi_shot_follows_the_catalog_constraint() -> None:
    catalog = catalog_with("kling-v3", constraints={"end_frame_with_multi_shot": True})
    sb = board(durations=(2, 3), start_frame=image(1), end_frame=image(2))
    assert not found(check(sb, catalog), "KS403")
    fal = board(durations=(3, 3), start_frame=image(1), end_frame=image(2), provider="fal")
    [f] = found(check(fal, catalog, PROVIDERS), "KS403")
    assert "fal.ai takes no end frame" in f.message


def test_end_frame_needs_a_start_frame() -> None:
    [f] = found(check(board(end_frame=image()), CATALOG), "KS404")
    assert f.path == "end_frame"
    assert f.fix is not None and f.fix.action == "drop_end_frame"


def test_static_mask_and_end_frame_exclude_each_other() -> None:
    sb = board(start_frame=image(1), end_frame=image(2), static_mask=image(3))
    [f] = found(check(sb, CATALOG), "KS405")
    assert f.path == "static_mask"
    assert f.fix == Fix(label="Drop the static mask", action="drop_static_mask")
    assert not check(board(start_frame=image(1), static_mask=image(3)), CATALOG)


def test_input_the_model_does_not_take_names_the_models_that_do() -> None:
    sb = board(model="kling-v3-omni", static_mask=image())
    [f] = found(check(sb, CATALOG), "KS401")
    assert f.path == "static_mask"
    assert f.message == "Kling V3 Omni takes no static mask; Kling V3 and Kling V1.6 do."
    assert f.fix is not None and f.fix.action == "drop_static_mask"


def test_every_slot_a_model_lacks_is_reported() -> None:
    sb = board(
        model="kling-v2-5-turbo",
        elements=("1",),
        voices=("v",),
        reference_images=(image(),),
        reference_video=video(),
    )
    findings = found(check(sb, CATALOG), "KS401")
    assert [f.path for f in findings] == [
        "elements",
        "reference_images",
        "reference_video",
        "voices",
    ]
    fixes = {f.path: f.fix.action if f.fix else None for f in findings}
    assert fixes["reference_images"] is None
    assert fixes["reference_video"] == "drop_reference_video"


def test_endpoint_bound_input_without_a_start_frame() -> None:
    [f] = found(check(board(static_mask=image()), CATALOG), "KS402")
    assert f.message == "Kling V3 takes a static mask only with a start frame (image-to-video)."


def test_elements_need_a_start_frame_on_v3() -> None:
    findings = check(board(elements=("42",)), CATALOG)
    [f] = found(findings, "KS406")
    assert f.path == "elements"
    assert not found(findings, "KS402"), "KS406 says it more precisely"
    assert not check(board(elements=("42",), start_frame=image()), CATALOG)
    assert not check(board(model="kling-v3-omni", elements=("42",)), CATALOG)


def test_elements_and_voices_together_offer_both_fixes() -> None:
    sb = board(elements=("42",), voices=("v1",), start_frame=image(), sound=True)
    findings = found(check(sb, CATALOG), "KS407")
    assert {f.path: f.fix for f in findings} == {
        "elements": Fix(label="Remove the elements", action="drop_elements"),
        "voices": Fix(label="Remove the voices", action="drop_voices"),
    }
    catalog = catalog_with("kling-v3", constraints={"elements_with_voices": True})
    assert not check(sb, catalog)


def test_voices_need_sound_on() -> None:
    [f] = found(check(board(voices=("v1",)), CATALOG), "KS408")
    assert f.path == "voices"
    assert f.fix == Fix(label="Turn sound on", action="sound_on")
    assert not check(board(voices=("v1",), sound=True), CATALOG)


def test_voices_on_a_model_without_voices() -> None:
    [f] = found(check(board(model="kling-v3-omni", voices=("v",), sound=True), CATALOG), "KS401")
    assert f.path == "voices"


def test_frames_with_a_base_reference_video() -> None:
    sb = board(
        model="kling-v3-omni", start_frame=image(), reference_video=video(), refer_type="base"
    )
    [f] = found(check(sb, CATALOG), "KS409")
    assert f.path == "start_frame"
    assert f.fix is not None and f.fix.action == "drop_start_frame"
    feature = board(model="kling-v3-omni", start_frame=image(), reference_video=video())
    assert not check(feature, CATALOG)


def test_provider_refuses_kling_elements() -> None:
    sb = board(model="kling-v3-omni", elements=("42",), provider="fal")
    [f] = found(check(sb, CATALOG, PROVIDERS), "KS411")
    assert f.message == "fal.ai does not send elements to Kling V3 Omni."
    assert f.fix is not None and f.fix.action == "drop_elements"


def test_provider_refuses_a_start_frame_with_multi_shot() -> None:
    url = image(url="https://cdn.example.com/a.png")
    sb = board(durations=(2, 3), start_frame=url, provider="picsart")
    [f] = found(check(sb, CATALOG, PROVIDERS), "KS410")
    assert f.path == "start_frame"
    assert not check(board(durations=(2, 3), start_frame=url), CATALOG, PROVIDERS)


def test_provider_refuses_a_reference_video() -> None:
    sb = board(model="kling-v3-omni", reference_video=video(), provider="piapi")
    [f] = found(check(sb, CATALOG, PROVIDERS), "KS411")
    assert f.message == "PiAPI does not send a reference video to Kling V3 Omni."
    assert f.fix is not None and f.fix.action == "drop_reference_video"
