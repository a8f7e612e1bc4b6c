"""Tests for A2 MatrixView: rendered for real at tiny resolution; what was drawn (matrix entries,
the unrolled x, the product y, the highlighted windows) is compared with oracles — a naive
sliding-window matrix built here from the definition, scipy.signal for the result — and every
state after a play() is checked for frame bounds and overlapping text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scene_helpers import largest_from_message, render_scene
from scipy import signal

from convmath import ConvMathError, ConvSpec, conv_matrix, conv_steps, convolve, random_values
from scenes.layout import plan_matrix, plan_matrix_best
from scenes.matrix import MatrixView, entry_name, weight_name

pytestmark = pytest.mark.render


def render(tmp_path: Path, spec=None, x=None, w=None, **opts) -> MatrixView:
    opts.setdefault("step_time", 0.2)
    return render_scene(MatrixView, tmp_path, spec, x, w, **opts)


def naive_matrix(spec: ConvSpec, w: np.ndarray) -> np.ndarray:
    """The direct convolution's matrix from the definition: row = one window position over the
    zero-padded input, each weight at the column of the real input cell it covers."""
    n_out, n_in = int(np.prod(spec.output_shape)), int(np.prod(spec.input_shape))
    out = np.zeros((n_out, n_in))
    for r, o in enumerate(np.ndindex(*spec.output_shape)):
        for m in np.ndindex(*spec.kernel_shape):
            g = [oi * s + mi * d - p[0] for oi, s, mi, d, p in
                 zip(o, spec.stride, m, spec.dilation, spec.pads)]
            if all(0 <= gi < n for gi, n in zip(g, spec.input_shape)):
                c = int(np.ravel_multi_index(tuple(g), spec.input_shape))
                wm = tuple(k - 1 - mi for mi, k in zip(m, spec.kernel_shape)) if spec.flip else m
                out[r, c] = w[wm]
    return out


def oracle_matrix(spec: ConvSpec, w: np.ndarray) -> np.ndarray:
    """Direct: the naive matrix; transposed: the naive matrix of the direct adjoint, transposed."""
    if spec.transposed:
        return naive_matrix(spec.adjoint(), w).T
    return naive_matrix(spec, w)


CASES = [
    pytest.param((None, "numeric"), id="defaults-1d-toeplitz"),
    pytest.param((ConvSpec((5,), 3, stride=2, padding=1), "schematic"), id="1d-stride-pad"),
    pytest.param((ConvSpec((7,), 3, dilation=2, flip=True), "numeric"), id="1d-dilation-flip"),
    pytest.param((ConvSpec((4, 4), 3), "numeric"), id="2d-4x4-paper"),
    pytest.param((ConvSpec((2, 2), 3, transposed=True), "schematic",
                  {"theme": "dark", "lang": "es"}), id="2d-transposed-2to4-dark-es"),
    pytest.param((ConvSpec((3,), 3, stride=2, padding=1, transposed=True), "numeric"),
                 id="1d-transposed-3to5"),
]


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    """One media directory for every render: manim reuses the SVGs of repeated texts."""
    return tmp_path_factory.mktemp("matrix_media")


@pytest.fixture(scope="module", params=CASES)
def rendered(request, media):
    spec, mode, opts = (*request.param, {})[:3]
    if spec is None:  # the defaults, as `manim scenes/matrix.py MatrixView` renders them
        scene = render(media, mode=mode, **opts)
        return scene.spec, scene.x, scene.w, scene
    x = random_values(spec.input_shape, seed=3)
    w = random_values(spec.kernel_shape, seed=4, low=-2, high=3)
    scene = render(media, spec, x, w, mode=mode, **opts)
    return spec, x, w, scene


def test_matrix_entries_are_the_convolution_matrix(rendered):
    spec, x, w, scene = rendered
    cm = conv_matrix(spec)
    oracle = oracle_matrix(spec, w)
    nonzero = {(int(r), int(c)) for r, c in zip(*np.nonzero(cm.kernel_index >= 0))}
    drawn_nonzero = {key for key, (k, _) in scene.matrix_entries.items() if k >= 0}
    assert drawn_nonzero == nonzero
    dense = cm.dense(w)
    for (r, c), (k, value) in scene.matrix_entries.items():
        assert k == cm.kernel_index[r, c]
        assert value == pytest.approx(dense[r, c])
        assert value == pytest.approx(oracle[r, c])
    if scene.full:  # every entry written, zeros included
        assert len(scene.matrix_entries) == cm.shape[0] * cm.shape[1]


def test_transposed_matrix_is_the_adjoint_transposed(rendered):
    spec, _, w, scene = rendered
    if not spec.transposed:
        pytest.skip("direct spec")
    adj = conv_matrix(spec.adjoint()).kernel_index.T
    for (r, c), (k, _) in scene.matrix_entries.items():
        assert k == adj[r, c]
    assert scene.records_of("matrix")[0]["transposed_on_screen"] is True


def test_product_and_fold_equal_the_convolution(rendered):
    spec, x, w, scene = rendered
    y = oracle_matrix(spec, w) @ x.ravel()
    drawn = np.array([scene.result_values[r] for r in range(len(y))])
    np.testing.assert_allclose(drawn, y)
    if not spec.transposed:  # independent check of the direct result with scipy
        xp = np.pad(x, spec.pads)
        wd = np.flip(w) if spec.flip else w
        if any(d > 1 for d in spec.dilation):
            wd = np.zeros(tuple((k - 1) * d + 1 for k, d in zip(w.shape, spec.dilation)))
            wd[tuple(slice(None, None, d) for d in spec.dilation)] = (
                np.flip(w) if spec.flip else w)
        ref = signal.correlate(xp, wd, mode="valid")[tuple(slice(None, None, s)
                                                            for s in spec.stride)]
        np.testing.assert_allclose(drawn.reshape(spec.output_shape), ref)
    folded = np.zeros(spec.output_shape)
    for idx, v in scene.output_values.items():
        folded[idx] = v
    assert len(scene.output_values) == spec.output_size
    np.testing.assert_allclose(folded, convolve(x, w, spec))
    assert scene.x_entries == {c: float(v) for c, v in enumerate(x.ravel())}


def test_row_highlights_window_and_output_cell(rendered):
    spec, x, w, scene = rendered
    cm = conv_matrix(spec)
    rows = {h["row"]: h for h in scene.highlighted_rows}
    assert sorted(rows) == list(range(cm.shape[0]))
    steps = None if spec.transposed else conv_steps(x, w, spec)
    for r, h in rows.items():
        assert h["columns"] == [int(c) for c in np.nonzero(cm.kernel_index[r] >= 0)[0]]
        assert h["out_index"] == tuple(int(v) for v in np.unravel_index(r, spec.output_shape))
        if steps is not None:
            assert h["window"] == [t.grid_index for t in steps[r].taps]


def test_window_is_drawn_under_the_input_numbers(rendered):
    """The window's outline runs on the cell borders: drawn (manim sorts by z-index) before every
    number or name of the input grid, and thinner than a full-size grid's window."""
    from manim.utils.family import extract_mobject_family_members

    from scenes.matrix import WINDOW_STROKE

    spec, _, _, scene = rendered
    window = scene._window(scene.highlighted_rows[0]["window"])
    texts = [*scene.input_grid.values, *scene._input_names.values()]
    if not texts:
        pytest.skip("no numbers or names on the input grid")
    # Added last, as the scene adds it: only the z-index can put it under the numbers.
    order = extract_mobject_family_members(
        [scene.input_grid, *scene._input_names.values(), window], use_z_index=True)
    assert order.index(window) < min(order.index(t) for t in texts)
    assert window.get_stroke_width() == WINDOW_STROKE < 5.0


