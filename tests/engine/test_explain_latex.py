"""``explain(..., math="latex")`` / ``convanim explain --math latex``: the formulas and steps as
``$…$`` for KaTeX and MathJax.

Oracles: the Unicode output (the same numbers in the same order), numpy/scipy for the values
the steps end on, and Python's own arithmetic on each step's chain of ``=`` (every side of a
step evaluates to the value the step states).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import signal

from cli import cli
from convmath import ConvMathError, ConvSpec, explain
from convmath.fmt import UNICODE_MATH, latex_math

UNICODE_SYMBOLS = "".join(UNICODE_MATH)  # −, ·, ×, Σ, ⌊, ⌋, →, …
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")

rng = np.random.default_rng(7)
SPECS = [  # (id, spec, x, w)
    ("1d", ConvSpec((6,), 3, stride=2, padding=1), [2, 1, 0, -1, 2, 3], [1, 0, -1]),
    ("1d-flip", ConvSpec((5,), 2, flip=True), [2, 1, 0, 1, 2], [1, -1]),
    ("2d", ConvSpec((4, 4), 3, padding=1), rng.integers(-3, 4, (4, 4)),
     rng.integers(-2, 3, (3, 3))),
    ("2d-stride-asym", ConvSpec((5, 4), (3, 2), stride=(2, 1), padding=((1, 0), (0, 1))),
     rng.integers(-3, 4, (5, 4)), rng.integers(-2, 3, (3, 2))),
    ("transposed", ConvSpec((2, 2), 3, stride=2, transposed=True, output_padding=1),
     [[3, -2], [1, 4]], [[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
    ("dilation", ConvSpec((7,), 3, dilation=2), [1, -2, 3, -4, 5, -6, 7], [1, 2, -1]),
    ("negative", ConvSpec((3, 3), 2), -rng.integers(1, 9, (3, 3)), -rng.integers(1, 5, (2, 2))),
    ("fractions", ConvSpec((4, 4), 3), rng.integers(0, 9, (4, 4)), np.full((3, 3), 1 / 9)),
    ("gaussian", ConvSpec((3, 3), 3, padding="same"), rng.integers(-4, 5, (3, 3)),
     np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16),
]


def _oracle(spec: ConvSpec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The result from scipy / numpy (cross-correlation of the padded input, strided), or
    for the transposed case the scatter-add of PyTorch's definition."""
    if spec.transposed:
        s, k = spec.stride, w.shape
        out = np.zeros(spec.output_shape)
        for idx in np.ndindex(*x.shape):
            r, c = (i * st for i, st in zip(idx, s))
            out[r:r + k[0], c:c + k[1]][: out.shape[0] - r, : out.shape[1] - c] += (
                x[idx] * w)[: out.shape[0] - r, : out.shape[1] - c]
        return out
    xp = np.pad(x, spec.pads)
    kernel = w if not spec.flip else np.flip(w)
    if any(d > 1 for d in spec.dilation):
        d = spec.dilation
        dk = np.zeros(tuple((n - 1) * dd + 1 for n, dd in zip(kernel.shape, d)))
        dk[tuple(slice(None, None, dd) for dd in d)] = kernel
        kernel = dk
    full = signal.correlate(xp, kernel, mode="valid")
    return full[tuple(slice(None, None, st) for st in spec.stride)]


def _math_spans(text: str) -> list[str]:
    return re.findall(r"\$([^$]*)\$", text)


def _eval(side: str) -> float:
    """One side of a step in LaTeX, evaluated by Python (``\\cdot`` → ``*``)."""
    expr = side.replace(r"\cdot", "*").replace(r"\lfloor", "math.floor(").replace(r"\rfloor", ")")
    assert re.fullmatch(r"[\d\s.+\-*/()e,math.flor]*", expr), expr
    return float(eval(expr, {"math": math}))  # noqa: S307 - digits and operators only


@pytest.mark.parametrize(("name", "spec", "x", "w"), SPECS, ids=[s[0] for s in SPECS])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_latex_math_is_balanced_plain_and_says_the_same_numbers(name, spec, x, w, lang):
    x, w = np.asarray(x, float), np.asarray(w, float)
    latex = explain(x, w, spec, lang, math="latex")
    plain = explain(x, w, spec, lang)
    for line in latex.splitlines():
        assert line.count("$") % 2 == 0, line
    spans = _math_spans(latex)
    assert spans, "no formula was written as $…$"
    for span in spans:
        assert not set(span) & set(UNICODE_SYMBOLS), span
        assert span.count("(") == span.count(")") and span.count("[") == span.count("]"), span
        assert span.count(r"\lfloor") == span.count(r"\rfloor"), span
    assert "`" not in latex  # no formula is left as inline code
    assert NUMBER.findall(latex.replace("\u2212", "-")) == NUMBER.findall(
        plain.replace("\u2212", "-"))
    # Outside the math, the text is the Unicode text: prose, tables and result unchanged.
    outside = [line for line in latex.splitlines() if "$" not in line]
    assert outside == [line for line in plain.splitlines()
                       if "`" not in line and not re.search(r"(^- |: )o = ", line)]


@pytest.mark.parametrize(("name", "spec", "x", "w"), SPECS, ids=[s[0] for s in SPECS])
def test_each_latex_step_evaluates_to_the_oracle(name, spec, x, w):
    x, w = np.asarray(x, float), np.asarray(w, float)
    expected = _oracle(spec, x, w).ravel()
    steps = [s for s in _math_spans(explain(x, w, spec, math="latex")) if s.startswith("y[")]
    assert len(steps) == expected.size
    for span, want in zip(steps, expected):
        sides = span.split("=")[1:]
        for side in sides:
            assert _eval(side) == pytest.approx(want, abs=0.006), span


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_size_formulas_are_math_and_the_notes_prose(lang):
    spec = ConvSpec((5,), 3, stride=2, padding=1)
    text = explain(np.arange(5.0), np.ones(3), spec, lang, math="latex")
    assert r"- $o = \lfloor (i + 2p - d(k-1) - 1) / s\rfloor + 1$" in text
    assert r"$o = \lfloor (5 + 2 \cdot 1 - 1 \cdot (3-1) - 1) / 2\rfloor + 1" in text


def test_unicode_stays_the_default():
    spec = ConvSpec((3,), 2)
    text = explain([1.0, -2.0, 3.0], [1.0, 1.0], spec)
    assert "- `y[0] = (1·1) + ((−2)·1) = −1`" in text and "$" not in text


@pytest.mark.parametrize("bad", ["tex", "LATEX", None, 1])
def test_an_unknown_math_style_names_the_choices(bad):
    with pytest.raises(ConvMathError, match=r"math=.* must be one of unicode, latex"):
        explain([1.0, 2.0], [1.0], ConvSpec((2,), 1), math=bad)


@pytest.mark.parametrize("expr", ["a $ b", "50%", "{x}"])
def test_latex_math_refuses_text_that_would_break_out(expr):
    with pytest.raises(ConvMathError, match="expr="):
        latex_math(expr)


def test_cli_math_latex():
    args = ["explain", "--dims", "1", "--values", "2,1,0,-1,2", "--weights", "1,-1"]
    out = CliRunner().invoke(cli, [*args, "--math", "latex"])
    assert out.exit_code == 0, out.output
    assert "- $y[0] = (2 \\cdot 1) + (1 \\cdot (-1)) = 1$" in out.output
    bad = CliRunner().invoke(cli, [*args, "--math", "mathml"])
    assert bad.exit_code == 2 and "Error:" in bad.output and "--math" in bad.output
