"""Tests for scenes.layout: the grid planner stays inside the frame, boxes never overlap, numbers
are dropped exactly when they would be unreadable at 480p, and the mobject checks work."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from manim import Square, Text
from scene_helpers import inside_frame, overlapping_texts

from convmath import ConvMathError, ConvSpec
from scenes.layout import (
    CHAR_WIDTH,
    DIGIT_HEIGHT,
    LINE_HEIGHT,
    MIN_GLYPH_PX_480P,
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    Box,
    check_cells,
    fit_text,
    grid_rows_cols,
    largest_square_input,
    plan,
    plan_best,
    px_480p,
    value_chars,
)

FW, FH = 16 / 9 * 8.0, 8.0  # manim's default frame (16:9, 8 units high)

# (columns, top_rows, bottom_rows): A1-like arrangements from a 1D length-3 input up to a 12x12
# input with padding 3 (18x18 grid), transposed (stretched) and dilated grids, other scenes' shapes.
CASES = [
    ([[(2,)], [(3,)], [(2,)]], 1, 3),
    ([[(1,)], [(3,)], [(3,)]], 1, 3),
    ([[(2,), (5,), (4,)]], 1, 3),
    ([[(3, 3)], [(7, 7)], [(3, 3)]], 1, 3),
    ([[(7, 7)], [(3, 3), (3, 3)]], 1, 3),
    ([[(3, 3)], [(6, 6)], [(2, 2)]], 1, 3),
    ([[(3, 3)], [(18, 18)], [(16, 16)]], 1, 3),
    ([[(18, 18)], [(3, 3), (16, 16)]], 1, 3),
    ([[(3, 3)], [(11, 11)], [(9, 9)]], 1, 3),  # 5x5 transposed, stride 2, p=1
    ([[(3, 3)], [(7, 7)], [(3, 3)]], 2, 2),  # dilation 2 on a 7x7 input
    ([[(5, 5)], [(12, 12)], [(8, 8)]], 1, 3),  # 5x5 kernel on 12x12
    ([[(3, 1)], [(40,)], [(38,)]], 1, 3),  # long 1D
    ([[(4, 16)], [(9, 9)]], 1, 2),  # matrix-like wide grid
    ([[(1, 3)], [(2, 30)], [(1, 28)]], 0, 0),
]


def _all_boxes(lay):
    return lay.boxes()


@pytest.mark.parametrize(("columns", "top", "bottom"), CASES)
@pytest.mark.parametrize("frame", [(FW, FH), (8.0, 8.0), (FW * 2, FH * 2)],
                         ids=["16:9", "square", "big"])
def test_plan_inside_frame_and_no_overlap(columns, top, bottom, frame):
    fw, fh = frame
    lay = plan(columns, frame_width=fw, frame_height=fh, top_rows=top, bottom_rows=bottom)
    frame_box = Box(0, 0, fw, fh)
    boxes = _all_boxes(lay)
    assert len(lay.grids) == sum(len(c) for c in columns)
    assert len(lay.top) == top and len(lay.bottom) == bottom
    for b in boxes:
        assert frame_box.contains(b), b
        assert b.width > 0 and b.height > 0
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for slot, shape in zip(lay.grids, [s for col in columns for s in col]):
        rows, cols = (1, shape[0]) if len(shape) == 1 else shape
        assert (slot.rows, slot.cols) == (rows, cols)
        assert slot.box.width == pytest.approx(cols * lay.cell)
        assert slot.box.height == pytest.approx(rows * lay.cell)
        assert slot.caption.bottom == pytest.approx(slot.box.top)  # caption right above


@pytest.mark.parametrize(("columns", "top", "bottom"), CASES)
def test_numbers_only_when_readable_at_480p(columns, top, bottom):
    lay = plan(columns, frame_width=FW, frame_height=FH, top_rows=top, bottom_rows=bottom,
               chars=2)
    digit_px = lay.value_font * DIGIT_HEIGHT * 480 / FH
    assert lay.numeric == (digit_px >= MIN_GLYPH_PX_480P)
    # a two-character number fits its cell
    assert 2 * CHAR_WIDTH * lay.value_font < lay.cell
    assert DIGIT_HEIGHT * lay.value_font < lay.cell


def test_twelve_by_twelve_with_padding_three_goes_schematic_and_small_is_numeric():
    big = plan([[(3, 3)], [(18, 18)], [(16, 16)]], frame_width=FW, frame_height=FH,
               top_rows=1, bottom_rows=3)
    small = plan([[(3, 3)], [(7, 7)], [(3, 3)]], frame_width=FW, frame_height=FH,
                 top_rows=1, bottom_rows=3)
    assert not big.numeric
    assert small.numeric
    assert not plan([[(3, 3)]], frame_width=FW, frame_height=FH, numeric=False).numeric


def test_more_characters_smaller_numbers():
    a = plan([[(5, 5)]], frame_width=FW, frame_height=FH, chars=1)
    b = plan([[(5, 5)]], frame_width=FW, frame_height=FH, chars=5)
    assert b.value_font < a.value_font


def test_cells_capped_and_shared():
    lay = plan([[(1,)], [(2,)]], frame_width=FW, frame_height=FH)
    assert lay.cell <= FH / 8 + 1e-9
    assert {g.cell for g in lay.grids} == {lay.cell}


def test_plan_best_picks_largest_cells():
    wide = [[(18, 18)], [(3, 3)], [(16, 16)]]
    stacked = [[(18, 18), (3, 3), (16, 16)]]
    i, lay = plan_best([stacked, wide], frame_width=FW, frame_height=FH)
    assert i == 1
    assert lay.cell == pytest.approx(plan(wide, frame_width=FW, frame_height=FH).cell)


@pytest.mark.parametrize("bad", [[], [[]]])
def test_plan_rejects_nothing(bad):
    with pytest.raises(ValueError, match="columns is invalid"):
        plan(bad, frame_width=FW, frame_height=FH)


def test_grid_rows_cols():
    assert grid_rows_cols((5,)) == (1, 5)
    assert grid_rows_cols((2, 3)) == (2, 3)
    with pytest.raises(ValueError, match="shape=.*is invalid"):
        grid_rows_cols((1, 2, 3))


def test_value_chars():
    assert value_chars([1, -1], [[0.25]]) == 4  # "0.25"
    assert value_chars([-12]) == 3  # "−12" (true minus sign)
    assert value_chars([0]) == 1


@pytest.mark.parametrize("s", ["0", "−2", "12", "0.33"])
def test_font_constants_match_pango(s):
    """The planner's text metrics agree with real Text mobjects (within 15 %)."""
    font = 40
    t = Text(s, font="DejaVu Sans", font_size=font)
    assert t.height == pytest.approx(DIGIT_HEIGHT * font, rel=0.15)
    assert t.width <= len(s) * CHAR_WIDTH * font * 1.02
    ag = Text("Ag", font="DejaVu Sans", font_size=font)
    assert ag.height <= LINE_HEIGHT * font * 1.05


