"""Tests for `Superposition` (the transposed convolution by stamping): rendered for real at tiny
resolution (last frame only), then the sums are compared with ``scipy.signal`` and a naive scatter,
the stamps with the brute-force edges of the definition, and every state after a ``play()`` is
checked for bounds and text overlap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from graph_oracles import naive_transposed, oracle_edges, scipy_direct
from scene_helpers import render_scene

from convmath import ConvSpec
from scenes.kit.grid import CellGrid
from scenes.kit.theme import LIGHT
from scenes.superposition import (
    Superposition,
    checkerboard_axes,
    count_marks,
    has_checkerboard,
)

pytestmark = pytest.mark.render


def render(cls, tmp_path: Path, spec=None, x=None, w=None, **opts):
    """Last frame only: every play() runs (and is checked), frames in between are skipped."""
    return render_scene(cls, tmp_path, spec, x, w, last_frame_only=True, step_time=0.2, **opts)


# -- Superposition -----------------------------------------------------------------------------

SUPERPOSITION_CASES = [
    pytest.param(None, {}, id="default-2x2-k3-s2"),
    pytest.param(ConvSpec((3, 3), 3, stride=2, padding=1, transposed=True, output_padding=1),
                 dict(theme="dark", lang="es"), id="padding-strides-odd-transposed-dark-es"),
    pytest.param(ConvSpec((3,), 3, stride=2, padding=1, transposed=True),
                 dict(mode="schematic"), id="1d-padding-strides-transposed"),
    pytest.param(ConvSpec((5,), 3, stride=2, padding=1), {}, id="1d-direct"),
    pytest.param(ConvSpec((2, 2), 4, stride=2, transposed=True, flip=True), dict(lang="es"),
                 id="k4-s2-flip-no-checkerboard"),
    pytest.param(ConvSpec((3,), 3, transposed=True), {}, id="1d-stride1-transposed-no-zeros"),
    pytest.param(ConvSpec((4,), 2), dict(theme="dark"), id="1d-direct-no-padding"),
]


def equivalent_grid_name(spec: ConvSpec) -> str:
    """What the equivalent direct grid holds, from the definition: a transposed convolution
    inserts s−1 zeros between input cells (some iff s > 1 on an axis with 2+ cells) and pads
    d(k−1)−p cells per side (+ output_padding at the end); a direct one pads p."""
    if spec.transposed:
        if any(st > 1 and n > 1 for st, n in zip(spec.stride, spec.input_shape)):
            return "sup_stretched"
        pads = [d * (k - 1) - p for d, k, pp in zip(spec.dilation, spec.kernel_shape, spec.pads)
                for p in pp]
        pads += list(spec.resolved_output_padding)
    else:
        pads = [p for pp in spec.pads for p in pp]
    return "sup_padded" if any(p > 0 for p in pads) else "input"


@pytest.mark.parametrize(("spec", "opts"), SUPERPOSITION_CASES)
def test_superposition_sums_match_oracles(tmp_path, spec, opts):
    scene = render(Superposition, tmp_path, spec, **opts)
    s, x, w = scene.spec, scene.x, scene.w
    expected = naive_transposed(x, w, s) if s.transposed else scipy_direct(x, w, s)
    np.testing.assert_allclose(scene.final_values, expected, atol=1e-9)
    np.testing.assert_allclose(scene.direct_values, expected, atol=1e-9)
    full = naive_transposed(x, w, s, crop=False) if s.transposed else expected
    np.testing.assert_allclose(scene.canvas_values, full, atol=1e-9)  # the numbers written
    np.testing.assert_allclose(scene.canvas_sums, full, atol=1e-9)  # the stamps moved
    # Every stamp lands on the cells the definition says, through the right weights.
    stamped = {
        (int(np.ravel_multi_index(st["in_index"], s.input_shape)),
         int(np.ravel_multi_index(o, scene.canvas_spec.output_shape)),
         int(np.ravel_multi_index(k, s.kernel_shape)))
        for st in scene.records_of("stamp") for o, k in st["cells"].items()
    }
    assert stamped == oracle_edges(scene.canvas_spec)
    assert scene.checkerboard is has_checkerboard(s)
    # The direct view's window covers one real input cell per stamp (same tint, same pattern).
    np.testing.assert_array_equal(scene.direct_real_taps, scene.stamp_counts)
    # Its grid is named by what it holds (no "zero-inserted" caption without inserted zeros).
    (eq,) = scene.records_of("equivalence")
    assert eq["grid"] == equivalent_grid_name(s)
    assert eq["kernel"] == ("flipped_kernel" if s.flip != s.transposed else "kernel")
    if spec is None:  # 2×2 input, 3×3 kernel, stride 2: 1D counts 1,1,2,1,1 (worked by hand)
        counts_1d = np.array([1, 1, 2, 1, 1])
        np.testing.assert_array_equal(scene.stamp_counts, np.outer(counts_1d, counts_1d))
        assert scene.checkerboard is True
    assert scene.problems == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (ConvSpec((2, 2), 3, stride=2, transposed=True), True),
        (ConvSpec((4,), 4, stride=2, transposed=True), False),
        (ConvSpec((4,), 3, stride=1, transposed=True, padding=1), False),
        (ConvSpec((4,), 6, stride=3, transposed=True), False),
        (ConvSpec((4,), 5, stride=3, transposed=True), True),
        (ConvSpec((5,), 3, stride=2, padding=1), False),  # direct: no stamps overlap unevenly
    ],
)
def test_checkerboard_iff_kernel_not_a_multiple_of_stride(spec, expected):
    assert has_checkerboard(spec) is expected


@pytest.mark.parametrize(
    ("spec", "axes"),
    [
        (ConvSpec((2, 2), (3, 2), stride=(2, 1), transposed=True), (0,)),
        (ConvSpec((2, 2), (2, 3), stride=(2, 2), transposed=True), (1,)),
        (ConvSpec((2, 2), 3, stride=2, transposed=True), (0, 1)),
        # Dilation 2 puts both taps of a size-2 kernel on the same stride phase: every other
        # inner cell gets no stamp at all, though 2 is a multiple of 2.
        (ConvSpec((4,), 2, stride=2, dilation=2, transposed=True), (0,)),
        (ConvSpec((4,), 2, stride=2, dilation=3, transposed=True), ()),
    ],
)
def test_checkerboard_axes(spec, axes):
    assert checkerboard_axes(spec) == axes


@pytest.mark.parametrize(
    ("spec", "limit"),
    [
        (ConvSpec((9, 9), 3, stride=1, transposed=True), "MAX_INPUT_CELLS=64"),
        (ConvSpec((5,), 3, stride=4, transposed=True), "MAX_CANVAS_SIDE=16"),
    ],
)
def test_superposition_refuses_past_the_limit(spec, limit):
    with pytest.raises(ValueError, match=limit):
        Superposition(spec)


# -- the story, read from the scene log ------------------------------------------------------


@pytest.mark.parametrize(("spec", "opts"), SUPERPOSITION_CASES)
def test_superposition_says_what_it_shows(tmp_path, spec, opts):
    """The title names the transposed convolution (or says the spec is a direct one); the
    first overlaps are written old + new = sum with the oracle's numbers; the checkerboard is
    named as soon as the canvas is finished; the legend names no shade that one theme
    inverts; schematic captions speak of no values; output_padding's cells are explained; the
    kit's text rules hold."""
    from convmath import format_number

    scene = render(Superposition, tmp_path, spec, **opts)
    s = scene.spec
    texts = scene.log.texts()
    title = texts[0]
    words = {"en": ("transposed convolution", "direct convolution"),
             "es": ("convolución transpuesta", "convolución directa")}[scene.lang]
    assert (words[0] if s.transposed else words[1]) in title.lower()
    joined = " ".join(texts)
    assert "darker" not in joined and "oscura" not in joined
    (done,) = scene.records_of("canvas_done")
    assert done["checkerboard"] is has_checkerboard(s)
    if has_checkerboard(s):  # named when the finished canvas shows it, before the direct view
        after_done = texts[texts.index(next(t for t in texts if "stamps added" in t
                                            or "estampas sumadas" in t)):]
        assert any(("Checkerboard" in t or "Tablero" in t) for t in after_done[:2])
    if opts.get("mode") == "schematic":
        import re

        assert not any(re.search(r"=\s*[−-]?\d", t) for t in texts)  # no values spoken of
    sums = [t for t in texts if " + " in t and t.startswith("[")]
    if s.transposed and opts.get("mode") != "schematic":
        for t in sums:
            for part in t.split("   "):
                cell, rest = part.split(": ")
                old, new_sum = rest.split(" + ")
                new, total = new_sum.split(" = ")
                assert format_number(float(old.replace("−", "-")) +
                                     float(new.replace("−", "-"))) == total, cell
    if s.transposed and any(s.resolved_output_padding):
        assert scene.records_of("output_padding")[0]["cells"] > 0
        assert any(("Output padding" in t or "Relleno de salida" in t) and ("0" in t)
                   for t in texts)  # said in prose (issue 12 #6), not as the argument
    assert scene.log.violations() == []