def test_every_state_inside_frame_without_overlaps(rendered):
    *_, scene = rendered
    assert scene.problems == []


def test_compact_padded_5x5(media):
    spec = ConvSpec((5, 5), 3, padding=1)
    scene = render(media, spec, theme="dark", lang="es", step_time=0.1)
    assert scene.full is False  # 25x25: coloured cells, blank zeros
    cm = conv_matrix(spec)
    assert set(scene.matrix_entries) == {
        (int(r), int(c)) for r, c in zip(*np.nonzero(cm.kernel_index >= 0))
    }
    np.testing.assert_allclose(
        [scene.result_values[r] for r in range(25)], (cm.dense(scene.w) @ scene.x.ravel())
    )
    assert scene.problems == []


def test_defaults_teach_a_toeplitz_band(rendered):
    spec, _, _, scene = rendered
    if spec != ConvSpec((6,), 3):
        pytest.skip("not the defaults")
    assert scene.full is True
    assert scene.matrix.shape == (4, 6)


# Gallery configurations (i, k, p, s[, d]) and their transposes: the layout keeps everything
# inside the frame with no overlapping boxes, and names the view (full or compact).
GALLERY = [(4, 3, 0, 1, 1), (5, 4, 2, 1, 1), (5, 3, 1, 1, 1), (5, 3, 2, 1, 1), (5, 3, 0, 2, 1),
           (5, 3, 1, 2, 1), (6, 3, 1, 2, 1), (7, 3, 0, 1, 2)]