def test_fit_text_only_shrinks_and_centres():
    box = Box(1.0, -1.0, 2.0, 0.5)
    long = fit_text(Text("a rather long caption here", font_size=24), box)
    assert long.width <= box.width + 1e-6 and long.height <= box.height + 1e-6
    assert np.allclose(long.get_center()[:2], [1.0, -1.0], atol=1e-6)
    short = Text("a", font_size=24)
    h = short.height
    fit_text(short, Box(0, 0, 10, 10))
    assert short.height == pytest.approx(h)
    left = fit_text(Text("x", font_size=24), box, align="left")
    assert left.get_left()[0] == pytest.approx(box.left)


def test_inside_frame_and_overlapping_texts():
    sq = Square(side_length=1.0)
    assert inside_frame(sq, FW, FH)
    assert not inside_frame(sq.copy().shift([FW / 2, 0, 0]), FW, FH)
    a = Text("hello", font_size=24)
    b = Text("world", font_size=24).move_to(a.get_center() + [0.1, 0, 0])
    c = Text("far", font_size=24).shift([0, 3, 0])
    pairs = overlapping_texts([a, b, c])
    assert len(pairs) == 1 and set(map(id, pairs[0])) == {id(a), id(b)}
    assert overlapping_texts([a, c]) == []


# -- legibility limits ---------------------------------------------------------------------------


def test_reference_frame_is_480p_16_9():
    assert px_480p(REF_FRAME_HEIGHT) == pytest.approx(480.0)
    assert REF_FRAME_WIDTH / REF_FRAME_HEIGHT == pytest.approx(16 / 9)
    assert px_480p(1.0, frame_height=4.0) == pytest.approx(120.0)


@pytest.mark.parametrize(
    "spec, side_max",
    [
        (ConvSpec((7,), 3), 40),
        (ConvSpec((7, 7), 3, padding=1), 25),
        (ConvSpec((50, 50), 5, stride=2), 17),
        (ConvSpec((8,), 3, dilation=3), 12),  # sizes below 7 are invalid (window of 7)
        (ConvSpec((9,), 3), 2),  # no valid size is accepted
        (ConvSpec((3,), 3), 1000),  # accepted far past the spec's own size
    ],
)
def test_largest_square_input_matches_a_linear_scan(spec, side_max):
    def accepts(sp):
        return max(sp.grid_shape) <= side_max

    def brute():
        best = None
        for n in range(1, 1200):
            try:
                sp = ConvSpec((n,) * spec.ndim, spec.kernel_shape, stride=spec.stride,
                              padding=spec.padding, dilation=spec.dilation)
            except ValueError:
                continue
            if accepts(sp):
                best = n
        return best

    assert largest_square_input(spec, accepts) == brute()


def test_check_cells_names_the_value_and_the_limit():
    def smallest(sp):
        return f"the grid {sp.grid_shape[0]}", 300.0 / sp.grid_shape[0]  # px

    check_cells("Demo", ConvSpec((50,), 3), smallest)  # 6 px: accepted
    with pytest.raises(ConvMathError, match=r"^spec is too large for Demo: with input 51, the grid "
                       r"51 would get cells of 5\.9 px at 480p; the limit is cells of at least "
                       r"6 px at 480p \(MIN_CELL_PX_480P\): inputs up to about 50 fit"):
        check_cells("Demo", ConvSpec((51,), 3), smallest)
    with pytest.raises(ConvMathError, match=r"would not fit the frame at all.*no input size fits"):
        check_cells("Demo", ConvSpec((5,), 3), lambda sp: ("the grid", 0.0))
    with pytest.raises(ConvMathError, match=r"digits of 2\.0 px.*at least 8 px.*\. Try less\.$"):
        check_cells("Demo", ConvSpec((5,), 3), lambda sp: ("x", 2.0), min_px=8, what="digits",
                    limit="MIN_GLYPH_PX_480P", hint="Try less.")
