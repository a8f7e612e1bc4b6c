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
        (None, {}, False),
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
    assert scene.log.texts()[-1] == scene.label("dc_rule")


def test_the_default_recovers_x_exactly(tmp_path):
    scene = render_scene(NotDeconvolution, tmp_path, last_frame_only=True)
    assert scene.records_of("rank")[0]["full"]
    assert scene.label("dc_exact", r=6, n=6) in scene.log.texts()


def test_refuses_a_transposed_spec():
    with pytest.raises(ConvMathError, match="transposed=True is invalid") as info:
        NotDeconvolution(ConvSpec((3,), 3, transposed=True))
    assert info.value.param == "transposed"
