"""The pure track module: merging batches that arrive repeated, shuffled and split differently gives the same track
as sending every point once in time order; impossible jumps are flagged, kept, and left out of the distance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.fieldwork import tracks

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
MAX_SPEED = 15.0


def pt(i: int, seconds: float, lat: float, lon: float) -> tracks.Point:
    return tracks.Point(f"p{i}", T0 + timedelta(seconds=seconds), lat, lon)


# A walk near G1a: small steps (walking) with now and then a wild fix (a jump of a kilometre or more), and some
# points sharing an instant.
step = st.tuples(
    st.integers(min_value=0, max_value=30),  # seconds after the previous point
    st.floats(min_value=-0.0002, max_value=0.0002),  # ~20 m
    st.floats(min_value=-0.0002, max_value=0.0002),
    st.booleans(),  # a wild fix
)


@st.composite
def walks(draw: st.DrawFn) -> list[tracks.Point]:
    steps = draw(st.lists(step, min_size=0, max_size=200))
    lat, lon, t = 28.1015, 113.0015, 0
    out = []
    for i, (dt, dlat, dlon, wild) in enumerate(steps):
        t += dt
        if wild:
            out.append(pt(i, t, lat + 0.02, lon - 0.02))
        else:
            lat, lon = lat + dlat, lon + dlon
            out.append(pt(i, t, lat, lon))
    return out


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[list[tracks.Point], list[list[tracks.Point]]]:
    """The points, and batches that carry every point at least once: shuffled, split anywhere, with repeats."""
    points = draw(walks())
    sent = list(points)
    repeats = draw(st.lists(st.sampled_from(points), max_size=30)) if points else []
    sent += repeats
    sent = draw(st.permutations(sent))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=len(sent)), max_size=8)))
    batches, start = [], 0
    for c in [*cuts, len(sent)]:
        batches.append(sent[start:c])
        start = c
    # A batch resent whole, as a phone does when the answer was lost.
    if batches and draw(st.booleans()):
        batches.insert(draw(st.integers(0, len(batches))), list(batches[draw(st.integers(0, len(batches) - 1))]))
    return points, batches


def deliver(batches: list[list[tracks.Point]]) -> tuple[tracks.Track, int, int]:
    stored: list[tracks.Point] = []
    track = tracks.Track([], 0.0, None)
    new_total = dup_total = 0
    for b in batches:
        merged, track = tracks.build(stored, b, MAX_SPEED)
        stored = track.points
        new_total += len(merged.new)
        dup_total += merged.duplicates
    return track, new_total, dup_total


@settings(max_examples=60, deadline=None)
@given(deliveries())
def test_batches_in_any_order_with_repeats_give_the_track_of_one_ordered_send(case):
    points, batches = case
    once = sorted(points, key=tracks.order_key)
    _, expected = tracks.build([], once, MAX_SPEED)
    got, new_total, dup_total = deliver(batches)

    assert [p.client_id for p in got.points] == [p.client_id for p in expected.points]
    assert [(p.flagged, p.flag_reason) for p in got.points] == [(p.flagged, p.flag_reason) for p in expected.points]
    assert got.line == expected.line
    assert got.distance_m == pytest.approx(expected.distance_m, abs=1e-6)
    # Every point is stored once; everything else sent was a duplicate.
    assert new_total == len(points)
    assert new_total + dup_total == sum(len(b) for b in batches)


@settings(max_examples=60, deadline=None)
@given(walks())
def test_flags_follow_the_speed_rule_and_the_distance_leaves_flagged_points_out(points):
    points = sorted(points, key=tracks.order_key)
    flagged = tracks.flag(points, MAX_SPEED)
    last = None
    for p in flagged:
        if last is not None and not p.flagged:
            seconds = (p.recorded_at - last.recorded_at).total_seconds()
            d = tracks.distance_between(last, p)
            assert d <= 0.5 if seconds <= 0 else d / seconds <= MAX_SPEED
        if p.flagged:
            assert p.flag_reason
        else:
            last = p
    kept = [p for p in flagged if not p.flagged]
    expected = sum(tracks.distance_between(a, b) for a, b in zip(kept, kept[1:], strict=False))
    assert tracks.length_m(flagged) == pytest.approx(expected, abs=1e-6)


def test_an_impossible_jump_is_flagged_with_its_speed_and_the_walk_goes_on_from_the_last_good_point():
    a = pt(1, 0, 28.1010, 113.0010)
    b = pt(2, 10, 28.1011, 113.0010)  # ~11 m in 10 s
    jump = pt(3, 20, 28.1101, 113.0010)  # ~1 km in 10 s
    c = pt(4, 30, 28.1012, 113.0010)  # back near b: fine from b
    merged, track = tracks.build([], [c, jump, a, b], MAX_SPEED)
    assert [p.client_id for p in track.points] == ["p1", "p2", "p3", "p4"]
    assert [p.flagged for p in track.points] == [False, False, True, False]
    assert track.points[2].flag_reason.startswith("implies ") and track.points[2].flag_reason.endswith(
        " m/s from the previous point"
    )
    assert track.distance_m == pytest.approx(tracks.length_m([a, b, c]))
    assert track.line == [(113.0010, 28.1010), (113.0010, 28.1011), (113.0010, 28.1012)]


def test_a_late_point_changes_its_neighbours_flags_either_way():
    a = pt(1, 0, 28.1000, 113.0010)
    c = pt(3, 20, 28.1018, 113.0010)  # ~200 m in 20 s from a: 10 m/s, fine
    _, track = tracks.build([], [a, c], MAX_SPEED)
    assert [p.flagged for p in track.points] == [False, False]
    b = pt(2, 19, 28.1000, 113.0010)  # a late point, still at a's place one second before c
    _, track = tracks.build(track.points, [b], MAX_SPEED)
    assert [(p.client_id, p.flagged) for p in track.points] == [("p1", False), ("p2", False), ("p3", True)]

    d = pt(4, 0, 28.1000, 113.0020)
    e = pt(5, 10, 28.1027, 113.0020)  # ~300 m in 10 s from d: flagged
    _, track = tracks.build([], [d, e], MAX_SPEED)
    assert [p.flagged for p in track.points] == [False, True]
    early = pt(6, -10, 28.1027, 113.0020)  # an earlier point at e's place: now d is the jump and e is fine
    _, track = tracks.build(track.points, [early], MAX_SPEED)
    assert [(p.client_id, p.flagged) for p in track.points] == [("p6", False), ("p4", True), ("p5", False)]


def test_repeats_within_a_batch_and_of_stored_points_are_duplicates():
    a, b = pt(1, 0, 28.1, 113.0), pt(2, 5, 28.1, 113.00001)
    merged = tracks.merge([a], [a, b, b])
    assert [p.client_id for p in merged.new] == ["p2"] and merged.duplicates == 2
    assert tracks.line_coords([a]) is None


@settings(max_examples=60, deadline=None)
@given(walks(), st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_appending_batches_in_time_order_gives_the_track_of_one_send(points, cuts):
    """The service's constant-time path: batches that each come after everything stored, flagged and measured
    from the last good point alone (`extend`), end with exactly the track `build` makes of all the points."""
    points = sorted(points, key=tracks.order_key)
    stored: list[tracks.Point] = []
    distance = 0.0
    line: list[tuple[float, float]] = []
    start = 0
    for cut in [*sorted(c for c in cuts if c <= len(points)), len(points)]:
        batch = points[start:cut]
        start = max(start, cut)
        kept = tracks.good(stored)
        ext = tracks.extend(kept[-1] if kept else None, batch, MAX_SPEED)
        stored += ext.points
        distance += ext.added_m
        line = (line or [(p.lon, p.lat) for p in kept]) + ext.line_tail
    _, expected = tracks.build([], points, MAX_SPEED)
    assert [(p.client_id, p.flagged, p.flag_reason) for p in stored] == [
        (p.client_id, p.flagged, p.flag_reason) for p in expected.points
    ]
    assert distance == pytest.approx(expected.distance_m, abs=1e-6)
    assert (line if len(line) >= 2 else None) == expected.line
