"""Tests for A1 SlidingFilter: rendered for real at tiny resolution, then what was drawn is
compared with independent oracles (window positions from the stride/dilation rule, outputs from
scipy.signal or a naive scatter), and every frame state is checked for bounds and text overlap."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest
from scene_helpers import largest_from_message, render_scene
from scipy import signal

from convmath import ConvMathError, ConvSpec, conv_steps, grid_input_index, kernel_preset
from scenes.kit.log import FormulaShown, ResultWritten, WindowLanded
from scenes.layout import (
    MIN_CELL_PX_480P,
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    mobject_box,
    px_480p,
)
from scenes.sliding import FULL_STEPS, SlidingFilter, equation_lines

pytestmark = pytest.mark.render

MINUS = "\u2212"


def render(tmp_path: Path, spec=None, x=None, w=None, **opts) -> SlidingFilter:
    return render_scene(SlidingFilter, tmp_path, spec, x, w, **opts)


def _parse(s: str) -> float:
    return float(s.replace(MINUS, "-"))


def naive_direct(x, w, spec: ConvSpec) -> np.ndarray:
    """Cross-correlation (or convolution) through scipy.signal on the explicitly padded input."""
    xp = np.pad(np.asarray(x, float), spec.pads)
    wk = np.flip(w) if spec.flip else np.asarray(w, float)
    d = spec.dilation
    if any(v > 1 for v in d):  # dilate the kernel with zeros
        shape = tuple((k - 1) * dv + 1 for k, dv in zip(wk.shape, d))
        wd = np.zeros(shape)
        wd[tuple(slice(None, None, dv) for dv in d)] = wk
        wk = wd
    full = signal.correlate(xp, wk, mode="valid")
    return full[tuple(slice(None, None, s) for s in spec.stride)]


def naive_transposed(x, w, spec: ConvSpec) -> np.ndarray:
    """PyTorch ConvTranspose semantics by scattering every input cell (independent loops)."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    s, d = spec.stride, spec.dilation
    op = spec.resolved_output_padding
    full_shape = tuple((i - 1) * sv + dv * (k - 1) + 1 + o for i, sv, dv, k, o in
                       zip(x.shape, s, d, w.shape, op))
    full = np.zeros(full_shape)
    for i in np.ndindex(*x.shape):
        for k in np.ndindex(*w.shape):
            full[tuple(iv * sv + kv * dv for iv, sv, kv, dv in zip(i, s, k, d))] += x[i] * w[k]
    crop = tuple(slice(pb, pb + o) for (pb, _), o in zip(spec.pads, spec.output_shape))
    return full[crop]


def expected_window(spec: ConvSpec, out_index) -> list[tuple[int, ...]]:
    """Independent rule: the window of output o starts at o*stride (direct) or o (transposed)."""
    step = (1,) * spec.ndim if spec.transposed else spec.stride
    return [
        tuple(o * st + m * dv for o, st, m, dv in zip(out_index, step, mm, spec.dilation))
        for mm in np.ndindex(*spec.kernel_shape)
    ]


def check_drawn(scene: SlidingFilter) -> None:
    spec, x, w = scene.spec, scene.x, scene.w
    steps = conv_steps(x, w, spec)
    windows = scene.log.of(WindowLanded)
    assert [r.step for r in windows] == list(range(len(steps)))  # every step shown, in order
    for rec, step in zip(windows, steps):
        assert rec.out_index == step.out_index
        assert list(rec.cells) == [t.grid_index for t in step.taps]
        assert list(rec.cells) == expected_window(spec, step.out_index)
        drawn = np.asarray(rec.centers)
        where = np.array([scene.input_grid.cell_center(c) for c in rec.cells])
        assert np.allclose(drawn, where, atol=1e-6)
    expected = naive_transposed(x, w, spec) if spec.transposed else naive_direct(x, w, spec)
    outputs = scene.log.of(ResultWritten)
    assert len(outputs) == spec.output_size
    if scene.layout.numeric and scene.fonts["output"] is not None:
        assert len(scene.output_texts) == spec.output_size
        for idx, text in scene.output_texts.items():
            assert _parse(text.text) == pytest.approx(expected[idx], abs=0.006)
            assert np.allclose(text.get_center(), scene.output_grid.cell_center(idx))
            assert text.get_fill_opacity() == pytest.approx(1.0)
        assert [_parse(r.text) for r in outputs] == pytest.approx(
            [expected[st.out_index] for st in steps], abs=0.006)
    else:
        assert all(r.text is None for r in outputs)
    # the size formula ends with this spec's output size on every axis
    (formula,) = scene.log.of(FormulaShown)
    for a, o in enumerate(spec.output_shape):
        assert any(line.endswith(f"= {o}") for line in formula.lines[1:]), (a, formula.lines)
    assert scene.problems == []
    assert scene.log.violations() == []  # the kit's teaching rules
    for a, b in zip(windows, windows[1:]):  # a new row arrives by a cut, never diagonally
        if len(a.out_index) == 2 and a.out_index[0] != b.out_index[0]:
            assert b.jump
    check_caption_backings(scene)
    check_unreached(scene)