def _gallery_specs():
    for i, k, p, s, d in GALLERY:
        direct = ConvSpec((i, i), k, stride=s, padding=p, dilation=d)
        yield direct
        yield direct.adjoint()
    yield ConvSpec((5,), 2)
    yield ConvSpec((16,), 3, padding=1)
    yield ConvSpec((12, 12), 3, padding=3)
    yield ConvSpec((3, 8), (2, 3), stride=(1, 2))


def _arrangements(spec: ConvSpec) -> list:
    grid = spec.input_shape if spec.transposed else spec.grid_shape
    return [([grid, spec.kernel_shape], [spec.output_shape]),
            ([grid, spec.kernel_shape, spec.output_shape], [])]


@pytest.mark.parametrize("spec", list(_gallery_specs()), ids=str)
@pytest.mark.parametrize("frame", [(14.222, 8.0), (8.0, 8.0)])
@pytest.mark.parametrize("arrangement", [0, 1])
def test_layout_fits_every_size(spec, frame, arrangement):
    cm = conv_matrix(spec)
    pre = None
    if spec.transposed:
        pre = conv_matrix(spec.adjoint()).shape
    left, right = _arrangements(spec)[arrangement]
    lay = plan_matrix(left, right, cm.shape, frame_width=frame[0], frame_height=frame[1],
                      pre_shape=pre)
    boxes = lay.boxes()
    half_w, half_h = frame[0] / 2, frame[1] / 2
    for b in boxes:
        assert -half_w - 1e-6 <= b.left and b.right <= half_w + 1e-6
        assert -half_h - 1e-6 <= b.bottom and b.top <= half_h + 1e-6
    solid = [lay.matrix.box, lay.x_vec.box, lay.y_vec.box, *[g.box for g in lay.left],
             *[g.box for g in lay.right]]
    for i, a in enumerate(solid):
        for b in solid[i + 1:]:
            assert not a.overlaps(b)
    if cm.shape[0] > 24 or cm.shape[1] > 30:  # e.g. the 5x5 padded input's 25x25
        assert lay.full is False


@pytest.mark.parametrize("spec,expected", [
    (ConvSpec((16,), 3, padding=1), 1),  # long 1D rows: output stacked under the kernel
    (ConvSpec((4, 4), 3), 0),  # 2D: output on the right, where y folds into it
    (ConvSpec((6,), 3), 0),
])
def test_layout_stacks_long_1d_rows(spec, expected):
    index, lay = plan_matrix_best(_arrangements(spec), conv_matrix(spec).shape,
                                  frame_width=14.222, frame_height=8.0)
    assert index == expected
    assert lay.readable_font(lay.cell, 2) is not None


def test_gallery_largest_transposed_renders_in_frame(media):
    spec = ConvSpec((5, 5), 4, padding=2).adjoint()  # 6x6 -> 5x5: C^T is 25x36
    scene = render(media, spec, mode="schematic", step_time=0.05)
    assert scene.problems == []
    assert len(scene.result_values) == spec.output_size


@pytest.mark.parametrize(
    "index,name", [((0, 1), "w₀₁"), ((2,), "w₂"), ((10, 2), "w₁₀‚₂")]
)
def test_weight_names(index, name):
    assert weight_name(index) == name


def test_entry_name():
    assert entry_name("x", 15) == "x₁₅"


def test_bad_option_names_the_parameter():
    with pytest.raises(ValueError, match="mode='loud'"):
        MatrixView(mode="loud")


# -- the legibility limit (plans only, no rendering, no matrix built) ----------------------------


@pytest.mark.parametrize(
    "spec",
    [
        ConvSpec((6,), 3),  # the default
        ConvSpec((5, 5), 3, stride=2, padding=1),
        ConvSpec((7, 7), 3),  # 2D boundary: a 25×49 C
        ConvSpec((29,), 3),  # 1D boundary: a 27×29 C
        ConvSpec((3, 3), 3, stride=2, transposed=True),
        ConvSpec((13,), 3, stride=2, transposed=True),
        ConvSpec((3,), 3, stride=2, transposed=True, output_padding=1, dilation=2),  # no adjoint
    ],
)
def test_accepted_sizes(spec):
    MatrixView.check_spec(spec)
    MatrixView.check_spec(spec, mode="schematic")


