"""Tests for A3 `Connectivity` and `Superposition`: rendered for real at tiny resolution (last
frame only, animations skipped), then what was drawn is compared with independent oracles — the
edges from a brute-force loop over the definition ``out = in·s + m·d − p`` (and worked examples),
the sums from ``scipy.signal`` and a naive scatter — and every state after a ``play()`` is checked
for bounds and text overlap."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from scene_helpers import render_scene
from scipy import signal

from convmath import ConvSpec, connectivity
from scenes.connectivity import (
    Connectivity,
    Superposition,
    _cut,
    _ramp,
    checkerboard_axes,
    has_checkerboard,
)
from scenes.kit.theme import get_theme

pytestmark = pytest.mark.render


def render(cls, tmp_path: Path, spec=None, x=None, w=None, **opts):
    """Last frame only: every play() runs (and is checked), frames in between are skipped."""
    return render_scene(cls, tmp_path, spec, x, w, last_frame_only=True, step_time=0.2, **opts)


# -- independent oracles -------------------------------------------------------------------


def oracle_edges(spec: ConvSpec) -> set[tuple[int, int, int]]:
    """(in flat, out flat, kernel flat) by brute force over the definition, per axis.

    Direct: output ``o`` reads padded position ``o·s + m·d``, i.e. input ``o·s + m·d − p``;
    transposed: input ``j`` writes output ``j·s + m·d − p``. ``flip`` uses weight ``k−1−m``.
    """
    axes = []
    for a in range(spec.ndim):
        i, o = spec.input_shape[a], spec.output_shape[a]
        k, s, d = spec.kernel_shape[a], spec.stride[a], spec.dilation[a]
        p = spec.pads[a][0]
        links = []
        for j, n, m in itertools.product(range(i), range(o), range(k)):
            hit = (j == n * s + m * d - p) if not spec.transposed else (n == j * s + m * d - p)
            if hit:
                links.append((j, n, k - 1 - m if spec.flip else m))
        axes.append(links)
    out = set()
    for combo in itertools.product(*axes):
        j = tuple(c[0] for c in combo)
        n = tuple(c[1] for c in combo)
        m = tuple(c[2] for c in combo)
        out.add((int(np.ravel_multi_index(j, spec.input_shape)),
                 int(np.ravel_multi_index(n, spec.output_shape)),
                 int(np.ravel_multi_index(m, spec.kernel_shape))))
    return out


def naive_transposed(x: np.ndarray, w: np.ndarray, spec: ConvSpec, crop: bool = True):
    """PyTorch ConvTranspose by a naive scatter onto the full canvas, then cropping."""
    wu = np.flip(w) if spec.flip else w
    full_shape = tuple(
        (i - 1) * s + d * (k - 1) + 1 + op
        for i, s, d, k, op in zip(spec.input_shape, spec.stride, spec.dilation,
                                  spec.kernel_shape, spec.resolved_output_padding)
    )
    full = np.zeros(full_shape)
    for j in np.ndindex(*x.shape):
        for m in np.ndindex(*wu.shape):
            o = tuple(ji * s + mi * d for ji, mi, s, d in zip(j, m, spec.stride, spec.dilation))
            full[o] += x[j] * wu[m]
    if not crop:
        return full
    sl = tuple(slice(pb, pb + o) for (pb, _), o in zip(spec.pads, spec.output_shape))
    return full[sl]


def scipy_direct(x: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """Direct cross-correlation (dilation 1) by scipy on the padded input, then the stride."""
    xp = np.pad(x, spec.pads)
    full = signal.correlate(xp, np.flip(w) if spec.flip else w, mode="valid")
    return full[tuple(slice(None, None, s) for s in spec.stride)]


# -- Connectivity ----------------------------------------------------------------------------

DEFAULT_1D_EDGES = {  # input 5, kernel 3, stride 2, padding 1, worked by hand
    (0, 0, 1), (1, 0, 2), (1, 1, 0), (2, 1, 1), (3, 1, 2), (3, 2, 0), (4, 2, 1),
}

CONNECTIVITY_CASES = [
    pytest.param(None, {}, id="default-1d"),
    pytest.param(ConvSpec((5, 5), 3, stride=2, padding=1), dict(theme="dark", lang="es"),
                 id="2d-padding-strides-dark-es"),
    pytest.param(ConvSpec((2, 2), 3, transposed=True), dict(mode="schematic"),
                 id="2d-no-padding-transposed"),
    pytest.param(ConvSpec((7,), 3, dilation=2), dict(lang="es"), id="1d-dilation"),
    pytest.param(ConvSpec((6,), 3, stride=2, padding=1, flip=True), dict(theme="dark"),
                 id="1d-odd-flip"),
]


@pytest.mark.parametrize(("spec", "opts"), CONNECTIVITY_CASES)
def test_connectivity_draws_the_definition(tmp_path, spec, opts):
    scene = render(Connectivity, tmp_path, spec, **opts)
    s = scene.spec
    expected = oracle_edges(s)
    if spec is None:
        assert expected == DEFAULT_1D_EDGES
    assert scene.drawn_edges == expected
    assert scene.drawn_edges == {  # and the engine's graph, kernel indices included
        (int(np.ravel_multi_index(e.in_index, s.input_shape)),
         int(np.ravel_multi_index(e.out_index, s.output_shape)),
         int(np.ravel_multi_index(e.kernel_index, s.kernel_shape)))
        for e in connectivity(s)
    }
    assert len(scene.edge_of) == len(expected)
    # Each edge wears its weight's colour (the legend's colour for that kernel cell).
    colors = get_theme(opts.get("theme", "light")).kernel_colors(s.kernel_size)
    for key, mob in scene.edge_of.items():
        assert mob.get_stroke_color().to_hex().upper() == colors[key[2]].upper()
    # Reversed: the adjoint's edges are exactly the drawn ones read backwards.
    adj = s.adjoint()
    assert scene.reversed_edges == oracle_edges(adj)
    assert scene.reversed_edges == {(o, i, k) for i, o, k in expected}
    # In the last frame every edge joins its two nodes, its tip (the path's last point) now
    # touching the input node: read from output to input.
    r = scene.layout.node / 2
    for (i, o, _), mob in scene.edge_of.items():
        tip = mob.get_end()
        assert np.linalg.norm(tip - scene.in_nodes[i].get_center()) == pytest.approx(r, abs=1e-6)
        to_out = np.linalg.norm(mob.points - scene.out_nodes[o].get_center(), axis=1).min()
        assert to_out == pytest.approx(r, abs=1e-6)
    # Fan-out: the first cell (a border cell) and the cell reaching the most outputs.
    counts: dict[int, int] = {}
    for i, _, _ in expected:
        counts[i] = counts.get(i, 0) + 1
    assert scene.fan_out[0] == counts.get(0, 0)
    assert max(scene.fan_out.values()) == max(counts.values())
    if s == ConvSpec((5, 5), 3, stride=2, padding=1):
        assert scene.fan_out == {0: 1, 6: 4}  # the corner reaches 1 output, cell (1,1) four
    assert scene.problems == []


@pytest.mark.parametrize(
    ("spec", "limit"),
    [
        (ConvSpec((9, 9), 3, padding=1), "MAX_NODES_PER_ROW=64"),
        (ConvSpec((3, 3), 3, stride=4, transposed=True), "MAX_NODES_PER_ROW=64"),
    ],
)
def test_connectivity_refuses_past_the_limit(spec, limit):
    with pytest.raises(ValueError, match=limit):
        Connectivity(spec)
    with pytest.raises(ValueError, match=limit):
        Connectivity.check_spec(spec)


def test_connectivity_largest_accepted_size_is_accepted():
    spec = ConvSpec((8, 8), 3, padding=1)  # 64 nodes per row: exactly the limit
    Connectivity.check_spec(spec)


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


@pytest.mark.parametrize(
    ("top", "bottom", "grids"),
    [
        ([3], [7], False),  # the default: 1D, 5 inputs + 2 padding nodes, 3 outputs
        ([8] * 8, [8] * 8, True),  # the largest accepted: 64 nodes per row
        ([64], [64], False),  # 1D at the limit
        ([2] * 2, [4] * 4, True),
    ],
)
def test_node_rows_layout_fits_the_frame(top, bottom, grids):
    from scenes.layout import plan_node_rows

    fw, fh = 128 / 9, 8.0
    lay = plan_node_rows(
        top, bottom, frame_width=fw, frame_height=fh, legend=(3, 3),
        top_grid=(len(top), top[0]) if grids else None,
        bottom_grid=(len(bottom) + 2, bottom[0] + 2) if grids else None,
    )
    frame_boxes = lay.boxes()
    for b in frame_boxes:
        assert abs(b.x) + b.width / 2 <= fw / 2 + 1e-9 and abs(b.y) + b.height / 2 <= fh / 2 + 1e-9
    for i, a in enumerate(frame_boxes):  # captions, grids, group labels and text rows
        for b in frame_boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    top_row, bottom_row = lay.rows
    assert len(top_row.xs) == sum(top) and len(bottom_row.xs) == sum(bottom)
    side = [r.caption for r in lay.rows] + [lay.legend.box, lay.legend.caption]
    side += [r.grid.box for r in lay.rows if r.grid is not None]
    for row in lay.rows:
        xs = np.array(row.xs)
        assert np.all(np.diff(xs) >= lay.node)  # nodes never touch
        for b in side:  # nodes stay clear of the side columns
            assert np.all((xs + lay.node / 2 <= b.left) | (xs - lay.node / 2 >= b.right))
        for b in list(lay.top) + list(lay.bottom):  # and of the text rows
            assert row.y + lay.node / 2 <= b.bottom or row.y - lay.node / 2 >= b.top
    assert lay.node > 0.05


# Rate functions that keep a GIF small: a change of many pixels happens in one frame (a cut) or
# in a few frames (a ramp), never over a whole play.
@pytest.mark.parametrize("at, t, expected", [(0.0, 0.0, 1.0), (0.5, 0.49, 0.0), (0.5, 0.5, 1.0),
                                             (0.5, 1.0, 1.0), (1.0, 0.99, 0.0)])
def test_cut_jumps_once(at, t, expected):
    assert _cut(at)(t) == expected


@pytest.mark.parametrize("start, end", [(0.4, 0.6), (0.0, 0.25)])
def test_ramp_changes_only_inside_its_window(start, end):
    ts = np.linspace(0.0, 1.0, 201)
    values = np.array([_ramp(start, end)(t) for t in ts])
    assert (values[ts <= start] == 0).all() and (values[ts >= end] == 1).all()
    assert (np.diff(values) >= 0).all()
    inside = values[(ts > start) & (ts < end)]
    assert ((inside > 0) & (inside < 1)).all()
