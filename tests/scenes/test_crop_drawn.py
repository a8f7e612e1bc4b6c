"""Issue 12 #3: a transposed spec whose padding exceeds d(k−1) crops its stretched input; every
scene that draws the stretched grid draws the cropped cells too, greyed, with their input values,
outside a crop line, and says the crop in words.

Oracle: the stretched grid built here with numpy (zeros inserted between input cells, then each
side padded by ``d(k−1) − p`` — plus ``output_padding`` after — or cut where that is negative),
never the engine's grid functions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scene_helpers import render_scene

from convmath import ConvSpec, format_number
from scenes.kit.log import TextShown
from scenes.kit.theme import hex_to_rgb

pytestmark = pytest.mark.render


def oracle(x, spec: ConvSpec):
    """``(full, crop)``: the stretched input padded by ``max(g, 0)`` per side, and the cells
    ``max(−g, 0)`` the grid cuts off per side, ``g = d(k−1) − p`` (+ output_padding after)."""
    x = np.asarray(x, float)
    stretched = np.zeros(tuple((i - 1) * s + 1 for i, s in zip(x.shape, spec.stride)))
    stretched[tuple(slice(None, None, s) for s in spec.stride)] = x
    gaps = []
    for k, d, (pb, pa), op in zip(spec.kernel_shape, spec.dilation, spec.pads,
                                  spec.resolved_output_padding):
        gaps.append((d * (k - 1) - pb, d * (k - 1) - pa + op))
    full = np.pad(stretched, [(max(gb, 0), max(ga, 0)) for gb, ga in gaps])
    crop = tuple((max(-gb, 0), max(-ga, 0)) for gb, ga in gaps)
    return full, crop


def cropped_oracle(x, spec: ConvSpec) -> dict[tuple[int, ...], float]:
    """Every cropped cell, in the kept grid's coordinates (below 0 or past its end), → value."""
    full, crop = oracle(x, spec)
    out = {}
    for idx in np.ndindex(*full.shape):
        kept = tuple(int(v - b) for v, (b, _) in zip(idx, crop))
        inside = all(b <= v < n - a for v, n, (b, a) in zip(idx, full.shape, crop))
        if not inside:
            out[kept] = float(full[idx])
    return out


CROPPED = [
    # (spec, x): the handed example first
    (ConvSpec((3,), 1, stride=2, padding=1, transposed=True), [1, 2, 3]),
    (ConvSpec((4,), 2, stride=2, padding=2, transposed=True), [1, -2, 3, 4]),
    (ConvSpec((3,), 3, stride=2, padding=((3, 1),), transposed=True), [2, 1, 3]),  # before only
    (ConvSpec((3,), 2, stride=3, padding=((0, 2),), transposed=True), [1, 2, 3]),  # after only
    (ConvSpec((3,), 2, stride=2, padding=3, dilation=2, transposed=True), [4, 5, 6]),
    (ConvSpec((3,), 2, stride=2, padding=2, output_padding=1, transposed=True), [1, 2, 3]),
    (ConvSpec((2, 2), 1, stride=2, padding=1, transposed=True), [[1, 2], [3, 4]]),
    (ConvSpec((2, 3), 2, stride=(2, 1), padding=((2, 0), (1, 2)), transposed=True),
     [[1, 2, 3], [4, 5, 6]]),  # rows cut before, columns cut after
]
UNCROPPED = [
    (ConvSpec((3,), 3, stride=2, padding=1, transposed=True), [1, 2, 3]),
    (ConvSpec((5,), 3, padding=1), [1, 2, 3, 4, 5]),
    (ConvSpec((2, 2), 3, stride=2, transposed=True), [[1, 2], [3, 4]]),
]


def _ids(case) -> str:
    spec, _ = case
    return f"{spec.input_shape}-k{spec.kernel_shape}-s{spec.stride}-p{spec.pads}" + (
        f"-op{spec.output_padding}" if any(spec.output_padding) else "") + (
        f"-d{spec.dilation}" if any(d > 1 for d in spec.dilation) else "")


def _weights(spec: ConvSpec) -> np.ndarray:
    return np.arange(1.0, np.prod(spec.kernel_shape) + 1).reshape(spec.kernel_shape)


def _render(cls, tmp_path: Path, spec, x, **opts):
    return render_scene(cls, tmp_path, spec, np.asarray(x, float), _weights(spec),
                        last_frame_only=True, **opts)


def _is_grey(color: str) -> bool:
    r, g, b = hex_to_rgb(color)
    return max(r, g, b) - min(r, g, b) < 0.02