@pytest.mark.parametrize(
    "spec, value, grid",
    [
        (ConvSpec((60, 60), 3), "60×60", r"the vector x \(3600 cells\)"),
        (ConvSpec((8, 8), 3), "8×8", r"the vector x \(64 cells\)"),
        (ConvSpec((60,), 3), "60", "the input, kernel and output grids"),
        (ConvSpec((16,), 3, stride=2, transposed=True), "16", "the input, kernel and output grids"),
    ],
)
def test_refused_sizes_name_the_value_and_the_limit(spec, value, grid):
    with pytest.raises(ConvMathError, match=rf"MatrixView: with input {value}, {grid} would get "
                       r"cells of .* px at 480p; the limit is cells of at least 6 px") as info:
        MatrixView.check_spec(spec)
    n = largest_from_message(str(info.value))
    assert n is not None and n < max(spec.input_shape)
    MatrixView.check_spec(dataclasses.replace(spec, input_shape=(n,) * spec.ndim))
    with pytest.raises(ConvMathError):
        MatrixView.check_spec(dataclasses.replace(spec, input_shape=(n + 1,) * spec.ndim))
    with pytest.raises(ConvMathError, match="too large for MatrixView"):
        MatrixView(spec)  # the constructor checks before conv_matrix builds anything


@pytest.mark.parametrize("spec", [ConvSpec((7, 7), 3, padding=1),
                                  ConvSpec((4,), 3, stride=2, transposed=True)])
def test_plan_from_the_spec_matches_the_matrix(spec):
    # The check plans C's shape from the spec alone; the engine's matrix has that shape.
    lay = MatrixView.plan_layout(spec, frame_width=16 / 9 * 8, frame_height=8.0)
    assert (lay.matrix.rows, lay.matrix.cols) == conv_matrix(spec).shape
    assert lay.x_vec.rows == np.prod(spec.input_shape)


# -- the story, read from the scene log ------------------------------------------------------


def test_window_lands_before_its_weights_fly(rendered):
    """Cause before effect: each row of C is filled only after its window is on the input, and
    each y_r is written only after its row is lit (and, in full, its equation said)."""
    from scenes.kit.log import ResultWritten, WindowLanded

    spec, _, _, scene = rendered
    assert scene.log._cause_before_effect() == []
    for group in ("build", "product"):
        landed = {e.step: e for e in scene.log.of(WindowLanded, group=group)}
        written = {e.step: e for e in scene.log.of(ResultWritten, group=group)}
        if group == "build" and scene.records_of("transpose"):
            assert not written  # a transposed spec builds the adjoint's C, then transposes it
            continue
        assert sorted(written) == list(range(scene.matrix.shape[0]))
        for r, w in written.items():
            assert landed[r].end <= w.t + 1e-9


def test_caption_names_the_highlighted_window(rendered):
    """While window r is on the input in the full rows, the caption says "window r" (or the
    output cell r for a transposed spec)."""
    from scenes.kit.log import TextShown, WindowLanded

    spec, _, _, scene = rendered
    word = {"en": "window", "es": "ventana"}[scene.lang]
    for group in ("build", "product"):
        for e in scene.log.of(WindowLanded, group=group)[:2]:
            said = [t for t in scene.log.of(TextShown, slot="caption") if t.t <= e.end + 1e-9]
            text = said[-1].text
            if spec.transposed:
                assert f" {e.step}" in text
            else:
                assert f"{word} {e.step}" in text, text
            if group == "build" and not spec.transposed:  # the window is the row's
                assert set(e.cells) == {t.grid_index for t in conv_steps(
                    scene.x, scene.w, spec)[e.step].taps}


def test_final_frame_labels_x_and_y(rendered):
    """C·x = y is shown: x's and y's entries carry their values (or, where values do not fit or
    in the schematic view, their names x₀…, y₀…)."""
    from convmath import format_number

    spec, x, w, scene = rendered
    (vec,) = scene.records_of("vectors")
    xs = [format_number(v) for v in x.ravel()]
    names_x = [entry_name("x", c) for c in range(x.size)]
    assert vec["x"] in (xs, names_x)
    y = convolve(x, w, spec).ravel()
    assert all(lab in (format_number(y[r]), entry_name("y", r)) for r, lab in
               enumerate(vec["y"]))


