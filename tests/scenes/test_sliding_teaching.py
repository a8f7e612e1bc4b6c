"""Issue 14's A1 teaching points, read through the typed scene log (no timing tests).

Oracles are independent of the engine: window cells from the stride/dilation rule, unreached
cells by marking every window by hand, the weight each window cell meets from the kernel laid by
numpy's own flip.
"""

from __future__ import annotations

import numpy as np
import pytest
from scene_helpers import render_scene

from convmath import ConvSpec, conv_steps, explain_step
from scenes.kit.log import Preview, TextShown
from scenes.sliding import SlidingFilter, equation_greys, equation_lines

pytestmark = pytest.mark.render


def render(tmp_path, spec=None, x=None, w=None, **kw) -> SlidingFilter:
    scene = render_scene(SlidingFilter, tmp_path, spec, x, w, step_time=0.2,
                         last_frame_only=True, **kw)
    assert scene.problems == [] and scene.log.violations() == []
    return scene


def test_seed_001_reads_as_five_inputs_and_four_outputs(tmp_path):
    """One stacked 1D layout: kernel over input over output, the output a row of its own."""
    scene = render(tmp_path, ConvSpec((5,), 2), [2, 1, 0, 1, 2], [1, -1])
    k, g, o = scene.kernel_grid, scene.input_grid, scene.output_grid
    assert k.get_center()[1] > g.get_center()[1] > o.get_center()[1]
    assert (g.cols, o.cols) == (5, 4)
    # the window is linked to the output cell it writes: the link ends on that cell's box
    assert scene.connector.z_index < 0
    (pv,) = scene.log.of(Preview)
    assert pv.t == 0 and {"title", "window"} <= set(pv.parts)


def test_stride_is_drawn_on_the_first_jumps(tmp_path):
    scene = render(tmp_path, ConvSpec((5, 5), 3, stride=2, padding=1))
    strides = scene.records_of("stride")
    assert [f["step"] for f in strides] == [1, 2] and {f["stride"] for f in strides} == {2}
    assert any(e.slot == "stride" and "2" in e.text for e in scene.log.of(TextShown))


def test_unreached_cells_are_crossed_out(tmp_path):
    """--dims 1 --input 25 --kernel 5 --stride 3: windows start at 0, 3, …, 18; cells 23 and 24
    are read by none."""
    scene = render(tmp_path, ConvSpec((25,), 5, stride=3), mode="schematic")
    starts = range(0, 25 - 5 + 1, 3)
    covered = {s + m for s in starts for m in range(5)}
    assert sorted(scene.unreached) == [(j,) for j in range(25) if j not in covered] == [(23,),
                                                                                       (24,)]
    assert any("no window" in t for t in scene.log.texts())


def test_weights_where_they_multiply(tmp_path):
    """Every window cell carries a badge in the colour of the weight that multiplies it: for a
    flipped kernel, w reversed (numpy's flip as the oracle)."""
    w = np.array([1.0, 2.0, -1.0])
    scene = render(tmp_path, ConvSpec((6,), 3, flip=True), [1, 2, 3, 4, 5, 6], w)
    colors = scene.theme.kernel_colors(3)
    laid = np.flip(np.arange(3))  # the user's kernel index under each window cell
    step = conv_steps(scene.x, scene.w, scene.spec)[0]
    assert [t.kernel_index[0] for t in step.taps] == list(laid)
    _, badges, _ = scene._window_parts((0,))
    tabs = [m for m in badges.submobjects if type(m).__name__ == "Rectangle"]
    assert [m.get_fill_color().to_hex().upper() for m in tabs] == [
        scene.theme.tint(colors[k]).upper() for k in laid]
    texts = [m.text for m in badges.submobjects if hasattr(m, "text")]
    assert texts == ["−1", "2", "1"]  # w[2], w[1], w[0]


def test_symmetric_kernel_says_rotating_changes_nothing(tmp_path):
    from convmath import kernel_preset

    x = [[1, 2, 3, 3], [4, 5, 6, 6], [7, 8, 9, 9], [7, 8, 9, 9]]
    scene = render(tmp_path, ConvSpec((4, 4), 3, flip=True), x, kernel_preset("seed-2d"))
    assert any("symmetric" in t for t in scene.log.texts())


def test_dilation_spreads_the_kernel_once(tmp_path):
    scene = render(tmp_path, ConvSpec((7, 7), 3, dilation=2), mode="schematic")
    (spread,) = scene.records_of("spread")
    assert spread["cells"] == [(2 * r, 2 * c) for r in range(3) for c in range(3)]
    assert 0 < spread["opacity"] <= 0.4  # the copies are see-through: the input's numbers show


def test_dropped_numbers_are_said(tmp_path):
    """--input 9 --kernel 5 --padding same: cells too small for numbers; the scene says so."""
    scene = render(tmp_path, ConvSpec((9, 9), 5, padding="same"))
    # fonts per grid: the input's one- and two-character numbers are drawn although the
    # output's three-character sums do not fit its cells
    assert scene.fonts["grid"] is not None and len(scene.input_grid.values) == 13 * 13
    dropped = [k for k, f in scene.fonts.items() if f is None]
    assert [f["grids"] for f in scene.records_of("numbers_dropped")] == ([dropped] if dropped
                                                                         else [])
    assert any("too small for numbers" in t for t in scene.log.texts()) is bool(dropped)


