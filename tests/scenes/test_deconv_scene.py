"""NotDeconvolution renders and shows C·x, Cᵀ·y and C⁺·y as numpy computes them.

Oracles: the matrix C from PyTorch's definition with loops, ``numpy.linalg.lstsq`` for C⁺·y and
``numpy.linalg.matrix_rank`` for the rank.
"""

from __future__ import annotations

import numpy as np
import pytest
from scene_helpers import render_scene

from convmath import ConvMathError, ConvSpec
from scenes.deconv import NotDeconvolution


def matrix(spec, w):
    c = np.zeros((spec.output_size, spec.input_size))
    for n in np.ndindex(*spec.output_shape):
        for m in np.ndindex(*spec.kernel_shape):
            at = tuple(nn * s + mm * d - pb for nn, mm, s, d, (pb, _) in
                       zip(n, m, spec.stride, spec.dilation, spec.pads))
            if all(0 <= a < size for a, size in zip(at, spec.input_shape)):
                c[np.ravel_multi_index(n, spec.output_shape),
                  np.ravel_multi_index(at, spec.input_shape)] += w[m]
    return c


@pytest.mark.parametrize(
    ("spec", "options", "checker"),
    [
        (None, {}, True),
        (ConvSpec((6,), 3, padding=1), {"theme": "dark"}, False),
        (ConvSpec((7,), 3, stride=2, padding=1), {"lang": "es"}, True),
        (ConvSpec((4, 4), 3, padding=1), {"theme": "dark"}, False),
        (ConvSpec((4, 4), 3, stride=2, padding=1), {"lang": "es", "theme": "dark"}, True),
        (ConvSpec((6,), 2, stride=2), {"mode": "schematic"}, False),
    ],
)
def test_renders_and_draws_what_numpy_computes(tmp_path, spec, options, checker):
    scene = render_scene(NotDeconvolution, tmp_path, spec, last_frame_only=True, **options)
    assert scene.problems == []
    assert scene.log.violations() == []
    sp = scene.spec
    c = matrix(sp, scene.w)
    filled = {f["grid"]: np.array(f["values"]) for f in scene.records_of("filled")}
    assert list(filled) == ["y", "t", "p"]  # cause before effect: y, then Cᵀ·y, then C⁺·y
    np.testing.assert_allclose(filled["y"].ravel(), c @ scene.x.ravel())
    np.testing.assert_allclose(filled["t"].ravel(), c.T @ c @ scene.x.ravel())
    assert filled["t"].shape == sp.input_shape
    lstsq = np.linalg.lstsq(c, c @ scene.x.ravel(), rcond=None)[0]
    np.testing.assert_allclose(filled["p"].ravel(), lstsq, atol=1e-8)
    (rank,) = scene.records_of("rank")
    assert rank["rank"] == np.linalg.matrix_rank(c)
    assert rank["full"] == (rank["rank"] == sp.input_size)
    assert [tuple(u) for u in rank["unseen"]] == [
        tuple(int(v) for v in np.unravel_index(k, sp.input_shape))
        for k in np.nonzero(~np.any(c != 0, axis=0))[0]]
    if rank["full"]:
        np.testing.assert_allclose(filled["p"], scene.x, atol=1e-8)
    assert bool(scene.records_of("checkerboard")[0]["axes"]) == checker
    same = sp.input_shape == sp.output_shape
    assert scene.log.texts()[-1] == (scene.label("dc_rule_same") if same else scene.label(
        "dc_rule", n="×".join(map(str, sp.input_shape)), o="×".join(map(str, sp.output_shape))))
    # The first frame shows the idea: every grid filled, the kernel among them, the flow drawn.
    assert scene.records_of("preview")[0]["filled"] == ["x", "y", "w", "t", "p"]
    assert scene.log.events[0].t == 0
    # Numbers fit their cells, measured on the drawn text (per grid: "−23" touched its borders).
    for fit in scene.records_of("value_fit"):
        assert fit["widest"] <= 0.72 * fit["cell"] + 1e-9, fit


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_default_changes_the_shape_and_cannot_recover_x(tmp_path, lang):
    """Stride 2: 6 → 3 → 6. C is 3×6 of rank 3: C⁺·y is the minimum-norm x that gives y
    (lstsq's), C·(C⁺·y) = y, and it is not x; the closing rule names the shapes."""
    scene = render_scene(NotDeconvolution, tmp_path, last_frame_only=True, lang=lang)
    sp = scene.spec
    assert (sp.input_shape, sp.output_shape) == ((6,), (3,))
    c = matrix(sp, scene.w)
    y = c @ scene.x
    (rank,) = scene.records_of("rank")
    assert (rank["rank"], rank["rows"], rank["full"], rank["full_rows"]) == (3, 3, False, True)
    p = np.array([f["values"] for f in scene.records_of("filled") if f["grid"] == "p"][0])
    np.testing.assert_allclose(p, np.linalg.lstsq(c, y, rcond=None)[0], atol=1e-8)
    np.testing.assert_allclose(scene.records_of("same_y")[0]["values"], y, atol=1e-8)
    assert np.linalg.norm(p) < np.linalg.norm(scene.x) and not np.allclose(p, scene.x)
    texts = scene.log.texts()
    assert scene.label("dc_rank_short", r=3, n=6) in texts
    assert scene.label("dc_pinv_formula_rows") in texts and scene.label("dc_same_y", o=3, n=6) \
        in texts
    assert texts[-1] == scene.label("dc_rule", n=6, o=3)
    assert "6 → 3 → 6" in texts[-1]


def test_refuses_a_transposed_spec():
    with pytest.raises(ConvMathError, match="transposed=True is invalid") as info:
        NotDeconvolution(ConvSpec((3,), 3, transposed=True))
    assert info.value.param == "transposed"