def check_unreached(scene: SlidingFilter) -> None:
    """Input cells no window reaches are crossed out: an independent oracle marks every cell
    each window's taps cover (stride/dilation rule), real input cells only."""
    spec = scene.spec
    covered = np.zeros(spec.grid_shape, bool)
    for idx in np.ndindex(*spec.output_shape):
        for cell in expected_window(spec, idx):
            covered[cell] = True
    real = grid_input_index(spec) >= 0
    expected = sorted(tuple(int(v) for v in c) for c in zip(*np.nonzero(real & ~covered)))
    assert sorted(scene.unreached) == expected


def check_caption_backings(scene: SlidingFilter) -> None:
    """Connector lines pass under the captions: a background-coloured box covers each caption,
    drawn above the connector and below everything else."""
    for cap, back in zip(scene.captions, scene.caption_backings):
        assert back in scene.mobjects
        assert mobject_box(back).contains(mobject_box(cap))
        assert back.get_fill_color().to_hex().upper() == scene.theme.background.upper()
        assert back.get_fill_opacity() == pytest.approx(1.0)
        assert scene.connector.z_index < back.z_index < min(m.z_index for m in cap.get_family())


# ---------------------------------------------------------------------------------------------
# full renders of a few configurations


def test_default_scene_numeric(tmp_path):
    scene = render(tmp_path)
    assert scene.spec == ConvSpec((5, 5), 3, stride=2, padding=1)
    assert scene.layout.numeric
    check_drawn(scene)
    # numbers written in the input grid are the input (with the padding ring)
    g = scene.input_grid
    for r, c in itertools.product(range(5), range(5)):
        assert _parse(g.get_value((r + 1, c + 1)).text) == scene.x[r, c]
    assert g.get_value((0, 0)).text == "0"


def test_seed_001_one_d_flip(tmp_path):
    """Seed 001: x=[2,1,0,1,2], h=[1,-1], np.convolve 'valid' = [-1,-1,1,1]."""
    x, w = [2, 1, 0, 1, 2], [1, -1]
    scene = render(tmp_path, ConvSpec((5,), 2, flip=True), x, w, lang="es", theme="dark")
    check_drawn(scene)
    texts = [scene.output_texts[(j,)].text for j in range(4)]
    assert [_parse(t) for t in texts] == list(np.convolve(x, w, mode="valid"))
    flip = scene.records_of("flip")
    assert len(flip) == 1 and np.array_equal(flip[0]["kernel"], np.flip(w))
    # one layout for every 1D spec: kernel, input and output stacked (top to bottom)
    ys = [g.get_center()[1] for g in (scene.kernel_grid, scene.input_grid, scene.output_grid)]
    assert ys[0] > ys[1] > ys[2]
    assert scene.kernel_grid.get_value((0,)).text == MINUS + "1"  # flipped kernel laid on grid


def test_transposed_schematic(tmp_path):
    spec = ConvSpec((3, 3), 3, stride=2, padding=1, transposed=True)
    scene = render(tmp_path, spec, mode="schematic")
    assert not scene.layout.numeric and len(scene.input_grid.values) == 0
    check_drawn(scene)
    assert len(scene.records_of("flip")) == 1  # the paper's flipped kernel


