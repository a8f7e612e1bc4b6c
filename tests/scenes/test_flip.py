"""FlipVsCorrelation rendered for real at tiny resolution; what it drew against numpy and scipy."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scene_helpers import largest_from_message, render_scene
from scipy import signal

from convmath import ConvMathError, ConvSpec, conv_steps, kernel_preset
from scenes.flip import SEED_X, FlipVsCorrelation, step_lines
from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, px_480p

SEED_2D_X = np.array([[1, 2, 3, 3], [4, 5, 6, 6], [7, 8, 9, 9], [7, 8, 9, 9]], dtype=float)
SOBEL_X = kernel_preset("sobel-x")
RAND_4_5 = np.array([[3, 2, 1, -1, 0], [-2, -2, -2, -1, 3], [2, 4, 1, 2, 4], [3, 2, 1, 1, 4],
                     [-1, 3, 2, -2, 0]], dtype=float)
RAND_4 = np.array([[1, -2, 0, 2], [0, 1, 2, -1], [2, 0, -1, 1], [1, 1, 0, -2]], dtype=float)


def render(spec=None, x=None, w=None, tmp_path=None, **options) -> FlipVsCorrelation:
    scene = render_scene(FlipVsCorrelation, tmp_path, spec, x, w, step_time=0.2, **options)
    assert scene.log.violations() == []  # the kit's teaching rules, on every render
    check_order(scene)
    return scene


def check_order(scene) -> None:
    """One step at a time: for each step the left side lands and writes before the right one
    lands; the closing frame shows the verdict and the rule."""
    from scenes.kit.log import ResultWritten, TextShown, WindowLanded

    landed = {(e.group, e.step): e for e in scene.log.of(WindowLanded)}
    written = {(e.group, e.step): e for e in scene.log.of(ResultWritten)}
    for (side, n), res in written.items():
        if side == "correlation":
            assert res.end <= landed[("convolution", n)].t + 1e-9
    said = [e.slot for e in scene.log.of(TextShown)]
    assert "verdict" in said and "rule" in said


@pytest.mark.render
@pytest.mark.parametrize("theme, lang", [("light", "en"), ("dark", "es")])
def test_seed_001_1d_example(tmp_path, theme, lang):
    """Seed 001: the hand computation (correlation) and numpy's convolution, side by side."""
    scene = render(tmp_path=tmp_path, theme=theme, lang=lang)
    x, w = np.array(SEED_X), np.array([1.0, -1.0])
    np.testing.assert_array_equal(scene.x, x)
    np.testing.assert_array_equal(scene.w, w)
    # The seed's by-hand values, then numpy as the independent oracle for both sides.
    np.testing.assert_array_equal(scene.result_values["correlation"], [1, 1, -1, -1])
    np.testing.assert_array_equal(scene.result_values["convolution"], [-1, -1, 1, 1])
    np.testing.assert_array_equal(scene.result_values["correlation"],
                                  np.correlate(x, w, "valid"))
    np.testing.assert_array_equal(scene.result_values["convolution"],
                                  np.convolve(x, w, "valid"))
    assert scene.agree is False
    corr = [r for r in scene.records_of("step") if r["side"] == "correlation"]
    conv = [r for r in scene.records_of("step") if r["side"] == "convolution"]
    assert corr[0]["lines"] == ["y[0] = 2·1 + 1·(−1) = 1"]
    assert conv[0]["lines"] == ["y[0] = 2·(−1) + 1·1 = −1"]
    assert [r["window"] for r in corr] == [[(n,), (n + 1,)] for n in range(4)]
    assert scene.rotated == [False, True]
    # The rotated kernel on screen is w reversed.
    laid = {r["side"]: r["values"] for r in scene.records_of("kernel_laid")}
    assert laid == {"correlation": [1.0, -1.0], "convolution": [-1.0, 1.0]}
    assert "y = [−1, −1, 1, 1]" in scene.drawn_texts
    # Each window cell is tinted with the colour of the weight it meets: at the last step the
    # right (rotated) side lays w's colours reversed, the left in order.
    colors = scene.theme.kernel_colors(2)
    tints = [[m.get_fill_color().to_hex().upper() for m in win.submobjects[:2]]
             for win in scene.windows]
    assert tints == [[scene.theme.tint(c).upper() for c in colors],
                     [scene.theme.tint(c).upper() for c in colors[::-1]]]
    verdict = {"en": "Different results", "es": "Resultados distintos"}[lang]
    assert any(s.startswith(verdict) for s in scene.drawn_texts)
    assert scene.problems == []


