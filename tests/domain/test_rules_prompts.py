"""Prompt rules: lengths, empty prompts, negative prompt, <<<…>>> tags (KS2xx)."""

from __future__ import annotations

from kling_studio.domain.findings import Fix
from kling_studio.domain.providers import ProviderProfile
from kling_studio.domain.rules import check
from tests.domain.strategies import CATALOG, board, catalog_with, found, image, video


def test_single_prompt_over_2500_characters() -> None:
    findings = check(board(prompts=("a" * 2501,)), CATALOG)
    [f] = found(findings, "KS201")
    assert f.path == "shots[0].prompt"
    assert f.message == "The prompt is 2501 characters; Kling V3 allows 2500."
    assert f.fix == Fix(
        label="Cut to 2500 characters", action="truncate_shot_prompt", index=0, value=2500
    )
    assert not found(check(board(prompts=("a" * 2500,)), CATALOG), "KS201")


def test_shot_prompt_over_512_characters_in_a_multi_shot_storyboard() -> None:
    sb = board(durations=(2, 2, 2), prompts=("a", "b", "c" * 640))
    [f] = found(check(sb, CATALOG), "KS202")
    assert f.path == "shots[2].prompt"
    assert f.message == "Shot 3's prompt is 640 characters; Kling V3 allows 512 per shot."
    assert f.fix is not None and (f.fix.action, f.fix.index, f.fix.value) == (
        "truncate_shot_prompt",
        2,
        512,
    )
    ok = board(durations=(2, 2, 2), prompts=("a", "b", "c" * 512))
    assert not found(check(ok, CATALOG), "KS202")


def test_shot_prompt_limit_comes_from_the_catalog_and_the_stricter_provider() -> None:
    sb = board(durations=(2, 3), prompts=("a" * 150, "b"))
    catalog = catalog_with("kling-v3", params={"multi_prompt": {"max_chars": 100}})
    [f] = found(check(sb, catalog), "KS202")
    assert "Kling V3 allows 100 per shot" in f.message
    tight = ProviderProfile(name="tight", label="Tight", shot_prompt_max_chars=120)
    [g] = found(check(sb, CATALOG, tight), "KS202")
    assert g.message == "Shot 1's prompt is 150 characters; Tight allows 120 per shot."


def test_single_shot_needs_a_prompt() -> None:
    [f] = found(check(board(prompts=("   ",)), CATALOG), "KS203")
    assert f.path == "shots[0].prompt"
    assert f.severity == "error"


def test_every_shot_of_a_multi_shot_storyboard_needs_a_prompt() -> None:
    sb = board(durations=(2, 3), prompts=("a fox", ""))
    [f] = found(check(sb, CATALOG), "KS204")
    assert f.path == "shots[1].prompt"
    assert f.message == "Shot 2 has no prompt; every shot of a multi-shot storyboard needs one."


def test_ai_planned_shots_need_the_storyboard_prompt() -> None:
    sb = board(durations=(3, 3), shot_type="intelligence", prompts=("", ""))
    [f] = found(check(sb, CATALOG), "KS205")
    assert f.path == "prompt"
    assert not found(check(sb, CATALOG), "KS204"), "shot prompts are not sent in this mode"
    planned = board(
        durations=(3, 3), shot_type="intelligence", prompt="A fox story", prompts=("", "")
    )
    assert not check(planned, CATALOG)


def test_ai_planned_storyboard_prompt_length() -> None:
    sb = board(durations=(6,), shot_type="intelligence", prompt="p" * 2600, prompts=("",))
    [f] = found(check(sb, CATALOG), "KS201")
    assert f.path == "prompt"
    assert f.fix == Fix(label="Cut to 2500 characters", action="truncate_prompt", value=2500)


def test_ai_planned_shots_warn_that_shot_prompts_are_not_sent() -> None:
    sb = board(durations=(3, 3), shot_type="intelligence", prompt="A fox story")
    [f] = found(check(sb, CATALOG), "KS209")
    assert f.severity == "warning"
    assert f.path == "shots"


def test_no_prompt_noise_when_the_model_cannot_plan_shots() -> None:
    sb = board(model="kling-v2-6", shot_type="intelligence", prompts=("",))
    findings = check(sb, CATALOG)
    assert found(findings, "KS307")
    assert not found(findings, "KS205")


def test_negative_prompt_is_not_sent_to_omni() -> None:
    sb = board(model="kling-v3-omni", negative_prompt="blurry")
    [f] = found(check(sb, CATALOG), "KS207")
    assert f.severity == "warning"
    assert f.path == "settings.negative_prompt"
    assert f.fix == Fix(label="Clear the negative prompt", action="clear_negative_prompt")
    assert not found(check(board(negative_prompt="blurry"), CATALOG), "KS207")


def test_negative_prompt_length() -> None:
    [f] = found(check(board(negative_prompt="n" * 2600), CATALOG), "KS206")
    assert f.message == "The negative prompt is 2600 characters; Kling V3 allows 2500."


def test_tag_pointing_past_the_attached_images() -> None:
    sb = board(
        model="kling-v3-omni",
        prompts=("<<<image_1>>> meets <<<image_3>>> and <<<image_3>>>",),
        reference_images=(image(1), image(2)),
    )
    [f] = found(check(sb, CATALOG), "KS208")
    assert f.path == "shots[0].prompt"
    assert f.message == (
        "Shot 1's prompt mentions <<<image_3>>>, but only 2 reference images are attached."
    )
    assert f.fix == Fix(
        label="Remove <<<image_3>>>", action="remove_reference_tag", value="<<<image_3>>>", index=0
    )


def test_tags_for_every_kind_of_reference() -> None:
    sb = board(
        model="kling-v3-omni",
        durations=(2, 3),
        prompts=("<<<video_1>>> <<<element_2>>>", "<<<voice_1>>> <<<element_1>>>"),
        elements=("11",),
    )
    findings = found(check(sb, CATALOG), "KS208")
    assert [(f.path, f.fix.value if f.fix else None) for f in findings] == [
        ("shots[0].prompt", "<<<video_1>>>"),
        ("shots[0].prompt", "<<<element_2>>>"),
        ("shots[1].prompt", "<<<voice_1>>>"),
    ]
    assert findings[0].message.endswith("but no reference video is attached.")
    assert findings[1].message.endswith("but only 1 element is attached.")


def test_tags_in_the_storyboard_prompt_are_checked_too() -> None:
    sb = board(
        prompt="<<<image_0>>> and <<<video_1>>>", reference_video=video(), model="kling-v3-omni"
    )
    [f] = found(check(sb, CATALOG), "KS208")
    assert f.path == "prompt"
    assert "numbering starts at image_1" in f.message
    assert f.fix is not None and f.fix.index is None


def test_valid_tags_give_no_finding() -> None:
    sb = board(
        model="kling-v3-omni",
        prompts=("<<<image_1>>> walks like <<<video_1>>> with <<<element_1>>>",),
        reference_images=(image(),),
        reference_video=video(),
        elements=("5",),
    )
    assert not found(check(sb, CATALOG), "KS208")