def check_grid(grid, spec: ConvSpec, x) -> None:
    """The cropped cells are drawn where the oracle puts them, greyed, with their values,
    beyond the crop line; the kept cells inside it."""
    expected = cropped_oracle(x, spec)
    _, crop = oracle(x, spec)
    assert grid.crop == crop
    assert set(grid.crop_cells) == set(expected)
    for idx, (_, value) in grid.crop_cells.items():
        assert value == expected[idx], idx
    fill, _, texts = grid.cropped.submobjects
    assert _is_grey(fill.get_fill_color().to_hex()), fill.get_fill_color()
    if grid.value_font is not None:
        assert sorted(t.text for t in texts) == sorted(format_number(v) for v in expected.values())
    # The crop line runs along the kept grid's cut borders; cropped cells lie beyond it.
    pts = grid.crop_line.points
    assert len(pts)
    box = grid.outline
    left, right = box.get_left()[0], box.get_right()[0]
    top, bottom = box.get_top()[1], box.get_bottom()[1]
    tol = 1e-6
    cut_cols = crop[-1]
    cut_rows = crop[0] if spec.ndim == 2 else (0, 0)
    xs, ys = set(np.round(pts[:, 0], 6)), set(np.round(pts[:, 1], 6))
    assert (round(left, 6) in xs) == bool(cut_cols[0])
    assert (round(right, 6) in xs) == bool(cut_cols[1])
    if spec.ndim == 2:
        assert (round(top, 6) in ys) == bool(cut_rows[0])
        assert (round(bottom, 6) in ys) == bool(cut_rows[1])
    for idx in grid.crop_cells:
        cx, cy = grid.crop_cell_center(idx)[:2]
        outside = cx < left - tol or cx > right + tol or cy > top + tol or cy < bottom - tol
        assert outside, idx
    for idx in np.ndindex(*spec.grid_shape):
        cx, cy = grid.cell_center(idx)[:2]
        assert left < cx < right and bottom < cy < top


#: Every scene that draws the stretched grid, and how to find its grids (the matrix and
#: connectivity views draw a transposed spec's input itself, the size scenes its direct
#: counterpart: no stretched grid).
SCENE_NAMES = ["sliding", "flip", "superposition"]


def _scene_classes():
    from scenes.flip import FlipVsCorrelation
    from scenes.sliding import SlidingFilter
    from scenes.superposition import Superposition

    return [(SlidingFilter, lambda sc: [sc.input_grid]),
            (FlipVsCorrelation, lambda sc: list(sc.inputs)),
            (Superposition, lambda sc: [sc._grid])]


@pytest.mark.parametrize("case", CROPPED, ids=_ids)
@pytest.mark.parametrize("which", range(3), ids=SCENE_NAMES)
def test_the_crop_is_drawn(tmp_path: Path, which: int, case) -> None:
    cls, grids = _scene_classes()[which]
    spec, x = case
    scene = _render(cls, tmp_path, spec, x)
    assert scene.problems == [] and scene.log.violations() == []
    for grid in grids(scene):
        check_grid(grid, spec, x)
    _, crop = oracle(x, spec)
    facts = scene.log.facts("crop")
    assert facts and tuple(facts[0]["crop"]) == crop
    said = " ".join(e.text for e in scene.log.of(TextShown))
    assert "The padding crops the stretched input" in said and "beyond the line" in said


@pytest.mark.parametrize("which", range(3), ids=SCENE_NAMES)
@pytest.mark.parametrize("lang, words", [
    ("en", "1 cell before and 1 after"), ("es", "1 celda antes y 1 después"),
])
def test_the_crop_is_said_in_both_languages(tmp_path: Path, which: int, lang: str,
                                             words: str) -> None:
    cls, _ = _scene_classes()[which]
    spec, x = CROPPED[0]
    scene = _render(cls, tmp_path, spec, x, lang=lang)
    said = " ".join(e.text for e in scene.log.of(TextShown))
    assert words in said
    assert scene.log.violations() == []


@pytest.mark.parametrize("case", UNCROPPED, ids=_ids)
@pytest.mark.parametrize("which", range(3), ids=SCENE_NAMES)
def test_no_crop_no_crop_line(tmp_path: Path, which: int, case) -> None:
    cls, grids = _scene_classes()[which]
    spec, x = case
    scene = _render(cls, tmp_path, spec, x)
    for grid in grids(scene):
        assert grid.crop_cells == {} and not len(grid.crop_line.points)
        assert not grid.cropped.submobjects
    assert scene.log.facts("crop") == []
