"""convmath.explain: the worked text of a convolution, English and Spanish.

Oracles: seed 001's hand computation (``y[0] = (2·1) + (1·−1) = 1``), literal sentences, and
the numbers computed independently (scipy) for the result block.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from convmath import (
    ConvMathError,
    ConvSpec,
    conv_steps,
    describe_spec,
    explain,
    explain_step,
    format_number,
)
from convmath.explain import format_index, format_shape

MINUS = "\u2212"


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, "1"), (-1.0, "−1"), (0.0, "0"), (-0.0, "0"), (0.25, "0.25"), (1 / 3, "0.33"),
    # Values that would round to 0 are written in scientific notation (issue 19 #12: before,
    # −0.004, 0.004 and 1e−12 vanished as "0").
    (-2.5, "−2.5"), (12.0, "12"), (-0.004, "−4e−3"), (0.004, "4e−3"), (1e-12, "1e−12"),
    (3.999999999999, "4"),
    (np.float32(0.5), "0.5"), (np.int64(-7), "−7"), (100.10, "100.1"), (1e6, "1000000"),
])
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (10.4, 0, "10"), (20.2, 0, "20"), (-0.4, 0, "0"), (-2.6, 0, "−3"), (99.999, 2, "100"),
    (100.04, 1, "100"), (0.05, 1, "0.1"),
])
def test_format_number_never_strips_integer_zeros(value, digits, expected):
    assert format_number(value, digits=digits) == expected


def test_format_number_digits_and_minus_sign():
    assert format_number(2 / 3, digits=3) == "0.667"
    assert format_number(-1 / 8, digits=1) == "−0.1"
    assert "-" not in format_number(-3.25)  # a true minus sign, never a hyphen
    assert format_shape((5, 5)) == "5×5" and format_shape((7,)) == "7"
    assert format_index((1, 2)) == "[1,2]" and format_index((0,)) == "[0]"


SEED_STEPS = [
    "y[0] = (2·1) + (1·(−1)) = 1",
    "y[1] = (1·1) + (0·(−1)) = 1",
    "y[2] = (0·1) + (1·(−1)) = −1",
    "y[3] = (1·1) + (2·(−1)) = −1",
]


def test_explain_step_reproduces_the_seed_hand_computation():
    steps = conv_steps([2, 1, 0, 1, 2], [1, -1], ConvSpec((5,), 2))
    assert [explain_step(s) for s in steps] == SEED_STEPS


def test_explain_step_2d_and_name():
    x = [[1, 2], [3, 4]]
    (step,) = conv_steps(x, [[1, 0], [0, -1]], ConvSpec((2, 2), 2))
    assert explain_step(step, name="z") == "z[0,0] = (1·1) + (2·0) + (3·0) + (4·(−1)) = −3"


def test_explain_step_with_padding_and_fractions():
    spec = ConvSpec((2,), 2, padding=1)
    steps = conv_steps([0.5, -2], [0.25, 1], spec)
    # Padding contributes a 0 factor: y[0] = 0·0.25 + 0.5·1.
    assert explain_step(steps[0]) == "y[0] = (0·0.25) + (0.5·1) = 0.5"
    assert explain_step(steps[2]) == "y[2] = ((−2)·0.25) + (0·1) = −0.5"


DESCRIBE = [
    (dict(input_shape=(5, 5), kernel_shape=3, stride=2, padding=1), "en",
     "Cross-correlation of a 5×5 input with a 3×3 kernel, stride 2, padding 1 → 3×3 output"),
    (dict(input_shape=(5, 5), kernel_shape=3, stride=2, padding=1), "es",
     "Correlación cruzada de una entrada 5×5 con un filtro 3×3, paso 2, relleno 1 → salida 3×3"),
    (dict(input_shape=(7, 7), kernel_shape=3, padding="same", flip=True), "en",
     "Convolution of a 7×7 input with a 3×3 kernel, stride 1, padding 'same' (1, 1) → 7×7 output"),
    (dict(input_shape=(7, 6), kernel_shape=(3, 2), padding="same", flip=True), "es",
     "Convolución de una entrada 7×6 con un filtro 3×2, paso 1, relleno 'same' (1, 0:1) → "
     "salida 7×6"),
    (dict(input_shape=(3, 3), kernel_shape=3, stride=2, padding=1, transposed=True,
          output_padding=1, dilation=(1, 2)), "en",
     "Transposed convolution of a 3×3 input with a 3×3 kernel, stride 2, padding 1, "
     "dilation 1×2, output padding 1 → 6×8 output"),
    (dict(input_shape=(3, 3), kernel_shape=3, stride=2, padding=1, transposed=True,
          output_padding=1, dilation=(1, 2)), "es",
     "Convolución transpuesta de una entrada 3×3 con un filtro 3×3, paso 2, relleno 1, "
     "dilatación 1×2, relleno de salida 1 → salida 6×8"),
    (dict(input_shape=(5,), kernel_shape=2), "en",
     "Cross-correlation of a length-5 input with a length-2 kernel, stride 1, padding 0 → "
     "length-4 output"),
    (dict(input_shape=(5,), kernel_shape=2, flip=True), "es",
     "Convolución de una entrada de longitud 5 con un filtro de longitud 2, paso 1, relleno 0 → "
     "salida de longitud 4"),
    (dict(input_shape=(6, 6), kernel_shape=3, stride=(2, 1), padding=((1, 0), (2, 2))), "en",
     "Cross-correlation of a 6×6 input with a 3×3 kernel, stride 2×1, padding 1:0, 2 → "
     "3×8 output"),
]


@pytest.mark.parametrize(("kwargs", "lang", "expected"), DESCRIBE)
def test_describe_spec(kwargs, lang, expected):
    assert describe_spec(ConvSpec(**kwargs), lang) == expected


@pytest.mark.parametrize("lang", ["en", "es"])
def test_explain_markdown_contains_every_step_and_the_result(lang):
    x, w = [2, 1, 0, 1, 2], [1, -1]
    md = explain(x, w, ConvSpec((5,), 2), lang)
    for line in SEED_STEPS:
        assert f"- `{line}`" in md
    assert md.startswith("**" + describe_spec(ConvSpec((5,), 2), lang) + "**")
    title = {"en": "### Worked computation", "es": "### Cálculo detallado"}[lang]
    result = {"en": "### Result", "es": "### Resultado"}[lang]
    assert title in md and result in md
    # The result block holds the correlation (scipy), with true minus signs.
    expected = signal.correlate(x, w, mode="valid")
    block = md.split(result)[1].split()
    assert block == [format_number(v) for v in expected] == ["1", "1", "−1", "−1"]
    # And the size derivation.
    assert "o = ⌊(5 + 2·0 − 1·(2−1) − 1) / 1⌋ + 1 = ⌊3 / 1⌋ + 1 = 4" in md


def test_explain_2d_full_mode_every_step():
    x = [[1, 2, 3, 3], [4, 5, 6, 6], [7, 8, 9, 9], [7, 8, 9, 9]]
    w = [[0, 1, 0], [-1, 1, -1], [0, 1, 0]]
    spec = ConvSpec((4, 4), 3, padding="full", flip=True)
    md = explain(x, w, spec)
    step_lines = [ln for ln in md.splitlines() if ln.startswith("- `y[")]
    assert len(step_lines) == 36
    assert step_lines[0].startswith("- `y[0,0] = ") and step_lines[-1].startswith("- `y[5,5] = ")
    assert "- `y[2,4] = " in md and step_lines[16].endswith("= 12`")  # seed: row 2, col 4 is 12
    assert "Mathematical convolution" in md


@pytest.mark.parametrize(("lang", "more"), [
    ("en", "… 5 more steps, computed the same way."),
    ("es", "… 5 posiciones más, calculadas de la misma forma."),
])
def test_explain_max_steps(lang, more):
    spec = ConvSpec((3, 3), 2, padding=1)
    md = explain(np.arange(9.0).reshape(3, 3), [[1, 0], [0, 1]], spec, lang, max_steps=11)
    assert sum(ln.startswith("- `y[") for ln in md.splitlines()) == 11
    assert f"- {more}" in md


def test_explain_transposed_mentions_the_equivalent_direct_convolution():
    spec = ConvSpec((2,), 3, stride=2, transposed=True)
    md = explain([1, 2], [1, 2, 3], spec, "es")
    assert "Convolución transpuesta, calculada como su convolución directa equivalente" in md
    # conv_transpose1d([1, 2], [1, 2, 3], stride=2) = [1, 2, 3+2, 4, 6].
    assert md.rstrip().splitlines()[-1].split() == ["1", "2", "5", "4", "6"]


@pytest.mark.parametrize("func", [
    lambda lang: describe_spec(ConvSpec((5,), 2), lang),
    lambda lang: explain([1, 2, 3, 4, 5], [1, 1], ConvSpec((5,), 2), lang),
])
def test_unknown_language_raises(func):
    with pytest.raises(ConvMathError, match=r"lang='de' is invalid.*'en', 'es'"):
        func("de")


@pytest.mark.parametrize("max_steps", [-1, 1.5, True, "3"])
def test_explain_rejects_bad_max_steps(max_steps):
    with pytest.raises(ConvMathError, match=rf"max_steps={max_steps!r} is invalid.*>= 0"):
        explain([1, 2, 3], [1, 1], ConvSpec((3,), 2), max_steps=max_steps)


def test_explain_max_steps_zero_lists_no_step():
    md = explain([1, 2, 3], [1, 1], ConvSpec((3,), 2), max_steps=0)
    assert "- `y[" not in md and "… 2 more steps" in md


def test_describe_spec_rejects_a_non_spec():
    with pytest.raises(ConvMathError, match=r"spec='5x5' is invalid: it must be a ConvSpec"):
        describe_spec("5x5")  # type: ignore[arg-type]


@pytest.mark.parametrize(("x", "inner"), [([[-2, -1], [0, 0]], "(\u22123)"),
                                          ([[2, 1], [0, 0]], "3")])
def test_a_negative_sum_of_multiples_is_bracketed(x, inner) -> None:
    """'1/4 · (−3)', never '1/4 · −3' (a product sign before a minus; second reviewer)."""
    from convmath import ConvSpec, conv_steps, explain_step
    from convmath.explain import common_factor

    w = [[0.25, 0.25], [0.25, 0.25]]
    (st,) = conv_steps(x, w, ConvSpec((2, 2), 2))
    text = explain_step(st, factor=common_factor(w))
    assert f"= 1/4 · {inner} = " in text
