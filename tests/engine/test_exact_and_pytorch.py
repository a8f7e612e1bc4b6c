"""Issue 12 #5 (PyTorch/TensorFlow rules on their whole domain), #7 (numbers that add up as
shown, edge presets on a structured input), #9 (explain lazy, with its inputs as tables)."""

from __future__ import annotations

import re
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convmath import (
    KERNEL_PRESETS,
    ConvMathError,
    ConvSpec,
    conv_steps,
    convolve,
    default_arrays,
    explain,
    explain_step,
    random_values,
)
from convmath.explain import common_factor, factored_weights, markdown_table
from convmath.formulas import output_padding_for, same_padding, transposed_output_size
from convmath.presets import EDGE_PRESETS, structured_values

MINUS = "\u2212"

# --- #7: numbers that add up as shown --------------------------------------------------------


def _num(s: str) -> float:
    return float(s.strip().strip("()").replace(MINUS, "-"))


def _check_step_line(line: str) -> None:
    """The displayed terms add up to the displayed result at the displayed precision."""
    body = line.split(" = ", 1)[1]
    parts = body.split(" = ")
    m = re.match(r"(\d+)/(\d+) · \((.*)\)$", parts[0])
    if m:
        num, den, terms = int(m.group(1)), int(m.group(2)), m.group(3)
        inner = sum(_num(a) * _num(b) for a, b in re.findall(r"\(([^·()]+|\([^()]+\))·"
                                                              r"([^·()]+|\([^()]+\))\)", terms))
        shown_inner = _num(parts[1].split(" · ")[1])
        assert shown_inner == inner, line
        shown = _num(parts[2])
        assert abs(shown - num * inner / den) <= 0.005 + 1e-12, line
        return
    terms = re.findall(r"\(([^·()]+|\([^()]+\))·([^·()]+|\([^()]+\))\)", parts[0])
    total = sum(_num(a) * _num(b) for a, b in terms)
    assert abs(_num(parts[-1]) - total) <= 0.005 + 1e-12, line


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", list(KERNEL_PRESETS))
@pytest.mark.parametrize("transposed", [False, True])
def test_every_preset_explains_steps_that_add_up(name, lang, transposed):
    w = KERNEL_PRESETS[name]
    shape = (6,) if w.ndim == 1 else (6, 6)
    spec = ConvSpec(shape if not transposed else tuple(3 for _ in shape), w.shape, padding=1,
                    stride=1 if not transposed else 2, transposed=transposed)
    x, w2 = default_arrays(spec.input_shape, spec.kernel_shape, kernel=name, structured=None)
    np.testing.assert_array_equal(w2, w)
    md = explain(x, w, spec, lang)
    lines = [ln[3:-1] for ln in md.splitlines() if ln.startswith("- `y[")]
    assert len(lines) == spec.output_size
    for line in lines:
        _check_step_line(line)


@pytest.mark.parametrize(("name", "factor"), [
    ("box-blur", Fraction(1, 9)), ("gaussian", Fraction(1, 16)), ("sobel-x", None),
    ("identity", None), ("difference", None),
])
def test_common_factor_of_presets(name, factor):
    assert common_factor(KERNEL_PRESETS[name]) == factor


def test_issue_12_7_box_blur_is_shown_exactly():
    spec = ConvSpec((3, 3), 3)
    x = np.arange(9, dtype=float).reshape(3, 3)
    step = conv_steps(x, KERNEL_PRESETS["box-blur"], spec)[0]
    assert explain_step(step, factor=Fraction(1, 9)) == (
        "y[0,0] = 1/9 · ((0·1) + (1·1) + (2·1) + (3·1) + (4·1) + (5·1) + (6·1) + (7·1) + (8·1)) "
        "= 1/9 · 36 = 4")
    # Before: 0.11 nine times with products that did not add up to the result shown.
    md = explain(np.ones((3, 3)) * [[1, 2, 0], [0, 1, 1], [2, 1, 0]], KERNEL_PRESETS["box-blur"],
                 spec)
    assert "1/9 · (" in md and "= 1/9 · 8 = 0.89" in md


@pytest.mark.parametrize("name", EDGE_PRESETS)
def test_edge_presets_default_to_an_input_with_an_edge(name):
    x, w = default_arrays((8, 8), (3, 3), kernel=name, structured=None)
    assert set(np.unique(x)) == {0.0, 3.0}
    np.testing.assert_array_equal(default_arrays((8, 8), (3, 3), kernel=name, structured=True)[0],
                                  x)
    y = convolve(x, w, ConvSpec((8, 8), 3))
    # The output shows the edge: zero on flat regions, non-zero along the edge.
    assert np.any(y == 0) and np.any(y != 0)
    if name == "sobel-x":
        assert np.all(y[:, 0] == 0) and np.all(y[:, 2] != 0)
    if name == "sobel-y":
        assert np.all(y[0, :] == 0) and np.all(y[2, :] != 0)
    # Random input stays available.
    xr, _ = default_arrays((8, 8), (3, 3), kernel=name, structured=False)
    np.testing.assert_array_equal(xr, random_values((8, 8)))


