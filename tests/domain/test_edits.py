"""Edits keep the storyboard valid: the total is preserved where promised, minimums respected."""

from __future__ import annotations

import pytest

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Asset, Storyboard


def durations(sb: Storyboard) -> list[int]:
    return [s.duration for s in sb.shots]


def image(n: int = 1, **kw: object) -> Asset:
    data = {
        "hash": f"{n:064x}",
        "kind": "image",
        "format": "png",
        "bytes": 1000,
        "width": 800,
        "height": 600,
    }
    data.update(kw)
    return Asset.model_validate(data)


@pytest.fixture
def three() -> Storyboard:
    return edits.new_storyboard(total=10, shots=3)


def test_new_storyboard_distributes_the_total(three: Storyboard) -> None:
    assert durations(three) == [4, 3, 3]
    assert [s.id for s in three.shots] == ["s1", "s2", "s3"]


def test_border_drag_trades_seconds_and_keeps_total(three: Storyboard) -> None:
    out = edits.move_boundary(three, 0, 2)
    assert durations(out) == [6, 1, 3]
    assert out.total == 10


def test_border_drag_is_clamped_at_the_one_second_minimum(three: Storyboard) -> None:
    assert durations(edits.move_boundary(three, 0, 99)) == [6, 1, 3]
    assert durations(edits.move_boundary(three, 1, -99)) == [4, 1, 5]


def test_set_shot_duration_takes_from_the_next_shot_or_the_previous_for_the_last(
    three: Storyboard,
) -> None:
    assert durations(edits.set_shot_duration(three, 0, 5)) == [5, 2, 3]
    assert durations(edits.set_shot_duration(three, 2, 5)) == [4, 1, 5]


def test_set_total_rescales_in_whole_seconds(three: Storyboard) -> None:
    out = edits.set_total(three, 15)
    assert sum(durations(out)) == 15 and out.total == 15
    assert durations(out) == [6, 5, 4]
    down = edits.set_total(out, 3)
    assert durations(down) == [1, 1, 1]


def test_set_total_below_the_per_shot_minimum_is_refused(three: Storyboard) -> None:
    with pytest.raises(edits.EditError, match="3 shots need at least 3 s"):
        edits.set_total(three, 2)
    with pytest.raises(edits.EditError, match="between 1 and 15"):
        edits.set_total(three, 16)


def test_insert_takes_a_second_from_the_longest_shot(three: Storyboard) -> None:
    out = edits.insert_shot(three, 1, prompt="new")
    assert durations(out) == [3, 1, 3, 3]
    assert out.shots[1].prompt == "new"
    assert out.total == 10


def test_seventh_shot_is_refused_with_a_reason() -> None:
    sb = edits.new_storyboard(total=12, shots=6)
    with pytest.raises(edits.EditError, match="at most 6 shots"):
        edits.add_shot(sb)


def test_no_room_for_a_shot_when_all_are_one_second() -> None:
    sb = edits.new_storyboard(total=3, shots=3)
    with pytest.raises(edits.EditError, match="Lengthen the total"):
        edits.add_shot(sb)


def test_duplicate_copies_prompt_title_and_notes(three: Storyboard) -> None:
    sb = edits.set_shot_text(three, 0, prompt="hero", title="Open", notes="n")
    out = edits.duplicate_shot(sb, 0)
    assert [s.prompt for s in out.shots[:2]] == ["hero", "hero"]
    assert out.shots[1].title == "Open" and out.shots[1].notes == "n"
    assert out.shots[1].id not in {s.id for s in sb.shots}


def test_delete_gives_the_seconds_to_the_previous_shot(three: Storyboard) -> None:
    assert durations(edits.delete_shot(three, 1)) == [7, 3]
    assert durations(edits.delete_shot(three, 0)) == [7, 3]
    single = edits.new_storyboard(total=5)
    with pytest.raises(edits.EditError, match="at least one shot"):
        edits.delete_shot(single, 0)


def test_move_carries_the_shot_with_it(three: Storyboard) -> None:
    sb = edits.set_shot_text(three, 0, prompt="first")
    out = edits.move_shot(sb, 0, 2)
    assert [s.prompt for s in out.shots] == ["", "", "first"]
    assert durations(out) == [3, 3, 4]


def test_split_and_merge_round_trip(three: Storyboard) -> None:
    sb = edits.set_shot_text(three, 0, prompt="a")
    split = edits.split_shot(sb, 0)
    assert durations(split) == [2, 2, 3, 3]
    assert split.shots[1].prompt == "a"
    merged = edits.merge_shots(edits.set_shot_text(split, 1, prompt=""), 0)
    assert durations(merged) == [4, 3, 3] and merged.shots[0].prompt == "a"
    with pytest.raises(edits.EditError, match="needs 2 s"):
        edits.split_shot(edits.new_storyboard(total=3, shots=3), 0)


def test_distribute_evenly(three: Storyboard) -> None:
    out = edits.distribute_evenly(edits.move_boundary(three, 0, 2))
    assert durations(out) == [4, 3, 3]
    with pytest.raises(edits.EditError, match="do not fit"):
        edits.distribute_evenly(three, minimum=4)


def test_attach_and_detach_assets_keeps_only_used_assets(three: Storyboard) -> None:
    a, b = image(1), image(2)
    sb = edits.attach(edits.attach(three, "start_frame", a), "reference_images", b)
    assert sb.start_frame == a.hash and sb.reference_images == (b.hash,)
    assert {x.hash for x in sb.assets} == {a.hash, b.hash}
    sb2 = edits.attach(sb, "end_frame", a)  # same content, stored once
    assert len(sb2.assets) == 2
    out = edits.detach(edits.detach(sb2, "start_frame"), "end_frame")
    assert [x.hash for x in out.assets] == [b.hash]
    with pytest.raises(edits.EditError, match="already a reference"):
        edits.attach(sb, "reference_images", b)
    with pytest.raises(edits.EditError, match="Unknown slot"):
        edits.attach(sb, "poster", a)


def test_elements_keep_64_bit_ids_exactly(three: Storyboard) -> None:
    sb = edits.add_element(three, 829836802793406551)
    assert sb.elements[0].element_id == "829836802793406551"
    with pytest.raises(edits.EditError, match="decimal id"):
        edits.add_element(three, "abc")
    with pytest.raises(edits.EditError, match="attached twice"):
        edits.add_element(sb, "829836802793406551")


def test_fourth_element_and_third_voice_are_refused(three: Storyboard) -> None:
    sb = three
    for i in range(3):
        sb = edits.add_element(sb, str(100 + i))
    with pytest.raises(edits.EditError, match="at most 3"):
        edits.add_element(sb, "200")
    sb = edits.add_voice(edits.add_voice(three, "v1"), "v2")
    with pytest.raises(edits.EditError, match="at most 2"):
        edits.add_voice(sb, "v3")


def test_settings_edit_validates(three: Storyboard) -> None:
    out = edits.set_settings(three, mode="pro", sound=True)
    assert out.settings.mode == "pro" and out.settings.sound
    with pytest.raises(edits.EditError, match="Unknown setting"):
        edits.set_settings(three, colour="red")
    with pytest.raises(edits.EditError, match="cfg_scale"):
        edits.set_settings(three, cfg_scale=3.0)


def test_edits_never_mutate_their_input(three: Storyboard) -> None:
    before = three.model_dump()
    edits.move_boundary(three, 0, 1)
    edits.set_total(three, 12)
    edits.attach(three, "start_frame", image())
    assert three.model_dump() == before
