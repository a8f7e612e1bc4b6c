"""Issue 12 #7, kit-wide: numbers that add up as shown.

For every kernel preset and every scene that writes a sum (A1's worked steps and closing
equation, the equation scene, flip, the matrix rows, the superposition's overlaps, the channel
sums), each equation on screen is re-evaluated here from its own text: ``a = b = c`` pieces
that are arithmetic (numbers, ``·``/``×``, ``+``, brackets, ``1/9``) are computed exactly with
:class:`fractions.Fraction`, consecutive pieces must be equal, and a last bare decimal must be
the previous piece rounded as shown (half a unit of its last digit). The oracle is the text
itself, not the engine.

And for the kernels of fractions (box-blur, gaussian): no text any of those scenes (or A3's
edge labels and legends, the deconvolution scene's kernel) shows holds a rounded weight (0.11;
0.06, 0.12, 0.25), and the factor (1/9, 1/16) is written.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scene_helpers import render_scene

from convmath import KERNEL_PRESETS, ConvSpec, format_number, random_values
from scenes.channels import ChannelFilter
from scenes.connectivity import Connectivity
from scenes.deconv import NotDeconvolution
from scenes.equation import GeneralEquation
from scenes.flip import FlipVsCorrelation
from scenes.kit.log import ProductsShown
from scenes.matrix import MatrixView
from scenes.sliding import SlidingFilter
from scenes.superposition import Superposition

pytestmark = pytest.mark.render

MINUS = "\u2212"

#: Scenes that write sums, with the spec they are rendered at for a 2D and a 1D kernel.
SUM_SCENES = {
    "sliding": (SlidingFilter, ConvSpec((4, 4), 3), ConvSpec((5,), 2)),
    "equation": (GeneralEquation, ConvSpec((4, 4), 3, padding=1), ConvSpec((5,), 2, padding=1)),
    "flip": (FlipVsCorrelation, ConvSpec((4, 4), 3), ConvSpec((5,), 2)),
    "matrix": (MatrixView, ConvSpec((4, 4), 3), ConvSpec((5,), 2)),
    "superposition": (Superposition, ConvSpec((2, 2), 3, stride=2, transposed=True),
                      ConvSpec((3,), 2, stride=1, transposed=True)),
    "channels": (ChannelFilter, ConvSpec((4, 4), 3), None),
}
#: Scenes that draw weights without writing a sum.
WEIGHT_SCENES = {"connectivity": (Connectivity, ConvSpec((4, 4), 3), None),
                 "deconv": (NotDeconvolution, ConvSpec((5, 5), 3, padding=1), None)}
FRACTIONS = {"box-blur": Fraction(1, 9), "gaussian": Fraction(1, 16)}

#: Words and marks around the numbers: channel labels, the equation scene's term marks ① … ⑳.
_LABELS = re.compile(r"channel sums|ch\d+|bias|\(output channel \d+\)|[\u2460-\u2473]")
_ARITH = re.compile(r"[\d.+\-*/() ]+")


def _value(piece: str) -> Fraction | None:
    """The exact value of an arithmetic piece of an equation, ``None`` when it is not one
    (``y[0,1]``, ``x[2]·w[0]``, the general equation, an elided ``…``)."""
    expr = _LABELS.sub("", piece).replace(MINUS, "-").replace("·", "*").replace("×", "*")
    expr = expr.strip()
    if not expr or "…" in piece or not _ARITH.fullmatch(expr) or not re.search(r"\d", expr):
        return None
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return None
    return _eval(tree.body)


def _eval(node: ast.AST) -> Fraction:
    if isinstance(node, ast.Constant):
        return Fraction(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand)
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left), _eval(node.right)
        ops = {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}
        if isinstance(node.op, ast.Div):
            return a / b
        return ops[type(node.op)]
    raise AssertionError(f"not arithmetic: {ast.dump(node)}")


def _decimals(piece: str) -> int | None:
    """Digits after the point of a bare shown number (``"2.78"`` → 2, ``"25"`` → 0)."""
    m = re.fullmatch(r"\s*[−-]?\d+(?:\.(\d+))?\s*", _LABELS.sub("", piece))
    return None if m is None else len(m[1] or "")


def check_chain(text: str) -> int:
    """Assert that the equation(s) in ``text`` add up as shown; returns how many ``=`` links
    between arithmetic pieces were checked."""
    checked = 0
    for eq in re.split(r" {3,}", text):  # the superposition's overlaps: "[0,1]: 3 + 2 = 5   …"
        eq = re.sub(r"^\s*(\[[\d, ]+\]:|= )", "", eq)  # an overlap's cell, a line's "= "
        pieces = eq.split(" = ")
        for a, b in zip(pieces, pieces[1:]):
            va, vb = _value(a), _value(b)
            if va is None or vb is None:
                continue
            digits = _decimals(b)
            if digits is not None and _decimals(a) is None:  # shown rounded: half a digit
                assert abs(va - vb) <= Fraction(1, 2 * 10**digits), (text, a, b)
            else:
                assert va == vb, (text, a, b)
            checked += 1
    return checked


def _shown_equations(scene) -> list[str]:
    texts = [" ".join(e.lines) for e in scene.log.of(ProductsShown)]
    return texts + scene.log.texts()


def _arrays(spec: ConvSpec, preset: str):
    w = KERNEL_PRESETS[preset]
    x = random_values(spec.x_shape, 0)
    return x, w


def _cases():
    for preset, w in KERNEL_PRESETS.items():
        for name, (_, spec2, spec1) in SUM_SCENES.items():
            spec = spec2 if w.ndim == 2 else spec1
            if spec is not None and spec.kernel_shape == w.shape:
                yield pytest.param(name, preset, id=f"{name}-{preset}")


def test_parser_catches_rounded_terms() -> None:
    """The checker fails the old box-blur sum and passes the exact one (it can fail)."""
    with pytest.raises(AssertionError):
        check_chain("y[0,0] = 3·0.11 + 2·0.11 + 1·0.11 + 1·0.11 = 0.78")
    assert check_chain("y[0,0] = 1/9 · ((3·1) + (2·1) + (1·1) + (1·1)) = 1/9 · 7 = 0.78") == 2
    assert check_chain("[0,1]: 3 + 2 = 5   [1,1]: 4 + 1 = 5") == 2
    assert check_chain("channel sums ch1 1/9·7 + bias 0 = 0.78 (output channel 1)") == 1
    assert check_chain("y[1,0] = 1/9 · (①3·1 + ②(−2)·1) = 1/9 · 1 = 0.11") == 2
    with pytest.raises(AssertionError):
        check_chain("[0,1]: 0.33 + 0.22 = 0.56")


@pytest.mark.parametrize(("name", "preset"), list(_cases()))
def test_shown_terms_add_up(tmp_path: Path, name: str, preset: str) -> None:
    cls, spec2, spec1 = SUM_SCENES[name]
    w = KERNEL_PRESETS[preset]
    spec = spec2 if w.ndim == 2 else spec1
    x, w = _arrays(spec, preset)
    scene = render_scene(cls, tmp_path, spec, x, w)
    assert scene.log.violations() == []
    checked = sum(check_chain(t) for t in _shown_equations(scene))
    if name != "superposition" or spec.ndim == 2:  # 1D stamps 2 apart: no overlap written
        assert checked >= 1, _shown_equations(scene)


def _fraction_cases():
    for preset in FRACTIONS:
        for name in [*SUM_SCENES, *WEIGHT_SCENES]:
            for lang in ("en", "es") if name == "sliding" else ("en",):
                yield pytest.param(name, preset, lang, id=f"{name}-{preset}-{lang}")


@pytest.mark.parametrize(("name", "preset", "lang"), list(_fraction_cases()))
def test_no_rounded_fraction_is_shown(tmp_path: Path, name: str, preset: str,
                                      lang: str) -> None:
    cls, spec, _ = {**SUM_SCENES, **WEIGHT_SCENES}[name]
    x, w = _arrays(spec, preset)
    rounded = {format_number(v) for v in np.unique(w)}  # 0.11; 0.06, 0.12, 0.25
    scene = render_scene(cls, tmp_path, spec, x, w, seen_texts=True, lang=lang)
    assert scene.log.violations() == []
    texts = scene.seen_texts | set(scene.log.texts())
    # deconv's other grids hold C·x, Cᵀ·y and C⁺·y, whose values may round to 0.11 (or 0.25):
    # there only the kernel's numbers are weights
    drawn = {v.text for v in scene.kernel_grid.values} if name == "deconv" else texts
    numbers = {n for t in drawn for n in re.findall(r"[−-]?\d+(?:\.\d+)?", t)}
    assert not numbers & rounded, sorted(t for t in texts if any(r in t for r in rounded))
    f = FRACTIONS[preset]
    factor = f"{f.numerator}/{f.denominator}"
    assert any(f"× {factor}" in t for t in texts), sorted(texts)  # the kernel's caption
    multiples = {format_number(v) for v in np.unique(w / float(f))}  # 1; 1, 2, 4
    assert multiples <= numbers