def test_transposed_greys_products_with_zeros():
    """Products with an inserted zero or padding are greyed: the oracle is each tap's grid
    kind (independent: inserted zeros sit at odd positions of the stretched 2 → 5 input)."""
    spec = ConvSpec((2,), 3, stride=2, transposed=True)
    st = conv_steps([3.0, 2.0], [1.0, 2.0, -1.0], spec)[1]
    lines = equation_lines(explain_step(st), 200)
    greys = [t.in_index is None for t in st.taps]
    marks = equation_greys(lines, greys, "#777777")
    assert marks[0].count('<span foreground="#777777">') == sum(greys) >= 1


@pytest.mark.parametrize("spec, x, w", [
    (ConvSpec((5,), 2, flip=True), [2, 1, 0, 1, 2], [1, -1]),
    (ConvSpec((6, 5), 3, stride=(2, 1), padding=1, dilation=(1, 2)), None, None),
    (ConvSpec((4, 4), 3, padding=3), None, None),  # output (1, 0) reads only padding
])
def test_closing_equation_beat(tmp_path, spec, x, w):
    """A1 ends on the general equation substituted for one output index: its terms are the
    engine's substitute, the window points at the cells they read (the stride/dilation rule:
    grid cell s·i + d·m per axis), linked to that output cell; the flipped form for flip."""
    from convmath import substitute
    from scenes.equation import chosen_index

    scene = render(tmp_path, spec, x, w)
    (beat,) = scene.records_of("closing_equation")
    i = beat["out_index"]
    first = chosen_index(spec)
    reads_input = [all(0 <= s * o + d * m - p < n for s, o, d, m, (p, _), n in zip(
        spec.stride, first, spec.dilation, off, spec.pads, spec.input_shape))
        for off in np.ndindex(*spec.kernel_shape)]
    # the equation scene's output, unless it reads only padding (then one that reads input)
    assert i == first if any(reads_input) else i != first
    assert any(t.in_input for t in beat["terms"])
    assert beat["terms"] == substitute(scene.x, scene.w, spec, i).terms
    rule = [tuple(s * o + d * m for s, o, d, m in zip(spec.stride, i, spec.dilation, off))
            for off in np.ndindex(*spec.kernel_shape)]
    assert beat["cells"] == rule
    assert sorted(beat["cells"]) == sorted(t.grid_index for t in beat["terms"])
    said = scene.log.texts()
    assert ("w[k − 1 − m]" in " ".join(said)) is spec.flip
    value = float(np.sum([t.x_value * t.w_value for t in beat["terms"]]))
    assert scene.fonts["grid"] is not None  # numbers drawn: the last line is the sum
    assert beat["lines"][-1].endswith(f"= {value:g}".replace("-", "−"))


def test_no_closing_equation_for_transposed(tmp_path):
    scene = render(tmp_path, ConvSpec((2,), 3, stride=2, transposed=True))
    assert scene.records_of("closing_equation") == []


@pytest.mark.parametrize(("spec", "tabs"), [
    (ConvSpec((5, 5), 3, stride=2, padding=1), True),       # the default: tabs with numbers
    (ConvSpec((5, 5), 3, stride=2, transposed=True), False),  # 11×11 cells: no number fits
])
def test_corner_tabs_only_with_their_numbers(tmp_path, spec, tabs):
    """A tab without its weight would carry meaning by colour alone: the tabs and the sentence
    that explains them come together, or not at all (reviewer: empty tabs, 'Esquinas: …')."""
    scene = render(tmp_path, spec)
    (rec,) = scene.records_of("badges")
    assert (rec["font"] is not None) is tabs
    said = any(t.startswith(("Corner tabs", "En la esquina")) for t in scene.log.texts())
    assert said is tabs
    texts = [m.text for m in scene.badges.family_members_with_points() if hasattr(m, "text")]
    if not tabs:  # the closing beat's window (the last drawn) has no tabs either
        assert texts == [] and not scene.badges.submobjects


def _box(m):
    return (m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


@pytest.mark.parametrize("spec", [ConvSpec((5, 5), 3, stride=2, padding=1),
                                  ConvSpec((7,), 3, stride=3),
                                  ConvSpec((6, 6), 2, stride=2)])
def test_stride_arrow_crosses_no_text(tmp_path, spec):
    """The stride arrow lies on the window's border: over no caption (it once touched the
    input's caption, 'input 5×5 + padding') and no number of the input."""
    scene = render(tmp_path, spec)
    records = scene.records_of("stride")
    assert records
    for rec in records:
        assert len(rec["arrow"]) == 2  # the shaft (a line: its stroke is inside the cells'
        for part in rec["arrow"]:      # border strokes) and the tip
            for cap in scene.captions:
                assert not _overlap(part, _box(cap))
            for digit in scene.input_grid.values:
                assert not _overlap(part, _box(digit)), digit.text


@pytest.mark.parametrize(("spec", "lang"), [
    (ConvSpec((3, 3), 3, stride=2, padding=1, transposed=True), "es"),  # README's example
    (ConvSpec((3, 3), 3, stride=2, transposed=True, dilation=2), "es"),
    (ConvSpec((5, 5), 3, stride=2, padding=1), "en"),
    (ConvSpec((4, 6), (2, 3), padding=1, flip=True), "es"),
])
def test_captions_keep_the_caption_font(tmp_path, spec, lang):
    """Each grid's column is as wide as its longest caption: no caption ('entrada 3×3 con
    ceros intercalados') is shrunk, and none shrinks the others with it."""
    scene = render(tmp_path, spec, lang=lang, mode="schematic")
    fonts = {e.text: e.font for e in scene.log.of(TextShown) if e.kind == "label"}
    assert len(fonts) >= 3
    for text, font in fonts.items():
        assert font == pytest.approx(scene.layout.caption_font, rel=0.02), text
