"""check() as a whole: defaults, unknown model/provider, ordering, the code registry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kling_studio.domain.rules as rules_package
from kling_studio.domain.findings import has_errors
from kling_studio.domain.rules import CODES, RULE_CODES, check, endpoint_for
from kling_studio.domain.storyboard import Shot, Storyboard
from tests.domain.strategies import (
    CATALOG,
    MODEL_NAMES,
    PROVIDER_NAMES,
    PROVIDERS,
    board,
    found,
    image,
)

DEFAULT = Storyboard(total=5, shots=(Shot(id="s1", prompt="x", duration=5),))


def test_a_default_storyboard_has_no_findings() -> None:
    assert check(DEFAULT, CATALOG) == ()
    assert check(DEFAULT, CATALOG, PROVIDERS) == ()


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_the_default_storyboard_is_fine_on_every_provider(provider: str) -> None:
    sb = board(provider=provider)
    assert not has_errors(check(sb, CATALOG, PROVIDERS))


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_a_plain_five_second_shot_is_fine_on_every_model(model: str) -> None:
    assert check(board(model=model), CATALOG) == ()


def test_unknown_model_lists_the_known_models() -> None:
    findings = check(board(model="kling-v9"), CATALOG, PROVIDERS)
    [f] = findings
    assert (f.code, f.severity, f.path) == ("KS001", "error", "settings.model")
    assert "kling-v9" in f.message
    for name in MODEL_NAMES:
        assert name in f.message


def test_unknown_provider_is_an_error_and_the_model_is_still_checked() -> None:
    findings = check(board(provider="runway", mode="8k"), CATALOG, PROVIDERS)
    assert [f.code for f in findings] == ["KS302", "KS002"]
    provider = found(findings, "KS002")[0]
    assert provider.path == "settings.provider"
    assert "kling, simulator, fal, picsart, scenario, replicate, piapi, freepik" in provider.message


def test_provider_that_does_not_offer_the_model() -> None:
    [f] = check(board(model="kling-v1-6", provider="fal"), CATALOG, PROVIDERS)
    assert f.code == "KS003"
    assert f.message == (
        "fal.ai does not offer Kling V1.6; it offers Kling V3, Kling V3 Omni and Kling V2.6."
    )


def test_a_single_profile_can_be_passed_directly() -> None:
    sb = board(durations=(1, 4))
    assert found(check(sb, CATALOG, PROVIDERS.get("fal")), "KS102")
    assert not check(sb, CATALOG, PROVIDERS.get("kling"))


def test_findings_are_ordered_by_path_then_code_and_deterministic() -> None:
    sb = board(
        durations=(1, 2, 4),
        prompts=("", "b" * 600, "<<<image_1>>>"),
        model="kling-v3-omni",
        provider="fal",
        mode="4k",
        sound=True,
        negative_prompt="no",
        end_frame=image(1, width=100, height=100),
        elements=("1",),
    )
    findings = check(sb, CATALOG, PROVIDERS)
    keys = [(f.path, f.code) for f in findings]
    assert keys == sorted(keys)
    assert len(findings) >= 8
    assert findings == check(sb, CATALOG, PROVIDERS)


def test_endpoint_follows_the_frames() -> None:
    v3 = CATALOG.kling("kling-v3")
    omni = CATALOG.kling("kling-v3-omni")
    assert v3 is not None and omni is not None
    assert endpoint_for(board(), v3) == "text2video"
    assert endpoint_for(board(start_frame=image()), v3) == "image2video"
    assert endpoint_for(board(end_frame=image()), v3) == "image2video"
    assert endpoint_for(board(model="kling-v3-omni"), omni) == "omni-video"


def test_code_registry_is_well_formed() -> None:
    assert set(RULE_CODES) == set(CODES)
    for code, summary in RULE_CODES.items():
        assert re.fullmatch(r"KS\d{3}", code)
        assert summary and "\n" not in summary
        assert CODES[code].severity in ("error", "warning")


def test_every_code_used_in_the_rules_is_registered() -> None:
    folder = Path(rules_package.__file__).parent
    source = "".join(p.read_text() for p in folder.glob("*.py") if p.name != "codes.py")
    used = set(re.findall(r'"(KS\d{3})"', source))
    assert used <= set(RULE_CODES)
    assert set(RULE_CODES) <= used, "a registered code is never emitted"


def test_no_model_names_are_hard_coded_in_the_rules() -> None:
    folder = Path(rules_package.__file__).parent
    for path in folder.glob("*.py"):
        assert not re.search(r"kling-(v\d|video)", path.read_text()), path.name