def test_other_presets_keep_the_random_input():
    x, _ = default_arrays((5, 5), (3, 3), kernel="box-blur", structured=None)
    np.testing.assert_array_equal(x, random_values((5, 5)))
    # The scenes' defaults (structured=False) stay random, sobel-x included.
    np.testing.assert_array_equal(default_arrays((5, 5), (3, 3))[0], random_values((5, 5)))
    x1, _ = default_arrays((6,), (3,), kernel="sobel-x", structured=None)  # no fit: random
    np.testing.assert_array_equal(x1, random_values((6,)))
    assert structured_values((5,)).tolist() == [0, 0, 3, 3, 3]


# --- #9: explain lazy, with its inputs ---------------------------------------------------


def test_explain_prints_the_input_and_kernel_as_markdown_tables():
    md = explain([[1, -2], [3, 4]], [[1]], ConvSpec((2, 2), 1))
    assert ("### Input x\n\n|   | 0 | 1 |\n|---|---|---|\n| **0** | 1 | −2 |\n"
            "| **1** | 3 | 4 |") in md
    assert "### Kernel w\n\n|   | 0 |\n|---|---|\n| **0** | 1 |" in md
    es = explain([1, 2], [1], ConvSpec((2,), 1), "es")
    assert "### Entrada x" in es and "### Filtro w" in es
    assert markdown_table([5, 6]) == "|   | 0 | 1 |\n|---|---|---|\n| **0** | 5 | 6 |"


def test_explain_of_one_step_does_not_build_every_step():
    # Issue 12 #9: input 70×70, kernel 30×30, padding same, max_steps 1 (was > 120 s, 1.15 GB).
    spec = ConvSpec((70, 70), 30, padding="same")
    x, w = random_values((70, 70)), random_values((30, 30), seed=1)
    t0 = time.process_time()
    md = explain(x, w, spec, max_steps=1)
    assert time.process_time() - t0 < 10  # generous: the benchmark measures it
    assert "… 4899 more steps" in md
    assert "1 more step," in explain([1, 2, 3], [1, 1], ConvSpec((3,), 2), max_steps=1)


# --- #5: every function citing PyTorch/TensorFlow, over its whole (small) domain -------------

_small = st.integers(1, 6)


def _torch_output_padding(i, k, s, p, d, size):
    """PyTorch's ConvTranspose ``_output_padding`` (torch/nn/modules/conv.py), rewritten."""
    min_size = (i - 1) * s - 2 * p + d * (k - 1) + 1
    max_size = min_size + s - 1
    if size < min_size or size > max_size:
        raise ValueError("requested an output size outside the range")
    return size - min_size


@given(_small, _small, _small, st.integers(0, 4), st.integers(1, 3), st.integers(-2, 30))
def test_output_padding_for_is_pytorchs_output_size_rule(i, k, s, p, d, target):
    try:
        want = _torch_output_padding(i, k, s, p, d, target)
    except ValueError:
        with pytest.raises(ConvMathError, match=r"output_size=.* is invalid") as err:
            output_padding_for(target, i, k, s, p, p, d)
        assert err.value.param == "output_size"
        return
    assert output_padding_for(target, i, k, s, p, p, d) == want


@given(_small, _small, _small, st.integers(0, 4), st.integers(1, 3), st.integers(0, 6))
def test_transposed_spec_accepts_exactly_what_pytorch_accepts(i, k, s, p, d, op):
    # PyTorch: output_padding must be smaller than either stride or dilation; output >= 1.
    o = (i - 1) * s - 2 * p + d * (k - 1) + op + 1
    ok = (op < s or op < d) and o >= 1
    try:
        spec = ConvSpec((i,), k, stride=s, padding=p, dilation=d, transposed=True,
                        output_padding=op)
    except ConvMathError:
        assert not ok
        return
    assert ok and spec.output_shape == (o,)
    assert transposed_output_size(i, k, s, p, p, d, op) == o


@given(_small, _small, _small, st.integers(0, 4), st.integers(1, 3))
def test_direct_output_is_pytorchs_formula(i, k, s, p, d):
    o = (i + 2 * p - d * (k - 1) - 1) // s + 1
    try:
        spec = ConvSpec((i,), k, stride=s, padding=p, dilation=d)
    except ConvMathError:
        assert i + 2 * p < d * (k - 1) + 1  # PyTorch: kernel size can't be greater than input
        return
    assert spec.output_shape == (o,)


