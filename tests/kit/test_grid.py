"""Tests for scenes.grid: CellGrid geometry, styling by kind, getters and the window path."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, RIGHT, UL, Square, Text

from convmath import ConvSpec, conv_steps, grid_input_index, grid_values
from scenes.kit.grid import CellGrid, show_or_move
from scenes.kit.text import FONT, make_markup, make_text, wrap_words
from scenes.kit.text import text_lines as captions
from scenes.kit.theme import DARK, LIGHT
from scenes.layout import Box


def _grid(spec: ConvSpec, x, cell=0.5, font=20.0, theme=LIGHT, center=(0, 0, 0)):
    return CellGrid(spec.grid_shape, cell, theme=theme, kinds=grid_input_index(spec),
                    values=grid_values(x, spec), value_font=font, center=center)


def test_cell_centres_are_a_regular_lattice():
    g = CellGrid((3, 4), 0.5, theme=LIGHT, center=(1.0, -2.0, 0))
    # independent oracle: top-left cell centre + (c, -r) * cell
    top_left = np.array([1.0 - 2 * 0.5 + 0.25, -2.0 + 1.5 * 0.5 - 0.25, 0])
    for r in range(3):
        for c in range(4):
            assert np.allclose(g.cell_center((r, c)), top_left + [c * 0.5, -r * 0.5, 0])
    assert np.allclose(g.get_center(), [1.0, -2.0, 0])
    assert g.width == pytest.approx(2.0) and g.height == pytest.approx(1.5)


def test_getters_follow_the_grid_when_it_moves_and_scales():
    g = CellGrid((2, 2), 1.0, theme=LIGHT)
    before = g.cell_center((1, 1))
    g.shift([3, 1, 0]).scale(0.5)
    assert g.cell_size == pytest.approx(0.5)
    assert np.allclose(g.cell_center((1, 1)), [3 + before[0] * 0.5, 1 + before[1] * 0.5, 0])
    assert g.get_cell((1, 1)).width == pytest.approx(0.5)


def test_placement_is_read_again_after_every_change_of_the_outline():
    """The corner and side are memoised on the outline's points: any move, scale or stretch
    (in place or not) gives the values manim computes from the outline now."""
    g = CellGrid((3, 2), 0.7, theme=LIGHT, center=(0.3, -0.2, 0))
    for change in (lambda: g.shift([1.5, -0.25, 0]), lambda: g.scale(1.3),
                   lambda: g.stretch(0.5, 0), lambda: g.outline.points.__iadd__(0.125),
                   lambda: g.move_to([-2, 1, 0]), lambda: None):
        change()
        ul = g.outline.get_corner(UL)
        side = g.outline.width / g.cols
        assert g.cell_size == side
        assert np.array_equal(g.corner(), ul)
        assert np.array_equal(g.cell_center((2, 1)), ul + 1.5 * side * RIGHT + 2.5 * side * DOWN)
    with pytest.raises(ValueError):
        g.corner()[0] = 1.0  # read-only: the memo cannot be changed by a caller


@pytest.mark.parametrize("style", [{}, {"fill_opacity": 1.0}, {"color": "#123456",
                                                                "stroke_width": 2.5}])
def test_get_cell_is_a_fresh_square_moved_onto_the_cell(style):
    """Copies of a prototype, identical to a ``Square`` built and moved as before."""
    g = CellGrid((3, 3), 0.45, theme=LIGHT, center=(0.7, 0.1, 0))
    for index in ((0, 0), (2, 1), (1, 2)):
        sq = g.get_cell(index, **style)
        color = style.get("color", LIGHT.highlight)
        ref = Square(side_length=g.cell_size)
        ref.set_stroke(color, width=style.get("stroke_width", 4.0))
        ref.set_fill(color, opacity=style.get("fill_opacity", 0.0))
        ref.move_to(g.cell_center(index))
        for attr in ("points", "fill_rgbas", "stroke_rgbas", "background_stroke_rgbas"):
            assert np.array_equal(getattr(sq, attr), getattr(ref, attr)), attr
        assert sq.stroke_width == ref.stroke_width
    a, b = g.get_cell((0, 0)), g.get_cell((0, 0))
    a.shift([1, 0, 0]).set_fill("#ff0000", opacity=1)
    assert not np.array_equal(a.points, b.points)  # independent copies
    assert np.array_equal(b.fill_rgbas, g.get_cell((0, 0)).fill_rgbas)


def test_one_d_is_one_row_and_accepts_ints():
    g = CellGrid((5,), 0.4, theme=LIGHT, values=[2, 1, 0, 1, 2], value_font=20)
    assert (g.rows, g.cols) == (1, 5)
    assert np.allclose(g.cell_center(3), g.cell_center((3,)))
    assert g.cell_center(4)[0] - g.cell_center(0)[0] == pytest.approx(4 * 0.4)
    assert g.get_value((1,)).text == "1"
    assert g.value_of(4) == 2.0


@pytest.mark.parametrize("index", [(5,), (0, 0), (-1,)])
def test_bad_index(index):
    g = CellGrid((5,), 0.4, theme=LIGHT)
    with pytest.raises(IndexError):
        g.cell_center(index)


def test_padding_dashed_and_values_written_as_engine_values():
    spec = ConvSpec((3, 3), 3, padding=1)
    x = np.array([[1, -2, 3], [0, 5, -6], [7, 8, -9]])
    g = _grid(spec, x)
    # texts: one per cell; the real cells carry x (true minus sign), padding cells "0"
    texts = {(r, c): g.get_value((r, c)).text for r in range(5) for c in range(5)}
    for r in range(5):
        for c in range(5):
            if 1 <= r <= 3 and 1 <= c <= 3:
                assert texts[(r, c)] == str(x[r - 1, c - 1]).replace("-", "\u2212")
            else:
                assert texts[(r, c)] == "0"
    # padding ring: dashes exist; 16 padding cells x 4 edges x 3 dashes, 4 bezier points each
    assert len(g.dashes.points) == 16 * 4 * 3 * 4
    # 9 real cells: outlines and one fill path of 9 squares
    assert len(g.lines.points) == 9 * 4 * 4
    assert len(g.fills) == 1 and len(g.fills[0].points) == 9 * 4 * 4
    assert g.fills[0].get_fill_color().to_hex().upper() == LIGHT.fill("input").upper()


def test_few_mobjects_and_no_text_when_schematic():
    spec = ConvSpec((12, 12), 3, padding=3)
    g = CellGrid(spec.grid_shape, 0.2, theme=DARK, kinds=grid_input_index(spec))
    assert len(g.values) == 0
    assert len(g.get_family()) <= 8  # group, outline, fills group + 1 path, lines, dashes, values
    assert g.get_value((0, 0)) is None


def test_inserted_zeros_get_their_own_fill():
    spec = ConvSpec((3, 3), 3, stride=2, transposed=True)
    kinds = grid_input_index(spec)
    g = CellGrid(spec.grid_shape, 0.3, theme=LIGHT, kinds=kinds)
    n_real, n_zero = int((kinds >= 0).sum()), int((kinds == -2).sum())
    assert n_real == 9 and n_zero == 16  # 5x5 stretched: 9 inputs, 16 zeros between them
    sizes = sorted(len(f.points) // 16 for f in g.fills)
    assert sizes == sorted([n_real, n_zero])


def test_colors_one_per_cell():
    g = CellGrid((3, 3), 0.5, theme=LIGHT, role="kernel", colors=LIGHT.kernel_colors(9))
    assert len(g.fills) == 9
    with pytest.raises(ValueError, match="colors has 4 entries, expected 9"):
        CellGrid((3, 3), 0.5, theme=LIGHT, colors=LIGHT.kernel_colors(4))


@pytest.mark.parametrize("spec", [
    ConvSpec((5, 5), 3, stride=2, padding=1),
    ConvSpec((7, 7), 3, dilation=2),
    ConvSpec((7,), 3, dilation=3, padding=(1, 2)),
    ConvSpec((3, 3), 3, stride=2, padding=1, transposed=True),
])
def test_window_covers_exactly_the_taps(spec):
    x = np.arange(np.prod(spec.input_shape), dtype=float).reshape(spec.input_shape)
    w = np.ones(spec.kernel_shape)
    g = _grid(spec, x, font=None)
    for step in conv_steps(x, w, spec)[:5]:
        win = g.get_window(step)
        centres = win.points.reshape(-1, 16, 3).mean(axis=1)
        # oracle: where the cells are drawn, from the lattice
        expected = np.array([g.cell_center(t.grid_index) for t in step.taps])
        assert np.allclose(centres, expected)
        # gaps show dilation: neighbouring taps are d cells apart along the last axis
        d = spec.dilation[-1]
        if spec.kernel_shape[-1] > 1:
            assert centres[1][0] - centres[0][0] == pytest.approx(d * g.cell_size)
        # same number of sub-paths for every step: Transform slides it
        assert len(win.points) == 16 * spec.kernel_size


def test_value_text_and_get_cell():
    g = CellGrid((2, 2), 0.6, theme=LIGHT, role="output", filled=False, value_font=18)
    t = g.value_text((1, 0), -3.5)
    assert isinstance(t, Text) and t.text == "\u22123.5"
    assert np.allclose(t.get_center(), g.cell_center((1, 0)))
    sq = g.get_cell((0, 1), fill_opacity=1.0)
    assert np.allclose(sq.get_center(), g.cell_center((0, 1)))
    assert len(g.fills) == 0  # filled=False: outlines only


def test_captions_share_one_scale():
    """A little too long: everybody shrinks alike; far too long: that caption shrinks alone."""
    ref = {s: make_text(s, 24, "#000000") for s in ("abcdefghij", "short", "x" * 60)}
    w = ref["abcdefghij"].width
    boxes = [Box(-3, 0, 0.9 * w, 0.4), Box(0, 0, 4.0, 0.4), Box(3, 0, 2.0, 0.4)]
    a, b, c = captions(["abcdefghij", "short", "x" * 60], boxes, 24, "#000000")
    for mob, box in zip((a, b, c), boxes):
        assert mob.width <= box.width + 1e-6
        assert np.allclose(mob.get_center()[:2], [box.x, box.y])
    scale = {k: m.height / ref[k].height for k, m in zip(ref, (a, b, c))}
    assert scale["abcdefghij"] == pytest.approx(scale["short"], rel=1e-3)
    assert scale["abcdefghij"] == pytest.approx(0.9, rel=0.01)
    assert scale["x" * 60] < 0.5


@pytest.mark.parametrize(("s", "n", "lines", "expected"), [
    ("one two three four", 9, None, ["one two", "three", "four"]),
    ("one two three four", 9, 2, ["one two", "three four"]),
    ("short", 80, None, ["short"]),
    ("unbreakablewordhere x", 5, None, ["unbreakablewordhere", "x"]),
    # balanced, not greedy: no orphan word on the last line
    ("a 5×5 input with a 3×3 kernel → 3×3 output", 38, 2,
     ["a 5×5 input with a 3×3", "kernel → 3×3 output"]),
    ("aa bb cc dd ee", 11, None, ["aa bb cc", "dd ee"]),
])
def test_wrap_words(s, n, lines, expected):
    assert wrap_words(s, n, lines) == expected


@pytest.mark.parametrize("factory, arg", [
    (make_text, "y[0] = 2·1 + 1·(−1) = 1"),
    (make_markup, "p<sub>b</sub> = <span foreground=\"#FF0000\">3</span>"),
])
def test_text_factories_give_light_independent_copies(factory, arg):
    """Light: no parsed SVG kept (cheap copies); same glyph points as a plain manim text;
    every call an independent copy (moving one never moves the next)."""
    from manim import MarkupText

    plain_cls = Text if factory is make_text else MarkupText
    plain = plain_cls(arg, font=FONT, font_size=30, color="#112233")
    a = factory(arg, 30, "#112233")
    assert all(getattr(m, "path_obj", None) is None for m in a.get_family())
    assert any(getattr(m, "path_obj", None) is not None for m in plain.get_family())
    pa = [m.points for m in a.get_family() if len(m.points)]
    pp = [m.points for m in plain.get_family() if len(m.points)]
    assert len(pa) == len(pp) and all(np.allclose(x, y) for x, y in zip(pa, pp))
    a.shift(RIGHT * 3)
    b = factory(arg, 30, "#112233")
    assert np.allclose(b.get_center(), plain.get_center())
    assert b is not a and b.get_color() == plain.get_color()


def test_text_cache_is_bounded(monkeypatch):
    import scenes.kit.text as grid

    monkeypatch.setattr(grid, "_TEXT_CACHE_SIZE", 3)
    grid._TEXT_CACHE.clear()
    for s in "abcde":
        make_text(s, 20, "#000000")
    assert len(grid._TEXT_CACHE) == 3
    assert [k[1] for k in grid._TEXT_CACHE] == ["c", "d", "e"]  # least recently used dropped


@pytest.mark.parametrize("seed", range(40))
def test_wrap_words_balanced_against_brute_force(seed):
    """Same line count as greedy wrapping, and the longest line as short as any split into that
    many lines can make it (brute force over every way to cut the words)."""
    import itertools as it

    rng = np.random.default_rng(seed)
    words = ["x" * int(n) for n in rng.integers(1, 8, size=int(rng.integers(2, 9)))]
    width = int(rng.integers(max(map(len, words)), 25))
    lines = wrap_words(" ".join(words), width)
    greedy, cur = [], ""
    for w in words:  # textbook greedy wrap: the line count to keep
        if cur and len(cur) + 1 + len(w) > width:
            greedy.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    greedy.append(cur)
    assert len(lines) == len(greedy)
    assert " ".join(lines).split() == words and max(map(len, lines)) <= width
    best = min(
        max(len(" ".join(words[a:b])) for a, b in zip((0, *cuts), (*cuts, len(words))))
        for cuts in it.combinations(range(1, len(words)), len(greedy) - 1)
    )
    assert max(map(len, lines)) == best


def test_show_or_move():
    from manim import FadeIn, Square, Transform

    a, b = Square(), Square().shift(RIGHT)
    shown, anim = show_or_move(None, a)
    assert shown is a and isinstance(anim, FadeIn) and anim.mobject is a
    shown, anim = show_or_move(a, b)
    assert shown is a and isinstance(anim, Transform) and anim.target_mobject is b
