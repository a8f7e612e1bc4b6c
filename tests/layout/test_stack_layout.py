"""`scenes.layout.stack.plan_tilted_levels`: 2D levels in perspective, one above the other,
inside the frame, apart, and as large as the frame allows (checked with the tilt's own maths,
written here: a level of r×c cells of side a is 0.42·r·a high and (c + 0.55·r)·a wide)."""

from __future__ import annotations

import pytest

from scenes.layout.frame import MAX_CELL_FRACTION, frame_bands
from scenes.layout.stack import TILT, plan_tilted_levels

FRAME = (14.222222, 8.0)


@pytest.mark.parametrize("shapes", [
    [(9, 9), (7, 7), (3, 3)], [(5, 5), (3, 3)], [(16, 16), (14, 14), (6, 6), (2, 2)],
    [(12, 4), (10, 2)], [(3, 30), (1, 28)], [(40, 40), (38, 38)],
])
def test_levels_fit_the_band_apart_and_in_perspective(shapes):
    lay = plan_tilted_levels(shapes, frame_width=FRAME[0], frame_height=FRAME[1])
    f = frame_bands(*FRAME, 1, 2)
    a, (sx, sq) = lay.cell, (TILT[0][1], TILT[1][1])
    spans = []
    for n, (r, c) in enumerate(shapes):
        corners = [lay.project(n, (lay.centers[n][0] + dx * c * a / 2,
                                   lay.centers[n][1] + dy * r * a / 2))
                   for dx in (-1, 1) for dy in (-1, 1)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        assert max(ys) - min(ys) == pytest.approx(sq * r * a)
        assert max(xs) - min(xs) == pytest.approx((c + sx * r) * a)
        assert f.band_bottom - 1e-9 <= min(ys) and max(ys) <= f.band_top + 1e-9
        assert -FRAME[0] / 2 < min(xs) and max(xs) < FRAME[0] / 2
        spans.append((min(ys), max(ys)))
    for (_, hi), (lo2, _) in zip(spans, spans[1:]):
        assert lo2 > hi  # each level above the one before, with a gap for the field's edges
    # as large as the frame allows: the height, the width or the cell cap binds
    used_h = spans[-1][1] - spans[0][0]
    widest = max((c + sx * r) * a for r, c in shapes)
    assert (used_h >= 0.99 * (f.band_top - f.band_bottom) or widest >= 0.6 * FRAME[0]
            or a == pytest.approx(MAX_CELL_FRACTION * f.height))


@pytest.mark.parametrize("shapes", [[], [(3,)], [(0, 3)]])
def test_bad_shapes_are_refused(shapes):
    with pytest.raises(ValueError, match="give 2D shapes"):
        plan_tilted_levels(shapes, frame_width=FRAME[0], frame_height=FRAME[1])
