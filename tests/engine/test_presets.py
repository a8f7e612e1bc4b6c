"""convmath.presets: kernel presets and seeded values.

Oracles: the kernels' defining properties (sums, symmetry, response to ramps computed with
scipy) and seed 001's literal kernels.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from convmath import (
    KERNEL_PRESETS,
    ConvMathError,
    ConvSpec,
    convolve,
    default_arrays,
    kernel_preset,
    random_values,
)


@pytest.mark.parametrize(("name", "total"), [
    ("identity", 1), ("box-blur", 1), ("gaussian", 1), ("sharpen", 1), ("sobel-x", 0),
    ("sobel-y", 0), ("laplacian", 0), ("seed-2d", 1), ("difference", 0),
])
def test_preset_sums(name, total):
    assert kernel_preset(name).sum() == pytest.approx(total)


def test_seed_kernels_are_the_seed_literals():
    np.testing.assert_array_equal(kernel_preset("seed-2d"), [[0, 1, 0], [-1, 1, -1], [0, 1, 0]])
    np.testing.assert_array_equal(kernel_preset("difference"), [1, -1])
    seed = kernel_preset("seed-2d")
    np.testing.assert_array_equal(seed, seed[::-1, ::-1])  # symmetric under 180°


def test_identity_leaves_the_input_unchanged():
    x = np.arange(20.0).reshape(4, 5)
    np.testing.assert_array_equal(
        convolve(x, kernel_preset("identity"), ConvSpec((4, 5), 3, padding="same")), x)


def test_sobel_responds_to_ramps_like_scipy():
    ramp_x = np.tile(np.arange(6.0), (5, 1))  # increases along columns
    ramp_y = ramp_x.T.copy()
    for name, img, expected in [("sobel-x", ramp_x, 8.0), ("sobel-y", ramp_y, 8.0),
                                ("sobel-x", ramp_y, 0.0), ("laplacian", ramp_x, 0.0)]:
        w = kernel_preset(name)
        out = convolve(img, w, ConvSpec(img.shape, 3))
        np.testing.assert_allclose(out, signal.correlate2d(img, w, mode="valid"))
        np.testing.assert_allclose(out, expected)


def test_presets_are_read_only_and_copies():
    for name, arr in KERNEL_PRESETS.items():
        assert not arr.flags.writeable, name
        copy = kernel_preset(name)
        copy.flat[0] += 100
        assert arr.flat[0] != copy.flat[0]
    assert kernel_preset("sharpen")[1, 1] == 5


def test_unknown_preset():
    with pytest.raises(ConvMathError, match=r"kernel preset 'emboss' is invalid.*sobel-x"):
        kernel_preset("emboss")


def test_random_values_are_seeded_small_integers():
    a = random_values((4, 5), seed=3)
    np.testing.assert_array_equal(a, random_values((4, 5), seed=3))
    assert not np.array_equal(a, random_values((4, 5), seed=4))
    assert a.shape == (4, 5) and a.dtype == np.float64
    many = random_values((2000,), seed=0, low=-1, high=2)
    assert set(np.unique(many)) == {-1.0, 0.0, 1.0, 2.0}
    np.testing.assert_array_equal(random_values((3,), seed=0),
                                  np.random.default_rng(0).integers(-2, 5, size=3))


def test_default_arrays():
    x, w = default_arrays((5, 5), (3, 3), seed=2, structured=False)
    np.testing.assert_array_equal(x, random_values((5, 5), seed=2))
    np.testing.assert_array_equal(w, kernel_preset("sobel-x"))
    # sobel-x is an edge preset: asked for by name ("auto"), it runs on an input with a
    # vertical edge (issue 12 #7); the scenes' own defaults stay random.
    x, w = default_arrays((5, 5), (3, 3), seed=2, structured=None)
    np.testing.assert_array_equal(x, [[0, 0, 3, 3, 3]] * 5)
    np.testing.assert_array_equal(w, kernel_preset("sobel-x"))
    x1, w1 = default_arrays((7,), (2,), seed=2)
    assert x1.shape == (7,) and w1.shape == (2,)
    assert set(np.unique(w1)) <= {-1.0, 0.0, 1.0, 2.0}