@pytest.mark.render
@pytest.mark.parametrize(
    "spec, x, w, symmetric",
    [
        # Seed 001's 2D example: its kernel is unchanged by a 180° rotation.
        (ConvSpec((4, 4), 3), SEED_2D_X, kernel_preset("seed-2d"), True),
        (ConvSpec((4, 4), 3, stride=2, padding=1), RAND_4, SOBEL_X, False),
    ],
    ids=["seed-2d", "sobel-stride2-pad1"],
)
def test_2d(tmp_path, spec, x, w, symmetric):
    scene = render(spec, x, w, tmp_path=tmp_path, theme="dark" if symmetric else "light",
                   lang="es" if symmetric else "en")
    pads = spec.pads
    xp = np.pad(x, pads)
    s = spec.stride
    corr = signal.correlate2d(xp, w, mode="valid")[:: s[0], :: s[1]]
    conv = signal.convolve2d(xp, w, mode="valid")[:: s[0], :: s[1]]
    np.testing.assert_allclose(scene.result_values["correlation"], corr)
    np.testing.assert_allclose(scene.result_values["convolution"], conv)
    assert scene.agree is symmetric
    if symmetric:
        np.testing.assert_array_equal(scene.result_values["convolution"], [[5, 7], [5, 7]])
    laid = {r["side"]: r["values"] for r in scene.records_of("kernel_laid")}
    assert laid["correlation"] == list(w.ravel())
    assert laid["convolution"] == list(w[::-1, ::-1].ravel())
    # Every step's equation: one line per kernel row, the last ending with the value.
    for r in scene.records_of("step"):
        assert len(r["lines"]) == w.shape[0]
        assert r["lines"][-1].endswith(f"= {r['value']:g}".replace("-", "−"))
    assert scene.problems == []


@pytest.mark.render
def test_transposed_turns_the_left_kernel(tmp_path):
    """A transposed convolution already lays its kernel rotated (PyTorch's ConvTranspose with
    stride 1 is scipy's 'full' convolution): the left kernel turns, flip=True turns it back."""
    x = np.array([[1, 2, 0], [0, -1, 3], [2, 1, 1]], dtype=float)
    w = np.array([[1, 2], [0, -1]], dtype=float)
    scene = render(ConvSpec((3, 3), 2, transposed=True), x, w, tmp_path=tmp_path, lang="es")
    assert scene.rotated == [True, False]
    laid = {r["side"]: r["values"] for r in scene.records_of("kernel_laid")}
    assert laid == {"correlation": list(w[::-1, ::-1].ravel()), "convolution": list(w.ravel())}
    np.testing.assert_allclose(scene.result_values["correlation"],
                               signal.convolve2d(x, w, mode="full"))
    np.testing.assert_allclose(scene.result_values["convolution"],
                               signal.correlate2d(x, w, mode="full"))
    assert scene.drawn_texts.count("w invertido (180°)") == 1
    assert scene.problems == []


@pytest.mark.render
def test_numbers_without_equations_when_the_equations_would_crowd_them(tmp_path):
    """TF 'same' with an even 4x4 kernel: with equation rows the cells are too small for
    numbers; without them they are readable. Numbers in the cells, no equations, no overlap."""
    # (5×5 crowded before the kernels stopped reserving a turning disk; 7×7 does now)
    x = np.arange(49, dtype=float).reshape(7, 7) % 5 - 2
    spec = ConvSpec((7, 7), 4, padding="same")
    w = np.arange(16, dtype=float).reshape(4, 4) % 3 - 1
    scene = render(spec, x, w, tmp_path=tmp_path)
    assert (scene.equations, scene.schematic) == (False, False)
    assert not any("y[" in t or "·" in t for t in scene.drawn_texts)
    xp = np.pad(x, ((1, 2), (1, 2)))  # TensorFlow: the odd extra cell after
    np.testing.assert_allclose(scene.result_values["correlation"],
                               signal.correlate2d(xp, w, mode="valid"))
    np.testing.assert_allclose(scene.result_values["convolution"],
                               signal.convolve2d(xp, w, mode="valid"))
    texts = [m for mob in scene.mobjects for m in mob.get_family()
             if type(m).__name__ in ("Text", "MarkupText")]
    assert any(is_number(m.text) for m in texts)
    assert scene.problems == []


def is_number(s: str) -> bool:
    try:
        float(s.replace("\u2212", "-"))
    except ValueError:
        return False
    return True


