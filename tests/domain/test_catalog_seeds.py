"""The Picsart and Scenario catalog entries agree, row by row, with the two seed documents.

The seeds live next to the repository (``../shared/seeds``). They are parsed here from scratch
(line and regex parsing of the text as published) and every model and parameter row is compared
with what ``load_catalog()`` returns, so a value edited in ``resources/catalog/*.json`` fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kling_studio.domain.catalog import ModelEntry, Parameter
from kling_studio.resources import load_catalog

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
if not SEEDS.is_dir():
    pytest.skip(f"seed documents not found at {SEEDS}", allow_module_level=True)

PICSART_SEED = SEEDS / "picsart-genai-kling.txt"
SCENARIO_SEED = SEEDS / "scenario-kling-models.txt"
MB = 1024 * 1024

KEYS = frozenset(
    [
        "prompt",
        "negative_prompt",
        "aspect_ratio",
        "duration",
        "mode",
        "resolution",
        "sound",
        "cfg_scale",
        "multi_shot",
        "shot_type",
        "multi_prompt",
        "start_frame",
        "end_frame",
        "static_mask",
        "elements",
        "voices",
        "reference_images",
        "reference_video",
        "refer_type",
        "keep_original_sound",
        "style",
        "character_orientation",
        "image",
        "images",
        "video",
        "audio",
        "audio_id",
        "count",
        "image_reference",
        "image_weight",
        "human_fidelity",
        "scene_image",
        "style_image",
        "text",
        "voice_id",
        "voice_speed",
        "audio_file",
    ]
)
KLING_FIELDS = frozenset(
    [
        "prompt",
        "negative_prompt",
        "aspect_ratio",
        "duration",
        "mode",
        "sound",
        "cfg_scale",
        "multi_shot",
        "shot_type",
        "multi_prompt",
        "image",
        "image_tail",
        "static_mask",
        "element_list",
        "voice_list",
        "image_list",
        "video_list",
        "refer_type",
        "keep_original_sound",
        "character_orientation",
        "image_url",
        "video_url",
    ]
)

_UNSET: Any = object()


@dataclass
class SeedParam:
    """What one seed row says about a parameter (``_UNSET`` = the row says nothing)."""

    name: str
    type: str
    required: bool
    default: Any = None
    values: list[tuple[str, str]] | None = None
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    max_items: Any = _UNSET
    max_chars: Any = _UNSET
    cli_flag: str | None = None
    item_fields: list[str] | None = None
    file_kinds: list[str] | None = None
    media: dict[str, Any] | None = None


@dataclass
class SeedModel:
    id: str
    name: str
    input_type: str = ""
    capabilities: list[str] = field(default_factory=list)
    params: list[SeedParam] = field(default_factory=list)
    refs_total: int | None = None
    refs_with_video: int | None = None


# ------------------------------------------------------------------------------------------------
# Picsart: "gen-ai models info" tables whose cells were flattened without separators, e.g.
# ``duration-denum3 · 5 · 8 (default 5)`` = name ``duration``, flag ``-d``, type ``enum``, values.
# ------------------------------------------------------------------------------------------------
PICSART_TYPES = {
    "text": "text",
    "enum": "enum",
    "boolean": "boolean",
    "file": "file",
    "object[]": "object_array",
    "number": "number",
    "integer": "integer",
    "range": "range",
}
_NAME_AND_FLAG = re.compile(r"([a-z][A-Za-z0-9]*)(-{1,2}[a-z0-9]+(?:-[a-z0-9]+)*)")
_NUMERIC = re.compile(r"(\d+), step ([\d.]+)(?:, default ([\d.]+)| \(default ([\d.]+)\))")


def _split_labelled(item: str) -> tuple[str, str]:
    """``image (Match Image (≤10s ref video))`` -> value and label, parentheses balanced."""
    if not item.endswith(")"):
        return item, item
    depth = 0
    for pos in range(len(item) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(item[pos], 0)
        if depth == 0:
            value, label = item[:pos].rstrip(), item[pos + 1 : -1]
            assert value and " " not in value, item
            return value, label
    raise AssertionError(f"unbalanced parentheses in {item!r}")


def _split_digits(digits: str, step: float, default: float) -> tuple[float, float]:
    """``"0100"`` with step 5 and default 50 -> (0, 100): the one split that makes sense."""
    fits = []
    for cut in range(1, len(digits)):
        lo_s, hi_s = digits[:cut], digits[cut:]
        if any(len(s) > 1 and s.startswith("0") for s in (lo_s, hi_s)):
            continue
        lo, hi = float(lo_s), float(hi_s)
        steps = (hi - lo) / step
        if lo < hi and lo <= default <= hi and abs(steps - round(steps)) < 1e-9:
            fits.append((lo, hi))
    assert len(fits) == 1, f"cannot split range {digits!r}: {fits}"
    return fits[0]


def _picsart_values(seed_type: str, text: str, param: SeedParam) -> bool:
    """Fill ``param`` from the Values cell; False when the cell does not fit ``seed_type``."""
    if seed_type == "text":
        m = re.fullmatch(r"(required|free text)(?: \(≤(\d+) chars\))?", text)
        if not m:
            return False
        param.required = m[1] == "required"
        param.max_chars = int(m[2]) if m[2] else None
        param.max_items = None
        return True
    if seed_type in ("enum", "boolean"):
        m = re.fullmatch(r"(.+) \(default ([^()]+)\)", text)
        if not m:
            return False
        items = [_split_labelled(i) for i in m[1].split(" · ")]
        if seed_type == "boolean":
            if [v for v, _ in items] != ["true", "false"] or m[2] not in ("true", "false"):
                return False
            param.default = m[2] == "true"
        else:
            param.values = items
            param.default = m[2]
            assert m[2] in [v for v, _ in items], text
        param.max_items = param.max_chars = None
        return True
    if seed_type == "file":
        m = re.fullmatch(r"(required )?(image|video|audio)(?: \(up to (\d+)\))?", text)
        if not m:
            return False
        param.required = bool(m[1])
        param.file_kinds = [m[2]]
        param.max_items = int(m[3]) if m[3] else None
        param.max_chars = None
        return True
    if seed_type == "object[]":
        m = re.fullmatch(r"up to (\d+) \{([a-z_]+(?:, [a-z_]+)*)\}", text)
        if not m:
            return False
        param.max_items = int(m[1])
        param.item_fields = m[2].split(", ")
        param.max_chars = None
        return True
    m = _NUMERIC.fullmatch(text)
    if not m:
        return False
    step, default = float(m[2]), float(m[3] or m[4])
    param.minimum, param.maximum = _split_digits(m[1], step, default)
    param.step, param.default = step, default
    param.max_items = param.max_chars = None
    return True


def _picsart_row(line: str) -> SeedParam:
    """Try every place a type word could start; exactly one reading must make sense."""
    readings = []
    for seed_type, catalog_type in PICSART_TYPES.items():
        for m in re.finditer(re.escape(seed_type), line):
            head = _NAME_AND_FLAG.fullmatch(line[: m.start()])
            if head is None:
                continue
            param = SeedParam(
                name=head[1],
                type=catalog_type,
                required=False,
                cli_flag=head[2],
            )
            if _picsart_values(seed_type, line[m.end() :], param):
                readings.append(param)
    assert len(readings) == 1, f"ambiguous or unreadable Picsart row: {line!r}"
    return readings[0]


def parse_picsart(text: str) -> tuple[list[SeedModel], list[str]]:
    lines = text.splitlines()
    declared = int(re.search(r"Models: (\d+)", text)[1])  # type: ignore[index]
    start = lines.index("idNameInput type") + 1
    listed: list[SeedModel] = []
    for line in lines[start:]:
        if not line.strip():
            break
        # id (lower case), Name (starts upper case), input type like t2v/i2i/v2a
        m = re.fullmatch(r"([a-z0-9][a-z0-9.\-]*)([A-Z][^\t]*?)([a-z]2[a-z])", line)
        assert m, f"unreadable model-list row {line!r}"
        listed.append(SeedModel(id=m[1], name=m[2], input_type=m[3]))
    assert len(listed) == declared

    sections: dict[str, SeedModel] = {}
    current: SeedModel | None = None
    in_table = False
    for line in lines:
        heading = re.fullmatch(r"([a-z0-9.\-]+) — (.+)", line)
        if heading:
            current = SeedModel(id=heading[1], name=heading[2])
            assert current.id not in sections, current.id
            sections[current.id] = current
            in_table = False
        elif current is not None and line.startswith("Input type: "):
            current.input_type = line.removeprefix("Input type: ").strip()
        elif current is not None and line == "ParamCLI flagTypeValues":
            in_table = True
        elif in_table and current is not None:
            if not line.strip():
                in_table = False
                current = None
            else:
                current.params.append(_picsart_row(line))

    notes = re.search(r"^Notes: (.+)$", text, re.MULTILINE)
    note_list = [n.strip().rstrip(".") for n in notes[1].split(";")] if notes else []

    models = []
    for entry in listed:
        section = sections[entry.id]
        assert (section.name, section.input_type) == (entry.name, entry.input_type), entry.id
        assert section.params, f"{entry.id} has no parameter table"
        models.append(section)
    assert set(sections) == {m.id for m in listed}
    return models, note_list


# ------------------------------------------------------------------------------------------------
# Scenario: a bullet list of names, then per model "Model ID:", "Capabilities:" and a pipe table.
# ------------------------------------------------------------------------------------------------
def _number(text: str) -> float:
    return float(text)


def _scenario_media(desc: str) -> dict[str, Any] | None:
    media: dict[str, Any] = {}
    if m := re.search(r"(\d+)\s*MB\b", desc, re.IGNORECASE):
        media["max_bytes"] = int(m[1]) * MB
    if m := re.search(r"Only (\S+) formats", desc):
        media["formats"] = tuple(f.lstrip(".") for f in m[1].split("/"))
    if m := re.search(r"(\d+)-(\d+)\s*(?:s\b|seconds)", desc):
        media["min_duration"], media["max_duration"] = float(m[1]), float(m[2])
    elif caps := re.findall(r"(\d+)s max", desc):
        media["max_duration"] = max(float(c) for c in caps)
    if m := re.search(r"(\d+)(?:px)?-(\d+)\s*px", desc):
        media["min_side"], media["max_side"] = int(m[1]), int(m[2])
    elif m := re.search(r"min (\d+)\s*px", desc):
        media["min_side"] = int(m[1])
    if m := re.search(r"aspect ratio 1:([\d.]+) to ([\d.]+):1", desc):
        media["min_aspect"], media["max_aspect"] = 1 / float(m[1]), float(m[2])
    return media or None


def _scenario_default(seed_type: str, cell: str) -> Any:
    if cell == "-":
        return None
    if seed_type == "boolean":
        assert cell in ("true", "false"), cell
        return cell == "true"
    if seed_type == "number":
        return _number(cell)
    return cell


def _scenario_row(columns: list[str], line: str) -> tuple[SeedParam, str]:
    cells = [c.strip() for c in line.strip().removesuffix("|").split(" | ")]
    assert len(cells) == len(columns), f"bad Scenario row {line!r}"
    row = dict(zip(columns, cells, strict=True))
    seed_type, allowed, desc = row["Type"], row["Allowed Values"], row["Description"]
    param = SeedParam(
        name=row["Parameter"],
        type="enum" if seed_type == "string" and allowed != "-" else seed_type,
        required={"Yes": True, "No": False}[row["Required"]],
        default=_scenario_default(seed_type, row["Default"]),
        values=[(v, v) for v in allowed.split(", ")] if allowed != "-" else None,
        minimum=None if row["Min"] == "-" else _number(row["Min"]),
        maximum=None if row["Max"] == "-" else _number(row["Max"]),
        media=_scenario_media(desc),
    )
    param.max_chars = param.max_items = None
    if m := re.search(r"Max (\d+) characters", desc):
        param.max_chars = int(m[1])
    limits = r"[Uu]p to (\d+) reference images|Max (\d+) without video|Max (\d+) shots"
    if m := re.search(limits, desc):
        param.max_items = int(next(g for g in m.groups() if g))
    return param, desc


def parse_scenario(text: str) -> list[SeedModel]:
    lines = text.splitlines()
    names = [line[2:].strip() for line in lines if line.startswith("- ")]
    assert len(set(names)) == len(names)
    models: list[SeedModel] = []
    for i, line in enumerate(lines):
        if not line.startswith("Model ID: "):
            continue
        back = i - 1
        while lines[back] not in names:
            back -= 1
            assert i - back <= 2, f"no model name above {line!r}"
        model = SeedModel(id=line.removeprefix("Model ID: ").strip(), name=lines[back])
        j = i + 1
        while not lines[j].startswith("| Parameter"):
            if lines[j].startswith("Capabilities: "):
                caps = lines[j].removeprefix("Capabilities: ")
                model.capabilities = [c.strip() for c in caps.split(",")]
            j += 1
        columns = [c.strip() for c in lines[j].strip().strip("|").split("|")]
        assert lines[j + 1].startswith("|---")
        j += 2
        while j < len(lines) and re.match(r"[A-Za-z]\w* \| ", lines[j]):
            param, desc = _scenario_row(columns, lines[j])
            model.params.append(param)
            if m := re.search(r"Maximum (\d+) total \([^)]*\) when using video", desc):
                model.refs_with_video = int(m[1])
            elif m := re.search(r"Maximum (\d+) total", desc):
                model.refs_total = int(m[1])
            if m := re.search(r"Max (\d+) without video, (\d+) with video", desc):
                model.refs_total, model.refs_with_video = int(m[1]), int(m[2])
            j += 1
        assert model.params, f"{model.id} has no parameter table"
        models.append(model)
    assert [m.name for m in models] == names, "every listed name has exactly one section"
    return models


PICSART, PICSART_NOTES = parse_picsart(PICSART_SEED.read_text(encoding="utf-8"))
SCENARIO = parse_scenario(SCENARIO_SEED.read_text(encoding="utf-8"))
ALL = [("picsart", m) for m in PICSART] + [("scenario", m) for m in SCENARIO]


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------
def _entry(surface: str, model_id: str) -> ModelEntry:
    found = load_catalog().find(f"{surface}:{model_id}")
    assert len(found) == 1, f"{surface}:{model_id} missing from the catalog"
    return found[0]


def _same_value(expected: Any, actual: Any) -> bool:
    if expected is None or isinstance(expected, bool | str):
        return type(actual) is type(expected) and actual == expected
    return (
        isinstance(actual, int | float)
        and not isinstance(actual, bool)
        and abs(float(actual) - float(expected)) < 1e-9
    )


def _media_dict(param: Parameter) -> dict[str, Any] | None:
    if param.media is None:
        return None
    return param.media.model_dump(exclude_defaults=True)


def _check_param(surface: str, seed: SeedParam, param: Parameter) -> None:
    where = f"{surface} {seed.name}"
    assert param.name == seed.name
    assert param.type == seed.type, where
    assert param.required is seed.required, where
    assert _same_value(seed.default, param.default), f"{where}: default {param.default!r}"
    if seed.values is None:
        assert param.values == (), where
    else:
        assert [(v.value, v.label) for v in param.values] == seed.values, where
    for attr in ("minimum", "maximum", "step"):
        assert _same_value(getattr(seed, attr), getattr(param, attr)), f"{where}: {attr}"
    if seed.max_items is not _UNSET:
        assert param.max_items == seed.max_items, where
    if seed.max_chars is not _UNSET:
        assert param.max_chars == seed.max_chars, where
    if seed.item_fields is not None:
        assert list(param.item_fields) == seed.item_fields, where
    if seed.file_kinds is not None:
        assert list(param.file_kinds) == seed.file_kinds, where
    if surface == "picsart":
        assert param.cli_flag == seed.cli_flag, where
        assert param.cli_flag is not None
        assert param.media is None, f"{where}: the Picsart seed states no media limits"
    else:
        assert param.cli_flag is None, where
        expected = seed.media
        actual = _media_dict(param)
        if expected is not None and actual is not None:
            for k, v in expected.items():
                assert k in actual, f"{where}: media.{k} missing"
                if isinstance(v, tuple):
                    assert tuple(actual[k]) == v, f"{where}: media.{k}"
                else:
                    assert _same_value(v, actual[k]), f"{where}: media.{k}"
            assert set(actual) == set(expected), f"{where}: media states more than the seed"
        else:
            assert actual == expected, f"{where}: media"


# ------------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------------
def test_seed_documents_parse_to_the_published_counts() -> None:
    assert len(PICSART) == 19
    assert len(SCENARIO) == 24
    assert sum(len(m.params) for m in PICSART) > 100
    assert sum(len(m.params) for m in SCENARIO) > 100
    style = next(p for m in PICSART for p in m.params if p.name == "style")
    assert style.values is not None and len(style.values) > 200
    assert ("let's_ride", "Let's Ride") in style.values


def test_catalog_loads_and_validates() -> None:
    catalog = load_catalog()
    assert catalog.surface("picsart")
    assert catalog.surface("scenario")


@pytest.mark.parametrize(("surface", "seed"), ALL, ids=[f"{s}:{m.id}" for s, m in ALL])
def test_every_seed_model_is_in_the_catalog(surface: str, seed: SeedModel) -> None:
    entry = _entry(surface, seed.id)
    assert entry.id == seed.id
    assert entry.vendor_id == seed.id
    assert entry.surface == surface
    assert entry.name == seed.name
    assert entry.family
    assert entry.sources, "each entry names its seed document"
    if surface == "picsart":
        assert entry.input_type == seed.input_type
        assert entry.sources == (PICSART_SEED.name,)
    else:
        assert list(entry.capabilities) == seed.capabilities
        assert entry.input_type in seed.capabilities
        assert entry.sources == (SCENARIO_SEED.name,)


@pytest.mark.parametrize(("surface", "seed"), ALL, ids=[f"{s}:{m.id}" for s, m in ALL])
def test_every_seed_parameter_matches(surface: str, seed: SeedModel) -> None:
    entry = _entry(surface, seed.id)
    by_name = {p.name: p for p in entry.parameters}
    for seed_param in seed.params:
        assert seed_param.name in by_name, f"{surface}:{seed.id} lacks {seed_param.name}"
        _check_param(surface, seed_param, by_name[seed_param.name])


@pytest.mark.parametrize(("surface", "seed"), ALL, ids=[f"{s}:{m.id}" for s, m in ALL])
def test_no_parameter_beyond_the_seed(surface: str, seed: SeedModel) -> None:
    entry = _entry(surface, seed.id)
    assert [p.name for p in entry.parameters] == [p.name for p in seed.params]


@pytest.mark.parametrize(("surface", "seed"), ALL, ids=[f"{s}:{m.id}" for s, m in ALL])
def test_stated_cross_parameter_limits(surface: str, seed: SeedModel) -> None:
    entry = _entry(surface, seed.id)
    assert entry.constraints.max_refs_total == seed.refs_total
    assert entry.constraints.max_refs_with_video == seed.refs_with_video
    names = {p.name for p in seed.params}
    if surface == "picsart" and "multiShot" in names:
        multi_shot_note = next(n for n in PICSART_NOTES if n.startswith("Multi-shot"))
        assert multi_shot_note in entry.constraints.notes


def test_no_model_beyond_the_seeds() -> None:
    catalog = load_catalog()
    assert sorted(m.vendor_id for m in catalog.surface("picsart")) == sorted(m.id for m in PICSART)
    assert sorted(m.vendor_id for m in catalog.surface("scenario")) == sorted(
        m.id for m in SCENARIO
    )


def test_keys_and_kling_fields_use_the_vocabulary() -> None:
    for surface in ("picsart", "scenario"):
        for entry in load_catalog().surface(surface):
            for p in entry.parameters:
                where = f"{entry.qualified_id} {p.name}"
                assert p.key in KEYS, f"{where}: key {p.key!r}"
                assert p.kling_field is None or p.kling_field in KLING_FIELDS, where
                assert p.label, f"{where}: label"
                assert len(p.description) <= 120, f"{where}: description too long"
                if entry.kling is None:
                    assert p.kling_field is None, f"{where}: no official model to map to"


def test_scenario_parameters_carry_short_descriptions() -> None:
    for entry in load_catalog().surface("scenario"):
        assert entry.description
        for p in entry.parameters:
            assert p.description, f"{entry.qualified_id} {p.name}"