def test_text_rules_hold(rendered):
    """Every text is read before it changes, no two texts share a place, contrast >= 4.5:1, the
    first frame is a preview, the closing frame holds."""
    *_, scene = rendered
    assert scene.log.violations() == []


@pytest.mark.parametrize("theme,lang,expected", [
    ("light", "en", "Coloured cell = the kernel weight of that colour (see the kernel); blank "
     "cell = 0"),
    # The dark theme's empty cells are not white: the legend names no colour (issue 12 #6).
    ("dark", "es", "Celda de color = el peso del filtro de ese color (ver el filtro); celda "
     "vacía = 0"),
])
def test_compact_legend_wording_and_size(media, theme, lang, expected):
    """A 5×5 input's 9×25 C is drawn in saturated colours with a legend that names no shade
    (it holds in both themes), never larger than the key sentence above it."""
    scene = render(media, ConvSpec((5, 5), 3), theme=theme, lang=lang, step_time=0.05)
    (view,) = scene.records_of("view")
    assert view["entries"] == "colour"
    (legend,) = scene.records_of("legend")
    assert legend["text"] == expected and legend["theme"] == theme
    assert legend["height"] <= legend["key_height"] + 1e-9
    assert scene.problems == [] and scene.log.violations() == []


def test_box_blur_keeps_its_numbers(media):
    """Fonts per grid: the kernel gets its own font; the input keeps its numbers. Box-blur's
    1/9 is drawn as its integer 1, the factor said in the caption (issue 12 #7)."""
    from convmath import kernel_preset

    spec = ConvSpec((4, 4), 3)
    x = random_values(spec.input_shape, seed=3)
    scene = render(media, spec, x, kernel_preset("box-blur"), step_time=0.05, seen_texts=True)
    assert len(scene.input_grid.values) == 16  # every input number kept
    assert [t.text for t in scene._kernel_labels] == ["1"] * 9
    assert {"kernel w (× 1/9)", "C (× 1/9)"} <= scene.seen_texts
    assert scene.problems == []


def test_transpose_never_collapses_onto_a_line(media):
    """--dims 1 --input 3 --transposed --stride 2: at every moment of the transpose the entries
    are spread over the plane. Oracle: moved all at once, straight or on one arc, the entries
    pass through one line half-way (the bug); row after row on arcs, they never do."""
    from manim import smooth
    from manim.utils.paths import path_along_arc, straight_path

    spec = ConvSpec((3,), 3, stride=2, transposed=True)
    scene = render(media, spec, step_time=0.05)
    (tr,) = scene.records_of("transpose")
    rows = np.array([p[0][0] for p in tr["paths"]])
    starts = np.array([p[1] for p in tr["paths"]])
    ends = np.array([p[2] for p in tr["paths"]])
    n, lag = tr["rows"], tr["lag_ratio"]
    total = (n - 1) * lag + 1  # LaggedStart: row r starts at r·lag (in row durations)

    def spread(points):
        s = np.linalg.svd(points[:, :2] - points[:, :2].mean(axis=0), compute_uv=False)
        return s[1] / max(s[0], 1e-9)

    for together in (path_along_arc(tr["path_arc"]), straight_path()):
        assert spread(together(starts, ends, 0.5)) < 1e-6
    arc = path_along_arc(tr["path_arc"])
    for t in np.linspace(0.0, 1.0, 41):
        alpha = np.array([smooth(float(np.clip(t * total - r * lag, 0, 1))) for r in rows])
        mid = np.array([arc(s[None], e[None], a)[0] for s, e, a in zip(starts, ends, alpha)])
        assert spread(mid) > 0.05, t


def test_transposed_output_padding_is_named_in_the_closing_sentence(media):
    spec = ConvSpec((3, 3), 3, stride=2, padding=1, transposed=True, output_padding=1)
    scene = render(media, spec, mode="schematic", step_time=0.05)
    last = scene.log.texts()[-1]
    assert "output padding 1" in last and last.endswith("→ 6×6")  # prose, not the argument


# -- the claims shown: stride keeps every s-th row, padding deletes columns -------------------


