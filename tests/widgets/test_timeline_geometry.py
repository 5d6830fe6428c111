"""Timeline geometry and snapping: pure functions, no display needed."""

from __future__ import annotations

import itertools

import pytest

from kling_studio.widgets.timeline.geometry import (
    MARGIN_X,
    HitKind,
    View,
    border_limits,
    compute_layout,
    snap,
    timecode,
    zoom_about,
)

DURATIONS = (5, 1, 3, 1, 3, 2)  # 15 s


def layout(width: float = 1280, zoom: float = 1.0, scroll: float = 0.0):  # type: ignore[no-untyped-def]
    return compute_layout(DURATIONS, View(width, 160, zoom, scroll))


def test_blocks_are_proportional_and_fill_the_width_at_fit() -> None:
    lay = layout()
    assert lay.blocks[0].x == pytest.approx(MARGIN_X)
    assert lay.blocks[-1].right == pytest.approx(1280 - MARGIN_X)
    widths = [b.w for b in lay.blocks]
    for w, d in zip(widths, DURATIONS, strict=True):
        assert w == pytest.approx(d * lay.px_per_second)
    assert all(b.y >= lay.ruler.bottom for b in lay.blocks)  # blocks sit under the ruler
    assert all(a.right == pytest.approx(b.x) for a, b in itertools.pairwise(lay.blocks))


def test_x_and_seconds_round_trip_and_borders_sit_on_whole_seconds() -> None:
    lay = layout(zoom=3, scroll=200)
    for s in (0.0, 2.5, 7.25, 15.0):
        assert lay.seconds_at(lay.x_at(s)) == pytest.approx(s)
    assert [lay.border_seconds(b) for b in range(5)] == [5, 6, 9, 10, 13]
    assert lay.border_x(0) == pytest.approx(lay.blocks[1].x)


def test_hit_testing_tells_ruler_border_shot_and_empty_apart() -> None:
    lay = layout()
    mid_y = lay.blocks[0].y + 20
    assert lay.hit(300, 5).kind is HitKind.RULER
    border = lay.hit(lay.border_x(2) + 3, mid_y)
    assert (border.kind, border.index) == (HitKind.BORDER, 2)
    shot = lay.hit(lay.blocks[4].x + lay.blocks[4].w / 2, mid_y)
    assert (shot.kind, shot.index) == (HitKind.SHOT, 4)
    assert lay.hit(lay.blocks[0].x + 30, mid_y).kind is HitKind.SHOT  # not the outer edge
    assert lay.hit(3, mid_y).kind is HitKind.EMPTY  # left margin
    assert lay.hit(300, 159).kind is HitKind.EMPTY  # below the blocks


def test_border_zone_leaves_tiny_blocks_grabbable_for_reordering() -> None:
    lay = compute_layout((14, 1), View(200, 160))  # the 1 s block is ~12 px wide
    tiny = lay.blocks[1]
    hit = lay.hit(tiny.x + tiny.w * 0.75, tiny.y + 10)
    assert (hit.kind, hit.index) == (HitKind.SHOT, 1)
    assert lay.hit(lay.border_x(0), tiny.y + 10).kind is HitKind.BORDER


def test_ruler_ticks_are_labelled_in_seconds_and_get_finer_when_zoomed() -> None:
    fit = layout()
    majors = [t for t in fit.ticks if t.major]
    assert [t.label for t in majors][:4] == ["0s", "1s", "2s", "3s"]
    assert majors[-1].label == "15s"
    gaps = [b.x - a.x for a, b in itertools.pairwise(majors)]
    assert min(gaps) >= 56  # labels never crowd
    zoomed = layout(zoom=8)
    labels = [t.label for t in zoomed.ticks if t.major]
    assert "0s+6f" in labels or "0s+12f" in labels  # frames appear between seconds
    assert all(-1 <= t.x <= 1281 for t in zoomed.ticks)  # only visible ticks


