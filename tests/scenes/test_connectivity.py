"""Tests for A3 `Connectivity`: rendered for real at tiny resolution (last frame only, animations
skipped), then what was drawn is compared with independent oracles — the edges from a brute-force
loop over the definition ``out = in·s + m·d − p`` (and worked examples) — and every state after a
``play()`` is checked for bounds and text overlap."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from graph_oracles import naive_matrix, oracle_edges
from scene_helpers import render_scene

from convmath import ConvSpec, connectivity, format_number
from scenes.connectivity import Connectivity, _cut, _ramp
from scenes.kit.theme import get_theme

pytestmark = pytest.mark.render


def render(cls, tmp_path: Path, spec=None, x=None, w=None, **opts):
    """Last frame only: every play() runs (and is checked), frames in between are skipped."""
    return render_scene(cls, tmp_path, spec, x, w, last_frame_only=True, step_time=0.2, **opts)


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
    if s.ndim == 2:  # grids: one fan at a time (tested below)
        assert scene.problems == []
        return
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


# -- the story, read from the scene log ------------------------------------------------------


@pytest.mark.parametrize(("spec", "opts"), CONNECTIVITY_CASES)
def test_connectivity_messages_contrast_and_rules_hold(tmp_path, spec, opts):
    """Two fan-outs are shown only when their counts differ (else one sentence says they are
    all equal); an uneven pattern inside the input is named a checkerboard; the message is in
    full text colour and the size formula muted; every text rule of the kit holds."""
    from scenes.kit.log import TextShown

    scene = render(Connectivity, tmp_path, spec, **opts)
    s, th = scene.spec, scene.theme
    (fo,) = scene.records_of("fan_out")
    counts = fo["all"]
    shown = list(fo["counts"].values())
    assert len(set(shown)) == len(shown)  # never "reaches 9 · reaches 9"
    if len(set(counts.values())) == 1:
        assert len(shown) == 1
    else:
        assert min(shown) == min(counts.values()) and max(shown) == max(counts.values())
    texts = " ".join(scene.log.texts())
    word = {"en": "checkerboard", "es": "tablero"}[scene.lang]
    if s == ConvSpec((5, 5), 3, stride=2, padding=1):  # counts 1,2,1,2,1 per axis
        assert word in texts
    if s == ConvSpec((7,), 3, dilation=2):  # 1,1,2,2,3,2,2,1,1 -> rises once, falls once
        assert word not in texts
    for e in scene.log.of(TextShown, slot="caption"):
        assert e.color == th.ink("text")
    for e in scene.log.of(TextShown, slot="formula"):
        assert e.color == th.ink("muted_text")
    assert scene.log.violations() == []


@pytest.mark.parametrize(("spec", "opts"), CONNECTIVITY_CASES)
def test_reversal_ends_on_a_transposed_fan_in_with_the_flipped_kernel(tmp_path, spec, opts):
    """The reversed graph ends on one transposed output's incoming edges: as many as the
    definition gives that cell, their weights (read along the outputs in order) the kernel
    reversed."""
    scene = render(Connectivity, tmp_path, spec, **opts)
    s = scene.spec
    (tf,) = scene.records_of("transposed_fan_in")
    k = int(np.ravel_multi_index(tf["cell"], s.input_shape))
    into = sorted((o, m) for i, o, m in oracle_edges(s) if i == k)
    assert tf["n"] == len(into)
    assert tf["weights"] == [m for _, m in into]
    # Read along the outputs, the kernel comes reversed (the flipped kernel) when the adjoint
    # is a transposed convolution of an unflipped spec, in order otherwise.
    reverse = (not s.transposed) != s.flip
    assert tf["reversed"] is reverse
    pairs = list(zip(tf["weights"], tf["weights"][1:]))
    assert all((a > b) if reverse else (a < b) for a, b in pairs)
    word = {"en": "reversed", "es": "al revés"}[scene.lang]
    assert (word in scene.log.texts()[-1]) is reverse


# -- 2D: input and output grids, one fan at a time --------------------------------------------

GRID_CASES = [
    pytest.param(ConvSpec((5, 5), 3, stride=2, padding=1), dict(theme="dark", lang="es"),
                 id="5x5-s2-p1-dark-es"),
    pytest.param(ConvSpec((2, 2), 3, stride=2, transposed=True), dict(mode="schematic"),
                 id="2x2-transposed-schematic"),
    pytest.param(ConvSpec((6, 6), 3, dilation=2, flip=True), {}, id="6x6-dilated-flip"),
]


@pytest.mark.parametrize(("spec", "opts"), GRID_CASES)
def test_grid_fans_are_the_rows_and_columns_of_the_matrix(tmp_path, spec, opts):
    """Each fan-in shown holds the non-zeros of its row of a naive C (the weights written on
    its edges, at the edges' ends); each fan-out the non-zeros of its column; the counts
    written on the input cells are C's column counts; no two labels ever overlap."""
    scene = render(Connectivity, tmp_path, spec, **opts)
    s = scene.spec
    w = np.asarray(scene.w, dtype=float)
    c = naive_matrix(s, w)  # the values; the structure from an all-ones kernel (w has zeros)
    nz = naive_matrix(s, np.ones_like(w)) != 0
    fans = scene.records_of("grid_fan_in")
    assert [f["out"] for f in fans] == list(range(s.output_size))  # the sweep, in order
    for f in fans:
        row = c[f["out"]]
        assert [i for i, _ in f["edges"]] == [int(i) for i in np.flatnonzero(nz[f["out"]])]
        for i, k in f["edges"]:  # the edge's weight is C's entry (the kernel's, as typed)
            assert w.ravel()[k] == pytest.approx(row[i])
            if scene.numeric:
                assert f["labels"][i] == format_number(w.ravel()[k])
        assert f["on_edge"] < 1e-6  # each label sits on its edge
    assert set(scene.drawn_edges) == oracle_edges(s)
    for f in scene.records_of("grid_fan_out"):
        col = nz[:, f["cell"]]
        assert [o for o, _ in f["edges"]] == [int(o) for o in np.flatnonzero(col)]
        assert f["on_edge"] < 1e-6
    (counts,) = scene.records_of("count_marks") or [None]
    if counts is not None:
        assert counts["counts"] == [int(v) for v in nz.sum(axis=0)]
    assert scene.reversed_edges == oracle_edges(s.adjoint())
    assert scene.problems == []  # no two texts (labels, counts, captions) overlap
    assert scene.log.violations() == []


@pytest.mark.parametrize(("spec", "lang", "said"), [
    # 36 outputs: past MAX_FANS a sample of the rest is swept; the caption counts what is shown.
    (ConvSpec((8, 8), 3), "en", r"… (\d+) of the other 34 outputs, spread over the grid"),
    (ConvSpec((8, 8), 3), "es", r"… (\d+) de las otras 34 salidas, repartidas por la"),
    # 9 outputs: every one is swept.
    (ConvSpec((5, 5), 3), "en", r"… the other (\d+) outputs the same way, faster"),
])
def test_the_sweep_caption_counts_the_fans_it_shows(tmp_path, spec, lang, said):
    scene = render(Connectivity, tmp_path, spec, lang=lang, mode="schematic")
    swept = len(scene.records_of("grid_fan_in")) - 2  # the first two are shown in full
    texts = [t for t in scene.log.texts() if re.match(said, t)]
    assert len(texts) == 1, scene.log.texts()
    assert int(re.match(said, texts[0]).group(1)) == swept
    assert swept < spec.output_size - 2 or "other" in texts[0] and " of " not in texts[0]