@pytest.mark.parametrize(("spec", "opts"), [
    pytest.param(ConvSpec((6,), 3, stride=2, padding=1), {}, id="1d-6-s2-p1"),
    pytest.param(ConvSpec((4, 4), 3, stride=2, padding=1), {"theme": "dark", "lang": "es"},
                 id="2d-4x4-s2-p1-dark-es"),
])
def test_stride_rows_and_padding_columns_are_shown(tmp_path, spec, opts):
    """The stride-1 matrix is drawn and the rows kept are those of a naive stride-1 matrix
    equal to C's rows (0, s, 2s… in 1D); C over the padded input has one column per grid cell
    and the struck ones are exactly the padding columns (all-zero in a naive product with the
    padded input), labelled; every rule holds."""
    scene = render(tmp_path, spec, last_frame_only=True, **opts)
    s = scene.spec
    w = np.asarray(scene.w, dtype=float)
    c = naive_matrix(s, w)
    (rows,) = scene.records_of("stride_rows")
    one = ConvSpec(s.input_shape, s.kernel_shape, stride=1, padding=s.pads)
    c1 = naive_matrix(one, w)
    assert rows["rows"] == c1.shape[0]
    np.testing.assert_array_equal(c1[rows["kept"]], c)
    if s.ndim == 1:
        assert rows["kept"] == list(range(0, c1.shape[0], s.stride[0]))[: c.shape[0]]
    (cols,) = scene.records_of("padding_columns")
    grid = int(np.prod(s.grid_shape))
    assert cols["cols"] == grid
    # Padding cells by the definition: grid cells outside [p_b, p_b + i) on some axis.
    pad = [g for g, idx in enumerate(np.ndindex(*s.grid_shape))
           if any(not (p[0] <= v < p[0] + n) for v, p, n in zip(idx, s.pads, s.input_shape))]
    assert cols["struck"] == pad
    assert cols["label"] == {"en": "struck out: padding columns",
                             "es": "tachadas: columnas de relleno"}[scene.lang]
    assert scene.problems == []
    assert scene.log.violations() == []


# -- the reviewer's faults: the first frame, the quick rows, the fold of a 1D output ------------

PREVIEW_CASES = [
    pytest.param(None, {}, id="default-1d-en-light"),
    pytest.param(None, dict(lang="es", theme="dark"), id="default-1d-es-dark"),
    pytest.param(ConvSpec((4, 4), 3, stride=1), dict(lang="es"), id="2d-es"),
    pytest.param(ConvSpec((4, 4), 3, stride=2, padding=1), dict(theme="dark"), id="2d-s2-dark"),
]


@pytest.mark.parametrize(("spec", "opts"), PREVIEW_CASES)
def test_first_frame_shows_the_filled_matrix_times_x_equals_y(tmp_path, spec, opts):
    """Frame 0 draws C filled (one entry per non-zero of the definition's matrix), x and y
    (scipy's correlation); the quick rows are announced as faster, with their count, before
    any of them is written; only a 2D output is 'folded' back."""
    scene = render(tmp_path, spec, last_frame_only=True, **opts)
    s = scene.spec
    c = naive_matrix(s, scene.w)
    (pv,) = scene.records_of("preview_product")
    assert pv["entries"] == np.count_nonzero(c) and tuple(pv["shape"]) == c.shape
    np.testing.assert_allclose(pv["x"], scene.x.ravel())
    np.testing.assert_allclose(pv["y"], c @ scene.x.ravel())
    if spec is None:  # stride 1, no padding: scipy's correlation too
        np.testing.assert_allclose(pv["y"], signal.correlate(scene.x, scene.w, mode="valid"))
    from scenes.kit.log import Preview, ResultWritten, TextShown
    (first,) = scene.log.of(Preview)[:1]
    assert first.t == 0 and "matrix" in first.parts and "product" in first.parts
    faster = {"en": "faster", "es": "más rápido"}[scene.lang]
    rows = c.shape[0]
    if rows > 2:
        said = [e for e in scene.log.of(TextShown) if faster in e.text]
        assert len(said) == 2  # the build's and the product's quick rows
        n = {"en": f"the other {rows - 2} rows", "es": f"las otras {rows - 2} filas"}[scene.lang]
        assert all(n in e.text for e in said)
        quick = [e for e in scene.log.of(ResultWritten) if e.group == "product" and e.step >= 2]
        assert min(e.t for e in quick) >= said[1].t
    texts = scene.log.texts()
    assert (scene.label("matrix_fold") in texts) == (s.ndim == 2)
    assert (scene.label("matrix_fold_1d") in texts) == (s.ndim == 1)
    assert scene.problems == [] and scene.log.violations() == []