def test_stamps_are_drawn_beside_the_canvas_never_over_its_digits(tmp_path):
    """Each stamp (the kernel times an input cell) is shown in the kernel's place, clear of the
    canvas; the first overlaps are written old + new = sum with the values drawn."""
    scene = render_scene(Superposition, tmp_path, ConvSpec((2,), 3, stride=2, transposed=True),
                         np.array([3.0, 2.0]), np.array([1.0, 2.0, 3.0]), last_frame_only=True,
                         step_time=0.2)
    stamps = scene.records_of("stamp")
    assert len(stamps) == 2
    for st in stamps:
        left, right, bottom, top = st["stamp_box"]
        cl, cr, cb, ct = st["canvas_box"]
        assert right <= cl or left >= cr or top <= cb or bottom >= ct
    assert "[2]: 9 + 2 = 11" in " ".join(scene.log.texts())  # 3·3 then 2·1 on cell 2
    assert scene.problems == []
    assert scene.log.violations() == []


def _overlap(a, b) -> bool:
    (al, ar, ab, at), (bl, br, bb, bt) = a, b
    return not (ar <= bl or al >= br or at <= bb or ab >= bt)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_kernel_stays_and_the_scaled_copy_is_drawn_apart_and_labelled(tmp_path, lang):
    """Reviewer: the box labelled "kernel" was overwritten with 3×kernel, then 2×kernel. Each
    stamp now has its own slot, clear of the kernel and the canvas, captioned "3 × kernel"
    with the input cell's value (oracle: the input array); the kernel's numbers never hide."""
    scene = render(Superposition, tmp_path, lang=lang)
    word = {"en": "kernel", "es": "filtro"}[lang]
    for st, lab in zip(scene.records_of("stamp"), scene.records_of("stamp_label")):
        assert not _overlap(st["stamp_box"], st["kernel_box"])
        assert not _overlap(st["stamp_box"], st["canvas_box"])
        v = scene.x[lab["in_index"]]
        assert lab["text"] == f"{v:.0f} × {word}".replace("-", "−")
    assert all(v.get_fill_opacity() > 0.99 for v in scene.kernel_grid.values)
    assert scene.problems == [] and scene.log.violations() == []


