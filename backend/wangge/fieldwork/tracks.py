"""GPS tracks as pure data: merging batches of points that arrive repeated and out of order, flagging points that
imply an impossible speed, and the geodesic length of what is left.

Pure: no FastAPI, no SQLAlchemy. A batch that comes after every stored point (what a phone sends) is flagged and
measured from the last good point alone (`extend`): its cost does not grow with the track. A late batch that puts
points in between makes the service load the stored points, call `merge` and `flag` over the whole merged
sequence (`build`), and write back what changed. Because the result depends only on the set of points (never
on the order or the batches they came in), a phone that resends, reorders or splits its batches differently
always ends with the same track; the property tests hold this.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pyproj import Geod

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Point:
    client_id: str
    recorded_at: datetime
    lat: float
    lon: float
    accuracy_m: float | None = None
    flagged: bool = False
    flag_reason: str | None = None


def order_key(p: Point) -> tuple[datetime, str]:
    # The client id breaks ties between points of the same instant, so the order never depends on arrival.
    return (p.recorded_at, p.client_id)


@dataclass(frozen=True)
class Merged:
    points: list[Point]  # every point, once, in time order
    new: list[Point]  # the incoming points that were not stored yet, in time order
    duplicates: int  # incoming points already stored, or repeated within the batch


def merge(existing: Iterable[Point], incoming: Iterable[Point]) -> Merged:
    """All points once, ordered by time. A point is known by its client id: the stored one wins over a resend,
    and the first of repeats within a batch wins over the rest."""
    known: dict[str, Point] = {p.client_id: p for p in existing}
    new: dict[str, Point] = {}
    duplicates = 0
    for p in incoming:
        if p.client_id in known or p.client_id in new:
            duplicates += 1
        else:
            new[p.client_id] = p
    points = sorted([*known.values(), *new.values()], key=order_key)
    return Merged(points=points, new=sorted(new.values(), key=order_key), duplicates=duplicates)


def distance_between(a: Point, b: Point) -> float:
    _, _, d = _GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    return d


def flag(points: Sequence[Point], max_speed_mps: float) -> list[Point]:
    """The points (already in time order) with their flags worked out afresh: a point is flagged when reaching
    it from the last unflagged point before it needs more than `max_speed_mps`. Flagged points stay in the record
    but not in the track, and the next point is measured from the last good one, so one bad fix flags one point."""
    out: list[Point] = []
    last: Point | None = None
    last_index = -1
    # Distances between neighbours in one call (pyproj's per-call cost dominates point by point); the last good
    # point is almost always the neighbour, and is measured on its own only after a flagged point.
    steps: list[float] = []
    if len(points) >= 2:
        _, _, steps = _GEOD.inv(
            [p.lon for p in points[:-1]],
            [p.lat for p in points[:-1]],
            [p.lon for p in points[1:]],
            [p.lat for p in points[1:]],
        )
    for i, p in enumerate(points):
        reason = None
        if last is not None:
            d = steps[i - 1] if last_index == i - 1 else distance_between(last, p)
            seconds = (p.recorded_at - last.recorded_at).total_seconds()
            if seconds <= 0:
                if d > 0.5:  # two fixes at one instant, apart by more than GPS jitter
                    reason = f"moved {d:.0f} m in no time from the previous point"
            elif d / seconds > max_speed_mps:
                reason = f"implies {d / seconds:.0f} m/s from the previous point"
        out.append(Point(p.client_id, p.recorded_at, p.lat, p.lon, p.accuracy_m, reason is not None, reason))
        if reason is None:
            last, last_index = p, i
    return out


def good(points: Iterable[Point]) -> list[Point]:
    return [p for p in points if not p.flagged]


def length_m(points: Sequence[Point]) -> float:
    """Geodesic length of the line through the unflagged points, in order."""
    kept = good(points)
    if len(kept) < 2:
        return 0.0
    return float(_GEOD.line_length([p.lon for p in kept], [p.lat for p in kept]))


def line_coords(points: Sequence[Point]) -> list[tuple[float, float]] | None:
    """(lon, lat) of the track's line; None below two unflagged points (no line to draw or measure)."""
    kept = [(p.lon, p.lat) for p in good(points)]
    return kept if len(kept) >= 2 else None


@dataclass(frozen=True)
class Track:
    points: list[Point]
    distance_m: float
    line: list[tuple[float, float]] | None

    @property
    def flagged_count(self) -> int:
        return sum(1 for p in self.points if p.flagged)


@dataclass(frozen=True)
class Extension:
    points: list[Point]  # the new points, flagged, in time order
    added_m: float  # the length they add to the track
    line_tail: list[tuple[float, float]]  # (lon, lat) of the new unflagged points, to append to the line


def extend(last_good: Point | None, new: Sequence[Point], max_speed_mps: float) -> Extension:
    """The new points of a batch that all come after every stored point, flagged and measured as `build` would
    over the whole track — a point's flag depends only on the points before it, and only through the last
    unflagged one — so that appending costs the batch, not the track."""
    head = [last_good] if last_good is not None else []
    flagged = flag([*head, *new], max_speed_mps)
    added = length_m(flagged)
    fresh = flagged[len(head) :]
    return Extension(
        points=fresh,
        added_m=added if math.isfinite(added) else 0.0,
        line_tail=[(p.lon, p.lat) for p in good(fresh)],
    )


def build(existing: Iterable[Point], incoming: Iterable[Point], max_speed_mps: float) -> tuple[Merged, Track]:
    """Merge, flag over the whole merged sequence, and measure: what the service stores."""
    merged = merge(existing, incoming)
    flagged = flag(merged.points, max_speed_mps)
    distance = length_m(flagged)
    if not math.isfinite(distance):
        distance = 0.0
    return merged, Track(points=flagged, distance_m=distance, line=line_coords(flagged))
