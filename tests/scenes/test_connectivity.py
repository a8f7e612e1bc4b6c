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
    # Each edge wears its weight's colour: the palette's when it has 3:1 against the
    # background, else darkened (lightened) just enough to reach it (Tol's sand was 1.6:1).
    th = get_theme(opts.get("theme", "light"))
    colors = th.kernel_colors(s.kernel_size)
    for key, mob in scene.edge_of.items():
        drawn = mob.get_stroke_color().to_hex().upper()
        if _ratio(colors[key[2]], th.background) >= 3.05:
            assert drawn == colors[key[2]].upper()
        else:
            assert 3.0 <= _ratio(drawn, th.background) < 3.6, (drawn, colors[key[2]])
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


# -- the reviewer's faults in 1D: weights written on the edges, contrast, notation, preview ----

def _luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance, from its definition."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


ONE_D_CASES = [
    pytest.param(None, {}, id="default-light-en"),
    pytest.param(None, dict(theme="dark", lang="es"), id="default-dark-es"),
    pytest.param(ConvSpec((6,), 3, stride=1, padding=1), dict(lang="es"), id="s1-p1-es"),
    pytest.param(ConvSpec((4,), 2, stride=2), dict(theme="dark"), id="k2-s2-dark"),
]


@pytest.mark.parametrize(("spec", "opts"), ONE_D_CASES)
def test_each_1d_edge_has_its_weight_written_on_it(tmp_path, spec, opts):
    """Every edge of the definition has one badge with its weight's number (colour only the
    second cue); no two badges overlap; every edge colour has 3:1 against the background."""
    scene = render(Connectivity, tmp_path, spec, **opts)
    s, w = scene.spec, scene.w
    (rec,) = scene.records_of("edge_labels")
    labels = {tuple(lab["key"]): lab for lab in rec["labels"]}
    assert set(labels) == {tuple(e) for e in oracle_edges(s)}
    for (_, _, m), lab in labels.items():
        assert lab["text"] == format_number(w.ravel()[m])
    boxes = list(labels.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            dx = abs(a["center"][0] - b["center"][0])
            dy = abs(a["center"][1] - b["center"][1])
            assert dx >= (a["width"] + b["width"]) / 2 - 1e-6 or \
                dy >= (a["height"] + b["height"]) / 2 - 1e-6, (a, b)
    bg = get_theme(opts.get("theme", "light")).background
    assert all(_ratio(c, bg) >= 3.0 for c in rec["colors"]), rec["colors"]
    assert scene.problems == [] and scene.log.violations() == []


@pytest.mark.parametrize(("spec", "opts"), ONE_D_CASES)
def test_1d_preview_shows_a_fan_in_and_rows_say_their_cells(tmp_path, spec, opts):
    """The first frame draws output 0's fan-in (as many edges as the definition gives it);
    the rows say "output: 3 cells" (no "·" that reads as a product); a long caption wraps into
    two rows at the normal font instead of shrinking."""
    scene = render(Connectivity, tmp_path, spec, **opts)
    s = scene.spec
    (pv,) = scene.records_of("preview_fan_in")
    assert pv["edges"] == sum(1 for _, o, _ in oracle_edges(s) if o == 0) > 0
    # At the end the rows are read backwards: the top row is the transposed view's input.
    word = {"en": "cells", "es": "celdas"}[scene.lang]
    name = {"en": "input", "es": "entrada"}[scene.lang]
    drawn = [m.text for m in scene.get_top_level_mobjects()
             for m in m.get_family() if hasattr(m, "text") and isinstance(m.text, str)]
    assert f"{name}: {s.output_size} {word}" in [t.replace(" ", " ") for t in drawn] or \
        any(t.replace(" ", "") == f"{name}:{s.output_size}{word}" for t in drawn), drawn
    assert not any(re.search(r"· \d", t) for t in drawn)
    rows = scene.records_of("caption_rows")
    assert rows
    for r in rows:  # each row measured at the text font fits the row: nothing shrinks
        assert " ".join(r["lines"]) == r["text"] and len(r["lines"]) <= 2
        assert all(wd <= r["box_width"] + 1e-9 for wd in r["widths"]), r
    if spec is None:  # the two fan-outs and the checkerboard: two rows (frame 35)
        (two,) = [r for r in rows if r["text"].count(" · ") == 1]
        assert len(two["lines"]) == 2


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_partial_transposed_fan_in_names_the_whole_reversed_kernel(tmp_path, lang):
    """Default (stride 2): the transposed output meets weights 3 and 1 only; the caption names
    them inside the whole reversed kernel (3, 2, 1), never as "the kernel reversed" alone."""
    scene = render(Connectivity, tmp_path, lang=lang)
    (tf,) = scene.records_of("transposed_fan_in")
    w = scene.w
    assert [format_number(w.ravel()[m]) for m in tf["weights"]] == ["3", "1"]
    (words,) = scene.records_of("transposed_fan_in_words")
    assert words["key"] == "conn_transposed_fan_in_part" and words["whole"] == "3, 2, 1"
    last = scene.log.texts()[-1]
    assert "3, 1" in last and "(3, 2, 1)" in last


@pytest.mark.parametrize(("spec", "opts"), [
    pytest.param(ConvSpec((5, 5), 3, stride=2, padding=1), dict(lang="es"), id="2d-s2-es"),
    pytest.param(ConvSpec((5, 5), 3), {}, id="2d-s1-full-fan"),
])
def test_2d_transposed_fan_in_says_partial_or_whole(tmp_path, spec, opts):
    """In 2D too: a cell meeting fewer weights than the kernel's (oracle: the definition's
    edges into it) is said with the whole reversed kernel; a full fan says 'the kernel'."""
    scene = render(Connectivity, tmp_path, spec, **opts)
    s = scene.spec
    (tf,) = scene.records_of("transposed_fan_in")
    k = int(np.ravel_multi_index(tf["cell"], s.input_shape))
    n = sum(1 for i, _, _ in oracle_edges(s) if i == k)
    (words,) = scene.records_of("transposed_fan_in_words")
    assert words["key"].endswith("_part") == (n < s.kernel_size)
    whole = ", ".join(format_number(v) for v in scene.w.ravel()[::-1])
    assert words["whole"] == whole
    if n < s.kernel_size:
        assert f"({whole})" in scene.log.texts()[-1]
    assert scene.log.violations() == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_reversal_title_and_caption_change_together(tmp_path, lang):
    """The title naming the transposed convolution does not run ahead of the caption below it
    (second reviewer: 2.2 s of the new title over the old caption and unreversed arrows)."""
    from scenes.kit.log import TextShown

    scene = render(Connectivity, tmp_path, ConvSpec((5,), 3, stride=2, padding=1), lang=lang)
    (said,) = scene.records_of("reverse_said")
    shown = [e for e in scene.log.of(TextShown) if e.t >= said["at"] - 1e-9
             and e.slot in ("title", "caption")][:2]
    assert [e.slot for e in shown] == ["title", "caption"]
    assert shown[1].t - shown[0].t < 0.1
