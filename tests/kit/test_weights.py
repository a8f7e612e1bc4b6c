"""scenes.kit.weights: the one way scenes write a kernel's weights (issue 12 #7)."""

from __future__ import annotations

import numpy as np
import pytest

from convmath import KERNEL_PRESETS
from scenes.kit.weights import KernelWeights


@pytest.mark.parametrize(("name", "caption", "texts"), [
    ("box-blur", "kernel 3×3 (× 1/9)", {"1"}),
    ("gaussian", "kernel 3×3 (× 1/16)", {"1", "2", "4"}),
    ("sobel-x", "kernel 3×3", {"−1", "0", "1", "−2", "2"}),
    ("difference", "kernel 3×3", {"1", "−1"}),
])
def test_kernel_texts_and_caption(name, caption, texts):
    kw = KernelWeights(KERNEL_PRESETS[name])
    assert kw.caption("kernel 3×3", "en") == caption
    assert {kw.text(v) for v in KERNEL_PRESETS[name].ravel()} == texts
    assert kw.caption("filtro 3×3", "es").startswith("filtro 3×3")


def test_worked_sum_pulls_the_factor_out():
    kw = KernelWeights(np.full((2, 2), 0.25))
    pairs = [(3.0, 0.25), (2.0, 0.25), (-1.0, 0.25), (1.0, 0.25)]
    terms = " + ".join(kw.product(x, w) for x, w in pairs)
    assert terms == "3·1 + 2·1 + (−1)·1 + 1·1"
    assert kw.worked("y[0,0] = ", terms, pairs, 1.25) == \
        "y[0,0] = 1/4 · (3·1 + 2·1 + (−1)·1 + 1·1) = 1/4 · 5 = 1.25"
    assert kw.in_units(1.25) == "5"
    plain = KernelWeights(np.array([1.0, -2.0]))
    assert plain.worked("y[0] = ", "3·1 + 1·(−2)", [(3, 1), (1, -2)], 1.0) == \
        "y[0] = 3·1 + 1·(−2) = 1"