@pytest.mark.render
def test_schematic_colours_without_numbers(tmp_path):
    """Schematic: no equation or number is written; each window cell takes the colour of the
    weight landing on it — w's order on the left, w rotated 180° (numpy's flip) on the right."""
    spec = ConvSpec((4, 4), 3, stride=2, padding=1)
    scene = render(spec, RAND_4, SOBEL_X, tmp_path=tmp_path, mode="schematic", theme="dark",
                   lang="es")
    assert scene.schematic is True
    assert not any("y[" in t or "y = [" in t or "·" in t for t in scene.drawn_texts)
    assert any(t.startswith("Resultados distintos") for t in scene.drawn_texts)
    colors = np.array(scene.theme.kernel_colors(9)).reshape(3, 3)
    rotated = np.rot90(colors, 2)  # numpy's own 180° rotation: the oracle for the flip
    steps = scene.records_of("step")
    assert len(steps) == 2 * 4 and not any(r["written"] for r in steps)
    for r in steps:
        origin = np.array(r["out_index"]) * 2  # stride 2 on the padded grid
        laid = colors if r["side"] == "correlation" else rotated
        expected = [laid[tuple(np.array(g) - origin)] for g in r["window"]]
        assert r["colors"] == expected
    # The values still come out right (they colour the verdict): scipy as the oracle.
    xp = np.pad(RAND_4, 1)
    np.testing.assert_allclose(scene.result_values["convolution"],
                               signal.convolve2d(xp, SOBEL_X, mode="valid")[::2, ::2])
    texts = [m for mob in scene.mobjects for m in mob.get_family()
             if type(m).__name__ in ("Text", "MarkupText")]
    assert texts and not [m.text for m in texts if is_number(m.text)]  # no number drawn
    assert scene.problems == []


@pytest.mark.parametrize(
    "x, w, per_line, expected",
    [
        ([2, 1, 0, 1, 2], [1, -1], 4, ["y[0] = 2·1 + 1·(−1) = 1"]),
        ([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 0, 1], 4,
         ["y[0] = 1·1 + 2·0 + 3·0 + 4·0", "+ 5·0 + 6·1 = 7"]),
        ([0.5, -2], [2, 0.25], 4, ["y[0] = 0.5·2 + (−2)·0.25 = 0.5"]),
    ],
)
def test_step_lines(x, w, per_line, expected):
    step = conv_steps(x, w, ConvSpec((len(x),), len(w)))[0]
    assert step_lines(step, per_line) == expected


def test_bad_option_names_the_parameter():
    with pytest.raises(ValueError, match="lang='fr' is invalid"):
        FlipVsCorrelation(lang="fr")


@pytest.mark.parametrize("lx, rx, widths", [(-3.0, 3.0, (2.0, 2.0)), (-7.0, 7.0, (4.0, 9.0)),
                                            (1.0, -1.0, None), (0.0, 0.0, (0.5, 30.0))])
def test_halves_over_keeps_each_text_in_its_half(lx, rx, widths):
    from scenes.layout import Box, halves_over

    row = Box(0.0, -2.0, 13.0, 0.5)
    left, right = halves_over(row, lx, rx, widths=widths)
    assert row.contains(left) and row.contains(right)
    assert not left.overlaps(right)
    assert left.right <= 0.0 <= right.left
    if widths and widths[0] < 6.0 and -6.5 + widths[0] / 2 <= lx <= -widths[0] / 2:
        assert left.x == pytest.approx(lx)  # centred over its grids when there is room


def disk_hits_box(cx: float, cy: float, radius: float, box) -> bool:
    """Whether a disk meets a box's interior (closest point of the box to the centre)."""
    dx = max(box.left - cx, 0.0, cx - box.right)
    dy = max(box.bottom - cy, 0.0, cy - box.top)
    return dx * dx + dy * dy < radius * radius - 1e-9


@pytest.mark.parametrize("grid, kernel, out", [((5,), (2,), (4,)), ((8,), (5,), (4,)),
                                              ((6, 6), (3, 3), (4, 4)), ((6, 6), (2, 4), (5, 3)),
                                              ((6, 3), (5, 1), (2, 3))])