def test_stamp_counts_are_drawn_as_dots_not_tint_alone(tmp_path):
    """Every canvas cell's dots equal the stamps it received (oracle: loops over input cell and
    kernel tap, out = s·i + k for a transposed spec without padding); the caption names the
    dots, not the tint."""
    scene = render(Superposition, tmp_path)
    s = scene.spec
    counts = np.zeros(tuple((n - 1) * st + k for n, st, k in
                            zip(s.input_shape, s.stride, s.kernel_shape)), dtype=int)
    for i in np.ndindex(*s.input_shape):
        for k in np.ndindex(*s.kernel_shape):
            counts[tuple(ii * st + kk for ii, st, kk in zip(i, s.stride, k))] += 1
    (done,) = scene.records_of("canvas_done")
    assert {c: n for c, n in done["dots"].items()} == {
        tuple(int(v) for v in c): int(counts[tuple(c)]) for c in np.argwhere(counts > 0)}
    assert sorted(set(done["dots"].values())) == [1, 2, 4]
    assert any("dots" in t for t in scene.log.texts())
    assert not any("tint" in t for t in scene.log.texts())


@pytest.mark.parametrize("n", [1, 2, 4, 5, 9, 10, 11, 16])
def test_count_marks_draw_n_dots_in_the_top_band(n):
    grid = CellGrid((3, 3), 1.0, theme=LIGHT, role="output", filled=False)
    marks = count_marks(grid, (1, 1), n, "#000000")
    top = grid.cell_center((1, 1))[1] + 0.5
    if n <= 10:
        assert len(marks) == n
    else:
        assert marks.text == str(n)
    assert marks.get_top()[1] <= top + 1e-9 and marks.get_bottom()[1] >= top - 0.26
    assert abs(marks.get_center()[0] - grid.cell_center((1, 1))[0]) < 1e-6


def test_the_direct_check_steps_one_at_a_time_then_says_the_rest(tmp_path):
    """The recap: three windows a step each, then the rest together, announced."""
    scene = render(Superposition, tmp_path)
    (sweep,) = scene.records_of("sweep")
    assert sweep["slid"] == 3 and sweep["together"] == 22
    texts = scene.log.texts()
    assert scene.label("sup_recap_title") in texts
    assert scene.label("sup_recap_rest", n=22) in texts


def test_a_negative_stamp_is_added_in_brackets(tmp_path):
    """'[2]: 9 + (−2) = 7', never '9 + −2' (as the engine writes factors: convmath.signed)."""
    scene = render_scene(Superposition, tmp_path, ConvSpec((2,), 3, stride=2, transposed=True),
                         np.array([3.0, -2.0]), np.array([1.0, 2.0, 3.0]), last_frame_only=True,
                         step_time=0.2)
    said = " ".join(scene.log.texts())
    assert "[2]: 9 + (\u22122) = 7" in said and "+ \u2212" not in said