def test_twelve_by_twelve_padding_three_goes_schematic(tmp_path):
    spec = ConvSpec((12, 12), 3, padding=3)
    scene = render(tmp_path, spec, step_time=0.3)
    assert not scene.layout.numeric  # asked for numbers, too small to read: schematic
    check_drawn(scene)
    # The cells drawn (measured on the grid mobject; every 16:9 frame is 8 units high) are at
    # least the ones check_spec judged (its plan assumes a two-row title): 6 px at 480p or more.
    drawn = scene.input_grid.cell_size * 480 / 8
    planned = SlidingFilter.plan_layout(spec, frame_width=REF_FRAME_WIDTH,
                                        frame_height=REF_FRAME_HEIGHT, numeric=False)[1].cell
    assert drawn >= px_480p(planned) - 1e-6 >= MIN_CELL_PX_480P
    # 256 steps kept short: full steps, quick steps, then whole rows, said on screen
    assert any("whole row at a time" in t for t in scene.log.texts())
    assert len({e.t for e in scene.log.of(WindowLanded)}) <= 2 + 14 + 16


# ---------------------------------------------------------------------------------------------
# the gallery: every configuration of the convolution-arithmetic paper, each transposed,
# dilation, seed 001's examples — cycling modes, themes and languages


def _gallery():
    direct = [(4, 3, 0, 1), (5, 4, 2, 1), (5, 3, 1, 1), (5, 3, 2, 1), (5, 3, 0, 2), (5, 3, 1, 2),
              (6, 3, 1, 2)]
    cases = []
    for i, k, p, s in direct:
        spec = ConvSpec((i, i), k, stride=s, padding=p)
        cases.append((f"i{i}k{k}p{p}s{s}", spec, None, None))
        cases.append((f"i{i}k{k}p{p}s{s}-T", spec.adjoint(), None, None))
    cases.append(("dilation-7-3-0-1-d2", ConvSpec((7, 7), 3, dilation=2), None, None))
    cases.append(("seed001-1d", ConvSpec((5,), 2, flip=True), [2, 1, 0, 1, 2], [1, -1]))
    seed_x = [[1, 2, 3, 3], [4, 5, 6, 6], [7, 8, 9, 9], [7, 8, 9, 9]]
    cases.append(("seed001-2d", ConvSpec((4, 4), 3, flip=True), seed_x, kernel_preset("seed-2d")))
    cases.append(("1d-len3", ConvSpec((3,), 2, padding=(0, 1), stride=2), [1, -2, 3], [2, 1]))
    cases.append(("same-asym", ConvSpec((6, 5), (3, 2), stride=2, padding="same"), None, None))
    cases.append(("nonsquare-dil", ConvSpec((6, 9), (2, 3), padding=((1, 0), (2, 1)),
                                            dilation=(1, 2)), None, None))
    options = itertools.cycle(itertools.product(("numeric", "schematic"), ("light", "dark"),
                                                ("en", "es")))
    return [pytest.param(spec, x, w, *next(options), id=name) for name, spec, x, w in cases]


@pytest.mark.parametrize(("spec", "x", "w", "mode", "theme", "lang"), _gallery())
def test_gallery(tmp_path, spec, x, w, mode, theme, lang):
    scene = render(tmp_path, spec, x, w, mode=mode, theme=theme, lang=lang, step_time=0.2)
    check_drawn(scene)
    assert str(scene.camera.background_color).upper() == scene.theme.background.upper()


# ---------------------------------------------------------------------------------------------
# options and helpers


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"mode": "fancy"}, "mode='fancy' is invalid"),
    ({"theme": "sepia"}, "theme='sepia' is invalid"),
    ({"lang": "fr"}, "lang='fr' is invalid"),
    ({"step_time": 0}, "step_time=0 is invalid"),
    ({"step_time": "1"}, "step_time='1' is invalid"),
    ({"spec": (5, 5)}, "spec=.*must be a convmath.ConvSpec"),
    ({"x": np.zeros((4, 4))}, "x has shape"),
    ({"w": np.zeros(3)}, "w has shape"),
])
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SlidingFilter(**kwargs)


