"""Random edit sequences never break a storyboard and never fail with anything but EditError."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kling_studio.domain import edits
from kling_studio.domain.storyboard import MAX_SHOTS, Asset, Storyboard

ASSET = Asset(hash="ab" * 32, kind="image", format="png", bytes=10, width=400, height=400)

ops = st.one_of(
    st.tuples(st.just("insert"), st.integers(-1, 7), st.integers(1, 3)),
    st.tuples(st.just("duplicate"), st.integers(-1, 7)),
    st.tuples(st.just("delete"), st.integers(-1, 7)),
    st.tuples(st.just("move"), st.integers(-1, 7), st.integers(-1, 7)),
    st.tuples(st.just("split"), st.integers(-1, 7), st.none() | st.integers(-2, 16)),
    st.tuples(st.just("merge"), st.integers(-1, 7)),
    st.tuples(st.just("duration"), st.integers(-1, 7), st.integers(-5, 20)),
    st.tuples(st.just("boundary"), st.integers(-1, 7), st.integers(-20, 20)),
    st.tuples(st.just("total"), st.integers(-2, 20)),
    st.tuples(st.just("even"), st.integers(1, 4)),
    st.tuples(st.just("text"), st.integers(-1, 7), st.text(max_size=30)),
    st.tuples(
        st.just("attach"),
        st.sampled_from(
            [
                "start_frame",
                "end_frame",
                "reference_images",
                "reference_video",
                "static_mask",
                "bogus",
            ]
        ),
    ),
    st.tuples(
        st.just("detach"),
        st.sampled_from(
            ["start_frame", "end_frame", "reference_images", "reference_video", "static_mask"]
        ),
        st.integers(-1, 3),
    ),
)


def apply(sb: Storyboard, op: tuple[Any, ...]) -> Storyboard:
    kind, *args = op
    funcs = {
        "insert": lambda: edits.insert_shot(sb, args[0], seconds=args[1]),
        "duplicate": lambda: edits.duplicate_shot(sb, args[0]),
        "delete": lambda: edits.delete_shot(sb, args[0]),
        "move": lambda: edits.move_shot(sb, args[0], args[1]),
        "split": lambda: edits.split_shot(sb, args[0], args[1]),
        "merge": lambda: edits.merge_shots(sb, args[0]),
        "duration": lambda: edits.set_shot_duration(sb, args[0], args[1]),
        "boundary": lambda: edits.move_boundary(sb, args[0], args[1]),
        "total": lambda: edits.set_total(sb, args[0]),
        "even": lambda: edits.distribute_evenly(sb, args[0]),
        "text": lambda: edits.set_shot_text(sb, args[0], prompt=args[1]),
        "attach": lambda: edits.attach(sb, args[0], ASSET),
        "detach": lambda: edits.detach(sb, args[0], args[1]),
    }
    return funcs[kind]()


@settings(max_examples=300, deadline=None)
@given(total=st.integers(1, 15), shots=st.integers(1, 6), seq=st.lists(ops, max_size=25))
def test_random_edit_sequences_keep_every_invariant(total: int, shots: int, seq: list[Any]) -> None:
    sb = edits.new_storyboard(total=max(total, shots), shots=shots)
    for op in seq:
        before_total = sb.total
        try:
            out = apply(sb, op)
        except edits.EditError as exc:
            assert str(exc), "an EditError must say why"
            continue
        assert 1 <= len(out.shots) <= MAX_SHOTS
        assert all(s.duration >= 1 for s in out.shots)
        assert sum(s.duration for s in out.shots) == out.total
        if op[0] != "total":
            assert out.total == before_total, f"{op[0]} changed the total"
        assert len({s.id for s in out.shots}) == len(out.shots)
        used = {ref for _, ref in out.slot_refs()}
        assert used <= {a.hash for a in out.assets}
        # every edit result survives a round trip through the validator
        assert Storyboard.model_validate(out.model_dump()) == out
        sb = out