def test_narrow_widget_labels_every_few_seconds() -> None:
    lay = compute_layout(DURATIONS, View(400, 160))
    labels = [t.label for t in lay.ticks if t.major]
    assert labels == ["0s", "5s", "10s", "15s"]


def test_zoom_keeps_the_instant_under_the_pointer_and_clamps() -> None:
    view = View(1280, 160)
    anchor = layout().x_at(6.0)
    zoomed = zoom_about(view, 15, 4.0, anchor)
    assert zoomed.zoom == 4.0
    assert compute_layout(DURATIONS, zoomed).x_at(6.0) == pytest.approx(anchor)
    assert zoom_about(view, 15, 0.1, 100).zoom == 1.0  # never smaller than fit
    assert zoom_about(View(1280, 160, 4.0, 99999), 15, 1.0, 0).scroll == pytest.approx(
        (1280 - 2 * MARGIN_X) * 3
    )


def test_timecode_is_hours_minutes_seconds_frames_at_24_fps() -> None:
    assert timecode(0) == "00:00:00:00"
    assert timecode(7.5) == "00:00:07:12"
    assert timecode(1 / 24) == "00:00:00:01"
    assert timecode(3725 + 23 / 24) == "01:02:05:23"


def test_border_limits_keep_the_minimum_without_worsening_short_shots() -> None:
    assert border_limits((5, 4, 6), 0, 1) == (1, 8)
    assert border_limits((5, 4, 6), 1, 3) == (8, 12)
    assert border_limits((2, 6), 0, 3) == (2, 5)  # a 2 s shot below a 3 s minimum cannot shrink


# ----- snapping -----


def test_snap_always_returns_whole_seconds() -> None:
    for s in (0.0, 0.49, 0.51, 3.2, 7.5, 14.99):
        out = snap(s, [], 80, 8)
        assert isinstance(out, int)
        assert out == int(s + 0.5)


def test_snap_candidate_within_tolerance_wins_over_rounding() -> None:
    # 20 px per second: 7.3 s rounds to 7 but the candidate 8 is 14 px away (outside 8 px)...
    assert snap(7.3, [8], 20, 8) == 7
    # ...and 7.65 s is 7 px from it: the candidate pulls.
    assert snap(7.65, [8], 20, 8) == 8
    assert snap(7.45, [8, 6], 6, 8) == 8  # zoomed far out, the nearest candidate wins


def test_snap_tolerance_is_in_pixels_so_it_scales_with_zoom() -> None:
    assert snap(7.65, [8], 20, 8) == 8  # 7 px away
    assert snap(7.65, [8], 200, 8) == 8  # plain rounding agrees
    assert snap(7.3, [8], 200, 8) == 7  # 140 px away at high zoom: no pull


def test_snap_is_sticky_until_the_pointer_leaves_one_and_a_half_tolerances() -> None:
    # Candidate 8 at 10 px/s, tolerance 8 px: it catches at 0.8 s and holds until 1.2 s away.
    assert snap(8.7, [8], 10, 8) == 8
    assert snap(9.1, [8], 10, 8, previous=8) == 8  # 11 px: released only past 12 px
    assert snap(9.1, [8], 10, 8) == 9  # without history it would round
    assert snap(9.3, [8], 10, 8, previous=8) == 9


def test_snap_does_not_flicker_on_the_half_second() -> None:
    pps, tol = 80, 8  # 1 s = 80 px
    assert snap(3.52, [], pps, tol) == 4  # fresh: plain rounding
    assert snap(3.52, [], pps, tol, previous=3) == 3  # hovering just past the middle: hold
    assert snap(3.48, [], pps, tol, previous=4) == 4
    assert snap(3.56, [], pps, tol, previous=3) == 4  # half a tolerance (4 px) past: switch
    values, prev = [], None
    for s in (3.49, 3.51, 3.495, 3.505, 3.5, 3.49):  # jittery pointer on the threshold
        prev = snap(s, [], pps, tol, prev)
        values.append(prev)
    assert len(set(values)) == 1