def test_defaults_without_render():
    s = SlidingFilter()
    assert s.mode == "numeric" and s.theme.name == "light" and s.lang == "en"
    assert s.w.shape == (3, 3) and s.x.shape == (5, 5)
    assert set(np.unique(s.x)) <= set(range(-2, 5))  # small seeded integers
    assert s.label("kernel") == "kernel" and SlidingFilter(lang="es").label("kernel") == "filtro"


@pytest.mark.parametrize(("text", "chars", "lines"), [
    ("y[0] = (2·1) + (1·(−1)) = 1", 80, ["y[0] = (2·1) + (1·(−1)) = 1"]),
    ("y[0] = (1·1) + (2·2) + (3·3) = 14", 22, ["y[0] = (1·1) + (2·2)", "+ (3·3) = 14"]),
])
def test_equation_lines(text, chars, lines):
    assert equation_lines(text, chars) == lines


def test_equation_lines_elides_long_sums():
    terms = [f"({i}·1)" for i in range(25)]
    text = "y[0,0] = " + " + ".join(terms) + " = 300"
    lines = equation_lines(text, 60, 2)
    assert len(lines) == 2 and all(len(line) <= 60 for line in lines)
    joined = " ".join(lines)
    assert "(0·1)" in joined and "(24·1)" in joined and "…" in joined and joined.endswith("= 300")


def test_full_steps_constant():
    assert FULL_STEPS >= 1


# -- the legibility limit (plans only, no rendering) ----------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        ConvSpec((3,), 3),  # issue 3: the smallest
        ConvSpec((12, 12), 3, padding=3),  # issue 3: the largest required (18×18 grid)
        ConvSpec((12, 12), 3, stride=1, padding=3, dilation=2),
        ConvSpec((8, 8), 3, stride=2, padding=1, transposed=True, output_padding=1),
        ConvSpec((40, 40), 3, padding=1),  # the 2D boundary region
        ConvSpec((43, 43), 3),
        ConvSpec((130,), 3),  # the 1D boundary region
    ],
)
def test_accepted_sizes(spec):
    SlidingFilter.check_spec(spec)
    SlidingFilter.check_spec(spec, mode="schematic")


@pytest.mark.parametrize(
    "spec, value",
    [
        (ConvSpec((60, 60), 3), "60×60"),
        (ConvSpec((44, 44), 3), "44×44"),
        (ConvSpec((30, 30), 3, stride=2, transposed=True), "30×30"),  # a 61×61 stretched grid
        (ConvSpec((300,), 3), "300"),
        (ConvSpec((100, 5), 3), "100×5"),
    ],
)
def test_refused_sizes_name_the_value_and_the_limit(spec, value):
    with pytest.raises(ConvMathError, match=rf"SlidingFilter: with input {value}, the drawn grid "
                       r".* px at 480p; the limit is cells of at least 6 px") as info:
        SlidingFilter.check_spec(spec)
    # The size the message offers is accepted, one more is not.
    n = largest_from_message(str(info.value))
    assert n is not None and n < max(spec.input_shape)
    SlidingFilter.check_spec(dataclasses.replace(spec, input_shape=(n,) * spec.ndim))
    with pytest.raises(ConvMathError):
        SlidingFilter.check_spec(dataclasses.replace(spec, input_shape=(n + 1,) * spec.ndim))


def test_constructor_refuses_before_making_arrays():
    with pytest.raises(ConvMathError, match="too large for SlidingFilter.*60×60"):
        SlidingFilter(ConvSpec((60, 60), 3))


def test_check_plans_the_layout_construct_uses():
    # A two-row title is what the check assumes: construct's plan for a long title is the same.
    spec = ConvSpec((12, 12), 3, padding=3)
    long_title = "word " * 60
    kw = dict(frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)
    which, lay, lines = SlidingFilter.plan_layout(spec, title=long_title, **kw)
    which0, lay0, lines0 = SlidingFilter.plan_layout(spec, numeric=False, **kw)
    assert len(lines) == 2 and lines0 == [] and which == which0
    assert lay.cell == pytest.approx(lay0.cell)
    # A short title takes one row: the cells can only grow.
    assert SlidingFilter.plan_layout(spec, title="t", **kw)[1].cell >= lay0.cell