@given(st.integers(1, 30), _small, _small, st.integers(1, 3))
def test_same_padding_is_tensorflows_rule(i, k, s, d):
    # tf.nn "SAME": out = ceil(i/s); pad_along = max(k_eff - s, 0) if i % s == 0 else
    # max(k_eff - i % s, 0); pad_before = pad_along // 2 (TensorFlow's convolution docs).
    k_eff = d * (k - 1) + 1
    total = max(k_eff - s, 0) if i % s == 0 else max(k_eff - i % s, 0)
    assert same_padding(i, k, s, d) == (total // 2, total - total // 2)
    spec = ConvSpec((i,), k, stride=s, dilation=d, padding="same")
    assert spec.output_shape == (-(-i // s),)


torch_cases = st.tuples(st.integers(1, 6), st.integers(1, 4), st.integers(1, 3),
                        st.integers(0, 3), st.integers(1, 3), st.integers(0, 2))


@given(torch_cases, st.booleans(), st.sampled_from([1, 2]))
def test_convolve_matches_torch(case, transposed, ndim):
    torch = pytest.importorskip("torch")
    f = torch.nn.functional
    i, k, s, p, d, op = case
    shape = (i,) * ndim
    try:
        spec = ConvSpec(shape, k, stride=s, padding=p, dilation=d, transposed=transposed,
                        output_padding=op if transposed else 0)
    except ConvMathError:
        return
    rng = np.random.default_rng(i * 100 + k * 10 + s)
    x, w = rng.normal(size=shape), rng.normal(size=(k,) * ndim)
    tx = torch.tensor(x)[None, None]
    tw = torch.tensor(w)[None, None]
    if transposed:
        fn = f.conv_transpose1d if ndim == 1 else f.conv_transpose2d
        ref = fn(tx, tw, stride=s, padding=p, dilation=d, output_padding=op)
    else:
        fn = f.conv1d if ndim == 1 else f.conv2d
        ref = fn(tx, tw, stride=s, padding=p, dilation=d)
    np.testing.assert_allclose(convolve(x, w, spec), ref[0, 0].numpy(), atol=1e-9)


@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 4), st.integers(0, 3),
       st.integers(1, 3), st.integers(1, 25))
def test_output_padding_for_matches_torch(i, k, s, p, d, target):
    torch = pytest.importorskip("torch")
    layer = torch.nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
    x = torch.zeros(1, 1, i)
    try:
        torch_ok = layer(x, output_size=[target]).shape[-1] == target
    except (ValueError, RuntimeError):
        torch_ok = False
    try:
        op = output_padding_for(target, i, k, s, p, p, d)
    except ConvMathError:
        assert not torch_ok
        return
    assert torch_ok and transposed_output_size(i, k, s, p, p, d, op) == target


@pytest.mark.parametrize(("name", "multiples", "text"), [
    ("box-blur", [[1, 1, 1]] * 3, "1/9"),
    ("gaussian", [[1, 2, 1], [2, 4, 2], [1, 2, 1]], "1/16"),
    ("sobel-x", [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], None),
])
def test_factored_weights_of_presets(name, multiples, text):
    """The kernel as every view draws it: the integers, the factor's text (issue 12 #7)."""
    fw = factored_weights(KERNEL_PRESETS[name])
    assert fw.multiples.tolist() == multiples and fw.factor_text == text
    assert not fw.multiples.flags.writeable
    # multiples × factor is the kernel again (exactly, as fractions)
    f = fw.factor or Fraction(1)
    assert all(Fraction(int(m)) * f == Fraction(v).limit_denominator(64)
               for m, v in zip(fw.multiples.ravel(), KERNEL_PRESETS[name].ravel()))
    assert fw.in_units(25 / 9) == pytest.approx(25.0 if text == "1/9" else
                                                 25 / 9 * (16 if text else 1))


def test_explain_writes_the_kernel_as_the_scenes_draw_it():
    """`convanim explain --weights box-blur`: the kernel table holds 1s under "w = 1/9 × …"
    (never 0.11), as the scenes' kernel grids and captions do."""
    spec = ConvSpec((4, 4), 3)
    x = np.arange(16, dtype=float).reshape(4, 4)
    md = explain(x, KERNEL_PRESETS["box-blur"], spec)
    kernel = md.split("### Kernel w", 1)[1].split("###", 1)[0]
    assert "w = 1/9 × the table below" in kernel and "0.11" not in md
    assert [f"| **{r}** | 1 | 1 | 1 |" in kernel for r in range(3)] == [True] * 3
    es = explain(x, KERNEL_PRESETS["gaussian"], spec, lang="es")
    assert "w = 1/16 × la tabla de abajo" in es and "0.06" not in es and "0.12" not in es
