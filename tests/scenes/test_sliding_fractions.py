"""Issue 12 #7 in A1: the worked sums of a kernel of fractions (box-blur's 1/9, gaussian's 1/16)
pull the common factor out, so the products shown add up to the result shown.

Oracle: scipy.signal.correlate2d for the results; the shown products are re-added here."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scene_helpers import render_scene
from scipy import signal

from convmath import KERNEL_PRESETS, ConvSpec, random_values
from scenes.kit.log import ProductsShown
from scenes.sliding import SlidingFilter

pytestmark = pytest.mark.render
MINUS = "\u2212"


def _num(s: str) -> float:
    return float(s.replace(MINUS, "-").strip("()"))


@pytest.mark.parametrize(("name", "factor"), [("box-blur", Fraction(1, 9)),
                                              ("gaussian", Fraction(1, 16))])
def test_fraction_kernels_add_up_as_shown(tmp_path: Path, name: str, factor: Fraction) -> None:
    spec = ConvSpec((4, 4), 3)
    x, w = random_values((4, 4), 0), KERNEL_PRESETS[name]
    scene = render_scene(SlidingFilter, tmp_path, spec, x, w, last_frame_only=True)
    assert scene.log.violations() == []
    expected = signal.correlate2d(x, w, mode="valid")
    shown = scene.log.of(ProductsShown)
    assert shown
    for ev in shown:
        text = " ".join(ev.lines)
        m = re.fullmatch(r"y\[(\d),(\d)\] = (\d+)/(\d+) · \((.*)\) = \3/\4 · (\S+) = (\S+)", text)
        assert m, text
        assert Fraction(int(m[3]), int(m[4])) == factor
        products = re.findall(r"\(\(?([−\d.]+)\)?·\(?([−\d.]+)\)?\)", m[5])
        assert len(products) == 9 and "0.11" not in text
        inner = sum(_num(a) * _num(b) for a, b in products)
        assert inner == _num(m[6])  # the sum in brackets is the products' sum
        r, c = int(m[1]), int(m[2])
        assert _num(m[7]) == pytest.approx(round(float(factor) * inner, 2), abs=1e-9)
        assert abs(_num(m[7]) - expected[r, c]) <= 0.005 + 1e-12  # shown to 2 decimals


@pytest.mark.parametrize(("name", "factor", "lang"), [("box-blur", 9, "es"),
                                                      ("gaussian", 16, "en")])
def test_fraction_outputs_are_written_in_the_kernels_units(tmp_path: Path, name: str,
                                                           factor: int, lang: str) -> None:
    """The output cells show each sum in the kernel's units (the worked sum's bracket, an
    integer), under a caption that says the factor: '0.11' or '−0.22' did not fit the cells,
    so the outputs were left blank (reviewer, box-blur)."""
    from scenes.kit.log import ResultWritten

    spec = ConvSpec((5, 5), 3, stride=2, padding=1)
    x, w = random_values((5, 5), 0), KERNEL_PRESETS[name]
    scene = render_scene(SlidingFilter, tmp_path, spec, x, w, lang=lang, last_frame_only=True)
    assert scene.log.violations() == []
    oracle = signal.correlate2d(np.pad(x, 1), w, mode="valid")[::2, ::2] * factor
    written = {e.out_index: e.text for e in scene.log.of(ResultWritten)}
    assert len(written) == 9
    for (r, c), text in written.items():
        assert text is not None and _num(text) == pytest.approx(round(oracle[r, c]))
    assert any(t.endswith(f"3×3 (× 1/{factor})") and t.startswith(("output", "salida"))
               for t in scene.log.texts())