@pytest.mark.parametrize("turning", [(1, 4), ()])
def test_turning_kernel_sweeps_over_nothing(grid, kernel, out, turning):
    """A kernel turning in place sweeps the disk of its half-diagonal (hypot(rows, cols)/2
    cells): with ``turning`` no caption, grid or text row of the plan meets that disk; without
    it the caption sits right on the kernel and does."""
    from scenes.layout import grid_rows_cols, plan_best

    stacked = [[grid, kernel, out]] * 2
    spread = [[grid], [kernel, out]] * 2
    for arrangement in (stacked, spread):
        _, lay = plan_best([arrangement], frame_width=14.222, frame_height=8.0, top_rows=2,
                           bottom_rows=4, turning=turning)
        for k in (1, 4):
            slot = lay.grids[k]
            r, c = grid_rows_cols(kernel)
            radius = float(np.hypot(r, c)) * slot.cell / 2
            others = [b for b in lay.boxes() if b != slot.box]
            hit = any(disk_hits_box(slot.box.x, slot.box.y, radius, b) for b in others)
            assert hit is not bool(turning)
            assert (slot.caption.bottom >= slot.box.y + radius - 1e-9) is bool(turning)


# -- the legibility limit (plans only, no rendering) ----------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        ConvSpec((5,), 2),  # seed 001
        ConvSpec((12, 12), 3, padding=3),
        ConvSpec((29, 29), 3),  # the 2D boundary region
        ConvSpec((60,), 3),  # the 1D boundary region
        ConvSpec((6, 6), 3, stride=2, transposed=True),
    ],
)
def test_accepted_sizes(spec):
    FlipVsCorrelation.check_spec(spec)
    FlipVsCorrelation.check_spec(spec, mode="schematic")


@pytest.mark.parametrize(
    "spec, value",
    [
        (ConvSpec((60, 60), 3), "60×60"),
        (ConvSpec((40, 40), 3, padding=1), "40×40"),
        (ConvSpec((200,), 2), "200"),
    ],
)
def test_refused_sizes_name_the_value_and_the_limit(spec, value):
    with pytest.raises(ConvMathError, match=rf"FlipVsCorrelation: with input {value}, the drawn "
                       r"grids .* px at 480p; the limit is cells of at least 6 px") as info:
        FlipVsCorrelation.check_spec(spec)
    n = largest_from_message(str(info.value))
    assert n is not None and n < max(spec.input_shape)
    FlipVsCorrelation.check_spec(dataclasses.replace(spec, input_shape=(n,) * spec.ndim))
    with pytest.raises(ConvMathError):
        FlipVsCorrelation.check_spec(dataclasses.replace(spec, input_shape=(n + 1,) * spec.ndim))
    with pytest.raises(ConvMathError, match="too large for FlipVsCorrelation"):
        FlipVsCorrelation(spec)  # the constructor checks too


def test_schematic_plan_is_the_one_numeric_falls_back_to():
    spec = ConvSpec((20, 20), 3)  # numbers unreadable: no equations, the schematic plan
    kw = dict(frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)
    lay_n, eq_n = FlipVsCorrelation.plan_layout(spec, numeric=True, n_lines=3, **kw)
    lay_s, eq_s = FlipVsCorrelation.plan_layout(spec, numeric=False, **kw)
    assert not eq_n and not eq_s and lay_n.cell == pytest.approx(lay_s.cell)
    assert len(lay_n.bottom) == len(lay_s.bottom) == 2
    # with equations: the end rows (results, verdict, rule) share the equations' rows
    lay_e, eq_e = FlipVsCorrelation.plan_layout(ConvSpec((5,), 2), numeric=True, n_lines=1, **kw)
    assert eq_e and len(lay_e.bottom) == 4
    lay_2, eq_2 = FlipVsCorrelation.plan_layout(ConvSpec((4, 4), 3), numeric=True, n_lines=3,
                                                **kw)
    assert eq_2 and len(lay_2.bottom) == 3
    assert px_480p(lay_2.cell) >= 40  # seed 001's 2D example: cells of 24 px before


def test_takes_inputs_like_every_conv_scene(tmp_path):
    """``FlipVsCorrelation(inputs=...)`` draws those arrays (the pipeline's way in), as
    ConvScene does; ``inputs`` with ``spec`` is refused."""
    from manim import tempconfig
    from scene_helpers import tiny_config

    from scenes.inputs import ConvInputs

    spec = ConvSpec((4, 4), 3)
    inputs = ConvInputs.make(spec, SEED_2D_X, SOBEL_X)
    with tempconfig(tiny_config(tmp_path)):
        scene = FlipVsCorrelation(inputs=inputs, lang="es")
        assert scene.spec == spec and scene.lang == "es"
        np.testing.assert_array_equal(scene.x, SEED_2D_X)
        np.testing.assert_array_equal(scene.w, SOBEL_X)
        with pytest.raises(ValueError, match="inputs is invalid together with spec"):
            FlipVsCorrelation(spec, inputs=inputs)
